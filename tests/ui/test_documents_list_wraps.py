"""«Документы»: a long document title wraps in the list instead of ending in «…»."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from pytestqt.qtbot import QtBot

from services.app import Services
from ui.gui.screens.documents import DocumentsScreen


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
