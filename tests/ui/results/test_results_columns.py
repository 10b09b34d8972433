"""«Результаты»: every cell of the ВПР, ГИА and progression tables is shown whole."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from ui.gui.screens.results.screen import make_results_screen
from ui.gui.tasks import idle


def test_no_cell_text_is_cut_in_the_entry_tables(school: Services, qtbot: QtBot) -> None:
    school.results.fill_demo(Role.SCHOOL)
    screen = make_results_screen(school)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(idle)  # the tables are read in the background
    cut = []
    for tab in screen.entry_tabs():
        view, model = tab.table.view, tab.table.proxy
        assert model.rowCount() > 0
        metrics = view.fontMetrics()
        # what the item delegate keeps free left and right of a cell's text
        margins = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        for column in range(model.columnCount()):
            for row in range(model.rowCount()):
                text = str(model.index(row, column).data(Qt.ItemDataRole.DisplayRole) or "")
                if metrics.horizontalAdvance(text) + margins > view.columnWidth(column):
                    cut.append(f"{tab.spec.title}: «{text}» в {view.columnWidth(column)} px")
    assert cut == []
