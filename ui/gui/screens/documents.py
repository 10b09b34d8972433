"""«Документы»: every printout of the role — options, preview inside the program, print, save.

The list comes from the shared document catalogue (`services.documents.registry`), so a document
added by any area appears here and in `report KIND` at once, produced by the same function.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from services.app import Services
from services.documents import DocOptions, DocumentSpec, available
from ui.gui.table_models.import_reports import log_choice_text
from ui.gui.tasks import run_task
from ui.gui.widgets.pdf_preview import PdfPreview
from ui.gui.widgets.period_choice import PeriodChoice

FILTERS = {"pdf": "Документ PDF (*.pdf)", "xlsx": "Книга Excel (*.xlsx)"}


class DocumentsScreen(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._specs: list[DocumentSpec] = []
        self._tmp = tempfile.TemporaryDirectory(prefix="opora-preview-")
        self.preview_path: Path | None = None
        self.pdf = QPdfDocument(self)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.list = QListWidget(self)
        # 200, not 260: with «Крупный шрифт» the list and the options must share 700 px.
        self.list.setMinimumWidth(200)
        # Long titles («Результаты самоаудита по факторам риска») wrap rather than end in «…».
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setStyleSheet("QListWidget::item { padding: 4px 2px; }")
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.year = QSpinBox(self)
        self.year.setRange(2015, 2100)
        self.year.setSpecialValueText(self.tr("текущий"))
        self.year.setMinimum(2014)
        self.year.setValue(2014)  # special value: «текущий»
        # choices by name: nobody should have to know an internal id
        self.teacher = QComboBox(self)
        self.package = QLineEdit(self)
        self.package.setReadOnly(True)
        self.package.setPlaceholderText(self.tr("файл .opora — кнопка «Выбрать…»"))
        self.package_button = QPushButton(self.tr("Выбрать…"), self)
        self.log_id = QComboBox(self)
        self.protocol = QComboBox(self)
        self.monitoring = QCheckBox(self.tr("вариант для мониторинга (отметки о выполнении)"), self)
        self.period = PeriodChoice(parent=self)  # a period implies the monitoring variant
        self.period.setToolTip(self.tr("Мониторинг за период: что пришлось на него и что сделано"))
        package_row = QHBoxLayout()
        package_row.addWidget(self.package, 1)
        package_row.addWidget(self.package_button)
        self.options = QFormLayout()
        self.options.addRow(self.tr("Год"), self.year)
        self.options.addRow(self.tr("Педагог"), self.teacher)
        self.options.addRow(self.tr("Пакет"), package_row)
        self.options.addRow(self.tr("Импорт"), self.log_id)
        self.options.addRow("", self.monitoring)
        self.options.addRow(self.tr("Период"), self.period)
        self.options.addRow(self.tr("Протокол"), self.protocol)
        for row in range(self.options.rowCount()):  # until a document is chosen: all of them
            self.options.setRowVisible(row, False)  # would widen the window past 1024 px
        self.preview_button = QPushButton(self.tr("Просмотр"), self)
        self.print_button = QPushButton(self.tr("Печать…"), self)
        self.save_button = QPushButton(self.tr("Сохранить как…"), self)
        buttons = QHBoxLayout()
        for b in (self.preview_button, self.print_button, self.save_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.preview = PdfPreview(self.pdf, self)
        self.view = self.preview.view
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.addWidget(self.title)
        rl.addWidget(self.description)
        rl.addLayout(self.options)
        rl.addLayout(buttons)
        rl.addWidget(self.preview, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _connect(self) -> None:
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.preview_button.clicked.connect(self._on_preview_clicked)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.package_button.clicked.connect(self._on_package_clicked)
        self.period.currentIndexChanged.connect(self._on_period_changed)

    def refresh(self) -> None:
        role = self._services.site.profile().role
        current = self.current_spec()
        self._specs = available(role)
        self.list.blockSignals(True)
        self.list.clear()
        for spec in self._specs:
            item = QListWidgetItem(spec.title, self.list)
            item.setToolTip(spec.description)
        self.list.blockSignals(False)
        kinds = [s.kind for s in self._specs]
        index = kinds.index(current.kind) if current and current.kind in kinds else 0
        if self._specs:
            self.list.setCurrentRow(index)
            self._on_list_current_row_changed(index)

    def current_spec(self) -> DocumentSpec | None:
        row = self.list.currentRow()
        return self._specs[row] if 0 <= row < len(self._specs) else None

    def select(self, kind: str) -> None:
        for n, spec in enumerate(self._specs):
            if spec.kind == kind:
                self.list.setCurrentRow(n)

    def _on_list_current_row_changed(self, _row: int) -> None:
        spec = self.current_spec()
        if spec is None:
            return
        self.title.setText(spec.title)
        self.description.setText(spec.description)
        shown = {"year": self.year, "teacher_id": self.teacher, "package": self.package,
                 "log_id": self.log_id, "monitoring": self.monitoring,
                 "period": self.period, "protocol_id": self.protocol}  # fmt: skip
        for name, widget in shown.items():
            on = name in spec.options
            self.options.setRowVisible(widget if name != "package" else 2, on)
        if "teacher_id" in spec.options:
            self._fill_teachers()
        if "log_id" in spec.options:
            self._fill_log()
        if "protocol_id" in spec.options:
            self._fill_protocols()
        has_pdf = "pdf" in spec.formats
        self.preview_button.setEnabled(has_pdf)
        self.print_button.setEnabled(has_pdf)
        self.pdf.close()
        self.preview_path = None

    def _on_period_changed(self, _index: int) -> None:
        if self.period.code() is not None:
            self.monitoring.setChecked(True)

    def options_value(self) -> DocOptions:
        year = self.year.value()
        package = self.package.text().strip()
        return DocOptions(
            year=None if year == self.year.minimum() else year,
            teacher_id=self.teacher.currentData(),
            package=Path(package) if package else None,
            log_id=self.log_id.currentData(),
            monitoring=self.monitoring.isChecked() or self.period.code() is not None,
            period=self.period.code(),
            protocol_id=self.protocol.currentData(),
        )

    def _render(self, out: Path, then: Any) -> None:
        spec = self.current_spec()
        if spec is None:
            return
        if "package" in spec.options and not self.package.text().strip():
            self._on_package_clicked()  # the cover sheet needs its package: ask for the file
            if not self.package.text().strip():
                return
        services, options = self._services, self.options_value()
        run_task(
            self,
            lambda progress: spec.render(services, out, options, progress),
            lambda _result: then(out),
            title=self.tr("Формирование документа «{0}»…").format(spec.title),
        )

    def _on_preview_clicked(self) -> None:
        spec = self.current_spec()
        if spec is not None:
            self._render(Path(self._tmp.name) / f"{spec.kind}.pdf", self._show_preview)

    def _show_preview(self, path: Path) -> None:
        self.pdf.close()
        self.pdf.load(str(path))
        self.preview_path = path

    def _on_print_clicked(self) -> None:
        spec = self.current_spec()
        if spec is not None:
            self._render(Path(self._tmp.name) / f"{spec.kind}-print.pdf", self._print)

    def _print(self, path: Path) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        print_pdf(path, printer)

    def _on_save_clicked(self) -> None:
        spec = self.current_spec()
        if spec is None:
            return
        filters = ";;".join(FILTERS[f] for f in spec.formats)
        name, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Сохранить документ"), f"{spec.title}.{spec.formats[0]}", filters
        )
        if not name:
            return
        out = Path(name)
        fmt = next((f for f, text in FILTERS.items() if text == chosen), spec.formats[0])
        if out.suffix.lower().lstrip(".") not in spec.formats:
            out = out.with_suffix(f".{fmt}")
        self.save_to(out)

    def save_to(self, out: Path) -> None:
        def saved(path: Path) -> None:
            QMessageBox.information(
                self, self.tr("Документ сохранён"), self.tr("Файл сохранён:\n{0}").format(path)
            )

        self._render(out, saved)

    def _fill_teachers(self) -> None:
        current = self.teacher.currentData()
        self.teacher.clear()
        self.teacher.addItem(self.tr("все педагоги"), None)
        for t in sorted(self._services.staff.teachers(), key=lambda t: t.full_name):
            self.teacher.addItem(t.full_name, t.id)
        self.teacher.setCurrentIndex(max(self.teacher.findData(current), 0))

    def _fill_log(self) -> None:
        self.log_id.clear()
        for e in self._services.sync.import_log():
            self.log_id.addItem(log_choice_text(e), e.id)
        if not self.log_id.count():
            self.log_id.addItem(self.tr("импортов ещё не было"), None)

    def _fill_protocols(self) -> None:
        from services.protocols import protocol_choice

        current = self.protocol.currentData()
        self.protocol.clear()
        for row in self._services.protocols.protocols():
            self.protocol.addItem(protocol_choice(row), row.id)
        if not self.protocol.count():
            self.protocol.addItem(self.tr("протоколов ещё нет — экран «Протоколы»"), None)
        self.protocol.setCurrentIndex(max(self.protocol.findData(current), 0))

    def _on_package_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Пакет"), "", self.tr("Пакет Опоры (*.opora)")
        )
        if name:
            self.package.setText(name)


def print_pdf(path: Path, printer: Any) -> int:
    """Print every page of a PDF on `printer` (scaled to the page); returns the page count."""
    doc = QPdfDocument()
    doc.load(str(path))
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        rect = painter.viewport()
        for page in range(doc.pageCount()):
            if page:
                printer.newPage()
            keep = Qt.AspectRatioMode.KeepAspectRatio
            size = doc.pagePointSize(page).toSize().scaled(rect.size(), keep)
            image = doc.render(page, size)
            painter.drawImage(0, 0, image)
    finally:
        painter.end()
    return doc.pageCount()
