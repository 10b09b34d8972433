"""«Педагоги и ИППР»: an activity whose deadline was not understood shows its wording."""

from __future__ import annotations

from datetime import date, timedelta

from pytestqt.qtbot import QtBot

from models.staff import ActivityForm, DevelopmentActivityBase, DevelopmentPlanBase, TeacherBase
from services.app import Services
from ui.gui.screens.staff.dialogs import ActivityDialog
from ui.gui.screens.staff.screen import StaffScreen
from ui.gui.tasks import idle


def test_the_wording_is_shown_when_there_are_no_dates_and_the_dialog_edits_it(
    qtbot: QtBot, school: Services
) -> None:
    today = date.today()
    teacher = school.staff.save_teacher(TeacherBase(full_name="Иванова Анна Петровна"))
    plan = school.staff.save_plan(
        DevelopmentPlanBase(teacher_id=teacher, period_start=today - timedelta(days=10),
                            period_end=today + timedelta(days=300))
    )  # fmt: skip
    for title, wording, day in (("Участие в работе ШМО", "по графику ИРО", None),
                                ("Курсы ПК", "октябрь", date(2026, 10, 31))):  # fmt: skip
        school.staff.save_activity(
            DevelopmentActivityBase(plan_id=plan, form=ActivityForm.COURSE, title=title,
                                    deadline_text=wording, end_date=day)
        )  # fmt: skip
    screen = StaffScreen(school.staff)
    qtbot.addWidget(screen)
    qtbot.waitUntil(idle)
    screen.select_teacher(teacher)
    shown = {
        screen.activity_model.index(row, 1).data(): screen.activity_model.index(row, 3).data()
        for row in range(screen.activity_model.rowCount())
    }
    assert shown == {
        "Участие в работе ШМО": "срок не распознан: по графику ИРО",
        "Курсы ПК": "31.10.2026",
    }
    [shmo] = [a for a in school.staff.activities(plan) if a.title.endswith("ШМО")]
    dialog = ActivityDialog(plan, shmo, [], None)
    qtbot.addWidget(dialog)
    assert dialog.deadline_text.text() == "по графику ИРО"
    dialog.deadline_text.setText("  по  графику ИРО, март ")
    assert dialog.values().deadline_text == "по графику ИРО, март"
    assert dialog.values().title == "Участие в работе ШМО"
