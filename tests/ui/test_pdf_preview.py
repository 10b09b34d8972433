"""The PDF preview zooms: buttons and Ctrl+«+»/«−»/Ctrl+0; every document opens fitted to width."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from ui.gui.widgets.pdf_preview import PdfPreview

Mode = QPdfView.ZoomMode


def _landscape_pdf(path: Path) -> Path:
    canvas = Canvas(str(path), pagesize=landscape(A4))
    for page in range(2):
        canvas.drawString(72, 500, f"Страница {page + 1}")
        canvas.showPage()
    canvas.save()
    return path


def _preview(qtbot: QtBot, tmp_path: Path) -> PdfPreview:
    document = QPdfDocument()
    preview = PdfPreview(document)
    qtbot.addWidget(preview)
    preview.resize(700, 500)
    preview.show()
    preview.activateWindow()  # window shortcuts reach only the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is preview)
    preview.view.setZoomMode(Mode.Custom)  # whatever the previous document was left at
    document.load(str(_landscape_pdf(tmp_path / "wide.pdf")))
    assert document.pageCount() == 2
    return preview


def test_a_landscape_document_opens_fitted_to_width_and_zooms_by_keys(
    qtbot: QtBot, tmp_path: Path
) -> None:
    preview = _preview(qtbot, tmp_path)
    assert preview.view.zoomMode() is Mode.FitToWidth
    fitted = preview.shown_zoom()
    assert fitted > 0
    preview.view.setFocus()
    qtbot.keyClick(preview.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomMode() is Mode.Custom
    assert preview.view.zoomFactor() > fitted
    assert preview.zoom_label.text().endswith("%")
    qtbot.keyClick(preview.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(preview.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomFactor() < fitted
    qtbot.keyClick(preview.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomMode() is Mode.FitToWidth
    assert preview.zoom_label.text() == "по ширине"


def test_zoom_buttons_are_there_and_reachable(qtbot: QtBot, tmp_path: Path) -> None:
    preview = _preview(qtbot, tmp_path)
    buttons = {b.defaultAction(): b for b in preview.findChildren(QToolButton)}
    for action in (preview.zoom_in_action, preview.zoom_out_action, preview.fit_width_action):
        button = buttons[action]
        assert button.isVisible() and button.focusPolicy() & Qt.FocusPolicy.TabFocus
    buttons[preview.zoom_in_action].click()
    assert preview.view.zoomMode() is Mode.Custom
    buttons[preview.fit_width_action].click()
    assert preview.view.zoomMode() is Mode.FitToWidth
