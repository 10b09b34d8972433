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
* «до 01.09.2021» / «до 15 марта 2026» / «в срок до …» run from the period start to that date;
* months without a year joined by a dash run forward («Ноябрь – апрель»: November, then the April
  after it), and months listed apart («Февраль, июль») are several dates: the range from the first
  to the last is stored and `parts` keeps each one, so the caller can say so;
* an empty wording gives no dates (the item is due at the end of the period);
* wording it cannot read gives `understood=False` and no dates: such an item has no due date and
  is left out of execution and overdue figures (it is listed as «срок не распознан»).

`period_from_title` reads a plan's period from its title («на 2020–2022 годы», «на 2021/2022
учебный год»).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

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
_DAY_MONTH_RE = re.compile(
    r"(?<![\d.])(\d{1,2})\s+" + _MONTH_RE.pattern + r"(?:\s+((?:19|20)\d{2}))?"
)
_TITLE_PERIOD_RE = re.compile(
    r"((?:19|20)\d{2})(?:\s*(?:-|/|по)\s*((?:19|20)\d{2}))?\s*(учебн[а-я]*|уч\.)?\s*(?:год|гг)"
)
_YEAR_END = re.compile(r"(?:учебн[а-я]*\s+)?(?:полугодия,?\s*)?года(?![а-я])")


@dataclass(frozen=True, slots=True)
class Deadline:
    """What a deadline wording means inside a period."""

    start: date | None
    end: date | None
    understood: bool
    recurring: bool = False
    parts: tuple[tuple[date, date], ...] = ()  # several separate dates: each one, in order


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
        return Deadline(None, None, understood=True)
    norm = _DAY_MONTH_RE.sub(_numeric_date, norm)
    recurring = any(word in norm for word in _RECURRING)
    dates = _explicit_dates(norm, period_start)
    if dates:
        start = period_start if re.search(r"(?<![а-я])до(?![а-я])", norm) else dates[0]
        if len(dates) > 1:
            start = min(dates)
        return Deadline(min(start, max(dates)), max(dates), understood=True, recurring=recurring)
    stripped = _DATE_RE.sub(" ", norm)
    occurrences, forward = _month_occurrences(stripped, period_start, period_end)
    occurrences += _quarter_occurrences(stripped, period_start)
    if _HALF_YEAR in stripped:
        occurrences.append((_first_on_or_after(12, period_start), 12))
        if _YEAR_END.search(stripped.split(_HALF_YEAR, 1)[1]):
            occurrences.append((period_end.year, period_end.month))
    elif stripped.startswith("по итогам") and _YEAR_END.search(stripped):
        occurrences.append((period_end.year, period_end.month))
    if occurrences:
        return _from_months(occurrences, period_end, recurring, forward)
    years = [int(y) for y in _YEAR_RE.findall(stripped)]
    if years:
        first, last = min(years), max(years)
        if recurring:
            last = max(last, period_end.year)
        return Deadline(date(first, 1, 1), date(last, 12, 31), understood=True, recurring=recurring)
    if any(phrase in norm for phrase in _WHOLE_PERIOD) or recurring:
        return Deadline(period_start, period_end, understood=True, recurring=recurring)
    return Deadline(None, None, understood=False)


def _numeric_date(match: re.Match[str]) -> str:
    """«15 марта 2026» → «15.03.2026», so it reads as a day and not as the whole month."""
    day, month, year = match.group(1), _month_number(match.group(2)), match.group(3)
    return f"{day}.{month:02d}" + (f".{year}" if year else "")


def period_from_title(text: str) -> tuple[date, date] | None:
    """The period a plan's title names: «на 2020–2022 годы», «на 2021/2022 учебный год»."""
    match = _TITLE_PERIOD_RE.search(_normalize(text))
    if match is None:
        return None
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first or last - first > 10:
        return None
    if match.group(3):
        return date(first, 9, 1), date(max(last, first + 1), 8, 31)
    return date(first, 1, 1), date(last, 12, 31)


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


def _month_occurrences(
    norm: str, period_start: date, period_end: date
) -> tuple[list[tuple[int, int]], bool]:
    """(year, month) of every month named, in order, and whether they are all a dash range.

    A month takes the next year written after it (earlier months of the run step back over New
    Year: «Ноябрь – апрель 2022» starts in November 2021). Months with no year after them follow
    the previous occurrence forward; in a list (not a range) a month that would then fall after
    the period is taken inside it.
    """
    tokens: list[tuple[int, int, str, int]] = [
        (m.start(), m.end(), "m", _month_number(m.group(1))) for m in _MONTH_RE.finditer(norm)
    ]
    tokens += [(m.start(), m.end(), "y", int(m.group(1))) for m in _YEAR_RE.finditer(norm)]
    tokens.sort()
    months = [t for t in tokens if t[2] == "m"]
    dashed = len(months) > 1 and all("-" in norm[a[1] : b[0]] for a, b in pairwise(months))
    result: list[tuple[int, int]] = []
    pending: list[int] = []
    for _, _, kind, value in tokens:
        if kind == "m":
            pending.append(value)
            continue
        resolved = [(value, pending[-1])] if pending else []
        for month in reversed(pending[:-1]):
            year = resolved[0][0] if month <= resolved[0][1] else resolved[0][0] - 1
            resolved.insert(0, (year, month))
        result += resolved
        pending = []
    for month in pending:
        if not result:
            result.append((_first_on_or_after(month, period_start), month))
            continue
        year = result[-1][0] if month >= result[-1][1] else result[-1][0] + 1
        if not dashed and date(year, month, 1) > period_end:
            year = _first_on_or_after(month, period_start)
        result.append((year, month))
    return result, dashed


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


def _from_months(
    occurrences: list[tuple[int, int]], period_end: date, recurring: bool, dashed: bool
) -> Deadline:
    first_year, first_month = min(occurrences)
    last_year, last_month = max(occurrences)
    if dashed:
        first_year, first_month = occurrences[0]
        last_year, last_month = max(occurrences[-1], occurrences[0])
    if recurring:
        months = {month for _, month in occurrences}
        candidates = [(_last_in_period(m, period_end), m) for m in months]
        last_year, last_month = max([(last_year, last_month), *candidates])
    distinct = sorted(set(occurrences))
    parts: tuple[tuple[date, date], ...] = ()
    if not dashed and len(distinct) > 1:
        parts = tuple((date(y, m, 1), _month_end(y, m)) for y, m in distinct)
    return Deadline(
        date(first_year, first_month, 1),
        _month_end(last_year, last_month),
        understood=True,
        recurring=recurring,
        parts=parts,
    )


def school_year_of(on: date) -> tuple[date, date]:
    """The school year (1 September – 31 August) containing `on`."""
    first = on.year if on.month >= 9 else on.year - 1
    return date(first, 9, 1), date(first + 1, 8, 31)
