"""Execution figures of a roadmap: overall and per section, as the screen and the printout show.

The rule of one ratio is `queries.execution_of`; the sections are those of `group_by_section`, so
the figures of a section cover exactly the items shown under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from services.core.ratio import Ratio
from services.roadmap.queries import RoadmapItemRead, SectionRead, execution_of
from services.roadmap.sections import group_by_section

NO_SECTION_TITLE = "Без раздела"


@dataclass(frozen=True, slots=True)
class SectionExecution:
    section_id: str | None
    title: str
    ratio: Ratio
    overdue: int


@dataclass(frozen=True, slots=True)
class Execution:
    as_of: date
    overall: Ratio
    overdue: int
    sections: list[SectionExecution] = field(default_factory=list)


def execution_figures(
    sections: Sequence[SectionRead], items: Sequence[RoadmapItemRead], on: date, end: date
) -> Execution:
    """The figures on `on` of a roadmap ending on `end` (the items outside sections first)."""
    result = Execution(
        on, execution_of(items, on, end), sum(1 for i in items if i.is_overdue(on, end))
    )
    for group in group_by_section(sections, items):
        late = sum(1 for i in group.items if i.is_overdue(on, end))
        section = group.section
        sid, title = (section.id, section.title) if section else (None, NO_SECTION_TITLE)
        result.sections.append(
            SectionExecution(sid, title, execution_of(group.items, on, end), late)
        )
    return result
