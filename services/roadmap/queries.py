"""Roadmaps (дорожные карты): the queries other areas use, and the DTOs of the roadmap area.

The editing use cases live in `services.roadmap.service` (`RoadmapService`). The functions
here run inside a caller's session and are what the indicators, the audit («антирисковые меры»)
and the district dashboard call.

Execution % (DESIGN §4, «доля выполненных мероприятий») runs over occurrences (one planned date
or period of an item each): occurrences done ÷ occurrences due by the date, where an occurrence is
due when its end date is on or before the date — and one done early counts in both, so doing
things ahead of time raises the figure but it never passes 100 %. Cancelled occurrences are left
out, and so are those without a due date (the item's deadline wording was not understood).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from models.roadmap import (
    ItemStatus,
    OccurrenceBase,
    Roadmap,
    RoadmapBase,
    RoadmapItem,
    RoadmapItemBase,
    RoadmapOccurrence,
    RoadmapSection,
    RoadmapSectionBase,
)
from services.core.ratio import Ratio
from services.core.sql_select import JSON_LIST, Scoped, as_json, rows
from services.core.sql_select import day as day_of
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
    level: int = 1  # 1 for a top section, 2 for its subsection, …


class OccurrenceRead(OccurrenceBase):
    """One planned date or period of an item, with its status, completion, evidence, comment."""

    id: str
    owner: str
    deleted: bool = False

    @property
    def dated(self) -> bool:
        """False when the item's wording was not understood: no due date, left out of figures."""
        return self.end_date is not None

    def is_due(self, as_of: date) -> bool:
        """Counted in execution on `as_of`: due by then, or done (early work counts)."""
        if self.end_date is None or self.status is ItemStatus.CANCELLED:
            return False
        return self.status is ItemStatus.DONE or self.end_date <= as_of

    def is_overdue(self, as_of: date) -> bool:
        return self.end_date is not None and self.status not in CLOSED and self.end_date < as_of


class RoadmapItemRead(RoadmapItemBase):
    """An item and its occurrences in order (at least one for every live item)."""

    id: str
    owner: str
    deleted: bool = False
    occurrences: tuple[OccurrenceRead, ...] = ()

    @property
    def current(self) -> OccurrenceRead | None:
        """The occurrence a one-status view shows and edits: the first open one, else the last."""
        open_ = [o for o in self.occurrences if o.status not in CLOSED]
        return open_[0] if open_ else (self.occurrences[-1] if self.occurrences else None)

    @property
    def status(self) -> ItemStatus:
        return self.current.status if self.current else ItemStatus.PLANNED

    @property
    def completion_date(self) -> date | None:
        return self.current.completion_date if self.current else None

    @property
    def evidence(self) -> str:
        return self.current.evidence if self.current else ""

    @property
    def comment(self) -> str:
        return self.current.comment if self.current else ""

    def done_count(self) -> tuple[int, int]:
        """(done, all) occurrences that are not cancelled: «2 из 4»."""
        counted = [o for o in self.occurrences if o.status is not ItemStatus.CANCELLED]
        return sum(1 for o in counted if o.status is ItemStatus.DONE), len(counted)

    def due_date(self, period_end: date) -> date:
        late = [o.end_date for o in self.occurrences if o.end_date and o.status not in CLOSED]
        return min(late) if late else (self.end_date or period_end)

    def is_overdue(self, as_of: date, period_end: date | None = None) -> bool:
        """Some occurrence is open past its due date.

        An item whose deadline was not understood has no due date, so it is never late.
        """
        return any(o.is_overdue(as_of) for o in self.occurrences)


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


def execution_of(items: Sequence[RoadmapItemRead], as_of: date, end: date | None = None) -> Ratio:
    """Done ÷ due by `as_of` (or done) over the items' occurrences (see the module docstring)."""
    occurrences = [o for i in items for o in i.occurrences]
    due = [o for o in occurrences if o.is_due(as_of)]
    return Ratio(sum(1 for o in due if o.status is ItemStatus.DONE), len(due))


def execution_ratio(session: Session, owner: str, as_of: date) -> Ratio:
    return roadmap_figures(session, [owner], as_of)[owner].execution


@dataclass(frozen=True, slots=True)
class RoadmapFigures:
    """What the dashboards show of a school's current roadmap on a date."""

    execution: Ratio  # `execution_of` its live items
    overdue: int  # how many occurrences are open past their due date


NO_FIGURES = RoadmapFigures(Ratio(0, 0), 0)


# The roadmaps of everyone, or of the owners of a JSON list (newest period first per owner).
_ROADMAPS = "SELECT owner, id, period_start, period_end FROM roadmap WHERE deleted = 0"
_ROADMAPS_ORDER = " ORDER BY owner, period_start DESC, id"
ROADMAPS = Scoped(
    _ROADMAPS + _ROADMAPS_ORDER, _ROADMAPS + " AND owner IN " + JSON_LIST + _ROADMAPS_ORDER
)
# Occurrence counts of the roadmaps of a JSON list on two days :d0, :d1: done, then per day open
# occurrences (neither done nor cancelled) due by the day and overdue on it. `due` is the end date
# of an open occurrence (NULL for a closed one), so each day costs two plain comparisons.
# Occurrences without an end date (wording not understood) are left out altogether.
ITEM_COUNTS = (
    "SELECT roadmap_id, SUM(status = 'DONE'), "
    "SUM(due <= :d0), SUM(due < :d0), SUM(due <= :d1), SUM(due < :d1) "
    "FROM (SELECT roadmap_id, status, "
    "iif(status IN ('DONE', 'CANCELLED'), NULL, end_date) AS due FROM roadmap_occurrence "
    "WHERE roadmap_id IN (SELECT value FROM json_each(:ids)) AND deleted = 0 "
    "AND end_date IS NOT NULL) "
    "GROUP BY roadmap_id"
)


def current_roadmaps(
    session: Session, owners: Collection[str] | None, days: Sequence[date]
) -> list[dict[str, tuple[str, date]]]:
    """`current_roadmap` of many owners on several days: {owner: (id, period end)} per day."""
    chosen: list[dict[str, tuple[str, date]]] = [{} for _day in days]
    containing: list[set[str]] = [set() for _day in days]
    for owner, roadmap_id, start_text, end_text in ROADMAPS.run(session, owners):
        start, end = day_of(start_text), day_of(end_text)
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

    The rules are those of `execution_of` and `OccurrenceRead.is_overdue`: done ÷ (done + open
    occurrences due by the day), cancelled ones and those without a due date left out. Every
    owner asked for is in each dict (no roadmap: no data).
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
            _figures_of_day(chosen[n], result[n], counts, 2 * (n - first))
    return result


def _figures_of_day(
    found: dict[str, tuple[str, date]],
    per_day: dict[str, RoadmapFigures],
    counts: dict[str, list[Any]],
    at: int,
) -> None:
    """The figures of each owner's chosen roadmap on `day` (its due/late counts at `at`)."""
    for owner, (roadmap_id, _end) in found.items():
        numbers = counts.get(roadmap_id)
        if numbers is None:  # a roadmap without live occurrences
            per_day[owner] = NO_FIGURES
            continue
        done, due, late = (int(x or 0) for x in (numbers[0], *numbers[1 + at : 3 + at]))
        per_day[owner] = RoadmapFigures(Ratio(done, done + due), late)


def occurrence_reads(
    session: Session, roadmap_ids: Collection[str]
) -> dict[str, list[OccurrenceRead]]:
    """The live occurrences of roadmaps by item, each item's in order."""
    rows = session.exec(
        select(RoadmapOccurrence)
        .where(
            col(RoadmapOccurrence.roadmap_id).in_(sorted(roadmap_ids)),
            col(RoadmapOccurrence.deleted).is_(False),
        )
        .order_by(col(RoadmapOccurrence.position), col(RoadmapOccurrence.id))
    ).all()
    found: dict[str, list[OccurrenceRead]] = {}
    for row in rows:
        found.setdefault(row.item_id, []).append(OccurrenceRead.model_validate(row))
    return found


def item_reads(session: Session, items: Sequence[RoadmapItem]) -> list[RoadmapItemRead]:
    """The items as reads, each with its live occurrences, in the given order."""
    occurrences = occurrence_reads(session, {i.roadmap_id for i in items})
    return [read_item(i, occurrences.get(i.id, ())) for i in items]


def status_text(item: RoadmapItemRead) -> str:
    """The status of a one-status view: the occurrence's own, or «Выполнено 2 из 4»."""
    if len(item.occurrences) <= 1:
        return STATUS_TITLES[item.status]
    done, total = item.done_count()
    return f"Выполнено {done} из {total}"


def read_item(item: RoadmapItem, occurrences: Sequence[OccurrenceRead]) -> RoadmapItemRead:
    read = RoadmapItemRead.model_validate(item)
    return read.model_copy(update={"occurrences": tuple(occurrences)})


@dataclass(frozen=True, slots=True)
class OverdueRead:
    """One occurrence open past its due date, with its item: what «Обзор» lists."""

    item: RoadmapItemRead
    occurrence: OccurrenceRead

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def deadline_text(self) -> str:
        return self.item.deadline_text

    @property
    def end_date(self) -> date | None:
        return self.occurrence.end_date

    @property
    def risk_factor_code(self) -> str | None:
        return self.item.risk_factor_code


def overdue_items(session: Session, owner: str, as_of: date) -> list[OverdueRead]:
    """Every occurrence open past its due date, earliest first (as many as the overdue count)."""
    roadmap = current_roadmap(session, owner, as_of)
    if roadmap is None:
        return []
    late = [
        OverdueRead(item, occ)
        for item in item_reads(session, live_items(session, roadmap.id))
        for occ in item.occurrences
        if occ.is_overdue(as_of)
    ]
    return sorted(late, key=lambda x: (x.occurrence.end_date, x.item.position, x.occurrence.seq))


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


def apply_deadline(session: Session, item: RoadmapItem, roadmap: Roadmap) -> None:
    """Derive the item's dates and occurrences from its deadline wording within the period."""
    from services.roadmap.occurrences import regenerate

    session.add(item)
    session.flush()
    regenerate(session, item, roadmap)


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
        apply_deadline(session, item, roadmap)
        position += 1
        added += 1
    return added
