"""Roadmaps (дорожные карты): the queries other areas use, and the DTOs of the roadmap area.

The editing use cases live in `services.roadmap.service` (`RoadmapService`). The functions
here run inside a caller's session and are what the indicators, the audit («антирисковые меры»)
and the district dashboard call.

Execution % (DESIGN §4, «доля выполненных мероприятий»): items done ÷ items due by the
date, where an item is due when the end of its deadline is on or before the date (an unreadable
deadline is due at the end of the period) — and an item done early counts in both, so doing
things ahead of time raises the figure but it never passes 100 %. Cancelled items are left out.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from models.roadmap import (
    ItemStatus,
    Roadmap,
    RoadmapBase,
    RoadmapItem,
    RoadmapItemBase,
    RoadmapSection,
    RoadmapSectionBase,
)
from services.core.ratio import Ratio
from services.core.sql_select import JSON_LIST, Scoped, as_json, rows
from services.roadmap.deadlines import parse_deadline
from services.roadmap.deadlines import school_year_of as school_year_of

CLOSED = (ItemStatus.DONE, ItemStatus.CANCELLED)
STATUS_TITLES: dict[ItemStatus, str] = {
    ItemStatus.PLANNED: "Запланировано",
    ItemStatus.IN_PROGRESS: "Выполняется",
    ItemStatus.DONE: "Выполнено",
    ItemStatus.PARTIAL: "Выполнено частично",
    ItemStatus.POSTPONED: "Перенесено",
    ItemStatus.CANCELLED: "Отменено",
}


class RoadmapRead(RoadmapBase):
    id: str
    owner: str


class SectionRead(RoadmapSectionBase):
    id: str


class RoadmapItemRead(RoadmapItemBase):
    id: str
    owner: str
    deleted: bool = False

    def due_date(self, period_end: date) -> date:
        return self.end_date or period_end

    def is_overdue(self, as_of: date, period_end: date) -> bool:
        """An item whose deadline was not understood has no due date, so it is never late."""
        if not self.deadline_understood:
            return False
        return self.status not in CLOSED and self.due_date(period_end) < as_of


@dataclass(frozen=True, slots=True)
class ItemDraft:
    """An item another area wants in a roadmap; `id` is deterministic so adding is idempotent."""

    id: str
    title: str
    deadline_text: str = ""
    responsible: str = ""
    expected_result: str = ""
    risk_factor_code: str | None = None


def current_roadmap(session: Session, owner: str, on: date) -> Roadmap | None:
    """The owner's roadmap whose period contains `on`, else the latest one; None when none."""
    maps = session.exec(
        select(Roadmap)
        .where(Roadmap.owner == owner, col(Roadmap.deleted).is_(False))
        .order_by(col(Roadmap.period_start).desc(), col(Roadmap.id))
    ).all()
    for roadmap in maps:
        if roadmap.period_start <= on <= roadmap.period_end:
            return roadmap
    return maps[0] if maps else None


def live_items(session: Session, roadmap_id: str) -> list[RoadmapItem]:
    return list(
        session.exec(
            select(RoadmapItem).where(
                RoadmapItem.roadmap_id == roadmap_id, col(RoadmapItem.deleted).is_(False)
            )
        ).all()
    )


def execution_of(items: Sequence[RoadmapItemRead | RoadmapItem], as_of: date, end: date) -> Ratio:
    """Done ÷ (due by `as_of` or done), cancelled items left out (see the module docstring).

    Items whose deadline was not understood are left out too: they have no due date, and
    counting them at the period's end would invent one.
    """
    counted = [i for i in items if i.status is not ItemStatus.CANCELLED and i.deadline_understood]
    done = sum(1 for i in counted if i.status is ItemStatus.DONE)
    due = sum(1 for i in counted if i.status is ItemStatus.DONE or (i.end_date or end) <= as_of)
    return Ratio(done, due)


def execution_ratio(session: Session, owner: str, as_of: date) -> Ratio:
    return roadmap_figures(session, [owner], as_of)[owner].execution


@dataclass(frozen=True, slots=True)
class RoadmapFigures:
    """What the dashboards show of a school's current roadmap on a date."""

    execution: Ratio  # `execution_of` its live items
    overdue: int  # how many `overdue_items`


NO_FIGURES = RoadmapFigures(Ratio(0, 0), 0)


# The roadmaps of everyone, or of the owners of a JSON list (newest period first per owner).
_ROADMAPS = "SELECT owner, id, period_start, period_end FROM roadmap WHERE deleted = 0"
_ROADMAPS_ORDER = " ORDER BY owner, period_start DESC, id"
ROADMAPS = Scoped(
    _ROADMAPS + _ROADMAPS_ORDER, _ROADMAPS + " AND owner IN " + JSON_LIST + _ROADMAPS_ORDER
)
# Item counts of the roadmaps of a JSON list on two days :d0, :d1: done, open (neither done nor
# cancelled) undated, then per day open items due by the day and overdue on it. `due` is the
# end date of an open item (NULL for a closed one), so each day costs two plain comparisons.
# Items whose deadline was not understood have no due date and are left out altogether.
ITEM_COUNTS = (
    "SELECT roadmap_id, SUM(status = 'DONE'), "
    "SUM(status NOT IN ('DONE', 'CANCELLED') AND end_date IS NULL), "
    "SUM(due <= :d0), SUM(due < :d0), SUM(due <= :d1), SUM(due < :d1) "
    "FROM (SELECT roadmap_id, status, end_date, "
    "iif(status IN ('DONE', 'CANCELLED'), NULL, end_date) AS due FROM roadmap_item "
    "WHERE roadmap_id IN (SELECT value FROM json_each(:ids)) AND deleted = 0 "
    "AND deadline_understood) "
    "GROUP BY roadmap_id"
)


def current_roadmaps(
    session: Session, owners: Collection[str] | None, days: Sequence[date]
) -> list[dict[str, tuple[str, date]]]:
    """`current_roadmap` of many owners on several days: {owner: (id, period end)} per day."""
    chosen: list[dict[str, tuple[str, date]]] = [{} for _day in days]
    containing: list[set[str]] = [set() for _day in days]
    for owner, roadmap_id, start_text, end_text in ROADMAPS.run(session, owners):
        start, end = date.fromisoformat(start_text), date.fromisoformat(end_text)
        for day, found, sure in zip(days, chosen, containing, strict=True):
            if owner in sure:
                continue
            if start <= day <= end:
                found[owner] = (roadmap_id, end)
                sure.add(owner)
            else:
                found.setdefault(owner, (roadmap_id, end))
    return chosen


def roadmap_figures(
    session: Session, owners: Collection[str] | None, as_of: date
) -> dict[str, RoadmapFigures]:
    """Execution and the number of overdue items of many owners' current roadmaps at once."""
    return roadmap_figures_on(session, owners, [as_of])[0]


def roadmap_figures_on(
    session: Session, owners: Collection[str] | None, days: Sequence[date]
) -> list[dict[str, RoadmapFigures]]:
    """`roadmap_figures` on several days in one GROUP BY (per two days) over the chosen items.

    The rules are those of `execution_of` and `RoadmapItemRead.is_overdue`: done ÷ (done + open
    items due by the day), cancelled items left out; an open item without an end date is due at
    the end of its roadmap's period, so those are counted apart and added when the period has
    ended. Every owner asked for is in each dict (no roadmap: no data).
    """
    chosen = current_roadmaps(session, owners, days)
    result = [dict.fromkeys(owners or (), NO_FIGURES) for _day in days]
    ids = as_json(sorted({roadmap_id for found in chosen for roadmap_id, _end in found.values()}))
    if ids == "[]":
        return result
    for first in range(0, len(days), 2):
        pair = (days[first], days[min(first + 1, len(days) - 1)])
        params = {"ids": ids, "d0": pair[0], "d1": pair[1]}
        counts = {
            roadmap_id: numbers for roadmap_id, *numbers in rows(session, ITEM_COUNTS, params)
        }
        for n in range(first, min(first + 2, len(days))):
            _figures_of_day(chosen[n], result[n], days[n], counts, 2 * (n - first))
    return result


def _figures_of_day(
    found: dict[str, tuple[str, date]],
    per_day: dict[str, RoadmapFigures],
    day: date,
    counts: dict[str, list[Any]],
    at: int,
) -> None:
    """The figures of each owner's chosen roadmap on `day` (its due/late counts at `at`)."""
    for owner, (roadmap_id, end) in found.items():
        numbers = counts.get(roadmap_id)
        if numbers is None:  # a roadmap without live items
            per_day[owner] = NO_FIGURES
            continue
        done, undated, due, late = (int(x or 0) for x in (*numbers[:2], *numbers[2 + at : 4 + at]))
        due += done + (undated if end <= day else 0)
        late += undated if end < day else 0
        per_day[owner] = RoadmapFigures(Ratio(done, due), late)


def overdue_items(session: Session, owner: str, as_of: date) -> list[RoadmapItemRead]:
    roadmap = current_roadmap(session, owner, as_of)
    if roadmap is None:
        return []
    items = [RoadmapItemRead.model_validate(i) for i in live_items(session, roadmap.id)]
    late = [i for i in items if i.is_overdue(as_of, roadmap.period_end)]
    return sorted(late, key=lambda i: (i.due_date(roadmap.period_end), i.position))


def ensure_roadmap(session: Session, owner: str, on: date, title: str = "") -> Roadmap:
    """The current roadmap of `owner`, or a new one for the school year of `on`."""
    roadmap = current_roadmap(session, owner, on)
    if roadmap is not None:
        return roadmap
    start, end = school_year_of(on)
    roadmap = Roadmap(
        owner=owner,
        title=title or f"Дорожная карта на {start.year}/{end.year} учебный год",
        period_start=start,
        period_end=end,
    )
    session.add(roadmap)
    session.flush()
    return roadmap


def ensure_section(session: Session, roadmap: Roadmap, title: str) -> RoadmapSection:
    sections = session.exec(
        select(RoadmapSection).where(
            RoadmapSection.roadmap_id == roadmap.id, col(RoadmapSection.deleted).is_(False)
        )
    ).all()
    for section in sections:
        if section.title.strip().lower() == title.strip().lower():
            return section
    section = RoadmapSection(
        owner=roadmap.owner,
        roadmap_id=roadmap.id,
        title=title.strip(),
        position=max((s.position for s in sections), default=-1) + 1,
    )
    session.add(section)
    session.flush()
    return section


def apply_deadline(item: RoadmapItem, roadmap: Roadmap) -> None:
    """Derive the item's dates from its deadline wording within the roadmap's period."""
    deadline = parse_deadline(item.deadline_text, roadmap.period_start, roadmap.period_end)
    item.start_date, item.end_date = deadline.start, deadline.end
    item.deadline_understood = deadline.understood


def append_items(
    session: Session, owner: str, section_title: str, drafts: Sequence[ItemDraft], on: date
) -> int:
    """Add drafts to the section `section_title` of the current roadmap; returns how many.

    A draft whose id is already present (even as a tombstone: the user deleted it on purpose)
    is skipped, so running the same request twice adds nothing.
    """
    roadmap = ensure_roadmap(session, owner, on)
    section = ensure_section(session, roadmap, section_title)
    taken = set(
        session.exec(
            select(RoadmapItem.id).where(col(RoadmapItem.id).in_([d.id for d in drafts]))
        ).all()
    )
    existing = session.exec(select(RoadmapItem).where(RoadmapItem.section_id == section.id)).all()
    position = max((i.position for i in existing), default=-1) + 1
    added = 0
    for draft in drafts:
        if draft.id in taken:
            continue
        taken.add(draft.id)
        item = RoadmapItem(
            id=draft.id,
            owner=owner,
            roadmap_id=roadmap.id,
            section_id=section.id,
            position=position,
            number=f"{section.position + 1}.{position + 1}.",
            title=draft.title,
            deadline_text=draft.deadline_text,
            responsible=draft.responsible,
            expected_result=draft.expected_result,
            risk_factor_code=draft.risk_factor_code,
        )
        apply_deadline(item, roadmap)
        session.add(item)
        position += 1
        added += 1
    return added
