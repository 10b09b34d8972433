"""Teachers and ИППР: read DTOs, labels and the school's staff coverage figures.

`staff_coverage` is the function other areas read (`services.indicators` computes TEACHER_PK,
TEACHER_ACTIVE and TEACHER_IPPR from it), so «Обзор», results and this area show one figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from models.staff import (
    ActivityForm,
    ActivityStatus,
    DeficitArea,
    DeficitSource,
    DevelopmentActivity,
    DevelopmentActivityBase,
    DevelopmentPlan,
    DevelopmentPlanBase,
    ProfessionalDeficit,
    ProfessionalDeficitBase,
    Teacher,
    TeacherBase,
)
from services.core.ratio import Ratio
from services.core.sql_select import as_json, rows

AREA_TITLES: dict[DeficitArea, str] = {
    DeficitArea.SUBJECT: "Предметные",
    DeficitArea.METHODICAL: "Методические",
    DeficitArea.PSYCH_PED: "Психолого-педагогические",
    DeficitArea.COMMUNICATIVE: "Коммуникативные",
    DeficitArea.NORMATIVE: "Нормативно-правовые",
}
SOURCE_TITLES: dict[DeficitSource, str] = {
    DeficitSource.DIAGNOSTIC: "Диагностика",
    DeficitSource.VPR_ANALYSIS: "Анализ ВПР",
    DeficitSource.LESSON_VISIT: "Посещение уроков",
    DeficitSource.SELF: "Самоанализ",
}
FORM_TITLES: dict[ActivityForm, str] = {
    ActivityForm.COURSE: "Курсы ПК",
    ActivityForm.SEMINAR: "Семинар / вебинар",
    ActivityForm.MENTORING: "Наставничество",
    ActivityForm.SELF_EDUCATION: "Самообразование",
    ActivityForm.OPEN_LESSON: "Открытый урок",
    ActivityForm.PEER_OBSERVATION: "Взаимопосещение",
    ActivityForm.INTERNSHIP: "Стажировка",
    ActivityForm.METHODICAL_ASSOCIATION: "Работа в ШМО/ММО",
    ActivityForm.COMPETITION: "Профессиональный конкурс",
}
STATUS_TITLES: dict[ActivityStatus, str] = {
    ActivityStatus.PLANNED: "Запланировано",
    ActivityStatus.IN_PROGRESS: "Выполняется",
    ActivityStatus.DONE: "Выполнено",
    ActivityStatus.CANCELLED: "Отменено",
}
# «активные формы»: professional communities, competitions, open lessons, mentoring
ACTIVE_FORMS = frozenset(
    {
        ActivityForm.METHODICAL_ASSOCIATION,
        ActivityForm.COMPETITION,
        ActivityForm.OPEN_LESSON,
        ActivityForm.MENTORING,
    }
)
UNFINISHED = frozenset({ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS})
PK_YEARS = 3


class TeacherRead(TeacherBase):
    id: str


class PlanRead(DevelopmentPlanBase):
    id: str


class DeficitRead(ProfessionalDeficitBase):
    id: str


class ActivityRead(DevelopmentActivityBase):
    id: str

    def is_overdue(self, as_of: date) -> bool:
        """Unfinished and its end date (or start date when there is no end) has passed."""
        due = self.end_date or self.start_date
        return self.status in UNFINISHED and due is not None and due < as_of

    @property
    def deadline_not_understood(self) -> bool:
        """No dates, but a deadline as the plan words it («по графику ИРО»)."""
        return self.start_date is None and self.end_date is None and bool(self.deadline_text)


@dataclass(frozen=True, slots=True)
class StaffCoverage:
    teachers: int
    with_plan: Ratio  # teachers with a plan covering as_of
    pk_3y: Ratio  # teachers with a completed ПК course in the 3 years before as_of
    active_forms: Ratio  # teachers with a completed/ongoing activity in active forms
    young_with_mentor: Ratio  # young specialists with a mentor


@dataclass(frozen=True, slots=True)
class DeficitCount:
    area: DeficitArea
    subject: str  # one of the teacher's subjects («» when the teacher has none)
    deficits: int
    teachers: int


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def live_teachers(session: Session, owner: str) -> list[Teacher]:
    return list(
        session.exec(
            select(Teacher)
            .where(Teacher.owner == owner, col(Teacher.deleted).is_(False))
            .order_by(col(Teacher.full_name))
        ).all()
    )


def live_plans(session: Session, teacher_ids: set[str]) -> list[DevelopmentPlan]:
    rows = session.exec(
        select(DevelopmentPlan).where(
            col(DevelopmentPlan.teacher_id).in_(teacher_ids),
            col(DevelopmentPlan.deleted).is_(False),
        )
    ).all()
    return list(rows)


def live_activities(session: Session, plan_ids: set[str]) -> list[DevelopmentActivity]:
    rows = session.exec(
        select(DevelopmentActivity).where(
            col(DevelopmentActivity.plan_id).in_(plan_ids),
            col(DevelopmentActivity.deleted).is_(False),
        )
    ).all()
    return list(rows)


def live_deficits(session: Session, plan_ids: set[str]) -> list[ProfessionalDeficit]:
    rows = session.exec(
        select(ProfessionalDeficit).where(
            col(ProfessionalDeficit.plan_id).in_(plan_ids),
            col(ProfessionalDeficit.deleted).is_(False),
        )
    ).all()
    return list(rows)


# -- coverage of many schools: one statement for two days ----------------------------------------
# The rules of `staff_coverage`'s docstring, day i given as :d<i> with :pk<i> = 3 years and
# :ac<i> = 1 year before it. Form and status names are the enums' stored names.
_ACTIVE_FORMS = "(" + ", ".join(f"'{f.name}'" for f in sorted(ACTIVE_FORMS)) + ")"


def _pk_sql(i: int) -> str:
    """A done ПК course whose completion (else end) date lies in [day − 3 years, day]."""
    return (
        f"(form = 'COURSE' AND status = 'DONE' "
        f"AND coalesce(completion_date, end_date) BETWEEN :pk{i} AND :d{i})"
    )


def _active_sql(i: int) -> str:
    """An activity in an active form in progress (started), or done in the year before."""
    day = "coalesce(completion_date, end_date, start_date)"
    return (
        f"(form IN {_ACTIVE_FORMS} AND (status = 'IN_PROGRESS' "
        f"AND (start_date IS NULL OR start_date <= :d{i}) OR status = 'DONE' "
        f"AND ({day} IS NULL OR {day} BETWEEN :ac{i} AND :d{i})))"
    )


def _coverage_sql(activities: str, plans: str, teachers: str) -> str:
    """Per owner: teachers, young, mentored young, then with plan, ПК, active form per day.

    The activities that count on some day are materialized (one scan of the table), grouped
    per plan, then per teacher with the plans covering each day, then per owner.
    """
    flags = ", ".join(
        (
            f"{_pk_sql(0)} AS pk0",
            f"{_pk_sql(1)} AS pk1",
            f"{_active_sql(0)} AS active0",
            f"{_active_sql(1)} AS active1",
        )
    )
    kinds = ("pk0", "pk1", "active0", "active1")
    per_plan = ", ".join(f"MAX({k}) AS {k}" for k in kinds)
    per_teacher = ", ".join(f"MAX(c.{k}) AS {k}" for k in kinds)
    sums = ", ".join(
        f"SUM(coalesce(x.{kind}{i}, 0))" for i in (0, 1) for kind in ("plan", "pk", "active")
    )
    return (
        f"WITH counting AS MATERIALIZED (SELECT plan_id, {flags} FROM development_activity "
        f"WHERE deleted = 0 AND (form = 'COURSE' AND status = 'DONE' OR form IN {_ACTIVE_FORMS} "
        f"AND status IN ('IN_PROGRESS', 'DONE')){activities}), "
        f"per_plan AS (SELECT plan_id, {per_plan} FROM counting GROUP BY plan_id), "
        "per_teacher AS (SELECT p.teacher_id AS teacher_id, "
        "MAX(p.period_start <= :d0 AND p.period_end >= :d0) AS plan0, "
        f"MAX(p.period_start <= :d1 AND p.period_end >= :d1) AS plan1, {per_teacher} "
        "FROM development_plan p LEFT JOIN per_plan c ON c.plan_id = p.id "
        f"WHERE p.deleted = 0{plans} GROUP BY p.teacher_id) "
        "SELECT t.owner, COUNT(*), SUM(t.is_young_specialist), "
        "SUM(t.is_young_specialist AND t.mentor_id <> t.id AND EXISTS (SELECT 1 FROM teacher m "
        "WHERE m.id = t.mentor_id AND m.owner = t.owner AND m.deleted = 0)), "
        f"{sums} FROM teacher t LEFT JOIN per_teacher x ON x.teacher_id = t.id "
        f"WHERE t.deleted = 0{teachers} GROUP BY t.owner"
    )


_OWNERS = "(SELECT value FROM json_each(:owners))"
_TEACHERS_OF = f"SELECT id FROM teacher WHERE deleted = 0 AND owner IN {_OWNERS}"
COVERAGE_EVERYONE = _coverage_sql("", "", "")
COVERAGE_SOME = _coverage_sql(
    " AND plan_id IN (SELECT id FROM development_plan WHERE deleted = 0 "
    f"AND teacher_id IN ({_TEACHERS_OF}))",
    f" AND p.teacher_id IN ({_TEACHERS_OF})",
    f" AND t.owner IN {_OWNERS}",
)


def staff_coverage(session: Session, owner: str, as_of: date) -> StaffCoverage:
    """Coverage of the owner's teachers on `as_of` (read-only).

    - with_plan: a live plan whose period contains as_of;
    - pk_3y: a done course whose completion (else end) date lies in [as_of − 3 years, as_of];
    - active_forms: an activity in an active form in progress, or done in the year before as_of;
    - young_with_mentor: young specialists whose mentor is a live teacher of the school.
    """
    return staff_coverage_many(session, [owner], as_of)[owner]


def staff_coverage_many(
    session: Session, owners: Collection[str] | None, as_of: date
) -> dict[str, StaffCoverage]:
    """`staff_coverage` of many owners at once (`owners` None: every owner with teachers)."""
    return staff_coverage_on(session, owners, [as_of])[0]


def staff_coverage_on(
    session: Session, owners: Collection[str] | None, days: Sequence[date]
) -> list[dict[str, StaffCoverage]]:
    """`staff_coverage` of many owners on several days, one query per two days: a dict per day.

    Every owner asked for is in each dict (no teachers: «нет данных» everywhere).
    """
    result = [{owner: NO_COVERAGE for owner in owners or ()} for _day in days]
    for first in range(0, len(days), 2):
        pair = (days[first], days[min(first + 1, len(days) - 1)])
        params: dict[str, Any] = {}
        for i, day in enumerate(pair):
            params.update(
                {
                    f"d{i}": day,
                    f"pk{i}": years_before(day, PK_YEARS),
                    f"ac{i}": years_before(day, 1),
                }
            )
        sql = COVERAGE_EVERYONE
        if owners is not None:
            sql, params["owners"] = COVERAGE_SOME, as_json(owners)
        for owner, total, young, mentored, *counts in rows(session, sql, params):
            for i, per_day in enumerate(result[first : first + 2]):
                plan, pk, active = (int(n or 0) for n in counts[3 * i : 3 * i + 3])
                per_day[owner] = _coverage(
                    int(total), plan, pk, active, int(young or 0), int(mentored or 0)
                )
    return result


NO_COVERAGE = StaffCoverage(0, Ratio(0, 0), Ratio(0, 0), Ratio(0, 0), Ratio(0, 0))


def _coverage(
    total: int, plan: int, pk: int, active: int, young: int, mentored: int
) -> StaffCoverage:
    return StaffCoverage(
        teachers=total,
        with_plan=Ratio(plan, total),
        pk_3y=Ratio(pk, total),
        active_forms=Ratio(active, total),
        young_with_mentor=Ratio(mentored, young),
    )


def split_subjects(subjects: str) -> list[str]:
    """«Математика, физика» → ['Математика', 'Физика'] (commas or semicolons)."""
    parts = (p.strip() for p in subjects.replace(";", ",").split(","))
    return [p[:1].upper() + p[1:] for p in parts if p]


def deficit_counts(session: Session, owner: str, as_of: date) -> list[DeficitCount]:
    """Deficits of the plans covering as_of, by area and the teacher's subject (for methodists)."""
    teachers = {t.id: t for t in live_teachers(session, owner)}
    plans = [
        p for p in live_plans(session, set(teachers)) if p.period_start <= as_of <= p.period_end
    ]
    teacher_of = {p.id: p.teacher_id for p in plans}
    deficits: Counter[tuple[DeficitArea, str]] = Counter()
    people: dict[tuple[DeficitArea, str], set[str]] = {}
    for deficit in live_deficits(session, set(teacher_of)):
        teacher = teachers[teacher_of[deficit.plan_id]]
        for subject in split_subjects(teacher.subjects) or [""]:
            key = (deficit.area, subject)
            deficits[key] += 1
            people.setdefault(key, set()).add(teacher.id)
    order = list(DeficitArea)
    return [
        DeficitCount(area, subject, n, len(people[(area, subject)]))
        for (area, subject), n in sorted(
            deficits.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1])
        )
    ]


def teachers_by_area(session: Session, owner: str, as_of: date) -> dict[DeficitArea, int]:
    """How many different teachers have a deficit of each area in a plan covering as_of."""
    teachers = {t.id for t in live_teachers(session, owner)}
    plans = [p for p in live_plans(session, teachers) if p.period_start <= as_of <= p.period_end]
    teacher_of = {p.id: p.teacher_id for p in plans}
    people: dict[DeficitArea, set[str]] = {}
    for deficit in live_deficits(session, set(teacher_of)):
        people.setdefault(deficit.area, set()).add(teacher_of[deficit.plan_id])
    return {area: len(people[area]) for area in DeficitArea if area in people}


def next_period(plan: DevelopmentPlanBase) -> tuple[date, date]:
    """The period after a plan's: the same dates a year later (a school year → the next one).

    A plan longer than a year is followed by one of the same number of years right after it.
    """
    if (plan.period_end - plan.period_start).days <= 366:
        return years_before(plan.period_start, -1), years_before(plan.period_end, -1)
    years = round((plan.period_end - plan.period_start).days / 365.25)
    return plan.period_end + timedelta(days=1), years_before(plan.period_end, -years)
