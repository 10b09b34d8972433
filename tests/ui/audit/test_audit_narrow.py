"""«Самоаудит» at 1024 px: factor names and filled-in texts are shown from their beginning."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRect, Qt
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from services.audit.demo import AuditDemo
from ui.gui.screens.audit.screen import AuditScreen
from ui.gui.tasks import idle

TODAY = date(2026, 11, 20)
SCREEN_WIDTH = 1024 - 230 - 12  # the screen's share of a 1024 px window


def test_factor_names_get_the_lines_they_need(qtbot: QtBot, school: Services) -> None:
    AuditDemo(school.audit).fill_demo(Role.SCHOOL, TODAY)
    screen = AuditScreen(school.audit, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.resize(SCREEN_WIDTH, 700)
    screen.show()
    qtbot.waitExposed(screen)
    qtbot.waitUntil(idle)  # the screen reads its year in the background
    table = screen.factors
    metrics = table.fontMetrics()
    room = table.columnWidth(0) - 8  # the cell's padding, generously
    cut = []
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        assert item is not None
        need = metrics.boundingRect(QRect(0, 0, room, 10_000), Qt.TextFlag.TextWordWrap,
                                    item.text()).height()  # fmt: skip
        if table.rowHeight(row) < need:
            cut.append(item.text())
    assert cut == []


def test_a_long_comment_shows_its_beginning(qtbot: QtBot, school: Services) -> None:
    AuditDemo(school.audit).fill_demo(Role.SCHOOL, TODAY)
    screen = AuditScreen(school.audit, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.resize(SCREEN_WIDTH, 700)
    screen.show()
    qtbot.waitUntil(idle)
    edits = [e for r in screen.form.rows for e in (r.comment, r.evidence) if e.text()]
    assert edits  # the demo fills some
    assert all(e.cursorPosition() == 0 for e in edits)
