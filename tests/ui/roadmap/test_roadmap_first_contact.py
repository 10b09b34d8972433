"""«Дорожная карта» for a newcomer: Enter in the status cell, an empty filter result, the dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel
from pytestqt.qtbot import QtBot

from models.roadmap import ItemStatus, RoadmapBase
from services.app import Services
from services.roadmap.service import ItemFields
from ui.gui.screens.roadmap.dialogs import ItemDialog
from ui.gui.screens.roadmap.screen import RoadmapScreen
from ui.gui.table_models.roadmap import COLUMNS, STATUS_COLUMN, ItemRow
from ui.gui.tasks import idle

TODAY = date(2026, 11, 20)


def _screen(school: Services, qtbot: QtBot, titles: tuple[str, ...]) -> RoadmapScreen:
    rid = school.roadmap.save_roadmap(
        RoadmapBase(title="План", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    )
    section = school.roadmap.add_section(rid, "Организационная работа")
    for title in titles:
        school.roadmap.add_item(rid, section, ItemFields(title, "Декабрь", "Директор"))
    widget = RoadmapScreen(school.roadmap, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1024, 700)
    widget.show()
    widget.refresh()
    qtbot.waitUntil(idle, timeout=5000)
    return widget


def _row(screen: RoadmapScreen, title: str) -> int:
    return next(n for n, r in enumerate(screen.model.rows())
                if isinstance(r, ItemRow) and r.item.title == title)  # fmt: skip


def test_enter_in_the_status_cell_edits_the_status_in_place(
    school: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = _screen(school, qtbot, ("Анализ ВПР",))
    opened: list[Any] = []
    monkeypatch.setattr(ItemDialog, "ask", classmethod(lambda cls, *a: opened.append(a)))
    index = screen.model.index(_row(screen, "Анализ ВПР"), STATUS_COLUMN)
    screen.view.setFocus()
    screen.view.setCurrentIndex(index)
    qtbot.keyClick(screen.view, Qt.Key.Key_Return)  # opens the drop-down in the cell
    editor = screen.view.indexWidget(index)
    assert isinstance(editor, QComboBox)
    assert screen.view.state() == screen.view.State.EditingState, opened
    editor.setCurrentText("Выполнено")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # keeps what was chosen
    qtbot.waitUntil(idle, timeout=5000)
    assert opened == []  # not the full dialog with the old status
    rows = [r for r in screen.model.rows() if isinstance(r, ItemRow)]
    assert rows[0].item.status is ItemStatus.DONE


def test_a_filter_that_hides_every_item_says_so_and_clears(school: Services, qtbot: QtBot) -> None:
    screen = _screen(school, qtbot, ("Анализ ВПР", "Курсы ПК"))
    line = screen.filters.nothing_found
    assert not line.isVisible()
    screen.filter_edit.setText("гимназия")
    screen.overdue_only.setChecked(True)
    assert not any(isinstance(r, ItemRow) for r in screen.model.rows())
    assert line.isVisible()
    assert "Ничего не найдено по фильтру «гимназия; только просроченные»" in line.label.text()
    line.clear_button.click()
    assert screen.filter_edit.text() == "" and not screen.overdue_only.isChecked()
    assert sum(isinstance(r, ItemRow) for r in screen.model.rows()) == 2
    assert not line.isVisible()


def _visible_words(screen: RoadmapScreen) -> list[QLabel]:
    return [lab for lab in screen.findChildren(QLabel) if lab.isVisible() and lab.text() == "по"]


def test_no_lone_po_on_an_empty_roadmap_the_range_shows_whole(
    school: Services, qtbot: QtBot
) -> None:
    screen = _screen(school, qtbot, ())
    assert _visible_words(screen) == []  # the dates are not in use: no «по» between grey boxes
    screen.use_dates.setChecked(True)
    (po,) = _visible_words(screen)
    left, right = screen.date_from, screen.date_to
    assert left.isVisible() and right.isVisible() and left.isEnabled()

    def x(widget: Any) -> int:
        return int(widget.mapTo(screen, widget.rect().topLeft()).x())

    assert x(left) < x(po) < x(right)  # «с [дата] по [дата]»
    screen.use_dates.setChecked(False)
    assert _visible_words(screen) == []


def test_overdue_and_unread_rows_are_marked_in_words_not_only_in_colour(
    school: Services, qtbot: QtBot
) -> None:
    screen = _screen(school, qtbot, ("Анализ ВПР", "Курсы ПК"))
    rid = school.roadmap.current(TODAY)
    assert rid is not None
    section = school.roadmap.sections(rid.id)[0].id
    school.roadmap.add_item(rid.id, section, ItemFields("Собрание", "Октябрь", "Директор"))
    school.roadmap.add_item(rid.id, section, ItemFields("Смотр", "по мере", "Директор"))
    screen.refresh()
    qtbot.waitUntil(idle, timeout=5000)
    deadline = next(n for n, c in enumerate(COLUMNS) if c[1] == "deadline_text")
    for n, row in enumerate(screen.model.rows()):
        if not isinstance(row, ItemRow):
            continue
        status = screen.model.index(n, STATUS_COLUMN).data()
        coloured = screen.model.index(n, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
        assert ("просрочено" in status) == row.overdue == (row.item.title == "Собрание")
        assert coloured == row.overdue
        when = screen.model.index(n, deadline)
        unread = not row.item.deadline_understood
        assert unread == (row.item.title == "Смотр") == ("не распознан" in when.data())
        assert not unread or when.data(Qt.ItemDataRole.BackgroundRole) is not None
        assert when.data(Qt.ItemDataRole.EditRole) == row.item.deadline_text  # edits the text
