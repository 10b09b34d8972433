"""Use cases of «Педагоги и ИППР»: teachers, plans, deficits, activities; undo by restore."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlmodel import Session, col, select

from models.base import SyncFields
from models.staff import (
    ActivityStatus,
    DeficitArea,
    DevelopmentActivity,
    DevelopmentActivityBase,
    DevelopmentPlan,
    DevelopmentPlanBase,
    ProfessionalDeficit,
    ProfessionalDeficitBase,
    Teacher,
    TeacherBase,
)
from services.core.db import Database
from services.core.errors import Invalid, NotFound
from services.site.profile import own_site_id
from services.staff.queries import (
    UNFINISHED,
    ActivityRead,
    DeficitCount,
    DeficitRead,
    PlanRead,
    StaffCoverage,
    TeacherRead,
    deficit_counts,
    live_activities,
    live_deficits,
    live_teachers,
    next_period,
    staff_coverage,
    teachers_by_area,
)

Row = TypeVar("Row", bound=SyncFields)
KINDS: dict[str, type[SyncFields]] = {
    "teacher": Teacher,
    "plan": DevelopmentPlan,
    "deficit": ProfessionalDeficit,
    "activity": DevelopmentActivity,
}


@dataclass(frozen=True, slots=True)
class PlanDocument:
    """Everything one printed ИППР shows (a DTO for services/reports/ippr_pdf.py)."""

    school: str
    director_position: str
    director_name: str
    teacher: TeacherRead
    mentor: str
    plan: PlanRead
    deficits: list[DeficitRead]
    activities: list[ActivityRead]


def _check_teacher(values: TeacherBase) -> TeacherBase:
    name = " ".join(values.full_name.split())
    if not name:
        raise Invalid("Укажите ФИО педагога.")
    if values.experience_years is not None and not 0 <= values.experience_years <= 70:
        raise Invalid("Стаж должен быть числом лет от 0 до 70 — исправьте стаж.")
    return values.model_copy(update={"full_name": name})


def _check_plan(values: DevelopmentPlanBase) -> None:
    if values.period_end < values.period_start:
        raise Invalid("Конец периода плана раньше его начала — проверьте даты периода.")


def _check_deficit(values: ProfessionalDeficitBase) -> None:
    if not values.description.strip():
        raise Invalid("Опишите профессиональный дефицит.")


def _check_activity(values: DevelopmentActivityBase) -> DevelopmentActivityBase:
    if not values.title.strip():
        raise Invalid("Укажите название мероприятия.")
    if values.hours is not None and values.hours < 0:
        raise Invalid("Количество часов не может быть отрицательным — исправьте часы.")
    if values.start_date and values.end_date and values.end_date < values.start_date:
        raise Invalid("Дата окончания мероприятия раньше даты начала — проверьте сроки.")
    completion = values.completion_date
    if values.status is ActivityStatus.DONE and completion is None:
        completion = values.end_date or date.today()
    return values.model_copy(update={"title": values.title.strip(), "completion_date": completion})


class StaffService:
    """Teachers and their ИППР of this installation's own school."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # reading ---------------------------------------------------------------------------

    def teachers(self) -> list[TeacherRead]:
        with self._db.session(stamp=False) as s:
            return [TeacherRead.model_validate(t) for t in live_teachers(s, own_site_id(s))]

    def coverage(self, as_of: date | None = None) -> StaffCoverage:
        with self._db.session(stamp=False) as s:
            return staff_coverage(s, own_site_id(s), as_of or date.today())

    def deficit_counts(self, as_of: date | None = None) -> list[DeficitCount]:
        with self._db.session(stamp=False) as s:
            return deficit_counts(s, own_site_id(s), as_of or date.today())

    def teachers_by_area(self, as_of: date | None = None) -> dict[DeficitArea, int]:
        with self._db.session(stamp=False) as s:
            return teachers_by_area(s, own_site_id(s), as_of or date.today())

    def plans(self, teacher_id: str) -> list[PlanRead]:
        with self._db.session(stamp=False) as s:
            rows = s.exec(
                select(DevelopmentPlan)
                .where(
                    DevelopmentPlan.teacher_id == teacher_id,
                    col(DevelopmentPlan.deleted).is_(False),
                )
                .order_by(col(DevelopmentPlan.period_start).desc())
            ).all()
            return [PlanRead.model_validate(p) for p in rows]

    def deficits(self, plan_id: str) -> list[DeficitRead]:
        with self._db.session(stamp=False) as s:
            rows = sorted(live_deficits(s, {plan_id}), key=lambda d: (d.area, d.description))
            return [DeficitRead.model_validate(d) for d in rows]

    def activities(self, plan_id: str) -> list[ActivityRead]:
        with self._db.session(stamp=False) as s:
            rows = sorted(
                live_activities(s, {plan_id}),
                key=lambda a: (a.start_date or date.max, a.title),
            )
            return [ActivityRead.model_validate(a) for a in rows]

    def all_plan_ids(self) -> list[str]:
        """Every live plan of the school, by teacher name then period."""
        with self._db.session(stamp=False) as s:
            result: list[str] = []
            for teacher in live_teachers(s, own_site_id(s)):
                plans = s.exec(
                    select(DevelopmentPlan)
                    .where(
                        DevelopmentPlan.teacher_id == teacher.id,
                        col(DevelopmentPlan.deleted).is_(False),
                    )
                    .order_by(col(DevelopmentPlan.period_start))
                ).all()
                result.extend(p.id for p in plans)
            return result

    def document(self, plan_id: str) -> PlanDocument:
        with self._db.session(stamp=False) as s:
            plan = self._live(s, DevelopmentPlan, plan_id, "План")
            teacher = self._live(s, Teacher, plan.teacher_id, "Педагог")
            mentor = s.get(Teacher, teacher.mentor_id) if teacher.mentor_id else None
            from models.site import Site  # local: only the printout needs the profile

            site = s.get(Site, own_site_id(s))
        return PlanDocument(
            school=(site.short_name or site.full_name) if site else "",
            director_position=(site.director_position if site else "") or "Директор",
            director_name=site.director_name if site else "",
            teacher=TeacherRead.model_validate(teacher),
            mentor=mentor.full_name if mentor and not mentor.deleted else "",
            plan=PlanRead.model_validate(plan),
            deficits=self.deficits(plan_id),
            activities=self.activities(plan_id),
        )

    # teachers --------------------------------------------------------------------------

    def save_teacher(self, values: TeacherBase, teacher_id: str | None = None) -> str:
        values = _check_teacher(values)
        with self._db.session() as s:
            if values.mentor_id is not None:
                if values.mentor_id == teacher_id:
                    raise Invalid("Педагог не может быть наставником самому себе.")
                self._live(s, Teacher, values.mentor_id, "Наставник")
            if teacher_id is None:
                teacher = Teacher(owner=own_site_id(s), **values.model_dump())
                s.add(teacher)
                s.flush()
                return teacher.id
            teacher = self._live(s, Teacher, teacher_id, "Педагог")
            for name, value in values.model_dump().items():
                setattr(teacher, name, value)
            s.add(teacher)
            return teacher.id

    def delete_teacher(self, teacher_id: str) -> None:
        """Tombstone a teacher and their plans; refused while the teacher mentors someone."""
        with self._db.session() as s:
            teacher = self._live(s, Teacher, teacher_id, "Педагог")
            mentees = s.exec(
                select(Teacher).where(
                    Teacher.mentor_id == teacher_id, col(Teacher.deleted).is_(False)
                )
            ).all()
            if mentees:
                names = ", ".join(m.full_name for m in mentees)
                raise Invalid(
                    f"{teacher.full_name} — наставник ({names}). "
                    "Сначала назначьте этим педагогам другого наставника."
                )
            teacher.deleted = True
            s.add(teacher)

    # plans -----------------------------------------------------------------------------

    def save_plan(self, values: DevelopmentPlanBase, plan_id: str | None = None) -> str:
        _check_plan(values)
        with self._db.session() as s:
            self._live(s, Teacher, values.teacher_id, "Педагог")
            if plan_id is None:
                plan = DevelopmentPlan(owner=own_site_id(s), **values.model_dump())
            else:
                plan = self._live(s, DevelopmentPlan, plan_id, "План")
                for name, value in values.model_dump().items():
                    setattr(plan, name, value)
            s.add(plan)
            s.flush()
            return plan.id

    def copy_to_next_period(self, plan_id: str) -> str:
        """A new plan for the next period with the unfinished activities and their deficits."""
        with self._db.session() as s:
            old = self._live(s, DevelopmentPlan, plan_id, "План")
            start, end = next_period(old)
            plan = DevelopmentPlan(
                owner=own_site_id(s),
                teacher_id=old.teacher_id,
                period_start=start,
                period_end=end,
                goals=old.goals,
            )
            s.add(plan)
            s.flush()
            carried = [a for a in live_activities(s, {plan_id}) if a.status in UNFINISHED]
            deficit_map: dict[str, str] = {}
            for deficit in live_deficits(s, {plan_id}):
                if any(a.deficit_id == deficit.id for a in carried):
                    copy = ProfessionalDeficit(
                        owner=plan.owner,
                        **ProfessionalDeficitBase.model_validate(deficit).model_dump()
                        | {"plan_id": plan.id},
                    )
                    s.add(copy)
                    s.flush()
                    deficit_map[deficit.id] = copy.id
            for activity in carried:
                data = DevelopmentActivityBase.model_validate(activity).model_dump()
                data |= {
                    "plan_id": plan.id,
                    "deficit_id": deficit_map.get(activity.deficit_id or ""),
                    "status": ActivityStatus.PLANNED,
                    "start_date": None,
                    "end_date": None,
                    "deadline_text": "",  # worded for the old period
                    "completion_date": None,
                    "certificate_number": "",
                }
                s.add(DevelopmentActivity(owner=plan.owner, **data))
            return plan.id

    # deficits and activities -----------------------------------------------------------

    def save_deficit(self, values: ProfessionalDeficitBase, deficit_id: str | None = None) -> str:
        _check_deficit(values)
        with self._db.session() as s:
            self._live(s, DevelopmentPlan, values.plan_id, "План")
            if deficit_id is None:
                row = ProfessionalDeficit(owner=own_site_id(s), **values.model_dump())
            else:
                row = self._live(s, ProfessionalDeficit, deficit_id, "Дефицит")
                for name, value in values.model_dump().items():
                    setattr(row, name, value)
            s.add(row)
            s.flush()
            return row.id

    def save_activity(self, values: DevelopmentActivityBase, activity_id: str | None = None) -> str:
        values = _check_activity(values)
        with self._db.session() as s:
            self._live(s, DevelopmentPlan, values.plan_id, "План")
            if values.deficit_id is not None:
                deficit = self._live(s, ProfessionalDeficit, values.deficit_id, "Дефицит")
                if deficit.plan_id != values.plan_id:
                    raise Invalid(
                        "Дефицит относится к другому плану — выберите дефицит этого плана."
                    )
            if activity_id is None:
                row = DevelopmentActivity(owner=own_site_id(s), **values.model_dump())
            else:
                row = self._live(s, DevelopmentActivity, activity_id, "Мероприятие")
                for name, value in values.model_dump().items():
                    setattr(row, name, value)
            s.add(row)
            s.flush()
            return row.id

    def delete(self, kind: str, row_id: str) -> None:
        """Tombstone a plan, deficit or activity (teachers: `delete_teacher`); undo = `restore`."""
        if kind == "teacher":
            self.delete_teacher(row_id)
            return
        with self._db.session() as s:
            row = self._live(s, KINDS[kind], row_id, "Запись")
            if kind == "deficit":
                for activity in live_activities(s, {row.plan_id}):  # type: ignore[attr-defined]
                    if activity.deficit_id == row_id:
                        activity.deficit_id = None
                        s.add(activity)
            row.deleted = True
            s.add(row)

    def restore(self, kind: str, row_id: str) -> None:
        """Undo a deletion."""
        with self._db.session() as s:
            row = s.get(KINDS[kind], row_id)
            if row is None:
                raise NotFound("Запись не найдена — возможно, её удалили окончательно.")
            row.deleted = False
            s.add(row)

    @staticmethod
    def _live(s: Session, table: type[Row], row_id: str, what: str) -> Row:
        row = s.get(table, row_id)
        if row is None or row.deleted:
            raise NotFound(f"{what} не найден(а) — обновите список и попробуйте снова.")
        return row
