"""The demo roadmap: the Kola district's municipal plan for the district, adapted for a school."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from models import Role
from models.roadmap import ItemStatus, Roadmap, RoadmapItem, RoadmapOccurrence, RoadmapSection
from services.core.db import Database
from services.core.formatting import plural
from services.roadmap.occurrences import item_occurrences
from services.roadmap.queries import apply_deadline
from services.site.profile import own_site_id


class RoadmapDemo:
    """Demo part (`DemoService.add_part`): a current-year roadmap with a mix of statuses."""

    def __init__(self, db: Database, resources_dir: Path) -> None:
        self._db = db
        self._file = resources_dir / "demo" / "roadmap.json"

    def fill_demo(self, role: Role, today: date | None = None) -> str:
        today = today or date.today()
        data = json.loads(self._file.read_text(encoding="utf-8"))[role.value]
        start, end = (
            date(today.year, 1, 1),
            date(today.year, 12, 31),
        )  # a calendar year, as the district's plan
        with self._db.session() as s:
            owner = own_site_id(s)
            roadmap = Roadmap(
                owner=owner,
                title=f"{data['title']} на {today.year} год",
                period_start=start,
                period_end=end,
                goal=data["goal"],
                tasks=data["tasks"],
                expected_results=data["expected_results"],
                approve_position="Директор" if role is Role.SCHOOL else "Начальник",
                adopted_body="педагогическом совете" if role is Role.SCHOOL else "",
                adopted_protocol="1" if role is Role.SCHOOL else "",
                adopted_date=start + timedelta(days=20) if role is Role.SCHOOL else None,
            )
            s.add(roadmap)
            s.flush()
            counts = _fill_sections(s, roadmap, data["sections"], None, today)
        sections = plural(counts[0], "раздел", "раздела", "разделов")
        items = plural(counts[1], "мероприятие", "мероприятия", "мероприятий")
        return f"Дорожная карта: {sections}, {items}."


def _fill_sections(
    s: Session,
    roadmap: Roadmap,
    blocks: list[dict[str, Any]],
    parent: RoadmapSection | None,
    today: date,
    due: list[int] | None = None,
) -> tuple[int, int]:
    """The sections of `blocks` (nested ones under their parent) and their items.

    Returns (sections, items) added. `due` holds the occurrences due so far (every fourth is
    left overdue across the whole roadmap) and the last arabic section number.
    """
    due = due if due is not None else [0, 0]  # occurrences due so far, sections numbered
    sections = items = 0
    for n, block in enumerate(blocks):
        if not block.get("number"):  # «I. …» › «1. …», «2. …»; numbered on through the plan
            due[1] += 1
        number = block.get("number") or str(due[1])
        section = RoadmapSection(owner=roadmap.owner, roadmap_id=roadmap.id, position=n,
                                 title=block["title"], parent_id=parent.id if parent else None,
                                 number=number, task=block.get("task", ""))  # fmt: skip
        s.add(section)
        s.flush()
        sections += 1
        inner = _fill_sections(s, roadmap, block.get("sections", []), section, today, due)
        sections, items = sections + inner[0], items + inner[1]
        for m, row in enumerate(block.get("items", [])):
            _demo_item(s, roadmap, section, m, row, today, due)
            items += 1
    return sections, items


def _demo_item(
    s: Session,
    roadmap: Roadmap,
    section: RoadmapSection,
    m: int,
    row: list[str],
    today: date,
    due: list[int],
) -> None:
    title, deadline, responsible, participants, result, form = row
    item = RoadmapItem(owner=roadmap.owner, roadmap_id=roadmap.id, section_id=section.id,
                       position=m, number=f"{section.number.rstrip('.')}.{m + 1}.", title=title,
                       deadline_text=deadline, responsible=responsible, participants=participants,
                       expected_result=result, report_form=form)  # fmt: skip
    apply_deadline(s, item, roadmap)
    for occ in item_occurrences(s, item.id):
        due[0] += _demo_status(occ, today, due[0])


def _demo_status(item: RoadmapOccurrence, today: date, due: int) -> int:
    """Past occurrences mostly done (with evidence), every fourth overdue; 1 if it was due."""
    end = item.end_date or today
    started = item.start_date is not None and item.start_date <= today
    if end < today:
        if due % 4 == 3:
            item.status = ItemStatus.IN_PROGRESS  # overdue: shows on «Обзор» and in red
        else:
            item.status = ItemStatus.DONE
            item.completion_date = min(end, today)
            item.evidence = "Приказ, справка на сайте школы"
        return 1
    item.status = ItemStatus.IN_PROGRESS if started else ItemStatus.PLANNED
    return 0
