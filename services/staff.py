"""Teachers and ИППР: read DTOs, labels and the school's staff coverage figures.

`staff_coverage` is the cross-area function of interfaces.md (used by services/indicators.py for
TEACHER_PK, TEACHER_ACTIVE and TEACHER_IPPR), so «Обзор», results and this area show one figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_
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
from services.ratio import Ratio
from services.sql_select import columns, fetch, table_columns

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


def _pk_done(since: date, as_of: date) -> Any:
    """A done ПК course whose completion (else end) date lies in [since, as_of]."""
    a = table_columns(DevelopmentActivity)
    day = func.coalesce(a.completion_date, a.end_date)
    return and_(
        a.form == ActivityForm.COURSE,
        a.status == ActivityStatus.DONE,
        day.is_not(None),
        day >= since,
        day <= as_of,
    )


def _active(since: date, as_of: date) -> Any:
    """An activity in an active form in progress (started), or done in [since, as_of]."""
    a = table_columns(DevelopmentActivity)
    day = func.coalesce(a.completion_date, a.end_date, a.start_date)
    started = or_(a.start_date.is_(None), a.start_date <= as_of)
    return and_(
        a.form.in_(ACTIVE_FORMS),
        or_(
            and_(a.status == ActivityStatus.IN_PROGRESS, started),
            and_(
                a.status == ActivityStatus.DONE,
                or_(day.is_(None), and_(day >= since, day <= as_of)),
            ),
        ),
    )


def _flag(condition: Any) -> Any:
    return func.max(case((condition, 1), else_=0))


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
    """`staff_coverage` of many owners on several days, in one query: one dict per day.

    Every owner asked for is in each dict (no teachers: «нет данных» everywhere).
    """
    t, p = table_columns(Teacher), table_columns(DevelopmentPlan)
    live_teacher = [t.deleted.is_(False)]
    live_plan = [p.deleted.is_(False)]
    plans = None
    if owners is not None:
        live_teacher.append(t.owner.in_(list(owners)))
        live_plan.append(p.teacher_id.in_(columns(t.id).where(*live_teacher)))
        plans = columns(p.id).where(*live_plan)
    done = _done_activities(days, plans)
    per_teacher = (
        columns(
            p.teacher_id.label("teacher_id"),
            *(
                _flag(and_(p.period_start <= day, p.period_end >= day)).label(f"plan{i}")
                for i, day in enumerate(days)
            ),
            *(
                func.max(func.coalesce(done.c[f"{kind}{i}"], 0)).label(f"{kind}{i}")
                for kind in ("pk", "active")
                for i in range(len(days))
            ),
        )
        .outerjoin(done, done.c.plan_id == p.id)
        .where(*live_plan)
        .group_by(p.teacher_id)
        .subquery()
    )
    x = per_teacher.c
    stmt = (
        columns(
            t.owner,
            func.count(),
            func.sum(case((t.is_young_specialist, 1), else_=0)),
            func.sum(case((_mentored(t), 1), else_=0)),
            *(
                func.sum(func.coalesce(x[f"{kind}{i}"], 0))
                for i in range(len(days))
                for kind in ("plan", "pk", "active")
            ),
        )
        .outerjoin(per_teacher, x.teacher_id == t.id)
        .where(*live_teacher)
        .group_by(t.owner)
    )
    result = [{owner: NO_COVERAGE for owner in owners or ()} for _day in days]
    for owner, total, young, mentored, *counts in fetch(session, stmt):
        for i, per_day in enumerate(result):
            plan, pk, active = (int(n or 0) for n in counts[3 * i : 3 * i + 3])
            per_day[owner] = _coverage(int(total), plan, pk, active, int(young), int(mentored or 0))
    return result


def _done_activities(days: Sequence[date], plans: Any | None) -> Any:
    """Per plan: whether it has a ПК course (`pk<i>`) and an active form (`active<i>`) on day i.

    Only the activities that count on some day are read (a materialized scan of the table, not
    a lookup per plan; of the `plans` only when given), then grouped by plan.
    """
    a = table_columns(DevelopmentActivity)
    pk = [_pk_done(years_before(day, PK_YEARS), day) for day in days]
    active = [_active(years_before(day, 1), day) for day in days]
    wanted = [a.deleted.is_(False)] if plans is None else [a.plan_id.in_(plans)]
    counting = (
        columns(
            a.plan_id.label("plan_id"),
            *(case((c, 1), else_=0).label(f"pk{i}") for i, c in enumerate(pk)),
            *(case((c, 1), else_=0).label(f"active{i}") for i, c in enumerate(active)),
        )
        .where(*wanted, a.deleted.is_(False), or_(*pk, *active))
        .cte("counting_activities")
        .prefix_with("MATERIALIZED")
    )
    c = counting.c
    return (
        columns(
            c.plan_id,
            *(func.max(c[f"pk{i}"]).label(f"pk{i}") for i in range(len(days))),
            *(func.max(c[f"active{i}"]).label(f"active{i}") for i in range(len(days))),
        )
        .group_by(c.plan_id)
        .subquery()
    )


def _mentored(t: Any) -> Any:
    """A young specialist whose mentor is another live teacher of the same school."""
    mentor = table_columns(Teacher).id.table.alias("mentor").c
    has_mentor = (
        columns(mentor.id)
        .where(mentor.id == t.mentor_id, mentor.owner == t.owner, mentor.deleted.is_(False))
        .exists()
    )
    return and_(t.is_young_specialist, t.mentor_id != t.id, has_mentor)


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
