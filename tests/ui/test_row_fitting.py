"""`fit_to_view` sizes the rows in view, the others as they scroll in.

Sizing every row of a 300-row wrapped table on each column change held the GUI thread for up to
200 ms («Школы», «Импорт пакетов»); the rows far below stay unsized until they come into view.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from ui.gui.table_models.row_model import Column, RowTableModel
from ui.gui.widgets.columns import fit_to_view

LONG = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № {0}» " * 3


def test_rows_are_fitted_as_they_come_into_view(qtbot: QtBot) -> None:
    model = RowTableModel[int](
        [Column("Школа", lambda n: LONG.format(n)), Column("Код", lambda n: str(n))]
    )
    model.set_rows(list(range(300)))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setWordWrap(True)
    view.resize(500, 400)
    view.show()
    fit_to_view(view, 0, ())
    qtbot.wait(50)
    default = view.verticalHeader().defaultSectionSize()
    assert view.rowHeight(0) > default  # the long name wraps: its row was fitted
    assert view.rowHeight(299) == default  # far below the view: not sized yet
    view.scrollToBottom()
    qtbot.waitUntil(lambda: view.rowHeight(299) > default, timeout=2000)
