"""An ИППР deadline the program does not understand is kept as worded, beside a clean title."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from services.app import Services
from services.intake.apply_people import apply_ippr
from services.intake.ippr import preview_ippr
from services.intake.vocabulary import load_vocabulary
from services.staff.intake import find_teacher
from tests.conftest import INTAKE

IPPR = load_vocabulary(INTAKE / "ippr")
PLAN = (
    "План профессионального развития на 2024/2025 учебный год\n"
    "№;Мероприятие;Форма;Сроки;Форма отчётности\n"
    "1;Участие в работе ШМО;ШМО;по графику ИРО;Выступление\n"
    "2;Курсы по функциональной грамотности;Курсы ПК;октябрь;Удостоверение\n"
)


def _plan(tmp_path: Path) -> Path:
    path = tmp_path / "ippr.csv"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_a_deadline_not_understood_is_stored_as_worded_and_the_title_is_left_alone(
    school: Services, tmp_path: Path
) -> None:
    from models.staff import TeacherBase

    school.staff.save_teacher(TeacherBase(full_name="Иванова Ирина Петровна"))
    teacher = find_teacher(school.db, "Иванова")
    summary = apply_ippr(school, preview_ippr(_plan(tmp_path), IPPR), teacher.id)
    assert "Срок не распознан: «по графику ИРО»" in summary
    [plan] = school.staff.plans(teacher.id)
    stored = {a.title: a for a in school.staff.activities(plan.id)}
    assert sorted(stored) == ["Курсы по функциональной грамотности", "Участие в работе ШМО"]
    shmo = stored["Участие в работе ШМО"]
    assert shmo.deadline_text == "по графику ИРО"
    assert (shmo.start_date, shmo.end_date) == (None, None)
    course = stored["Курсы по функциональной грамотности"]
    assert course.deadline_text == "октябрь"  # understood: the wording is kept beside its dates
    assert (course.start_date, course.end_date) == (date(2024, 10, 1), date(2024, 10, 31))


def test_the_same_plan_imported_again_adds_nothing_and_two_deadlines_are_two_activities(
    school: Services, tmp_path: Path
) -> None:
    from models.staff import TeacherBase

    school.staff.save_teacher(TeacherBase(full_name="Иванова Ирина Петровна"))
    teacher = find_teacher(school.db, "Иванова")
    path = _plan(tmp_path)
    apply_ippr(school, preview_ippr(path, IPPR), teacher.id)
    again = apply_ippr(school, preview_ippr(path, IPPR), teacher.id)
    assert "0 мероприятий" in again and "не загружены повторно (2)" in again
    path.write_text(PLAN + "3;Участие в работе ШМО;ШМО;март;Выступление\n", encoding="utf-8")
    third = apply_ippr(school, preview_ippr(path, IPPR), teacher.id)
    assert "1 мероприятие" in third
    [plan] = school.staff.plans(teacher.id)
    worded = sorted(a.deadline_text for a in school.staff.activities(plan.id))
    assert worded == ["март", "октябрь", "по графику ИРО"]
