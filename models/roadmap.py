"""Roadmaps (дорожные карты), their nested sections, items and occurrences (DESIGN §4).

An item is the plan (what, who, the deadline wording); each of its occurrences is one planned
date or period with its own status, completion date, evidence and comment. A one-off item has one
occurrence, a recurring one («ежегодно», «2 раза в год») one per planned date in the period.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import SyncFields, covering_index, stable_id


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
    position: int = 0  # among the sections with the same parent
    title: str = Field(max_length=500)
    parent_id: str | None = Field(default=None, foreign_key="roadmap_section.id", max_length=36)
    number: str = Field(default="", max_length=20)  # as the plan writes it: «I», «1», «1.2»
    task: str = Field(default="", max_length=2000)  # the section's task, when the plan names one


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


class RoadmapItem(SyncFields, RoadmapItemBase, table=True):
    __tablename__ = "roadmap_item"
    __table_args__ = (covering_index("roadmap_item_counts", "roadmap_id", "deleted"),)


class OccurrenceBase(SQLModel):
    """One planned date or period of an item, and what was done about it.

    `end_date` is the due date; None when the item's deadline wording is empty or was not
    understood (such an occurrence has no due date and is left out of execution and overdue
    figures). The id is `occurrence_id(item_id, end_date, seq)`.
    `outside_period` marks an occurrence kept after a change of the roadmap's period because it
    carries a status, evidence or a comment.
    """

    item_id: str = Field(foreign_key="roadmap_item.id", index=True, max_length=36)
    # denormalised from the item, so the counts read one index; see ix_roadmap_occurrence_counts
    roadmap_id: str = Field(foreign_key="roadmap.id", max_length=36)
    position: int = 0
    label: str = Field(default="", max_length=100)  # «2022», «февраль 2022», «I полугодие»
    start_date: date | None = None
    end_date: date | None = None
    status: ItemStatus = ItemStatus.PLANNED
    completion_date: date | None = None
    evidence: str = Field(default="", max_length=2000)
    comment: str = Field(default="", max_length=2000)
    outside_period: bool = False
    seq: int = 0  # tells apart events of the item due on the same date (part of the id)


class RoadmapOccurrence(SyncFields, OccurrenceBase, table=True):
    __tablename__ = "roadmap_occurrence"
    __table_args__ = (
        covering_index("roadmap_occurrence_counts", "roadmap_id", "deleted", "status", "end_date"),
    )


def occurrence_id(item_id: str, end: date | None, seq: int = 0) -> str:
    """The id of an item's `seq`-th occurrence due on `end` (None: no due date).

    Regenerating keeps it for the same date, and an import recomputes it from the row's
    `item_id`, `end_date` and `seq`.
    """
    return stable_id("roadmap_occurrence", item_id, end, seq)
