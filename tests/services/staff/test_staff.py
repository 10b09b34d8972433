"""Teachers, ИППР and the staff coverage figures."""

from __future__ import annotations

from datetime import date

import pytest

from models.staff import (
    ActivityForm,
    ActivityStatus,
    DeficitArea,
    DevelopmentActivityBase,
    DevelopmentPlanBase,
    ProfessionalDeficitBase,
    TeacherBase,
)
from services.app import Services
from services.core.errors import Invalid
from services.indicators.compute import compute_indicators
from services.site.profile import own_site_id
from services.staff.queries import next_period, staff_coverage

AS_OF = date(2026, 3, 1)


def teacher(s: Services, name: str, **kw: object) -> str:
    return s.staff.save_teacher(TeacherBase(full_name=name, **kw))  # type: ignore[arg-type]


def plan(s: Services, teacher_id: str, start: date, end: date) -> str:
    return s.staff.save_plan(
        DevelopmentPlanBase(teacher_id=teacher_id, period_start=start, period_end=end)
    )


def activity(s: Services, plan_id: str, form: ActivityForm, **kw: object) -> str:
    return s.staff.save_activity(
        DevelopmentActivityBase(plan_id=plan_id, form=form, title="Мероприятие", **kw)  # type: ignore[arg-type]
    )


def test_no_teachers_gives_no_data(school: Services) -> None:
    cov = school.staff.coverage(AS_OF)
    assert cov.teachers == 0
    assert cov.with_plan.value is None
    assert cov.pk_3y.value is None
    assert cov.young_with_mentor.value is None


def test_coverage_on_crafted_data(school: Services) -> None:
    a = teacher(school, "Иванова Анна Петровна", subjects="Математика")
    b = teacher(school, "Петров Борис Ильич", is_young_specialist=True, mentor_id=a)
    c = teacher(school, "Сидорова Вера Олеговна", is_young_specialist=True)
    teacher(school, "Кузнецов Глеб Юрьевич")  # no plan at all
    pa = plan(school, a, date(2025, 9, 1), date(2026, 8, 31))
    pb = plan(school, b, date(2024, 9, 1), date(2025, 8, 31))  # not current
    pc = plan(school, c, date(2025, 9, 1), date(2026, 8, 31))
    # course exactly 3 years before as_of counts; one day earlier does not
    activity(
        school,
        pa,
        ActivityForm.COURSE,
        status=ActivityStatus.DONE,
        completion_date=date(2023, 3, 1),
    )
    activity(
        school,
        pb,
        ActivityForm.COURSE,
        status=ActivityStatus.DONE,
        completion_date=date(2023, 2, 28),
    )
    activity(school, pc, ActivityForm.COURSE, status=ActivityStatus.IN_PROGRESS)
    activity(
        school,
        pb,
        ActivityForm.OPEN_LESSON,
        status=ActivityStatus.DONE,
        completion_date=date(2025, 12, 1),
    )
    activity(
        school,
        pc,
        ActivityForm.SELF_EDUCATION,
        status=ActivityStatus.DONE,
        completion_date=date(2025, 12, 1),
    )
    cov = school.staff.coverage(AS_OF)
    assert cov.teachers == 4
    assert (cov.with_plan.numerator, cov.with_plan.denominator) == (2, 4)
    assert (cov.pk_3y.numerator, cov.pk_3y.denominator) == (1, 4)
    assert (cov.active_forms.numerator, cov.active_forms.denominator) == (1, 4)
    assert (cov.young_with_mentor.numerator, cov.young_with_mentor.denominator) == (1, 2)


def test_indicators_use_the_same_figures(school: Services) -> None:
    a = teacher(school, "Иванова Анна Петровна")
    teacher(school, "Петров Борис Ильич")
    p = plan(school, a, date(2025, 9, 1), date(2026, 8, 31))
    activity(
        school,
        p,
        ActivityForm.COURSE,
        status=ActivityStatus.DONE,
        completion_date=date(2025, 11, 1),
    )
    with school.db.session(stamp=False) as s:
        owner = own_site_id(s)
        shipped = school.paths.catalogues_dir
        values = {
            v.code: v.ratio for v in compute_indicators(s, owner, 2026, catalogues_dir=shipped)
        }
        from services.indicators.compute import as_of_for

        cov = staff_coverage(s, owner, as_of_for(2026))
    assert values["TEACHER_PK"] == cov.pk_3y
    assert values["TEACHER_IPPR"] == cov.with_plan


def test_deleted_rows_do_not_count(school: Services) -> None:
    a = teacher(school, "Иванова Анна Петровна")
    p = plan(school, a, date(2025, 9, 1), date(2026, 8, 31))
    school.staff.delete("plan", p)
    assert school.staff.coverage(AS_OF).with_plan.numerator == 0
    school.staff.restore("plan", p)
    assert school.staff.coverage(AS_OF).with_plan.numerator == 1
    school.staff.delete_teacher(a)
    assert school.staff.coverage(AS_OF).teachers == 0


def test_bad_input_changes_nothing(school: Services) -> None:
    a = teacher(school, "Иванова Анна Петровна")
    b = teacher(school, "Петров Борис Ильич", mentor_id=a)
    before = school.db.change_count
    with pytest.raises(Invalid, match="раньше"):
        plan(school, a, date(2026, 9, 1), date(2026, 1, 1))
    p = plan(school, a, date(2025, 9, 1), date(2026, 8, 31))
    before = school.db.change_count
    with pytest.raises(Invalid, match="отрицательным"):
        activity(school, p, ActivityForm.COURSE, hours=-2)
    with pytest.raises(Invalid, match="раньше"):
        activity(
            school, p, ActivityForm.COURSE, start_date=date(2026, 2, 1), end_date=date(2026, 1, 1)
        )
    with pytest.raises(Invalid, match="самому себе"):
        school.staff.save_teacher(TeacherBase(full_name="Иванова Анна", mentor_id=a), a)
    with pytest.raises(Invalid, match="наставник"):
        school.staff.delete_teacher(a)
    assert school.db.change_count == before
    assert {t.id for t in school.staff.teachers()} == {a, b}
    assert school.staff.activities(p) == []


def test_copy_to_next_period_carries_unfinished(school: Services) -> None:
    a = teacher(school, "Иванова Анна Петровна")
    p = plan(school, a, date(2025, 9, 1), date(2026, 8, 31))
    d = school.staff.save_deficit(
        ProfessionalDeficitBase(plan_id=p, area=DeficitArea.METHODICAL, description="ФГОС")
    )
    school.staff.save_deficit(
        ProfessionalDeficitBase(plan_id=p, area=DeficitArea.SUBJECT, description="Решено")
    )
    activity(
        school,
        p,
        ActivityForm.COURSE,
        status=ActivityStatus.DONE,
        completion_date=date(2025, 12, 1),
    )
    activity(
        school,
        p,
        ActivityForm.OPEN_LESSON,
        deficit_id=d,
        start_date=date(2026, 4, 1),
        end_date=date(2026, 4, 1),
    )
    new = school.staff.copy_to_next_period(p)
    new_plan = school.staff.plans(a)[0]
    assert new_plan.id == new
    assert (new_plan.period_start, new_plan.period_end) == (date(2026, 9, 1), date(2027, 8, 31))
    carried = school.staff.activities(new)
    assert [x.form for x in carried] == [ActivityForm.OPEN_LESSON]
    assert carried[0].status is ActivityStatus.PLANNED
    deficits = school.staff.deficits(new)
    assert [x.description for x in deficits] == ["ФГОС"]
    assert carried[0].deficit_id == deficits[0].id
    assert len(school.staff.activities(p)) == 2  # the old plan is untouched


def test_overdue_and_next_period() -> None:
    from services.staff.queries import ActivityRead

    late = ActivityRead(
        id="x", plan_id="p", form=ActivityForm.SEMINAR, title="t", end_date=date(2026, 1, 1)
    )
    assert late.is_overdue(AS_OF)
    done = late.model_copy(update={"status": ActivityStatus.DONE})
    assert not done.is_overdue(AS_OF)
    span = DevelopmentPlanBase(
        teacher_id="t", period_start=date(2024, 1, 1), period_end=date(2025, 12, 31)
    )
    assert next_period(span) == (date(2026, 1, 1), date(2027, 12, 31))


def test_deficit_counts_by_area_and_subject(school: Services) -> None:
    a = teacher(school, "Иванова Анна Петровна", subjects="математика, физика")
    b = teacher(school, "Петров Борис Ильич", subjects="Математика")
    for t in (a, b):
        p = plan(school, t, date(2025, 9, 1), date(2026, 8, 31))
        school.staff.save_deficit(
            ProfessionalDeficitBase(plan_id=p, area=DeficitArea.SUBJECT, description="Задачи")
        )
    counts = {
        (c.area, c.subject): (c.deficits, c.teachers) for c in school.staff.deficit_counts(AS_OF)
    }
    assert counts == {
        (DeficitArea.SUBJECT, "Математика"): (2, 2),
        (DeficitArea.SUBJECT, "Физика"): (1, 1),
    }
    assert school.staff.teachers_by_area(AS_OF) == {DeficitArea.SUBJECT: 2}


def test_demo_part_fills_a_plausible_school(school: Services) -> None:
    from models import Role
    from services.staff.demo import StaffDemo

    line = StaffDemo(school.staff).fill_demo(Role.SCHOOL, today=date(2026, 3, 1))
    assert line.startswith("Педагоги: 15")
    cov = school.staff.coverage(date(2026, 3, 1))
    assert 12 <= cov.teachers <= 20
    assert cov.young_with_mentor.numerator == cov.young_with_mentor.denominator > 0
    assert 0 < cov.with_plan.numerator < cov.teachers
    assert 0 < cov.pk_3y.numerator < cov.teachers
    assert school.staff.deficit_counts(date(2026, 3, 1))
