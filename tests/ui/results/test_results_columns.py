"""«Результаты»: every cell of the ВПР, ГИА and progression tables is shown whole."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QTableView, QTabWidget
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from ui.gui.screens.results.screen import make_results_screen
from ui.gui.tasks import idle

# What the screen gets in the main window at 1024 × 768 (the list of screens takes the rest).
SCREEN_AT_1024 = (750, 640)


def test_no_cell_text_is_cut_in_the_entry_tables(school: Services, qtbot: QtBot) -> None:
    school.results.fill_demo(Role.SCHOOL)
    screen = make_results_screen(school)
    qtbot.addWidget(screen)
    screen.resize(*SCREEN_AT_1024)
    screen.show()
    qtbot.waitUntil(idle)  # the tables are read in the background
    cut = []
    tabs = screen.findChild(QTabWidget)
    assert tabs is not None
    for tab in screen.entry_tabs():
        tabs.setCurrentWidget(tab)
        qtbot.wait(30)  # the widths follow the view once per turn of the event loop
        view, model = tab.table.view, tab.table.proxy
        assert model.rowCount() > 0
        metrics = view.fontMetrics()
        # what the item delegate keeps free left and right of a cell's text
        margins = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        for column in range(model.columnCount()):
            if view.isColumnHidden(column):  # no room at this width: the row's form shows it
                continue
            for row in range(model.rowCount()):
                text = str(model.index(row, column).data(Qt.ItemDataRole.DisplayRole) or "")
                if metrics.horizontalAdvance(text) + margins > view.columnWidth(column):
                    cut.append(f"{tab.spec.title}: «{text}» в {view.columnWidth(column)} px")
    assert cut == []


@pytest.mark.parametrize("large", [False, True], ids=["normal-font", "large-font"])
def test_no_table_scrolls_sideways_at_1024(
    school: Services, qtbot: QtBot, large: bool, request: pytest.FixtureRequest
) -> None:
    """In one line the titles of «Переводы и выпуск» needed 1300 px: the figures ran off."""
    if large:
        request.getfixturevalue("large_font")
    school.results.fill_demo(Role.SCHOOL)
    screen = make_results_screen(school)
    qtbot.addWidget(screen)
    screen.resize(*SCREEN_AT_1024)
    screen.show()
    qtbot.waitUntil(idle)
    wide = []
    tabs = screen.findChild(QTabWidget)
    assert tabs is not None
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        qtbot.wait(30)  # the widths follow the view once per turn of the event loop
        for view in tabs.currentWidget().findChildren(QTableView):
            if view.isVisible() and view.horizontalScrollBar().maximum() > 0:
                wide.append(tabs.tabText(index))
    assert wide == []
    # a figure's full title is a tooltip away
    view = screen.entry_tabs()[0].table.view
    tips = {view.model().headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            for c in range(view.model().columnCount())}  # fmt: skip
    assert "Участников" in tips
