"""Items grouped under their sections in plan order: the one rule for every view of a roadmap.

The roadmap screen, the printed and the exported roadmap and the district's view of a school all
show the items outside any section first, then each section, numbered from 1, with its items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from services.roadmap.queries import RoadmapItemRead, SectionRead


@dataclass(frozen=True, slots=True)
class SectionGroup:
    number: int  # 1, 2, … in plan order; 0 for the items outside any section
    section: SectionRead | None  # None: the items outside any (known) section
    items: tuple[RoadmapItemRead, ...]


def group_by_section(
    sections: Sequence[SectionRead], items: Iterable[RoadmapItemRead]
) -> list[SectionGroup]:
    """The items outside any section (a group only when there are some), then every section.

    Sections keep the given order and are numbered from 1, empty ones included; items keep
    their given order within a group. An item whose section is not among `sections` (its
    section was deleted on another computer) joins the items outside any section, so no item
    is ever left out of a view.
    """
    known = {s.id for s in sections}
    by_section: dict[str | None, list[RoadmapItemRead]] = {}
    for item in items:
        key = item.section_id if item.section_id in known else None
        by_section.setdefault(key, []).append(item)
    loose = by_section.get(None, [])
    groups = [SectionGroup(0, None, tuple(loose))] if loose else []
    return groups + [
        SectionGroup(n, s, tuple(by_section.get(s.id, []))) for n, s in enumerate(sections, 1)
    ]
