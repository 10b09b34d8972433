"""Reading the deadline wording of real roadmaps («Февраль-март 2022», «Август ежегодно», …).

Plans write deadlines as text. `parse_deadline` keeps the text's meaning as a date range inside
the roadmap's period:

* a month without a year is its first occurrence on or after the period start (so in a school
  year, September–December fall in the first calendar year and January–August in the second);
  months listed without a year take the next year written after them («Февраль, март 2022»);
* several months or dates give the range from the first to the last («Февраль – июнь 2021»);
* «ежегодно» / «далее – ежегодно» / «2 раза в год» make the item recurring: it runs from its first
  occurrence to its last occurrence inside the period;
* «в течение года», «постоянно», «по плану работы…» and similar cover the whole period;
* «до 01.09.2021» / «в срок до …» run from the period start to that date;
* wording it cannot read gives `understood=False`, and the item is due at the end of the period.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = (
    ("январ", 1),
    ("феврал", 2),
    ("март", 3),
    ("апрел", 4),
    ("июн", 6),
    ("июл", 7),
    ("август", 8),
    ("сентябр", 9),
    ("октябр", 10),
    ("ноябр", 11),
    ("декабр", 12),
)
_MONTH_RE = re.compile(
    r"(?<![а-я])(январ[а-я]*|феврал[а-я]*|март[а-я]*|апрел[а-я]*|ма[йяе](?![а-я])|июн[а-я]*"
    r"|июл[а-я]*|август[а-я]*|сентябр[а-я]*|октябр[а-я]*|ноябр[а-я]*|декабр[а-я]*)"
)
_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2}))?(?!\d)")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_QUARTER_RE = re.compile(r"(?<![а-я\d])(iv|i{1,3}|[1-4])\s*(?:-?[йя]\s*)?квартал")
_WHOLE_PERIOD = (
    "в течение",
    "постоянно",
    "по плану",
    "по мере необходимости",
    "ежемесячно",
    "ежеквартально",
    "еженедельно",
    "систематически",
    "весь период",
    "регулярно",
)
_RECURRING = ("ежегодно", "раза в год", "раз в год", "каждый год")
_HALF_YEAR = "полугоди"
_YEAR_END = re.compile(r"(?:учебн[а-я]*\s+)?(?:полугодия,?\s*)?года(?![а-я])")


@dataclass(frozen=True, slots=True)
class Deadline:
    """What a deadline wording means inside a period."""

    start: date | None
    end: date | None
    understood: bool
    recurring: bool = False


def _month_number(word: str) -> int:
    if word.startswith("ма") and len(word) <= 3:
        return 5
    for stem, number in MONTHS:
        if word.startswith(stem):
            return number
    raise ValueError(word)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _first_on_or_after(month: int, start: date) -> int:
    """The year of the first occurrence of `month` on or after the month of `start`."""
    return start.year if month >= start.month else start.year + 1


def _last_in_period(month: int, period_end: date) -> int:
    return period_end.year if month <= period_end.month else period_end.year - 1


def _normalize(text: str) -> str:
    text = re.sub(r"<[^>]*>", " ", text)  # pasted HTML from portals: <p>Февраль 2022</p>
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_deadline(text: str, period_start: date, period_end: date) -> Deadline:
    """Derive dates from a deadline wording inside the period [period_start, period_end]."""
    norm = _normalize(text)
    if not norm:
        return Deadline(None, period_end, understood=False)
    recurring = any(word in norm for word in _RECURRING)
    dates = _explicit_dates(norm, period_start)
    if dates:
        start = period_start if re.search(r"(?<![а-я])до(?![а-я])", norm) else dates[0]
        if len(dates) > 1:
            start = min(dates)
        return Deadline(min(start, max(dates)), max(dates), understood=True, recurring=recurring)
    stripped = _DATE_RE.sub(" ", norm)
    occurrences = _month_occurrences(stripped, period_start)
    occurrences += _quarter_occurrences(stripped, period_start)
    if _HALF_YEAR in stripped:
        occurrences.append((_first_on_or_after(12, period_start), 12))
        if _YEAR_END.search(stripped.split(_HALF_YEAR, 1)[1]):
            occurrences.append((period_end.year, period_end.month))
    elif stripped.startswith("по итогам") and _YEAR_END.search(stripped):
        occurrences.append((period_end.year, period_end.month))
    if occurrences:
        return _from_months(occurrences, period_end, recurring)
    years = [int(y) for y in _YEAR_RE.findall(stripped)]
    if years:
        first, last = min(years), max(years)
        if recurring:
            last = max(last, period_end.year)
        return Deadline(date(first, 1, 1), date(last, 12, 31), understood=True, recurring=recurring)
    if any(phrase in norm for phrase in _WHOLE_PERIOD) or recurring:
        return Deadline(period_start, period_end, understood=True, recurring=recurring)
    return Deadline(None, period_end, understood=False)


def _explicit_dates(norm: str, period_start: date) -> list[date]:
    found: list[date] = []
    for day_s, month_s, year_s in _DATE_RE.findall(norm):
        day, month = int(day_s), int(month_s)
        if not (1 <= month <= 12):
            return []
        if year_s:
            year = int(year_s) if len(year_s) == 4 else 2000 + int(year_s)
        else:
            year = _first_on_or_after(month, period_start)
        try:
            found.append(date(year, month, day))
        except ValueError:
            return []
    return found


def _month_occurrences(norm: str, period_start: date) -> list[tuple[int, int]]:
    """(year, month) of every month named; a month takes the next year written after it."""
    tokens: list[tuple[int, str, int]] = [
        (m.start(), "m", _month_number(m.group(1))) for m in _MONTH_RE.finditer(norm)
    ]
    tokens += [(m.start(), "y", int(m.group(1))) for m in _YEAR_RE.finditer(norm)]
    tokens.sort()
    result: list[tuple[int, int]] = []
    pending: list[int] = []
    for _, kind, value in tokens:
        if kind == "m":
            pending.append(value)
        else:
            result += [(value, month) for month in pending]
            pending = []
    result += [(_first_on_or_after(month, period_start), month) for month in pending]
    return result


def _quarter_occurrences(norm: str, period_start: date) -> list[tuple[int, int]]:
    roman = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
    result: list[tuple[int, int]] = []
    for match in _QUARTER_RE.finditer(norm):
        token = match.group(1)
        quarter = roman.get(token) or int(token)
        first, last = quarter * 3 - 2, quarter * 3
        year = _first_on_or_after(first, period_start)
        result += [(year, first), (year, last)]
    return result


def _from_months(occurrences: list[tuple[int, int]], period_end: date, recurring: bool) -> Deadline:
    first_year, first_month = min(occurrences)
    last_year, last_month = max(occurrences)
    if recurring:
        months = {month for _, month in occurrences}
        candidates = [(_last_in_period(m, period_end), m) for m in months]
        last_year, last_month = max([(last_year, last_month), *candidates])
    return Deadline(
        date(first_year, first_month, 1),
        _month_end(last_year, last_month),
        understood=True,
        recurring=recurring,
    )
