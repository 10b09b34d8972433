"""District-owned comments on school rows."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel

from models.base import SyncFields


class DistrictCommentBase(SQLModel):
    school_id: str = Field(index=True, max_length=36)
    target_table: str = Field(max_length=60)
    target_id: str = Field(max_length=36)
    text: str = Field(max_length=4000)
    author: str = Field(default="", max_length=200)
    created_on: date
    resolved: bool = False


class DistrictComment(SyncFields, DistrictCommentBase, table=True):
    __tablename__ = "district_comment"
