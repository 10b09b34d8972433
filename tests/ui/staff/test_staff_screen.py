"""«Педагоги и ИППР»: the plan editor with real services on an in-memory database."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from models.staff import (
    ActivityForm,
    DeficitArea,
    DevelopmentActivityBase,
    DevelopmentPlanBase,
    ProfessionalDeficitBase,
    TeacherBase,
)
from services.app import Services
from ui.gui.screens.staff import actions as actions_module
from ui.gui.screens.staff.dialogs import ActivityDialog, DeficitDialog, TeacherDialog
from ui.gui.screens.staff.screen import StaffScreen
from ui.gui.table_models.staff import OVERDUE
from ui.gui.tasks import idle


@pytest.fixture
def filled(school: Services) -> tuple[Services, str, str]:
    today = date.today()
    a = school.staff.save_teacher(TeacherBase(full_name="Иванова Анна Петровна"))
    school.staff.save_teacher(TeacherBase(full_name="Петров Борис Ильич", mentor_id=a))
    plan = school.staff.save_plan(
        DevelopmentPlanBase(
            teacher_id=a,
            period_start=today - timedelta(days=100),
            period_end=today + timedelta(days=200),
        )
    )
    school.staff.save_activity(
        DevelopmentActivityBase(
            plan_id=plan,
            form=ActivityForm.SEMINAR,
            title="Семинар по ФГОС",
            end_date=today - timedelta(days=5),
        )
    )
    return school, a, plan


def make(qtbot: QtBot, services: Services) -> StaffScreen:
    screen = StaffScreen(services.staff)
    qtbot.addWidget(screen)
    qtbot.waitUntil(idle)  # the first load is read in the background
    return screen


def test_shows_teachers_coverage_and_overdue(qtbot: QtBot, filled: Any) -> None:
    services, a, _plan = filled
    screen = make(qtbot, services)
    assert screen.teacher_model.rowCount() == 2
    assert "Педагогов: 2" in screen.coverage_label.text()
    screen.select_teacher(a)
    assert screen.activity_model.rowCount() == 1
    index = screen.activity_model.index(0, 4)
    assert index.data() == "Просрочено"
    from PySide6.QtCore import Qt

    assert screen.activity_model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert OVERDUE.isValid()


def test_deficit_counts_follow_the_plans(
    qtbot: QtBot, filled: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, _a, plan = filled
    screen = make(qtbot, services)
    assert "не указаны" in screen.deficits_label.text()
    services.staff.save_deficit(
        ProfessionalDeficitBase(plan_id=plan, area=DeficitArea.METHODICAL, description="ФГОС")
    )
    screen.refresh()
    assert "методические — 1" in screen.deficits_label.text()


def test_add_deficit_and_activity_then_undo(
    qtbot: QtBot, filled: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, a, plan = filled
    screen = make(qtbot, services)
    screen.select_teacher(a)
    monkeypatch.setattr(
        DeficitDialog,
        "ask",
        classmethod(
            lambda cls, p, plan_id, cur: ProfessionalDeficitBase(
                plan_id=plan_id, area=DeficitArea.SUBJECT, description="Геометрия"
            )
        ),
    )
    screen._add_deficit()
    assert [d.description for d in screen.deficit_model.rows()] == ["Геометрия"]
    monkeypatch.setattr(
        ActivityDialog,
        "ask",
        classmethod(
            lambda cls, p, plan_id, cur, defs: DevelopmentActivityBase(
                plan_id=plan_id, form=ActivityForm.COURSE, title="Курсы", deficit_id=defs[0].id
            )
        ),
    )
    screen._add_activity()
    assert len(services.staff.activities(plan)) == 2
    screen.undo()
    assert len(services.staff.activities(plan)) == 1
    assert screen.activity_model.rowCount() == 1
    screen.undo()
    assert services.staff.deficits(plan) == []


def test_bad_input_shows_error_and_saves_nothing(
    qtbot: QtBot, filled: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, a, plan = filled
    screen = make(qtbot, services)
    screen.select_teacher(a)
    errors: list[str] = []
    monkeypatch.setattr(actions_module, "show_error", lambda _p, exc: errors.append(str(exc)))
    monkeypatch.setattr(
        ActivityDialog,
        "ask",
        classmethod(
            lambda cls, p, plan_id, cur, defs: DevelopmentActivityBase(
                plan_id=plan_id, form=ActivityForm.COURSE, title="Курсы", hours=-1
            )
        ),
    )
    screen._add_activity()
    assert errors and "отрицательным" in errors[0]
    assert len(services.staff.activities(plan)) == 1
    monkeypatch.setattr(screen, "_confirm", lambda _t: True)
    screen._delete_teacher()  # Иванова mentors Петров
    assert "наставник" in errors[-1]
    assert len(services.staff.teachers()) == 2


def test_copy_plan_and_edit_teacher_undo(
    qtbot: QtBot, filled: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, a, _plan = filled
    screen = make(qtbot, services)
    screen.select_teacher(a)
    screen._copy_plan()
    plans = services.staff.plans(a)
    assert len(plans) == 2
    assert screen.plan_combo.count() == 2
    assert len(services.staff.activities(plans[0].id)) == 1
    monkeypatch.setattr(
        TeacherDialog,
        "ask",
        classmethod(lambda cls, p, cur, others: TeacherBase(full_name="Иванова-Смирнова Анна")),
    )
    screen._edit_teacher()
    assert services.staff.teachers()[0].full_name == "Иванова-Смирнова Анна"
    screen.undo()
    assert "Иванова Анна Петровна" in {t.full_name for t in services.staff.teachers()}


def test_export_pdf_from_the_screen(
    qtbot: QtBot, filled: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from models import Role
    from ui.gui.screens import screens_for

    services, a, _plan = filled
    spec = next(s for s in screens_for(Role.SCHOOL) if s.key == "staff")
    screen = spec.factory(services)
    qtbot.addWidget(screen)
    shown: list[str] = []
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    out = tmp_path / "ippr.pdf"
    assert isinstance(screen, StaffScreen)
    screen.export_pdf(a, out)
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert out.read_bytes().startswith(b"%PDF")


def test_empty_school_coverage_has_no_doubled_no_data(qtbot: QtBot, school: Services) -> None:
    screen = make(qtbot, school)
    text = screen.coverage_label.text()
    assert "Педагогов: 0" in text and "нет данных (нет данных)" not in text
