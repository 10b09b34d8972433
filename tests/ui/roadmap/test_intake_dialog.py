"""The mapping preview dialog: what will be stored, reassignable, stored exactly as shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit
from pytestqt.qtbot import QtBot

from services.app import Services
from services.intake import (
    ExistingRoadmap,
    RoadmapPreview,
    Vocabulary,
    apply_roadmap,
    load_vocabulary,
    preview_roadmap,
)
from tests.conftest import INTAKE
from ui.gui.screens.roadmap.commands import Importer
from ui.gui.screens.roadmap.intake_dialog import LEAVE_OUT, IntakeDialog
from ui.gui.screens.roadmap.screen import RoadmapScreen
from ui.gui.tasks import idle

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "intake"
WORDS = load_vocabulary(INTAKE)


def test_the_dialog_shows_the_mapping_sections_rows_and_warnings(qtbot: QtBot) -> None:
    dialog = IntakeDialog(FIXTURES / "seed001.docx", WORDS)
    qtbot.addWidget(dialog)
    preview = dialog.preview
    assert preview is not None
    assert len(dialog.combos) == len(preview.detected.columns) == 6
    assert [c.currentData() for c in dialog.combos] == [
        "number", "title", "deadline", "responsible", "participants", "result",
    ]  # fmt: skip
    assert "Разделы (11)" in dialog.sections.text()
    assert "мероприятий — 81" in dialog.summary.text()
    assert dialog.rows.rowCount() == 10
    understood = dialog.rows.item(0, 3)
    assert understood is not None and understood.text() == "01.02.2021–28.02.2021"
    assert "Несколько сроков" in dialog.warnings.toPlainText()
    assert dialog.maximumWidth() <= 1000 and dialog.maximumHeight() <= 700
    assert dialog.load_button.isEnabled()


def test_a_reassigned_column_is_what_gets_stored(school: Services, qtbot: QtBot) -> None:
    dialog = IntakeDialog(FIXTURES / "seed001.docx", WORDS)
    qtbot.addWidget(dialog)
    participants = dialog.combos[4]
    participants.setCurrentIndex(participants.findData(LEAVE_OUT))
    participants.activated.emit(participants.currentIndex())
    preview = dialog.preview
    assert preview is not None
    assert preview.detected.columns[4].field is None
    assert dialog.combos[4].currentData() == LEAVE_OUT  # rebuilt from the new preview
    from services.documents import ImportMode

    apply_roadmap(school, preview, ImportMode.APPEND, on=date(2022, 3, 1))
    roadmap = school.roadmap.current(date(2022, 3, 1))
    assert roadmap is not None
    items = school.roadmap.items(roadmap.id)
    assert len(items) == 81 and all(i.participants == "" for i in items)
    assert items[0].responsible.startswith("Трусова")


def test_a_mapping_without_titles_is_refused_in_the_dialog(qtbot: QtBot) -> None:
    dialog = IntakeDialog(FIXTURES / "seed000.xlsx", WORDS)
    qtbot.addWidget(dialog)
    dialog.reassign(2, LEAVE_OUT)  # the title column left out: nothing to store
    assert dialog.preview is None and not dialog.load_button.isEnabled()
    assert dialog.error.text()


def test_the_roadmap_screen_stores_the_accepted_preview(
    school: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    accepted: list[RoadmapPreview] = []

    def ask(
        cls: type[IntakeDialog],
        path: Path,
        words: Vocabulary,
        parent: object = None,
        existing: object = None,
    ) -> RoadmapPreview:
        assert words is WORDS  # the screen reads the vocabulary its `AppPaths` names
        dialog = IntakeDialog(path, words)
        dialog.reassign(4, LEAVE_OUT)  # «Ответственные» left out by the user
        assert dialog.preview is not None
        accepted.append(dialog.preview)
        return dialog.preview

    monkeypatch.setattr(IntakeDialog, "ask", classmethod(ask))
    stored: list[str] = []

    def store(path: Path, mode: object, preview: RoadmapPreview) -> str:
        assert preview is accepted[0]
        stored.append(path.name)
        return "ok"

    screen = RoadmapScreen(school.roadmap, Importer(school.paths.intake_dir, store))
    qtbot.addWidget(screen)
    monkeypatch.setattr("ui.gui.screens.roadmap.commands.QMessageBox.information", lambda *a: None)
    screen.import_file(FIXTURES / "seed000.xlsx")
    qtbot.waitUntil(lambda: stored == ["seed000.xlsx"], timeout=20_000)


def _plan(tmp_path: Path, title: str = "") -> Path:
    path = tmp_path / "plan.csv"
    lines = [title] if title else []
    lines += ["№;Мероприятие;Сроки", "1;Совещание;Февраль", "2;Анализ;Ноябрь – апрель"]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _set(qtbot: QtBot, edit: QDateEdit, day: QDate) -> None:
    """Type a date as the user does; the deadlines are re-read in a task."""
    edit.setDate(day)
    qtbot.waitUntil(idle, timeout=10_000)


def _shown(dialog: IntakeDialog, row: int) -> str:
    cell = dialog.rows.item(row, 3)
    assert cell is not None
    return cell.text()


def test_the_period_fields_start_from_the_title_and_reread_the_deadlines(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = IntakeDialog(_plan(tmp_path, "План на 2021/2022 учебный год"), WORDS)
    qtbot.addWidget(dialog)
    row = dialog.period_row
    assert row.period() == (date(2021, 9, 1), date(2022, 8, 31))
    assert "из заголовка: «План на 2021/2022 учебный год»" in row.source.text()
    assert not row.reset.isEnabled() and not row.note.isVisibleTo(dialog)
    assert _shown(dialog, 1) == "01.11.2021–30.04.2022"
    _set(qtbot, row.start, QDate(2023, 1, 1))  # as the user types: re-read at once
    _set(qtbot, row.end, QDate(2023, 12, 31))
    assert dialog.preview is not None and dialog.preview.period == (
        date(2023, 1, 1), date(2023, 12, 31),
    )  # fmt: skip
    assert _shown(dialog, 0) == "01.02.2023–28.02.2023"
    assert _shown(dialog, 1) == "01.11.2023–30.04.2024"  # forward over the New Year
    assert "указан при загрузке" in row.source.text() and row.reset.isEnabled()
    row.reset.click()
    qtbot.waitUntil(idle, timeout=10_000)
    assert row.period() == (date(2021, 9, 1), date(2022, 8, 31))
    assert _shown(dialog, 0) == "01.02.2022–28.02.2022"


def test_quick_changes_end_on_the_last_period_typed(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = IntakeDialog(_plan(tmp_path, "План на 2022 год"), WORDS)
    qtbot.addWidget(dialog)
    for year in (2019, 2018, 2017):  # no waiting between: earlier re-reads may end later
        dialog.period_row.start.setDate(QDate(year, 1, 1))
    assert not dialog.load_button.isEnabled()  # until the last re-read is shown
    qtbot.waitUntil(idle, timeout=10_000)
    assert dialog.preview is not None and dialog.preview.period[0] == date(2017, 1, 1)
    assert _shown(dialog, 0) == "01.02.2017–28.02.2017" and dialog.load_button.isEnabled()


def test_an_end_before_the_start_is_refused_in_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = IntakeDialog(_plan(tmp_path, "План на 2022 год"), WORDS)
    qtbot.addWidget(dialog)
    _set(qtbot, dialog.period_row.end, QDate(2021, 12, 31))
    assert dialog.preview is None and not dialog.load_button.isEnabled()
    assert "раньше его начала" in dialog.error.text()
    _set(qtbot, dialog.period_row.end, QDate(2022, 6, 30))
    assert dialog.preview is not None and dialog.load_button.isEnabled()


def test_a_file_without_a_period_takes_the_roadmaps_and_says_so(
    qtbot: QtBot, tmp_path: Path
) -> None:
    existing = ExistingRoadmap((date(2020, 1, 1), date(2020, 12, 31)), 0)
    dialog = IntakeDialog(_plan(tmp_path), WORDS, existing=existing)
    qtbot.addWidget(dialog)
    assert dialog.period_row.period() == existing.period
    assert "период дорожной карты" in dialog.period_row.source.text()
    assert _shown(dialog, 0) == "01.02.2020–29.02.2020"
    bare = IntakeDialog(_plan(tmp_path), WORDS)
    qtbot.addWidget(bare)
    assert "учебный год по умолчанию" in bare.period_row.source.text()


def test_a_filled_roadmap_of_another_period_is_named_in_the_dialog(
    qtbot: QtBot, tmp_path: Path
) -> None:
    existing = ExistingRoadmap((date(2020, 1, 1), date(2020, 12, 31)), 7)
    dialog = IntakeDialog(_plan(tmp_path, "План на 2022 год"), WORDS, existing=existing)
    qtbot.addWidget(dialog)
    note = dialog.period_row.note
    assert note.isVisibleTo(dialog)
    assert "её период — 01.01.2020 – 31.12.2020" in note.text()
    assert "Будет использован период 01.01.2022 – 31.12.2022" in note.text()
    assert "укажите его в полях периода" in note.text() and "--period" not in note.text()
    assert "уже заполнена" in dialog.warnings.toPlainText()
    _set(qtbot, dialog.period_row.start, QDate(2020, 1, 1))  # the user keeps the roadmap's period
    _set(qtbot, dialog.period_row.end, QDate(2020, 12, 31))
    assert not dialog.period_row.note.isVisibleTo(dialog)


def test_the_period_typed_in_the_dialog_is_stored(
    school: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = IntakeDialog(_plan(tmp_path, "План на 2022 год"), WORDS)
    qtbot.addWidget(dialog)
    _set(qtbot, dialog.period_row.start, QDate(2021, 9, 1))
    _set(qtbot, dialog.period_row.end, QDate(2022, 8, 31))
    preview = dialog.preview
    assert preview is not None
    from services.documents import ImportMode

    apply_roadmap(school, preview, ImportMode.APPEND, on=date(2022, 3, 1))
    roadmap = school.roadmap.current(date(2022, 3, 1))
    assert roadmap is not None
    assert (roadmap.period_start, roadmap.period_end) == (date(2021, 9, 1), date(2022, 8, 31))
    items = school.roadmap.items(roadmap.id)
    assert [i.end_date for i in items] == [date(2022, 2, 28), date(2022, 4, 30)]


def test_nested_sections_are_listed_with_their_numbers_indented(qtbot: QtBot) -> None:
    dialog = IntakeDialog(FIXTURES / "seed001-nested.docx", WORDS)
    qtbot.addWidget(dialog)
    lines = dialog.sections.text().splitlines()
    assert lines[1] == "• I. Механизмы управления качеством образовательных результатов"
    assert lines[2].startswith("\u2003\u2003• 1. Система оценки качества")
    assert lines[6].startswith("• II. Механизмы управления качеством образовательной")


def test_the_screen_stores_the_dates_its_preview_showed_into_a_filled_roadmap(
    file_services: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A titled file appended to a roadmap that has items of another period, via the screen."""
    from models import Role
    from services.documents import ImportMode

    school = file_services
    school.site.initialize(Role.SCHOOL, "МОУ СОШ № 1", "5105012345")
    first = preview_roadmap(FIXTURES / "seed003.docx", WORDS)
    apply_roadmap(school, first, ImportMode.APPEND)
    shown: list[RoadmapPreview] = []

    def ask(cls: type[IntakeDialog], path: Path, words: Vocabulary, *more: object) -> object:
        dialog = IntakeDialog(path, words, *more)  # type: ignore[arg-type]
        shown.append(dialog.preview)  # type: ignore[arg-type]
        return dialog.preview

    monkeypatch.setattr(IntakeDialog, "ask", classmethod(ask))
    monkeypatch.setattr("ui.gui.screens.roadmap.commands.ask_import_mode",
                        lambda _parent: ImportMode.APPEND)  # fmt: skip
    monkeypatch.setattr("ui.gui.screens.roadmap.commands.QMessageBox.information", lambda *a: None)
    stored: list[str] = []

    def store(path: Path, mode: ImportMode, preview: RoadmapPreview) -> str:
        stored.append(apply_roadmap(school, preview, mode))
        return stored[-1]

    screen = RoadmapScreen(school.roadmap, Importer(school.paths.intake_dir, store))
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(lambda: idle() and bool(screen._items), timeout=20_000)
    screen.import_file(FIXTURES / "seed000.docx")
    qtbot.waitUntil(lambda: bool(stored) and idle(), timeout=20_000)
    preview = shown[0]
    roadmap = school.roadmap.current()
    assert roadmap is not None
    assert (roadmap.period_start, roadmap.period_end) == preview.period
    by_title = {i.title: (i.start_date, i.end_date) for i in school.roadmap.items(roadmap.id)}
    assert [by_title[p.fields.title] for p in preview.items] == [
        (p.deadline.start, p.deadline.end) for p in preview.items
    ]
