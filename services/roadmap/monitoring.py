"""Monitoring of a roadmap by period: what was due in it, what was done in it (DESIGN §10).

`report roadmap --monitoring --period 2025-H1|2025|2025/26`. A half-year is September–February
(«I полугодие») or March–August («II полугодие») of a school year: «2025-H1» is 01.09.2025 –
28.02.2026, «2025-H2» is 01.03.2026 – 31.08.2026 (the school year 2025/26, like «2025/26-H2»).
A year is the school year or the calendar year, as the roadmap's period is: «2025» is 2025/26 for
a plan that runs from September to August, and January–December 2025 otherwise; «2025/26» is
always the school year.

Execution in a period runs over the occurrences due in it (cancelled ones left out): done ÷ due.
Statuses are as recorded now: Опора keeps no history of a status, so «выполнено» of an
occurrence due in the period counts however late it was recorded (its date says when).
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from models.roadmap import ItemStatus
from services.core.errors import Invalid
from services.core.formatting import date_short
from services.core.ratio import Ratio
from services.roadmap.queries import OccurrenceRead, RoadmapItemRead, RoadmapRead

PERIOD_HELP = "2025-H1 (полугодие), 2025 (год, как период карты) или 2025/26 (учебный год)"
_HALF = re.compile(r"^(\d{4})(?:/(\d{2}))?-[HhНн]([12])$")
_SCHOOL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, slots=True)
class PeriodSpec:
    """A period as typed: kind «half», «year» (as the roadmap's period) or «school-year»."""

    text: str
    kind: str
    year: int  # the calendar year, or the school year's first year
    half: int = 0


@dataclass(frozen=True, slots=True)
class MonitoringPeriod:
    start: date
    end: date
    title: str  # «I полугодие 2025/26 учебного года»

    @property
    def dates(self) -> str:
        return f"{date_short(self.start)} – {date_short(self.end)}"


def _refuse(text: str, why: str) -> Invalid:
    return Invalid(f"Период «{text}» не понят: {why}. Укажите {PERIOD_HELP}.")


def parse_period(text: str) -> PeriodSpec:
    """The period's syntax (`Invalid` with a Russian message when it is not one of the forms)."""
    value = text.strip()
    half, school, year = _HALF.match(value), _SCHOOL_YEAR.match(value), _YEAR.match(value)
    found = half or school or year
    if found is None:
        raise _refuse(text, "такой записи периода нет")
    first = int(found.group(1))
    if not 2000 <= first <= 2100:
        raise _refuse(text, "год вне 2000–2100")
    second = (half.group(2) if half else None) or (school.group(2) if school else None)
    if second is not None and int(second) != (first + 1) % 100:
        raise _refuse(text, f"за {first} годом идёт {(first + 1) % 100:02d}, а не {second}")
    if half:
        return PeriodSpec(value, "half", first, int(half.group(3)))
    return PeriodSpec(value, "school-year" if school else "year", first)


def _school_label(first: int) -> str:
    return f"{first}/{(first + 1) % 100:02d}"


def school_year_plan(roadmap: RoadmapRead) -> bool:
    """Whether the roadmap's period runs by school years (from September, or to August)."""
    return roadmap.period_start.month == 9 or roadmap.period_end.month == 8


def resolve_period(spec: PeriodSpec, roadmap: RoadmapRead) -> MonitoringPeriod:
    """The dates of `spec` for `roadmap`; `Invalid` when they miss the roadmap's period."""
    y = spec.year
    if spec.kind == "half":
        start, end = (
            (date(y, 9, 1), date(y + 1, 2, monthrange(y + 1, 2)[1]))
            if spec.half == 1
            else (date(y + 1, 3, 1), date(y + 1, 8, 31))
        )
        title = f"{'I' * spec.half} полугодие {_school_label(y)} учебного года"
    elif spec.kind == "school-year" or school_year_plan(roadmap):
        start, end = date(y, 9, 1), date(y + 1, 8, 31)
        title = f"{_school_label(y)} учебный год"
    else:
        start, end, title = date(y, 1, 1), date(y, 12, 31), f"{y} год"
    if end < roadmap.period_start or start > roadmap.period_end:
        raise Invalid(
            f"Период «{spec.text}» ({date_short(start)} – {date_short(end)}) не пересекается "
            f"с периодом дорожной карты ({date_short(roadmap.period_start)} – "
            f"{date_short(roadmap.period_end)}). Укажите период внутри него."
        )
    return MonitoringPeriod(start, end, title)


@dataclass(frozen=True, slots=True)
class PeriodRow:
    item: RoadmapItemRead
    occurrence: OccurrenceRead
    overdue: bool  # due in the period, not done or cancelled by `as_of`


@dataclass(frozen=True, slots=True)
class PeriodReport:
    period: MonitoringPeriod
    as_of: date
    due: list[PeriodRow]  # occurrences due in the period, in plan order
    done_elsewhere: list[PeriodRow]  # done in the period, due outside it
    execution: Ratio  # done ÷ due (cancelled left out)
    done_late: int  # due in the period, done after the due date
    overdue: int
    cancelled: int

    def summary(self) -> str:
        ex = self.execution
        return (
            f"Сроков мероприятий в периоде: {int(ex.denominator)} (отменённые не считаются); "
            f"выполнено: {int(ex.numerator)} — {ex.text()}, из них позже срока: "
            f"{self.done_late}; просрочено: {self.overdue}; отменено: {self.cancelled}. "
            f"Кроме того, выполнено в периоде со сроком вне его: {len(self.done_elsewhere)}."
        )


def _inside(day: date | None, period: MonitoringPeriod) -> bool:
    return day is not None and period.start <= day <= period.end


def period_report(
    items: Sequence[RoadmapItemRead], period: MonitoringPeriod, today: date
) -> PeriodReport:
    """What was due in `period` and what was done in it, with the statuses recorded by `today`.

    An occurrence due in the period and still open today past its date is overdue, however
    long ago the period ended: the statuses are today's (no history is kept).
    """
    as_of = today
    due: list[PeriodRow] = []
    elsewhere: list[PeriodRow] = []
    for item in items:
        for occ in item.occurrences:
            if _inside(occ.end_date, period):
                due.append(PeriodRow(item, occ, occ.is_overdue(as_of)))
            elif occ.status is ItemStatus.DONE and _inside(occ.completion_date, period):
                elsewhere.append(PeriodRow(item, occ, False))
    counted = [r for r in due if r.occurrence.status is not ItemStatus.CANCELLED]
    done = [r for r in counted if r.occurrence.status is ItemStatus.DONE]
    late = [
        r
        for r in done
        if r.occurrence.completion_date and r.occurrence.end_date
        and r.occurrence.completion_date > r.occurrence.end_date
    ]  # fmt: skip
    return PeriodReport(
        period=period,
        as_of=as_of,
        due=due,
        done_elsewhere=elsewhere,
        execution=Ratio(len(done), len(counted)),
        done_late=len(late),
        overdue=sum(1 for r in due if r.overdue),
        cancelled=len(due) - len(counted),
    )
