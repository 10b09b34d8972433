"""The mapping preview dialog: what will be stored, reassignable, stored exactly as shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from services.app import Services
from services.intake import RoadmapPreview, Vocabulary, apply_roadmap, load_vocabulary
from tests.conftest import INTAKE
from ui.gui.screens.roadmap.commands import Importer
from ui.gui.screens.roadmap.intake_dialog import LEAVE_OUT, IntakeDialog
from ui.gui.screens.roadmap.screen import RoadmapScreen

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
