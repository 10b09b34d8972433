"""Roadmaps (дорожные карты), their sections and items (DESIGN §4)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import SyncFields, covering_index


class ItemStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    PARTIAL = "partial"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


class ApprovalFields(SQLModel):
    """Data of the «УТВЕРЖДАЮ», «СОГЛАСОВАНО» and «ПРИНЯТО» blocks printed on a document."""

    approve_position: str = Field(default="", max_length=300)
    approve_org: str = Field(default="", max_length=500)
    approve_name: str = Field(default="", max_length=200)
    approve_date: date | None = None
    agree_position: str = Field(default="", max_length=300)
    agree_name: str = Field(default="", max_length=200)
    agree_date: date | None = None
    adopted_body: str = Field(default="", max_length=200)
    adopted_protocol: str = Field(default="", max_length=50)
    adopted_date: date | None = None


class RoadmapBase(ApprovalFields):
    title: str = Field(max_length=500)
    period_start: date
    period_end: date
    goal: str = Field(default="", max_length=4000)
    tasks: str = Field(default="", max_length=8000)
    expected_results: str = Field(default="", max_length=8000)
    # Programme data (model v2): the «Механизмы реализации» text and the coordinator — a name
    # with a position, as the order names them («Гайдай Е.В., начальник отдела …»).
    mechanisms: str = Field(default="", max_length=8000)
    coordinator: str = Field(default="", max_length=500)


class Roadmap(SyncFields, RoadmapBase, table=True):
    __tablename__ = "roadmap"


class RoadmapSectionBase(SQLModel):
    roadmap_id: str = Field(foreign_key="roadmap.id", index=True, max_length=36)
    position: int = 0
    title: str = Field(max_length=500)


class RoadmapSection(SyncFields, RoadmapSectionBase, table=True):
    __tablename__ = "roadmap_section"


class RoadmapItemBase(SQLModel):
    # indexed by ix_roadmap_item_counts
    roadmap_id: str = Field(foreign_key="roadmap.id", max_length=36)
    section_id: str | None = Field(default=None, foreign_key="roadmap_section.id", max_length=36)
    position: int = 0
    number: str = Field(default="", max_length=20)
    title: str = Field(max_length=2000)
    deadline_text: str = Field(default="", max_length=300)
    start_date: date | None = None
    end_date: date | None = None
    deadline_understood: bool = True
    responsible: str = Field(default="", max_length=500)
    participants: str = Field(default="", max_length=1000)
    expected_result: str = Field(default="", max_length=2000)
    report_form: str = Field(default="", max_length=1000)
    risk_factor_code: str | None = Field(default=None, max_length=20)
    status: ItemStatus = ItemStatus.PLANNED
    completion_date: date | None = None
    evidence: str = Field(default="", max_length=2000)
    comment: str = Field(default="", max_length=2000)


class RoadmapItem(SyncFields, RoadmapItemBase, table=True):
    __tablename__ = "roadmap_item"
    __table_args__ = (
        covering_index(
            "roadmap_item_counts",
            "roadmap_id",
            "deleted",
            "status",
            "end_date",
            "deadline_understood",
        ),
    )
