"""A PDF preview with zoom: «−», «+», «По ширине» and Ctrl+«+»/Ctrl+«−»/Ctrl+0.

A landscape page shown whole in the preview beside the options is unreadably small: every
document opens fitted to the width (landscape included); the user zooms and scrolls from there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 5.0


class PdfPreview(QWidget):
    """`view` shows `document`; the zoom row sits above it."""

    def __init__(self, document: QPdfDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.view = QPdfView(self)
        self.view.setDocument(document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        zoom = QKeySequence.StandardKey
        self.zoom_out_action = self._action("−", zoom.ZoomOut, self.tr("Уменьшить (Ctrl+−)"))
        self.zoom_in_action = self._action("+", zoom.ZoomIn, self.tr("Увеличить (Ctrl++)"))
        self.fit_width_action = self._action(
            self.tr("По ширине"), QKeySequence("Ctrl+0"), self.tr("По ширине окна (Ctrl+0)")
        )
        self.zoom_label = QLabel(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Масштаб:"), self))
        for action in (self.zoom_out_action, self.zoom_in_action, self.fit_width_action):
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable with Tab
            row.addWidget(button)
        row.addWidget(self.zoom_label)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        self.zoom_out_action.triggered.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.zoom_in_action.triggered.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.fit_width_action.triggered.connect(self.fit_width)
        self.document.statusChanged.connect(self._on_document_status_changed)
        self.view.zoomFactorChanged.connect(self._show_zoom)
        self._show_zoom()

    def _action(
        self, text: str, keys: QKeySequence | QKeySequence.StandardKey, tip: str
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(tip)
        self.addAction(action)
        return action

    def zoom_by(self, factor: float) -> None:
        """Zoom from what is shown now (a fitted page included) by `factor`."""
        current = self.shown_zoom()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(ZOOM_MAX, max(ZOOM_MIN, current * factor)))
        self._show_zoom()

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._show_zoom()

    def shown_zoom(self) -> float:
        """The zoom factor on screen: a fitted mode's factor computed from the page size."""
        mode = self.view.zoomMode()
        if mode is QPdfView.ZoomMode.Custom or self.document.pageCount() == 0:
            return self.view.zoomFactor()
        page = self.document.pagePointSize(0)
        dpi = self.logicalDpiX() / 72.0  # QPdfView draws 1 pt as dpi/72 px at factor 1
        if page.width() <= 0 or page.height() <= 0:
            return 1.0
        margins = self.view.documentMargins()
        width = self.view.viewport().width() - margins.left() - margins.right()
        by_width = width / (page.width() * dpi)
        if mode is QPdfView.ZoomMode.FitToWidth:
            return by_width
        height = self.view.viewport().height() - margins.top() - margins.bottom()
        return min(by_width, height / (page.height() * dpi))

    def _on_document_status_changed(self, status: QPdfDocument.Status) -> None:
        if status is QPdfDocument.Status.Ready:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)  # a new document: from the top
        self._show_zoom()

    def _show_zoom(self, *_: object) -> None:
        if self.view.zoomMode() is not QPdfView.ZoomMode.Custom:
            self.zoom_label.setText(self.tr("по ширине"))
        else:
            self.zoom_label.setText(f"{round(self.view.zoomFactor() * 100)} %")
