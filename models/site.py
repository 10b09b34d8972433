"""Organisations (schools and district offices) and the district's status of each school."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from models.base import Role, SyncFields


class SiteBase(SQLModel):
    role: Role
    full_name: str = Field(max_length=500)
    short_name: str = Field(default="", max_length=200)
    code: str = Field(default="", max_length=40)
    parent_id: str | None = Field(default=None, max_length=36)
    address: str = Field(default="", max_length=500)
    director_name: str = Field(default="", max_length=200)
    director_position: str = Field(default="", max_length=200)


class Site(SyncFields, SiteBase, table=True):
    """An organisation; its own row is owned by itself (owner == id)."""

    __tablename__ = "site"


class SiteRead(SiteBase):
    id: str


class SchoolStatusBase(SQLModel):
    school_id: str = Field(index=True, max_length=36)
    is_low_results: bool = False
    is_adverse_context: bool = False
    is_500plus: bool = False
    partner_school: str = Field(default="", max_length=300)
    notes: str = Field(default="", max_length=4000)


class SchoolStatus(SyncFields, SchoolStatusBase, table=True):
    """District-owned flags of one school; id = stable_id("status", school_id).

    The school's curators are rows of `SchoolCurator` (models.programme): a school may have
    several. Before model v2 the status held one curator in its own columns.
    """

    __tablename__ = "school_status"
