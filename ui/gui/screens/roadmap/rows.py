"""The rows the roadmap table shows: sections (nested), items, occurrences; the screen's filters.

One function for the school's screen and the district's view of a school, so both show a plan
the same way. Filtering keeps the parents of what it finds: the sections of a matching item, and
the item of a matching occurrence (a status or date filter finds the year it names).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from typing import Any

from models.roadmap import ItemStatus
from services.core.ratio import Ratio
from services.roadmap import (
    STATUS_TITLES,
    Execution,
    OccurrenceRead,
    RoadmapItemRead,
    SectionRead,
    group_by_section,
)
from ui.gui.table_models.roadmap import ItemRow, OccurrenceRow, Row, SectionRow


def occurrence_visible(
    occ: OccurrenceRead,
    today: date,
    *,
    status: ItemStatus | None,
    only_overdue: bool,
    period: tuple[date, date] | None,
) -> bool:
    """Whether one occurrence passes the status, overdue and date criteria."""
    if status is not None and occ.status != status:  # the combo gives the value back as str
        return False
    if only_overdue and not occ.is_overdue(today):
        return False
    if period is not None:
        start, end = occ.start_date or occ.end_date, occ.end_date
        if end is None or start is None or end < period[0] or start > period[1]:
            return False
    return True


def _words(item: RoadmapItemRead) -> str:
    recorded = [f"{o.label} {o.evidence} {o.comment}" for o in item.occurrences]
    return " ".join((item.number, item.title, item.deadline_text, item.responsible,
                     item.participants, item.expected_result, *recorded)).lower()  # fmt: skip


def matching_occurrences(
    item: RoadmapItemRead,
    today: date,
    *,
    text: str,
    status: ItemStatus | None,
    responsible: str,
    only_overdue: bool,
    period: tuple[date, date] | None,
) -> list[OccurrenceRead]:
    """The occurrences of `item` the criteria find (none: the item is hidden)."""
    if responsible and responsible.lower() not in item.responsible.lower():
        return []
    if text and not all(word in _words(item) for word in text.lower().split()):
        return []
    return [
        o
        for o in item.occurrences
        if occurrence_visible(o, today, status=status, only_overdue=only_overdue, period=period)
    ]


def visible(item: RoadmapItemRead, today: date, **criteria: object) -> bool:
    """Whether an item passes the screen's filters (some occurrence of it does)."""
    return bool(matching_occurrences(item, today, **criteria))  # type: ignore[arg-type]


def _section_ratios(sections: Sequence[SectionRead], execution: Execution) -> dict[str, Ratio]:
    """Each section's figures with its subsections' (a top section may hold no item itself)."""
    own = {x.section_id: x.ratio for x in execution.sections if x.section_id}
    parents = {s.id: s.parent_id for s in sections}
    total = {s.id: [0.0, 0.0] for s in sections}
    for sid, ratio in own.items():
        seen: set[str] = set()
        node: str | None = sid
        while node is not None and node in total and node not in seen:
            seen.add(node)
            total[node][0] += ratio.numerator
            total[node][1] += ratio.denominator
            node = parents.get(node)
    return {sid: Ratio(n, d) for sid, (n, d) in total.items()}


def _section_overdue(sections: Sequence[SectionRead], execution: Execution) -> dict[str, int]:
    own = {x.section_id: x.overdue for x in execution.sections if x.section_id}
    parents = {s.id: s.parent_id for s in sections}
    total = dict.fromkeys(parents, 0)
    for sid, late in own.items():
        node: str | None = sid
        seen: set[str] = set()
        while node is not None and node in total and node not in seen:
            seen.add(node)
            total[node] += late
            node = parents.get(node)
    return total


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    """«1.10.» after «1.9.»: numbers compare as numbers (and never with words: «II.1.»)."""
    parts = re.split(r"(\d+)", text.casefold())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)


def sort_key(name: str) -> Callable[[RoadmapItemRead], tuple[object, ...]]:
    """How items are ordered by a column (within their section; plan order breaks ties)."""

    def key(item: RoadmapItemRead) -> tuple[object, ...]:
        if name == "number":
            return _natural(item.number)
        if name == "deadline_text":  # by the due date, not the wording; none last
            due = item.due_date(date.max)
            return (due, _natural(item.deadline_text))
        if name in ("status", "completion_date", "evidence", "comment"):
            occ = item.current
            value = getattr(occ, name) if occ is not None else None
            if name == "completion_date":
                return (value or date.max,)
            return (STATUS_TITLES[value] if name == "status" and value else str(value or ""),)
        return (str(getattr(item, name, "") or "").casefold(),)

    return key


def build_rows(
    sections: Sequence[SectionRead],
    items: Sequence[RoadmapItemRead],
    execution: Execution,
    today: date,
    *,
    criteria: Mapping[str, Any] | None = None,
    expanded: Collection[str] = (),
    comments: Mapping[str, Sequence[str]] | None = None,
    sort_by: tuple[str, bool] | None = None,
) -> list[Row]:
    """Section rows, item rows and the occurrence rows of the expanded items, in plan order.

    Without criteria every section shows, empty ones too; with them, only the sections that
    hold (directly or in a subsection) a matching item, and the occurrences a criterion picks.
    `sort_by` (field, descending) sorts the items of each section by a column.
    """
    criteria = dict(criteria or {})
    filtering = any(criteria.values())
    picking = bool(criteria.get("status") or criteria.get("only_overdue") or criteria.get("period"))
    ratios, late = _section_ratios(sections, execution), _section_overdue(sections, execution)
    loose = next((x for x in execution.sections if x.section_id is None), None)
    parents = {s.id: s.parent_id for s in sections}
    body: dict[str | None, list[Row]] = {}
    order: list[tuple[int, SectionRead | None]] = []
    for group in group_by_section(sections, items):
        sid = group.section.id if group.section else None
        order.append((group.number, group.section))
        shown: list[Row] = []
        ordered = list(group.items)
        if sort_by is not None:  # sorted within the section: sections keep their plan order
            ordered.sort(key=sort_key(sort_by[0]), reverse=sort_by[1])
        for item in ordered:
            found = matching_occurrences(item, today, **criteria) if filtering else None
            if found == []:
                continue
            late_item = item.is_overdue(today)
            open_ = item.id in expanded or (picking and len(item.occurrences) > 1)
            shown.append(ItemRow(item, late_item, tuple((comments or {}).get(item.id, ())), open_))
            if open_ and len(item.occurrences) > 1:
                picked = found if picking and found is not None else item.occurrences
                shown += [OccurrenceRow(item, o, o.is_overdue(today)) for o in picked]
        body[sid] = shown
    keep = _kept_sections(body, parents) if filtering else None
    rows: list[Row] = []
    for number, section in order:
        sid = section.id if section else None
        if keep is not None and sid not in keep:
            continue
        if section is None:
            ratio, overdue = (loose.ratio, loose.overdue) if loose else (Ratio(0, 0), 0)
        else:
            ratio, overdue = ratios.get(section.id, Ratio(0, 0)), late.get(section.id, 0)
        rows.append(SectionRow(section, number, ratio, overdue))
        rows += body.get(sid, [])
    return rows


def _kept_sections(
    body: Mapping[str | None, list[Row]], parents: Mapping[str, str | None]
) -> set[str | None]:
    """The sections with a shown row, and every ancestor of those."""
    keep: set[str | None] = set()
    for sid, shown in body.items():
        if not shown:
            continue
        keep.add(sid)
        node = parents.get(sid) if sid is not None else None
        while node is not None and node not in keep:
            keep.add(node)
            node = parents.get(node)
    return keep


def item_count(rows: Sequence[Row]) -> int:
    return sum(isinstance(r, ItemRow) for r in rows)
