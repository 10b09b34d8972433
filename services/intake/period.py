"""The period a roadmap import reads its deadlines in, and where that period came from.

A year-less month («Февраль», «Ноябрь – апрель») means a date only inside a period, so the
preview settles the period before it reads a single deadline: the one the user gives (the date
fields of the preview dialog, `--period`), else the one the file's title names («на 2020–2022
годы», «на 2021/2022 учебный год»), else the period of the roadmap the import goes into, else
the current school year. That period becomes the roadmap's period when the import is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from services.core.errors import Invalid
from services.roadmap.deadlines import period_from_title, school_year_of

Period = tuple[date, date]


class PeriodSource(Enum):
    USER = "user"  # the dialog's date fields or --period
    TITLE = "title"  # the file's title names it
    ROADMAP = "roadmap"  # the roadmap the import goes into
    DEFAULT = "default"  # the current school year


@dataclass(frozen=True, slots=True)
class ExistingRoadmap:
    """The roadmap an import goes into: its period and how many live items it holds."""

    period: Period
    items: int


@dataclass(frozen=True, slots=True)
class ChosenPeriod:
    period: Period
    source: PeriodSource
    title: str = ""  # the title line that names the period (source TITLE)

    def source_text(self) -> str:
        """Where the period came from, as the preview says it."""
        if self.source is PeriodSource.TITLE:
            return f"из заголовка: «{_short(self.title)}»"
        if self.source is PeriodSource.USER:
            return "указан при загрузке"
        if self.source is PeriodSource.ROADMAP:
            return "период дорожной карты"
        return "учебный год по умолчанию"


def choose_period(
    title_lines: list[str],
    *,
    given: Period | None = None,
    existing: ExistingRoadmap | None = None,
    today: date | None = None,
) -> ChosenPeriod:
    """The user's period, else the title's, else the existing roadmap's, else the school year."""
    if given is not None:
        check_period(given)
        return ChosenPeriod(given, PeriodSource.USER)
    for line in reversed(title_lines):
        titled = period_from_title(line)
        if titled is not None:
            return ChosenPeriod(titled, PeriodSource.TITLE, line)
    if existing is not None:
        return ChosenPeriod(existing.period, PeriodSource.ROADMAP)
    return ChosenPeriod(school_year_of(today or date.today()), PeriodSource.DEFAULT)


def check_period(period: Period) -> None:
    start, end = period
    if end < start:
        raise Invalid(
            f"Окончание периода ({day_text(end)}) раньше его начала ({day_text(start)}). "
            "Исправьте даты периода."
        )
    if (end - start).days > 366 * 10:
        raise Invalid(
            f"Период {day_text(start)} – {day_text(end)} длиннее десяти лет. Проверьте годы."
        )


def mismatch_text(
    chosen: ChosenPeriod, existing: ExistingRoadmap | None, *, fields: bool = False
) -> str | None:
    """What the preview says when the roadmap already holds items of another period.

    `fields`: the dialog's wording (its date fields) rather than the command line's.
    """
    if existing is None or not existing.items or existing.period == chosen.period:
        return None
    keep = (
        "укажите его в полях периода"
        if fields
        else f"укажите его: --period {span_text(existing.period, sep='-')} (в окне загрузки — "
        "поля периода)"
    )
    return (
        f"Дорожная карта уже заполнена, её период — {span_text(existing.period)}, а у загрузки — "
        f"{span_text(chosen.period)} ({chosen.source_text()}). Будет использован период "
        f"{span_text(chosen.period)}: он станет периодом дорожной карты, сроки уже внесённых "
        f"мероприятий будут пересчитаны в нём. Чтобы оставить период карты, {keep}."
    )


_DAY = r"(\d{1,2})\.(\d{1,2})\.(\d{4})"
_DAYS = re.compile(rf"{_DAY}\s*[-–—]\s*{_DAY}")
_YEARS = re.compile(r"((?:19|20)\d{2})\s*([-–—/])\s*((?:19|20)\d{2})")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_SCHOOL_YEAR = re.compile(r"((?:19|20)\d{2})\s*/\s*(\d{2})")  # «2024/25», as schools write it
PERIOD_FORMS = (
    "ДД.ММ.ГГГГ-ДД.ММ.ГГГГ, ГГГГ-ГГГГ (календарные годы) или ГГГГ/ГГГГ, ГГГГ/ГГ (учебный год)"
)


def parse_period_text(text: str) -> Period:
    """«01.09.2021-31.08.2022», «2020-2022» (calendar years), «2021/2022», «2021/22» (school)."""
    value = text.strip()
    try:
        if m := _DAYS.fullmatch(value):
            d = [int(g) for g in m.groups()]
            period = date(d[2], d[1], d[0]), date(d[5], d[4], d[3])
        elif m := _YEARS.fullmatch(value):
            first, last = int(m.group(1)), int(m.group(3))
            if m.group(2) == "/":
                if last != first + 1:
                    raise ValueError
                period = date(first, 9, 1), date(last, 8, 31)
            else:
                period = date(first, 1, 1), date(last, 12, 31)
        elif m := _SCHOOL_YEAR.fullmatch(value):
            first = int(m.group(1))
            if int(m.group(2)) != (first + 1) % 100:
                raise ValueError
            period = date(first, 9, 1), date(first + 1, 8, 31)
        elif _YEAR.fullmatch(value):
            period = date(int(value), 1, 1), date(int(value), 12, 31)
        else:
            raise ValueError
    except ValueError:
        raise Invalid(
            f"Период «{text}» не распознан. Укажите его так: {PERIOD_FORMS}, например "
            "--period 01.09.2021-31.08.2022, --period 2020-2022 или --period 2021/2022."
        ) from None
    check_period(period)
    return period


def day_text(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def span_text(period: Period, sep: str = " – ") -> str:
    return f"{day_text(period[0])}{sep}{day_text(period[1])}"


def _short(text: str, before: int = 40, after: int = 30) -> str:
    """The title around the years it names: a programme's title runs to several lines."""
    flat = " ".join(text.split())
    year = _YEAR.search(flat)
    at = year.start() if year else 0
    start = flat.rfind(" ", 0, max(at - before, 0)) + 1 if at > before else 0
    end = flat.find(" ", at + after)
    end = len(flat) if end < 0 else end
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")
