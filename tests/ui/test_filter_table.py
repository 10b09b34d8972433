"""FilterTable: fitting columns measures a sample of rows, not every row (300 schools)."""

from __future__ import annotations

from PySide6.QtCore import Qt
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


SCHOOLS = ["МОУ Ёлкинская СОШ", "МОУ берёзовская СОШ", "МОУ Яблоневская СОШ",
           "МОУ Александровская СОШ", "МОУ Елизаветинская СОШ"]  # fmt: skip


def _table(qtbot: QtBot, rows: list[str]) -> FilterTable:
    model: RowTableModel[str] = RowTableModel([Column("Школа", lambda s: s)])
    model.set_rows(rows)
    table = FilterTable(model)
    qtbot.addWidget(table)
    return table


def _shown(table: FilterTable) -> list[str]:
    return [table.proxy.index(r, 0).data() for r in range(table.proxy.rowCount())]


def test_opens_sorted_by_the_first_column_in_russian_order(qtbot: QtBot) -> None:
    table = _table(qtbot, SCHOOLS)
    header = table.view.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        0,
        Qt.SortOrder.AscendingOrder,
    )
    assert _shown(table) == [
        "МОУ Александровская СОШ",
        "МОУ берёзовская СОШ",  # case does not matter
        "МОУ Елизаветинская СОШ",
        "МОУ Ёлкинская СОШ",  # «Ё» sorts with «Е», not after «Я»
        "МОУ Яблоневская СОШ",
    ]


def test_an_empty_filter_result_says_so_and_offers_to_clear_it(qtbot: QtBot) -> None:
    table = _table(qtbot, SCHOOLS)
    table.show()
    assert not table.nothing_found.isVisible()
    table.filter_edit.setText("гимназия")
    assert table.proxy.rowCount() == 0
    assert table.nothing_found.isVisible()
    assert "Ничего не найдено по фильтру «гимназия»" in table.nothing_found.label.text()
    table.nothing_found.clear_button.click()
    assert table.filter_edit.text() == "" and table.proxy.rowCount() == len(SCHOOLS)
    assert not table.nothing_found.isVisible()
    model = table.source_model
    assert isinstance(model, RowTableModel)
    model.set_rows([])  # an empty table without a filter: no such line
    assert not table.nothing_found.isVisible()
