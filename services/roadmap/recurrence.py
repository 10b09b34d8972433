"""The occurrences a deadline wording plans inside a roadmap's period (DESIGN §4, model v2).

`parse_deadline` (services.roadmap.deadlines) reads one span; a plan often means several dates:

* «ежемесячно» — every month of the period; «ежеквартально» — the last month of each quarter;
* «2 раза в год» / «по полугодиям» — December and May, unless the wording names the months
  («2 раза в год (декабрь, май)»);
* «ежегодно» with months («Август ежегодно», «в августе ежегодно», «Ежегодно октябрь») — each
  month named, every year of the period; months written with a year («Апрель 2020 г., далее –
  ежегодно») recur from that year on; a dated month next to year-less recurring ones is a
  one-off («Февраль 2021 Сентябрь ежегодно»: February 2021, then every September); a range
  recurs as a range («Апрель – декабрь 2020 г., далее – ежегодно»);
* «ежегодно» without a month, and «в течение года» in a period of several years — one per year
  (calendar years, or school years when the period starts elsewhere than 1 January);
* several dated events («Февраль, июль»; one date per paragraph, repeats kept) — one each;
* anything else — one occurrence for the span `parse_deadline` reads; an empty or unreadable
  wording — one occurrence without dates (no due date: left out of the figures).

Only occurrences that start inside the period are planned; a recurring wording with none there
falls back to the single span, so an item never loses its one occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from services.roadmap.deadlines import (
    _DAY_MONTH_RE,
    _MONTH_RE,
    _YEAR_RE,
    _month_end,
    _month_number,
    _normalize,
    _numeric_date,
    parse_deadline,
)

MONTH_NAMES = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
_MONTHLY = ("ежемесячно", "каждый месяц", "ежемесячн")
_QUARTERLY = ("ежеквартально", "каждый квартал", "раз в квартал", "ежеквартальн")
_TWICE = re.compile(
    r"(?:2|два|дважды)\s*(?:-?х\s*)?(?:раза?\s*)?в\s*год|по\s+полугодиям|раз в полугодие"
)
_YEARLY = ("ежегодно", "каждый год", "раз в год", "ежегодн")
_IN_YEAR = re.compile(r"в течени[ея] (?:учебного |календарного )?года")
_PIECES = re.compile(r"</p>|<br\s*/?>|\n", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Planned:
    """One planned date or period of an item: its name, start and due date.

    `seq` tells apart several events due on the same date (seed 000, item 1.14: three seminars
    in March); it is part of the occurrence's id.
    """

    label: str
    start: date | None
    end: date | None  # the due date; None: no due date (empty or unreadable wording)
    seq: int = 0


@dataclass(frozen=True, slots=True)
class Plan:
    """What a deadline wording plans inside a period: the item's span and each occurrence."""

    understood: bool
    start: date | None
    end: date | None
    periods: tuple[Planned, ...]


def planned_periods(text: str, period_start: date, period_end: date) -> Plan:
    """The occurrences `text` plans inside [period_start, period_end] (see the module doc)."""
    norm = _normalize(text)
    if not norm:
        return Plan(True, None, None, (Planned("", None, None),))
    deadline = parse_deadline(text, period_start, period_end)
    if not deadline.understood:
        return Plan(False, None, None, (Planned("", None, None),))
    spans = _events(text, period_start, period_end) or _recurring(norm, period_start, period_end)
    if not spans:
        if deadline.parts:
            spans = list(deadline.parts)
        elif _IN_YEAR.search(norm):
            spans = _years(period_start, period_end)
        else:
            spans = [(deadline.start or period_start, deadline.end or period_end)]
    return _plan(spans, period_start, period_end)


def _plan(spans: list[tuple[date, date]], period_start: date, period_end: date) -> Plan:
    spans = sorted(spans, key=lambda s: (s[1], s[0]))
    whole = len(spans) == 1 and spans[0] == (period_start, period_end)
    periods: list[Planned] = []
    for start, end in spans:
        seq = sum(1 for p in periods if p.end == end)
        label = "" if whole or len(spans) == 1 else span_label(start, end)
        if seq:
            label = f"{label} ({seq + 1})"
        periods.append(Planned(label, start, end, seq))
    return Plan(True, spans[0][0], max(e for _, e in spans), tuple(periods))


def span_label(start: date, end: date) -> str:
    """«февраль 2022», «апрель – май 2021», «2022», «2021/2022», else the two dates."""
    if start.day == 1 and end == _month_end(end.year, end.month):
        first = f"{MONTH_NAMES[start.month - 1]} {start.year}"
        if (start.year, start.month) == (end.year, end.month):
            return first
        if (start.month, end.month, start.year) == (1, 12, end.year):
            return str(start.year)
        if start.year == end.year:
            return f"{MONTH_NAMES[start.month - 1]} – {MONTH_NAMES[end.month - 1]} {end.year}"
        if end - start > timedelta(days=300):
            return f"{start.year}/{end.year}"
        return f"{first} – {MONTH_NAMES[end.month - 1]} {end.year}"
    if start == end:
        return f"{start:%d.%m.%Y}"
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def _events(text: str, period_start: date, period_end: date) -> list[tuple[date, date]]:
    """One span per paragraph when every paragraph is one dated, non-recurring deadline."""
    pieces = [p for p in (_normalize(x) for x in _PIECES.split(text)) if p]
    if len(pieces) < 2:
        return []
    spans: list[tuple[date, date]] = []
    for piece in pieces:
        d = parse_deadline(piece, period_start, period_end)
        if not d.understood or d.start is None or d.end is None or d.recurring or d.parts:
            return []
        if any(word in piece for word in (*_MONTHLY, *_QUARTERLY, *_YEARLY)):
            return []
        spans.append((d.start, d.end))
    return spans


def _recurring(norm: str, period_start: date, period_end: date) -> list[tuple[date, date]]:
    if any(word in norm for word in _MONTHLY):
        return _months(range(1, 13), period_start, period_end)
    if any(word in norm for word in _QUARTERLY):
        return _months((3, 6, 9, 12), period_start, period_end)
    if _TWICE.search(norm):
        named = sorted({first for first, _year, _last in _groups(norm)}) or [5, 12]
        return _months(named, period_start, period_end)
    if any(word in norm for word in _YEARLY):
        return _annual(norm, period_start, period_end)
    return []


def _in_period(start: date, period_start: date, period_end: date) -> bool:
    return date(period_start.year, period_start.month, 1) <= start <= period_end


def _months(months: Iterable[int], period_start: date, period_end: date) -> list[tuple[date, date]]:
    """Each month of `months` every year, as far as it starts inside the period."""
    found = []
    wanted = sorted(months)
    for year in range(period_start.year, period_end.year + 1):
        for month in wanted:
            start = date(year, month, 1)
            if _in_period(start, period_start, period_end):
                found.append((start, _month_end(year, month)))
    return found


def _years(period_start: date, period_end: date) -> list[tuple[date, date]]:
    """The period cut into years: calendar years, or years from the period's start day."""
    spans = []
    start = period_start
    while start <= period_end:
        if period_start.month == 1 and period_start.day == 1:
            nxt = date(start.year + 1, 1, 1)
        else:
            nxt = _add_year(start)
        spans.append((start, min(period_end, nxt - timedelta(days=1))))
        start = nxt
    return spans


def _add_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


# A month group of a wording: (first month, its year or None, last month of a dashed range)
Group = tuple[int, int | None, int]


def _groups(norm: str) -> list[Group]:
    """The months named, each with the year written after it (if any), ranges kept together."""
    norm = _DAY_MONTH_RE.sub(_numeric_date, norm)
    tokens: list[tuple[int, int, str, int]] = [
        (m.start(), m.end(), "m", _month_number(m.group(1))) for m in _MONTH_RE.finditer(norm)
    ]
    tokens += [(m.start(), m.end(), "y", int(m.group(1))) for m in _YEAR_RE.finditer(norm)]
    tokens.sort()
    groups: list[list[int | None]] = []  # [first, year, last]
    pending: list[list[int | None]] = []  # months waiting for the year written after them
    previous: tuple[int, int, str, int] | None = None
    for token in tokens:
        _start, _end, kind, value = token
        if kind == "y":
            for group in pending:
                group[1] = value
            groups += pending
            pending = []
        elif previous and previous[2] == "m" and "-" in norm[previous[1] : token[0]] and pending:
            pending[-1][2] = value
        else:
            pending.append([value, None, value])
        previous = token
    groups += pending
    return [(int(g[0] or 0), g[1], int(g[2] or 0)) for g in groups]


def _annual(norm: str, period_start: date, period_end: date) -> list[tuple[date, date]]:
    groups = _groups(norm)
    if not groups:
        years = _years(period_start, period_end)
        return years if len(years) > 1 else []
    yearless = [g for g in groups if g[1] is None]
    found: list[tuple[date, date]] = []
    for first, year, last in groups:
        if yearless and year is not None:  # a dated one-off beside the recurring months
            found.append(_range(year, first, last))
            continue
        for y in range(min(year or period_start.year, period_start.year), period_end.year + 1):
            span = _range(y, first, last)
            if (year is None or y >= year) and _in_period(span[0], period_start, period_end):
                found.append(span)
    return sorted(set(found))


def _range(year: int, first: int, last: int) -> tuple[date, date]:
    """The months first..last starting in `year` (a range over New Year ends the next year).

    A range written with its year after the last month («Ноябрь – апрель 2022») would start the
    year before; the wordings of the seeds write ranges inside one year, so it starts in `year`.
    """
    end_year = year if last >= first else year + 1
    return date(year, first, 1), _month_end(end_year, last)
