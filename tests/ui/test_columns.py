"""Headers stay legible whatever width a screen sets: the title fits, the main column ≥ 200."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from ui.gui.table_models.row_model import Column, RowTableModel
from ui.gui.widgets.columns import MAIN_MIN, fit_columns, keep_readable, needed_width
from ui.gui.widgets.filter_table import FilterTable


@dataclass(frozen=True)
class Row:
    title: str
    young: bool


def _model() -> RowTableModel[Row]:
    return RowTableModel[Row](
        [Column("Мероприятие", lambda r: r.title), Column("Мол. спец.", lambda r: r.young)]
    )


def test_a_screens_narrow_widths_are_widened_to_legible(qtbot: QtBot) -> None:
    table = FilterTable(_model())
    qtbot.addWidget(table)
    table.view.setColumnWidth(0, 25)  # what «Школы» → roadmap gave «Мероприятие» at 1024 px
    table.view.setColumnWidth(1, 30)
    header = table.view.horizontalHeader()
    assert header.sectionSize(0) >= MAIN_MIN
    assert header.sectionSize(1) >= needed_width(header, 1) > 30


def test_any_view_can_keep_its_headers(qtbot: QtBot) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    model = _model()
    view.setModel(model)
    keep_readable(view)
    model.set_rows([Row("Семинар", True)])
    fit_columns(view)
    assert view.horizontalHeader().sectionSize(0) >= MAIN_MIN
