"""Nested sections in plan order: each section followed by its subsections, with its level."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from models.roadmap import RoadmapSection
from services.roadmap.queries import SectionRead

Section = TypeVar("Section", RoadmapSection, SectionRead)


def section_tree(sections: Sequence[Section]) -> list[SectionRead]:
    """The sections depth first, siblings by position, each with its level.

    A section whose parent is not among `sections` (it was deleted on another computer) is shown
    at the top level, so no section is ever left out.
    """
    known = {x.id for x in sections}
    children: dict[str | None, list[Section]] = {}
    for section in sections:
        parent = section.parent_id if section.parent_id in known else None
        children.setdefault(parent, []).append(section)
    ordered: list[SectionRead] = []
    seen: set[str] = set()

    def walk(parent: str | None, level: int) -> None:
        for section in sorted(children.get(parent, []), key=lambda x: (x.position, x.id)):
            if section.id in seen:  # a cycle written by hand; show each section once
                continue
            seen.add(section.id)
            read = SectionRead.model_validate(section, from_attributes=True)
            ordered.append(read.model_copy(update={"level": level}))
            walk(section.id, level + 1)

    walk(None, 1)
    return ordered
