"""«Документы»: a long document title wraps in the list instead of ending in «…»."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from services.app import Services
from ui.gui.comfort import apply_font_scale
from ui.gui.screens.documents import DocumentsScreen


@pytest.fixture
def large_font() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_font_scale(app, True)
    yield
    apply_font_scale(app, False)


@pytest.mark.usefixtures("large_font")
def test_long_titles_wrap_onto_a_second_line(school: Services, qtbot: QtBot) -> None:
    screen = DocumentsScreen(school)
    qtbot.addWidget(screen)
    screen.resize(760, 600)
    screen.show()
    screen.refresh()
    screen.list.setFixedWidth(220)  # what is left of the list with «Крупный шрифт» at 1024 px
    qtbot.waitExposed(screen)
    metrics = screen.list.fontMetrics()
    room = screen.list.viewport().width()
    long_titles = 0
    for row in range(screen.list.count()):
        item = screen.list.item(row)
        if metrics.horizontalAdvance(item.text()) > room:
            long_titles += 1
            wrapped = metrics.boundingRect(
                QRect(0, 0, room, 10_000), Qt.TextFlag.TextWordWrap, item.text()
            )
            assert screen.list.visualItemRect(item).height() >= wrapped.height(), item.text()
    assert long_titles > 0  # the check above ran on at least one title
