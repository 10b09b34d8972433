"""«Загрузить из файла…» on «Педагоги и ИППР»: the shared preview dialog, stored as previewed."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from services.app import Services
from services.intake import apply_ippr, apply_teachers, load_vocabulary
from tests.conftest import INTAKE
from ui.gui.screens.roadmap.intake_dialog import IntakeDialog as RoadmapDialog
from ui.gui.screens.staff.intake import StaffImporter, teachers_kind
from ui.gui.screens.staff.screen import StaffScreen
from ui.gui.widgets import intake_dialog
from ui.gui.widgets.intake_dialog import LEAVE_OUT, IntakeDialog

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "intake"


def _screen(qtbot: QtBot, school: Services, monkeypatch: pytest.MonkeyPatch) -> StaffScreen:
    importer = StaffImporter(
        school.paths.intake_dir,
        lambda preview, update: apply_teachers(school, preview, update),
        lambda preview, teacher_id: apply_ippr(school, preview, teacher_id),
    )
    screen = StaffScreen(school.staff, importer=importer)
    qtbot.addWidget(screen)
    monkeypatch.setattr("ui.gui.screens.staff.intake.QMessageBox.information", lambda *a: None)
    return screen


def _accept(monkeypatch: pytest.MonkeyPatch, seen: list[IntakeDialog[Any]], **remap: str) -> None:
    def ask(path: Path, kind: Any, parent: object = None) -> Any:
        dialog: IntakeDialog[Any] = IntakeDialog(path, kind)
        for column, field in remap.items() if not seen else ():  # the first dialog only
            dialog.reassign(int(column[1:]), field)
        seen.append(dialog)
        return dialog.preview

    monkeypatch.setattr(intake_dialog, "ask_preview", ask)


def test_teachers_and_a_teachers_ippr_load_from_word(
    school: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = _screen(qtbot, school, monkeypatch)
    seen: list[IntakeDialog[Any]] = []
    _accept(monkeypatch, seen, c9=LEAVE_OUT)  # «Образование» left out by the user
    screen.import_teachers_file(FIXTURES / "teachers.docx")
    qtbot.waitUntil(lambda: len(screen.teacher_model.rows()) == 4, timeout=20_000)
    dialog = seen[0]
    assert [c.currentData() for c in dialog.combos][:4] == [
        "number", "last_name", "first_name", "middle_name"
    ]  # fmt: skip
    assert "Новых педагогов — 4" in dialog.summary.text()
    assert not any("Образование" in w for w in dialog.warnings.toPlainText().splitlines())
    ivanova = next(t for t in screen.teacher_model.rows() if t.full_name.startswith("Иванова"))
    screen.select_teacher(ivanova.id)
    screen.import_ippr_file(FIXTURES / "ippr.docx")
    qtbot.waitUntil(lambda: screen.activity_model.rowCount() == 4, timeout=20_000)
    flagged = seen[1].rows.item(3, 3)
    assert flagged is not None and flagged.text() == "срок не распознан"
    model = screen.activity_model
    periods = {model.index(r, 1).data(): model.index(r, 3).data() for r in range(4)}
    assert periods["Участие в работе ШМО учителей математики"] == (
        "срок не распознан: по графику ИРО"
    )  # the title as the plan words it, the wording where the dates would be


def test_names_already_stored_are_shown_and_the_user_chooses(
    school: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = load_vocabulary(INTAKE / "teachers")
    dialog: IntakeDialog[Any] = IntakeDialog(
        FIXTURES / "teachers.xlsx",
        teachers_kind(FIXTURES / "teachers.xlsx", INTAKE, ["орлова  мария викторовна"]),
    )
    qtbot.addWidget(dialog)
    assert words.field_labels()["full_name"] == "ФИО"
    assert "уже есть в Опоре — 1" in dialog.summary.text()
    marked = dialog.rows.item(0, 5)
    assert marked is not None and marked.text() == "уже есть"


def test_a_file_with_several_tables_offers_a_picker(qtbot: QtBot) -> None:
    dialog = RoadmapDialog(FIXTURES / "seed001.docx", load_vocabulary(INTAKE))
    qtbot.addWidget(dialog)
    assert dialog.preview is not None
    assert not dialog.tables_row.isHidden()
    assert dialog.tables.count() == 1 + len(dialog.preview.detected.candidates) == 10
    assert "и ещё 8 с тем же заголовком" in dialog.tables.itemText(0)
    found = len(dialog.preview.items)
    dialog.tables.setCurrentIndex(3)
    dialog.tables.activated.emit(3)
    assert dialog.preview is not None and dialog.preview.detected.label == "таблица 3"
    assert dialog.tables.currentIndex() == 3 and len(dialog.preview.items) < found
    dialog.tables.setCurrentIndex(0)
    dialog.tables.activated.emit(0)
    assert dialog.preview is not None and len(dialog.preview.items) == found


@pytest.mark.skipif(os.name == "nt", reason="a POSIX shell script stands in for LibreOffice")
def test_an_old_word_file_is_converted_when_the_user_agrees(
    school: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(
        '#!/bin/sh\nwhile [ "$1" != "--outdir" ]; do shift; done\n'
        f'cp "{FIXTURES / "teachers.xlsx"}" "$2/x.xlsx"\n'
        f'cp "{FIXTURES / "teachers.docx"}" "$2/$(basename "${{3%.*}}").docx"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    asked: list[str] = []

    def question(parent: object, title: str, text: str, *a: object) -> object:
        asked.append(text)
        from PySide6.QtWidgets import QMessageBox

        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr("ui.gui.widgets.intake_flow.QMessageBox.question", question)
    screen = _screen(qtbot, school, monkeypatch)
    _accept(monkeypatch, [])
    doc = tmp_path / "кадры.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    screen.import_teachers_file(doc)
    qtbot.waitUntil(lambda: len(screen.teacher_model.rows()) == 4, timeout=20_000)
    assert "Преобразовать с помощью LibreOffice?" in asked[0]
