"""«Документы»: the role's documents, preview in the program, save and print."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from services.roadmap.demo import RoadmapDemo
from ui.gui.screens.documents import DocumentsScreen, print_pdf


@pytest.fixture
def screen(school: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> DocumentsScreen:
    RoadmapDemo(school.db, school.paths.resources_dir).fill_demo(Role.SCHOOL, date.today())
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    widget = DocumentsScreen(school)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def test_lists_the_documents_of_the_role_with_their_options(screen: DocumentsScreen) -> None:
    kinds = [s.kind for s in screen._specs]
    assert "roadmap" in kinds and "roadmap-template" in kinds
    screen.select("roadmap")
    assert not screen.monitoring.isHidden()
    assert screen.year.isHidden()
    screen.select("roadmap-template")
    assert not screen.preview_button.isEnabled()  # an xlsx-only document has no preview


def test_preview_renders_the_pdf_inside_the_program(screen: DocumentsScreen, qtbot: QtBot) -> None:
    screen.select("roadmap")
    screen.preview_button.click()
    qtbot.waitUntil(lambda: screen.pdf.pageCount() > 0, timeout=20_000)
    assert screen.preview_path is not None and screen.preview_path.stat().st_size > 1000


def test_save_as_writes_pdf_and_xlsx(screen: DocumentsScreen, qtbot: QtBot, tmp_path: Path) -> None:
    screen.select("roadmap")
    for name in ("plan.pdf", "plan.xlsx"):
        out = tmp_path / name
        screen.save_to(out)
        qtbot.waitUntil(out.exists, timeout=20_000)
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")


def test_print_sends_every_page_to_the_printer(
    screen: DocumentsScreen, qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtPrintSupport import QPrinter

    screen.select("roadmap")
    out = tmp_path / "plan.pdf"
    screen.save_to(out)
    qtbot.waitUntil(out.exists, timeout=20_000)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    pages = print_pdf(out, printer)
    assert pages >= 2
    from pypdf import PdfReader

    assert len(PdfReader(printed).pages) == pages


def test_options_are_chosen_by_name_and_the_cover_sheet_asks_for_its_package(
    screen: DocumentsScreen, school: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QLabel

    from models.staff import TeacherBase

    school.staff.save_teacher(TeacherBase(full_name="Белова Ирина Сергеевна"))
    screen.select("ippr")
    names = [screen.teacher.itemText(i) for i in range(screen.teacher.count())]
    assert "Белова Ирина Сергеевна" in names
    labels = [label.text() for label in screen.findChildren(QLabel)]
    assert not any("код" in text or "Запись журнала" in text for text in labels)
    asked: list[str] = []

    def cancelled(*_a: object, **_k: object) -> tuple[str, str]:
        asked.append("package")
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", cancelled)
    screen.select("cover-sheet")
    screen.preview_button.click()  # no package yet: a file picker, not a command to type
    assert asked == ["package"] and screen.preview_path is None


def test_monitoring_of_a_period_is_chosen_by_name(screen: DocumentsScreen, qtbot: QtBot) -> None:
    screen.select("roadmap")
    assert not screen.period.isHidden()
    year = str(date.today().year)
    screen.period.setCurrentIndex(screen.period.findData(year))
    options = screen.options_value()
    assert (options.period, options.monitoring) == (year, True)  # a period implies monitoring
    screen.preview_button.click()
    qtbot.waitUntil(lambda: screen.pdf.pageCount() > 0, timeout=20_000)
    assert screen.preview_path is not None
    import subprocess

    text = subprocess.run(["pdftotext", str(screen.preview_path), "-"], capture_output=True,
                          text=True, check=False).stdout  # fmt: skip
    assert not text or "Мониторинг выполнения за" in text
