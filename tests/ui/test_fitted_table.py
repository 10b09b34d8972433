"""A table fitting its rows' heights measures only while it is shown."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.gui.widgets.fitted_table import FittedTableView


def test_a_hidden_view_measures_nothing_until_it_is_shown(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hidden roadmap kept measuring in the turns of the screen shown next (100 ms and more)."""
    rows = [f"Мероприятие {n}: " + "анализ результатов " * (n % 7 + 1) for n in range(40)]
    model = QStandardItemModel(len(rows), 1)
    for n, text in enumerate(rows):
        model.setItem(n, 0, QStandardItem(text))
    view = FittedTableView(key=lambda row: row)
    qtbot.addWidget(view)
    view.setModel(model)
    view.setWordWrap(True)
    view.resize(300, 400)
    measured: list[int] = []
    monkeypatch.setattr(view, "resizeRowToContents", lambda n: measured.append(n))
    view.fit_rows(rows)  # not shown yet
    for _ in range(5):
        QApplication.processEvents()
    assert measured == []
    view.show()
    qtbot.waitUntil(lambda: len(measured) == len(rows), timeout=5000)
    assert measured == list(range(len(rows)))
