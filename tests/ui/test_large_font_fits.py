"""«Вид → Крупный шрифт» at 1024 × 768: no screen and no status bar widens the window.

The real-window check (tests/realwindow) measures the same on Xvfb with a window manager; this
offscreen test keeps the rule in the ordinary suite.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from tests.realwindow.layout_checks import buttons_reachable, headers_readable, tabs_whole
from ui.gui.app import build_main_window
from ui.gui.main_window import NAV_MAX_WIDTH
from ui.gui.tasks import idle

ROOM = 1024 - 12  # the screen less the window manager's borders (main_window.FRAME_SIDES)
LEGAL_NAME = (
    "Муниципальное бюджетное общеобразовательное учреждение "
    "«Лодейнинская средняя общеобразовательная школа»"
)


@pytest.mark.usefixtures("large_font")
@pytest.mark.parametrize("role", [Role.SCHOOL, Role.DISTRICT])
def test_every_screen_fits_1024_px_with_the_large_font(
    qtbot: QtBot, file_services: Services, role: Role
) -> None:
    file_services.site.initialize(role, LEGAL_NAME, "5105012345")
    file_services.demo.fill()
    window = build_main_window(file_services, "0.1.0")
    qtbot.addWidget(window)
    window.resize(ROOM, 728)
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    widths = {}
    problems: list[str] = []
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        qtbot.waitUntil(idle, timeout=10_000)
        layout = window.layout()
        assert layout is not None
        # the layout's minimum counts the status bar, which minimumSizeHint() leaves out
        widths[window.nav.item(row).text()] = layout.minimumSize().width()
        screen, where = window.stack.currentWidget(), window.nav.item(row).text()
        problems += buttons_reachable(screen, window, where) + headers_readable(screen, where)
        problems += tabs_whole(screen, where)
    assert window.nav.width() <= NAV_MAX_WIDTH  # a long title wraps rather than widen it
    assert max(widths.values()) <= ROOM, widths
    assert problems == []


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.DISTRICT])
def test_switching_the_font_refits_the_navigation(
    qtbot: QtBot, file_services: Services, role: Role
) -> None:
    file_services.site.initialize(role, "Организация для проверки", "12345")
    window = build_main_window(file_services, "0.1.0")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    try:
        window.large_font_action.setChecked(True)  # «Вид → Крупный шрифт» while working
        QApplication.processEvents()
        nav, room = window.nav, window.nav.viewport().width()
        assert nav.width() <= NAV_MAX_WIDTH
        for row in range(nav.count()):
            item = nav.item(row)
            needed = nav.fontMetrics().horizontalAdvance(item.text())
            lines = nav.visualItemRect(item).height() // nav.fontMetrics().lineSpacing()
            assert needed <= room or lines >= 2, item.text()  # whole on one line, or wrapped
    finally:
        window.large_font_action.setChecked(False)
