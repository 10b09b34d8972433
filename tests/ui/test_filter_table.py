"""FilterTable: fitting columns measures a sample of rows, not every row (300 schools)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.gui.table_models.row_model import Column, RowTableModel
from ui.gui.widgets.filter_table import FIT_SAMPLE_ROWS, FilterTable


def test_fitting_columns_measures_a_sample_of_rows(qtbot: QtBot) -> None:
    model: RowTableModel[str] = RowTableModel([Column("Школа", lambda s: s)])
    model.set_rows([f"Школа № {n}" for n in range(300)])
    table = FilterTable(model)
    qtbot.addWidget(table)
    precision = table.view.horizontalHeader().resizeContentsPrecision()
    assert 0 < precision == FIT_SAMPLE_ROWS < len(model.rows())
