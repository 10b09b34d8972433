"""«Дорожная карта» with nested sections and a recurring item: a status per year, with undo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models.roadmap import ItemStatus, RoadmapBase
from services.app import Services
from services.roadmap import OccurrenceFields
from services.roadmap.service import ItemFields
from ui.gui.screens.roadmap.record_dialogs import OccurrenceDialog, SectionDialog, SectionValues
from ui.gui.screens.roadmap.screen import RoadmapScreen
from ui.gui.table_models.roadmap import STATUS_COLUMN, ItemRow, OccurrenceRow, SectionRow
from ui.gui.tasks import idle

TODAY = date(2025, 10, 1)


@pytest.fixture
def screen(school: Services, qtbot: QtBot) -> RoadmapScreen:
    rid = school.roadmap.save_roadmap(
        RoadmapBase(title="Программа", period_start=date(2022, 1, 1), period_end=date(2025, 12, 31))
    )
    top = school.roadmap.add_section(rid, "Механизмы", number="I", task="Создать систему")
    sub = school.roadmap.add_section(rid, "Система оценки", parent_id=top, number="1",
                                     task="Наладить мониторинг")  # fmt: skip
    school.roadmap.add_item(rid, sub, ItemFields("Анализ результатов", "Август ежегодно", "Зам"))
    school.roadmap.add_item(rid, sub, ItemFields("Семинар", "Май 2025", "Директор"))
    widget = RoadmapScreen(school.roadmap, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1024, 700)
    widget.show()
    widget.refresh()
    settle(qtbot)
    return widget


def settle(qtbot: QtBot) -> None:
    qtbot.waitUntil(idle, timeout=5000)


def _item_row(screen: RoadmapScreen, title: str) -> int:
    return next(n for n, r in enumerate(screen.model.rows())
                if isinstance(r, ItemRow) and r.item.title == title)  # fmt: skip


def _occurrences(screen: RoadmapScreen) -> list[tuple[int, OccurrenceRow]]:
    return [(n, r) for n, r in enumerate(screen.model.rows()) if isinstance(r, OccurrenceRow)]


def _expand(screen: RoadmapScreen, qtbot: QtBot, title: str) -> None:
    screen.view.clicked.emit(screen.model.index(_item_row(screen, title), 0))
    qtbot.waitUntil(lambda: bool(_occurrences(screen)), timeout=5000)


def test_nested_sections_show_number_title_and_task(screen: RoadmapScreen) -> None:
    sections = [r for r in screen.model.rows() if isinstance(r, SectionRow)]
    assert [(s.label, s.level) for s in sections] == [("I", 1), ("1", 2)]
    n = screen.model.rows().index(sections[1])
    text = screen.model.index(n, 1).data()
    assert "Система оценки" in text and "Задача: Наладить мониторинг" in text
    assert text.startswith(" ")  # a subsection is indented under its section


def test_a_recurring_item_is_one_row_until_expanded(screen: RoadmapScreen, qtbot: QtBot) -> None:
    row = _item_row(screen, "Анализ результатов")
    status = screen.model.index(row, STATUS_COLUMN).data()
    assert status.startswith("Выполнено 0 из 4") and "просрочено" in status
    assert not screen.model.flags(screen.model.index(row, STATUS_COLUMN)) & (
        Qt.ItemFlag.ItemIsEditable
    )
    assert _occurrences(screen) == []
    one = _item_row(screen, "Семинар")
    assert screen.model.flags(screen.model.index(one, STATUS_COLUMN)) & Qt.ItemFlag.ItemIsEditable
    _expand(screen, qtbot, "Анализ результатов")
    labels = [r.occurrence.label for _, r in _occurrences(screen)]
    assert labels == ["август 2022", "август 2023", "август 2024", "август 2025"]
    late = [screen.model.index(n, STATUS_COLUMN).data() for n, _ in _occurrences(screen)]
    assert all("просрочено" in text for text in late)  # a word, not only the colour


def test_each_year_is_marked_on_its_own_and_undone(
    screen: RoadmapScreen, school: Services, qtbot: QtBot
) -> None:
    _expand(screen, qtbot, "Анализ результатов")
    n, row = _occurrences(screen)[1]  # 2023
    assert screen.model.setData(screen.model.index(n, STATUS_COLUMN), "Выполнено")
    settle(qtbot)
    item = next(r.item for r in screen.model.rows()
                if isinstance(r, ItemRow) and r.item.title == "Анализ результатов")  # fmt: skip
    statuses = [o.status for o in item.occurrences]
    assert statuses == [ItemStatus.PLANNED, ItemStatus.DONE, ItemStatus.PLANNED,
                        ItemStatus.PLANNED]  # fmt: skip
    assert "Выполнено 1 из 4" in screen.model.index(_item_row(screen, item.title),
                                                    STATUS_COLUMN).data()  # fmt: skip
    screen.commands["undo"].trigger()
    settle(qtbot)
    assert school.roadmap.occurrence(row.occurrence.id).status is ItemStatus.PLANNED


def test_the_occurrence_dialog_records_evidence_and_undo_restores_it(
    screen: RoadmapScreen, school: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _expand(screen, qtbot, "Анализ результатов")
    n, row = _occurrences(screen)[0]
    values = OccurrenceFields(ItemStatus.DONE, date(2022, 8, 30), "Справка № 5", "в срок")
    monkeypatch.setattr(OccurrenceDialog, "ask", classmethod(lambda cls, *a: values))
    screen.view.selectRow(n)
    screen.commands["edit"].trigger()  # «Изменить…» on a year opens that year's record
    settle(qtbot)
    stored = school.roadmap.occurrence(row.occurrence.id)
    assert (stored.status, stored.completion_date, stored.evidence) == (
        ItemStatus.DONE, date(2022, 8, 30), "Справка № 5")  # fmt: skip
    screen.commands["undo"].trigger()
    settle(qtbot)
    stored = school.roadmap.occurrence(row.occurrence.id)
    assert (stored.status, stored.evidence) == (ItemStatus.PLANNED, "")


def test_bulk_done_marks_the_selected_years_only(
    screen: RoadmapScreen, school: Services, qtbot: QtBot
) -> None:
    _expand(screen, qtbot, "Анализ результатов")
    rows = _occurrences(screen)
    screen.view.selectRow(rows[0][0])
    screen.view.selectionModel().select(
        screen.model.index(rows[2][0], 0),
        screen.view.selectionModel().SelectionFlag.Select
        | screen.view.selectionModel().SelectionFlag.Rows,
    )
    screen.commands["done"].trigger()
    settle(qtbot)
    done = [school.roadmap.occurrence(r.occurrence.id).status for _, r in rows]
    assert done == [ItemStatus.DONE, ItemStatus.PLANNED, ItemStatus.DONE, ItemStatus.PLANNED]
    screen.commands["undo"].trigger()
    settle(qtbot)
    assert all(school.roadmap.occurrence(r.occurrence.id).status is ItemStatus.PLANNED
               for _, r in rows)  # fmt: skip


def test_a_status_filter_finds_the_year_and_keeps_its_parents(
    screen: RoadmapScreen, school: Services, qtbot: QtBot
) -> None:
    _expand(screen, qtbot, "Анализ результатов")
    _n, row = _occurrences(screen)[3]
    school.roadmap.update_occurrence(row.occurrence.id, OccurrenceFields(ItemStatus.IN_PROGRESS))
    screen.refresh()
    settle(qtbot)
    screen.status_filter.setCurrentIndex(screen.status_filter.findData(ItemStatus.IN_PROGRESS))
    kinds = [type(r).__name__ for r in screen.model.rows()]
    assert kinds == ["SectionRow", "SectionRow", "ItemRow", "OccurrenceRow"]
    assert _occurrences(screen)[0][1].occurrence.label == "август 2025"


def test_a_subsection_is_added_and_edited_with_undo(
    screen: RoadmapScreen, school: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    rid = screen._roadmap.id if screen._roadmap else ""
    top = school.roadmap.sections(rid)[0]
    new = SectionValues("2", "Кадры", "Развить кадровый потенциал", top.id)
    monkeypatch.setattr(SectionDialog, "ask", classmethod(lambda cls, *a: new))
    screen.commands["section"].trigger()
    settle(qtbot)
    added = [s for s in school.roadmap.sections(rid) if s.title == "Кадры"]
    assert [(s.parent_id, s.number, s.task, s.level) for s in added] == [
        (top.id, "2", "Развить кадровый потенциал", 2)
    ]
    renamed = SectionValues("II", "Механизмы реализации", "Создать систему")
    monkeypatch.setattr(SectionDialog, "ask", classmethod(lambda cls, *a: renamed))
    first = next(n for n, r in enumerate(screen.model.rows()) if isinstance(r, SectionRow))
    screen.view.selectRow(first)
    screen.commands["edit"].trigger()
    settle(qtbot)
    assert school.roadmap.sections(rid)[0].number == "II"
    screen.commands["undo"].trigger()
    screen.commands["undo"].trigger()
    settle(qtbot)
    assert [s.title for s in school.roadmap.sections(rid)] == ["Механизмы", "Система оценки"]
    assert school.roadmap.sections(rid)[0].number == "I"


def test_the_table_fits_the_room_a_1024_px_window_leaves(
    screen: RoadmapScreen, qtbot: QtBot
) -> None:
    """Beside the navigation a 1024 px window leaves the screen about 780 px."""
    screen.resize(780, 700)
    qtbot.waitUntil(lambda: not screen.view.horizontalScrollBar().isVisible(), timeout=3000)
    header = screen.view.horizontalHeader()
    right = header.sectionViewportPosition(STATUS_COLUMN) + header.sectionSize(STATUS_COLUMN)
    assert not header.isSectionHidden(STATUS_COLUMN)
    assert right <= screen.view.viewport().width()
    assert header.sectionSize(1) >= 200  # «Мероприятие»
    shown = [screen.model.headerData(n, Qt.Orientation.Horizontal)
             for n in range(header.count()) if not header.isSectionHidden(n)]  # fmt: skip
    assert shown == ["№", "Мероприятие", "Срок", "Ответственные", "Отметка о выполнении"]


def test_a_column_chosen_in_the_header_menu_shows_and_is_remembered(
    school: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    ini = tmp_path / "ui.ini"
    first = RoadmapScreen(school.roadmap, today=lambda: TODAY, settings_file=ini)
    qtbot.addWidget(first)
    menu = first.columns.menu()
    evidence = next(a for a in menu.actions() if a.text() == "Подтверждающие материалы")
    evidence.trigger()
    assert "evidence" in first.columns.shown()
    again = RoadmapScreen(school.roadmap, today=lambda: TODAY, settings_file=ini)
    qtbot.addWidget(again)
    assert "evidence" in again.columns.shown()


def test_enter_in_a_year_status_cell_opens_its_list_in_place(
    screen: RoadmapScreen, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QComboBox

    _expand(screen, qtbot, "Анализ результатов")
    n, row = _occurrences(screen)[2]
    index = screen.model.index(n, STATUS_COLUMN)
    screen.view.setFocus()
    screen.view.setCurrentIndex(index)
    qtbot.keyClick(screen.view, Qt.Key.Key_Return)
    editor = screen.view.indexWidget(index)
    assert isinstance(editor, QComboBox) and editor.currentText() == "Запланировано"
    editor.setCurrentText("Выполнено частично")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle(qtbot)
    item = next(r.item for r in screen.model.rows()
                if isinstance(r, ItemRow) and r.item.title == "Анализ результатов")  # fmt: skip
    assert item.occurrences[2].status is ItemStatus.PARTIAL
    assert item.occurrences[2].id == row.occurrence.id


def test_a_header_click_sorts_items_within_their_sections(
    screen: RoadmapScreen, school: Services, qtbot: QtBot
) -> None:
    rid = screen._roadmap.id if screen._roadmap else ""
    top = school.roadmap.sections(rid)[0].id
    school.roadmap.add_item(rid, top, ItemFields("Аудит", "Январь 2024", "Яковлева"))
    school.roadmap.add_item(
        rid, top, ItemFields("Вебинар", "Март 2023", "Антонова", number="II.1.")
    )
    screen.refresh()
    settle(qtbot)
    header = screen.view.horizontalHeader()
    header.setSortIndicator(3, Qt.SortOrder.AscendingOrder)  # «Ответственные»
    kinds = [(type(r).__name__, getattr(getattr(r, "item", None), "title", "")) for r in
             screen.model.rows()]  # fmt: skip
    assert kinds == [("SectionRow", ""), ("ItemRow", "Вебинар"), ("ItemRow", "Аудит"),
                     ("SectionRow", ""), ("ItemRow", "Семинар"), ("ItemRow",
                     "Анализ результатов")]  # fmt: skip
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # «№»: «1.1.» and «II.1.» compare
    header.setSortIndicator(2, Qt.SortOrder.AscendingOrder)  # «Срок»: by the due date
    titles = [r.item.title for r in screen.model.rows() if isinstance(r, ItemRow)]
    assert titles[:2] == ["Вебинар", "Аудит"]
