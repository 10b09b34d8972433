"""A read-only view of one school at the district: roadmap, audit, teachers, results, comments.

Every figure comes from the same functions the school's own screens use (execution %, overdue,
`risk_profile`, `staff_coverage`, `compute_indicators` with the district's thresholds), so the
district sees exactly the numbers the school sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from models import RoadmapSection
from services.audit.levels import RiskProfile, risk_profile
from services.core.db import Database
from services.core.ratio import Ratio
from services.district.schools import CommentRead, RegistryEntry, comments_in
from services.indicators.compute import IndicatorValue, compute_indicators
from services.indicators.thresholds import load_thresholds
from services.roadmap.execution import Execution, execution_figures
from services.roadmap.queries import (
    RoadmapItemRead,
    SectionRead,
    current_roadmap,
    execution_of,
    item_reads,
    live_items,
    status_text,
)
from services.roadmap.sections import group_by_section
from services.roadmap.tree import section_tree
from services.staff.queries import StaffCoverage, staff_coverage


@dataclass(frozen=True, slots=True)
class ViewItem:
    id: str
    section: str
    number: str
    title: str
    deadline_text: str
    responsible: str
    status: str
    overdue: bool
    comments: int


@dataclass(frozen=True, slots=True)
class SchoolView:
    entry: RegistryEntry
    year: int
    as_of: date
    roadmap_title: str
    items: list[ViewItem]
    execution: Ratio
    risk: RiskProfile | None
    staff: StaffCoverage
    indicators: list[IndicatorValue]
    comments: list[CommentRead]
    # the roadmap as the school's screen shows it: nested sections, items with occurrences
    sections: list[SectionRead] = field(default_factory=list)
    roadmap_items: list[RoadmapItemRead] = field(default_factory=list)
    figures: Execution | None = None


def _plan_order(x: SectionRead | RoadmapItemRead) -> tuple[int, str]:
    return x.position, x.id


@dataclass(frozen=True, slots=True)
class _Roadmap:
    title: str
    items: list[ViewItem]
    execution: Ratio
    sections: list[SectionRead]
    reads: list[RoadmapItemRead]
    figures: Execution | None


def _items(s: Session, owner: str, as_of: date, counts: dict[str, int]) -> _Roadmap:
    roadmap = current_roadmap(s, owner, as_of)
    if roadmap is None:
        return _Roadmap("", [], Ratio(0, 0), [], [], None)
    rows = live_items(s, roadmap.id)
    stmt = select(RoadmapSection).where(
        RoadmapSection.roadmap_id == roadmap.id, col(RoadmapSection.deleted).is_(False)
    )
    sections = section_tree(s.exec(stmt).all())
    reads = sorted(item_reads(s, rows), key=_plan_order)
    items = [
        ViewItem(
            id=i.id,
            section=group.section.title if group.section else "",
            number=i.number,
            title=i.title,
            deadline_text=i.deadline_text,
            responsible=i.responsible,
            status=status_text(i),
            overdue=i.is_overdue(as_of),
            comments=counts.get(i.id, 0),
        )
        for group in group_by_section(sections, reads)
        for i in group.items
    ]
    figures = execution_figures(sections, reads, as_of, roadmap.period_end)
    return _Roadmap(roadmap.title, items, execution_of(reads, as_of), sections, reads, figures)


class SchoolViewService:
    def __init__(self, db: Database, catalogues_dir: Path) -> None:
        self._db = db
        self._catalogues_dir = catalogues_dir  # the shipped indicator and risk catalogues

    def view(self, entry: RegistryEntry, year: int, as_of: date) -> SchoolView:
        """The school of a registry entry (as the «Школы» screen lists it), read-only."""
        school_id = entry.site_id
        with self._db.session(stamp=False) as s:
            comments = comments_in(s, school_id)
            counts: dict[str, int] = {}
            for c in comments:
                if not c.resolved and c.target_table == "roadmap_item":
                    counts[c.target_id] = counts.get(c.target_id, 0) + 1
            plan = _items(s, school_id, as_of, counts)
            shipped = self._catalogues_dir
            risk = risk_profile(s, school_id, year, catalogues_dir=shipped) or risk_profile(
                s, school_id, catalogues_dir=shipped
            )
            return SchoolView(
                entry=entry, year=year, as_of=as_of, roadmap_title=plan.title, items=plan.items,
                execution=plan.execution, risk=risk,
                staff=staff_coverage(s, school_id, as_of),
                indicators=compute_indicators(
                    s, school_id, year, load_thresholds(s, year), catalogues_dir=shipped
                ),
                comments=comments, sections=plan.sections, roadmap_items=plan.reads,
                figures=plan.figures,
            )  # fmt: skip
