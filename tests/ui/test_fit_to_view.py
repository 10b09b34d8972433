"""`fit_to_view`: the least important columns hide when the view is narrow, and come back."""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from ui.gui.widgets.columns import MAIN_MIN, fit_to_view


def _view(qtbot: QtBot) -> QTableView:
    model = QStandardItemModel(3, 4)
    model.setHorizontalHeaderLabels(["ФИО", "Должность", "Стаж", "Наставник"])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.verticalHeader().setVisible(False)
    for column, width in enumerate((200, 120, 60, 150)):
        view.setColumnWidth(column, width)
    fit_to_view(view, 0, (3, 2, 1))
    return view


def _hidden(view: QTableView) -> list[int]:
    header = view.horizontalHeader()
    return [s for s in range(header.count()) if header.isSectionHidden(s)]


def test_columns_hide_least_important_first_and_come_back(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.show()
    view.resize(360, 300)
    qtbot.waitUntil(lambda: _hidden(view) == [2, 3], timeout=2000)  # «Наставник», then «Стаж»
    header = view.horizontalHeader()
    assert header.length() <= view.viewport().width()
    assert header.sectionSize(0) >= MAIN_MIN
    assert header.sectionSize(1) == 120
    view.resize(900, 300)
    qtbot.waitUntil(lambda: _hidden(view) == [], timeout=2000)
    assert header.sectionSize(3) == 150  # back at the width it had
    assert header.length() <= view.viewport().width()


def test_the_main_column_fills_the_view_after_fitting_to_contents(qtbot: QtBot) -> None:
    view = _view(qtbot)
    model = view.model()
    assert isinstance(model, QStandardItemModel)
    view.show()
    view.resize(900, 300)
    model.setRowCount(0)  # an empty plan: «Дефицит» was left at its title's width
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    qtbot.waitUntil(lambda: header.length() == view.viewport().width(), timeout=2000)
