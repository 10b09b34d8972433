"""Storing imported blocks of items under their (nested) sections, in the caller's session."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.roadmap import Roadmap, RoadmapItem, RoadmapSection
from services.roadmap.fields import ItemFields, item_values
from services.roadmap.headings import SectionSpec
from services.roadmap.occurrence_service import record_first
from services.roadmap.queries import apply_deadline, ensure_section, live_items

Heading = SectionSpec | str | None


def store_blocks(
    s: Session, roadmap: Roadmap, blocks: Sequence[tuple[Heading, Sequence[ItemFields]]]
) -> int:
    """Add every block's items at the end of its section; returns how many items were added."""
    sections: list[RoadmapSection | None] = []
    added = 0
    for heading, values in blocks:
        section = _section(s, roadmap, heading, sections)
        sections.append(section)
        section_id = section.id if section else None
        siblings = [i for i in live_items(s, roadmap.id) if i.section_id == section_id]
        for offset, value in enumerate(values):
            item = RoadmapItem(owner=roadmap.owner, roadmap_id=roadmap.id, section_id=section_id,
                               position=len(siblings) + offset, **item_values(value))  # fmt: skip
            if not item.number:
                item.number = _number(section, item.position)
            apply_deadline(s, item, roadmap)
            record_first(s, item, value)
            added += 1
        s.flush()
    return added


def _section(
    s: Session, roadmap: Roadmap, heading: Heading, made: list[RoadmapSection | None]
) -> RoadmapSection | None:
    if heading is None or heading == "":
        return None
    if isinstance(heading, str):
        return ensure_section(s, roadmap, heading)
    parent = made[heading.parent] if heading.parent is not None else None
    parent_id = parent.id if parent else None
    siblings = s.exec(
        select(RoadmapSection).where(
            RoadmapSection.roadmap_id == roadmap.id,
            RoadmapSection.parent_id == parent_id,
            col(RoadmapSection.deleted).is_(False),
        )
    ).all()
    for section in siblings:
        if section.title.strip().lower() == heading.title.strip().lower():
            return section
    position = max((x.position for x in siblings), default=-1) + 1
    section = RoadmapSection(owner=roadmap.owner, roadmap_id=roadmap.id, parent_id=parent_id,
                             title=heading.title.strip()[:500], number=heading.number[:20],
                             task=heading.task[:2000], position=position)  # fmt: skip
    s.add(section)
    s.flush()
    return section


def _number(section: RoadmapSection | None, position: int) -> str:
    prefix = section.number.rstrip(".") if section and section.number else ""
    return f"{prefix}.{position + 1}." if prefix else f"{position + 1}."
