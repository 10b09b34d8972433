"""«Педагоги и ИППР» at 1024 px: no table is cut off at its right edge."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.app import Services
from ui.gui.screens.staff.screen import StaffScreen
from ui.gui.tasks import idle
from ui.gui.widgets.columns import MAIN_MIN

# The screen's share of a 1024 px window: the navigation list takes 230 px of it.
SCREEN_WIDTH = 1024 - 230 - 12


def test_staff_tables_fit_their_width_at_1024_px(school: Services, qtbot: QtBot) -> None:
    school.demo.fill()
    screen = StaffScreen(school.staff)
    qtbot.addWidget(screen)
    screen.resize(SCREEN_WIDTH, 700)
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.waitUntil(idle)  # the teachers are read in the background
    screen.select_teacher(screen.teacher_model.row_at(0).id)
    assert screen.activity_model.rowCount() > 0  # the demo's first teacher has a plan

    def fitted() -> bool:
        views = (screen.teachers_table.view, screen.deficit_view, screen.activity_view)
        return all(v.horizontalHeader().length() <= v.viewport().width() for v in views)

    qtbot.waitUntil(fitted, timeout=3000)
    header = screen.teachers_table.view.horizontalHeader()
    assert header.sectionSize(0) >= MAIN_MIN  # «ФИО»
    assert not header.isSectionHidden(1)  # «Должность» still fits beside it
    assert screen.activity_view.horizontalHeader().sectionSize(1) >= MAIN_MIN  # «Мероприятие»
