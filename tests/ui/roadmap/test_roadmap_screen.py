"""«Дорожная карта» with pytest-qt on real in-memory services."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from models.roadmap import ItemStatus, RoadmapBase
from services.app import Services
from services.roadmap.service import ItemFields
from ui.gui.screens.roadmap.dialogs import ItemDialog, RoadmapDialog
from ui.gui.screens.roadmap.screen import RoadmapScreen
from ui.gui.table_models.roadmap import COLUMNS, ItemRow, SectionRow
from ui.gui.tasks import idle

TODAY = date(2026, 11, 20)


def _ask_returning(value: Any) -> Any:
    return classmethod(lambda cls, *args, **kwargs: value)


@pytest.fixture
def screen(school: Services, qtbot: QtBot) -> RoadmapScreen:
    rid = school.roadmap.save_roadmap(
        RoadmapBase(
            title="План на 2026 год", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
        )
    )
    first = school.roadmap.add_section(rid, "Организационная работа")
    second = school.roadmap.add_section(rid, "Кадры")
    school.roadmap.add_item(rid, first, ItemFields("Разработка плана", "Январь", "Директор"))
    school.roadmap.add_item(rid, first, ItemFields("Анализ ВПР", "Октябрь", "Зам. по УВР"))
    school.roadmap.add_item(rid, second, ItemFields("Курсы ПК", "Декабрь", "Зам. по УВР"))
    widget = RoadmapScreen(school.roadmap, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.refresh()
    settle(qtbot)
    return widget


def settle(qtbot: QtBot) -> None:
    """Wait for the background reads the screen started (every reload runs in a task)."""
    qtbot.waitUntil(idle, timeout=5000)


def _items(screen: RoadmapScreen) -> list[ItemRow]:
    return [r for r in screen.model.rows() if isinstance(r, ItemRow)]


def _row_of(screen: RoadmapScreen, title: str) -> int:
    return next(
        n
        for n, r in enumerate(screen.model.rows())
        if isinstance(r, ItemRow) and r.item.title == title
    )


def test_items_are_grouped_under_sections_and_overdue_rows_are_marked(
    screen: RoadmapScreen,
) -> None:
    rows = screen.model.rows()
    assert [type(r).__name__ for r in rows] == [
        "SectionRow", "ItemRow", "ItemRow", "SectionRow", "ItemRow"
    ]  # fmt: skip
    overdue = {r.item.title for r in _items(screen) if r.overdue}
    assert overdue == {"Разработка плана", "Анализ ВПР"}
    index = screen.model.index(_row_of(screen, "Анализ ВПР"), 0)
    assert screen.model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert "0,0 %" in screen.summary.text() and "просрочено: 2" in screen.summary.text()


def test_filters_by_text_status_responsible_overdue_and_dates(screen: RoadmapScreen) -> None:
    screen.filter_edit.setText("впр")
    assert [r.item.title for r in _items(screen)] == ["Анализ ВПР"]
    assert sum(isinstance(r, SectionRow) for r in screen.model.rows()) == 1
    screen.filter_edit.clear()
    screen.responsible_filter.setCurrentText("Зам. по УВР")
    assert {r.item.title for r in _items(screen)} == {"Анализ ВПР", "Курсы ПК"}
    screen.responsible_filter.setCurrentText("")
    screen.overdue_only.setChecked(True)
    assert len(_items(screen)) == 2
    screen.overdue_only.setChecked(False)
    screen.use_dates.setChecked(True)
    screen.date_from.setDate(QDate(2026, 12, 1))
    assert [r.item.title for r in _items(screen)] == ["Курсы ПК"]
    screen.use_dates.setChecked(False)
    screen.status_filter.setCurrentIndex(screen.status_filter.findData(ItemStatus.DONE))
    assert _items(screen) == []
    # the combo gives its value back as a str: it never matched a status, so every item hid
    screen.status_filter.setCurrentIndex(screen.status_filter.findData(ItemStatus.PLANNED))
    assert len(_items(screen)) == 3


def test_edit_in_place_then_undo(screen: RoadmapScreen, school: Services, qtbot: QtBot) -> None:
    column = next(n for n, c in enumerate(COLUMNS) if c[1] == "deadline_text")
    index = screen.model.index(_row_of(screen, "Анализ ВПР"), column)
    assert screen.model.setData(index, "Декабрь", Qt.ItemDataRole.EditRole)
    qtbot.waitUntil(lambda: not any(r.overdue and r.item.title == "Анализ ВПР"
                                    for r in _items(screen)))  # fmt: skip
    status_col = next(n for n, c in enumerate(COLUMNS) if c[1] == "status")
    index = screen.model.index(_row_of(screen, "Курсы ПК"), status_col)
    assert screen.model.setData(index, "Выполнено", Qt.ItemDataRole.EditRole)
    qtbot.waitUntil(lambda: any(r.item.status is ItemStatus.DONE for r in _items(screen)))
    screen.commands["undo"].trigger()
    screen.commands["undo"].trigger()
    settle(qtbot)
    current = school.roadmap.current(TODAY)
    assert current is not None
    items = {i.title: i for i in school.roadmap.items(current.id)}
    assert items["Анализ ВПР"].deadline_text == "Октябрь"
    assert items["Курсы ПК"].status is ItemStatus.PLANNED


def test_add_delete_bulk_done_and_undo(
    screen: RoadmapScreen, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    monkeypatch.setattr(ItemDialog, "ask", _ask_returning(ItemFields("Новое", "Ноябрь")))
    screen.view.selectRow(_row_of(screen, "Курсы ПК"))
    screen.commands["add"].trigger()
    settle(qtbot)
    titles = [r.item.title for r in _items(screen)]
    assert titles[-2:] == ["Курсы ПК", "Новое"]  # into the current row's section
    new = next(r.item for r in _items(screen) if r.item.title == "Новое")
    assert new.number == "2.2."
    screen.view.selectRow(_row_of(screen, "Новое"))
    screen.commands["delete"].trigger()
    settle(qtbot)
    assert "Новое" not in [r.item.title for r in _items(screen)]
    screen.commands["undo"].trigger()
    settle(qtbot)
    assert "Новое" in [r.item.title for r in _items(screen)]
    screen.view.selectAll()
    screen.commands["done"].trigger()
    settle(qtbot)
    assert all(r.item.status is ItemStatus.DONE for r in _items(screen))
    assert "100,0 %" in screen.summary.text()
    screen.commands["undo"].trigger()
    settle(qtbot)
    assert not any(r.item.status is ItemStatus.DONE for r in _items(screen))


def test_refused_edit_shows_the_message_and_changes_nothing(
    screen: RoadmapScreen, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "ui.gui.screens.roadmap.screen.show_error", lambda _p, e: shown.append(str(e))
    )
    index = screen.model.index(_row_of(screen, "Курсы ПК"), 1)
    assert not screen.model.setData(index, "   ", Qt.ItemDataRole.EditRole)
    assert shown and "Укажите название" in shown[0]
    assert screen.undo_stack.count() == 0


def test_empty_state_creates_a_roadmap(
    services: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models import Role

    services.site.initialize(Role.DISTRICT, "Управление образования", "51")
    screen = RoadmapScreen(services.roadmap, municipal=True, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.refresh()
    settle(qtbot)
    assert screen.model.rowCount() == 0 and not screen.empty.isHidden()
    base = RoadmapBase(title="Муниципальный план", period_start=date(2026, 1, 1),
                       period_end=date(2026, 12, 31))  # fmt: skip
    monkeypatch.setattr(RoadmapDialog, "ask", _ask_returning(base))
    screen.create_button.click()
    settle(qtbot)
    assert screen.empty.isHidden()
    assert "Муниципальный план" in screen.heading.text()


def test_table_model_passes_qt_model_tester(screen: RoadmapScreen, qtmodeltester: Any) -> None:
    qtmodeltester.check(screen.model)


def test_no_due_items_is_said_in_words(school: Services, qtbot: QtBot) -> None:
    rid = school.roadmap.save_roadmap(
        RoadmapBase(title="План", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    )
    school.roadmap.add_item(rid, None, ItemFields("Курсы ПК", "Декабрь"))
    widget = RoadmapScreen(school.roadmap, today=lambda: date(2026, 2, 1))
    qtbot.addWidget(widget)
    widget.refresh()
    qtbot.waitUntil(lambda: idle() and bool(widget.summary.text()), timeout=5000)
    assert "нет данных" not in widget.summary.text()
    assert "срок которых наступил, пока нет" in widget.summary.text()
