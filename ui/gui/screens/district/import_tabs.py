"""The lower half of «Импорт пакетов»: the quarantine and the import log.

A package signed by a key nobody confirmed waits in quarantine until the methodist types the
fingerprint the school read out over the phone; confirming it imports that package and what
else waited from the school (a merge: seconds on a large package), so it runs as a task.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.app import Services
from services.core.progress import Progress
from services.documents import DocOptions, get_spec
from services.sync import ImportLogRead, ImportReport, QuarantineRead
from ui.gui.dialogs.keys_passphrase import with_keys
from ui.gui.errors import show_error
from ui.gui.screens.district.replace_key_dialog import ReplaceKeyDialog
from ui.gui.table_models.import_reports import log_columns, quarantine_columns
from ui.gui.table_models.row_model import RowTableModel
from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets.columns import fit_to_view, keep_readable
from ui.gui.widgets.flow_layout import FlowLayout


def report_table(model: RowTableModel, parent: QWidget) -> QTableView:  # type: ignore[type-arg]
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setWordWrap(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    keep_readable(view)
    return view


def _selected(view: QTableView, model: RowTableModel):  # type: ignore[no-untyped-def,type-arg]
    rows = view.selectionModel().selectedRows()
    return model.row_at(rows[0].row()) if rows else None


class QuarantineTab(QWidget):
    """The packages waiting for their key to be confirmed, and «Подтвердить ключ школы…»."""

    enrolled = Signal(object)  # list[ImportReport]: the package and what waited with it

    def __init__(self, services: Services, notifier: Notifier, parent: QWidget) -> None:
        super().__init__(parent)
        self._services = services
        self._notifier = notifier
        self.model = RowTableModel[QuarantineRead](quarantine_columns(), self)
        self.view = report_table(self.model, self)
        for column, width in enumerate((90, 300)):
            self.view.setColumnWidth(column, width)
        # in layout order (Tab follows creation): «Заменить…» stands left of «Подтвердить…»
        self.replace_key_button = QPushButton(self.tr("Заменить ключ школы…"), self)
        self.enroll_button = QPushButton(self.tr("Подтвердить ключ школы…"), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        hint = QLabel(self.tr("Позвоните в школу и сверьте отпечаток её ключа."), self)
        row = FlowLayout()  # the hint and two buttons need 880 px with «Крупный шрифт»
        for widget in (hint, self.replace_key_button, self.enroll_button):
            row.addWidget(widget)
        layout.addLayout(row)
        self.enroll_button.clicked.connect(self._on_enroll_clicked)
        self.replace_key_button.clicked.connect(self._on_replace_key_clicked)

    def _on_enroll_clicked(self) -> None:
        entry = _selected(self.view, self.model)
        if entry is None:
            QMessageBox.information(self, self.tr("Карантин"),
                                    self.tr("Выберите пакет в списке карантина."))  # fmt: skip
            return
        typed, ok = QInputDialog.getText(
            self,
            self.tr("Подтверждение ключа"),
            self.tr("«{0}»\nПопросите школу прочитать отпечаток её ключа (он напечатан на "
                    "сопроводительном листе) и введите его:").format(entry.sender_name),
            QLineEdit.EchoMode.Normal,
        )  # fmt: skip
        if ok and typed.strip():
            self.enroll(entry.id, typed)

    def _on_replace_key_clicked(self) -> None:
        entry = _selected(self.view, self.model)
        if entry is None:
            QMessageBox.information(self, self.tr("Карантин"),
                                    self.tr("Выберите пакет в списке карантина."))  # fmt: skip
            return
        typed = ReplaceKeyDialog.ask(entry, self)
        if typed:
            self.enroll(entry.id, typed, replace_key=True)

    def enroll(self, entry_id: str, typed: str, *, replace_key: bool = False) -> None:
        """Trust the key when `typed` matches, import what waited; `enrolled` reports it.

        `replace_key`: the school's new key replaces its trusted one (revoked up to its last
        package), as «Заменить ключ школы…» asks. The package is decrypted: keys sealed with
        a passphrase are unlocked first.
        """
        with_keys(self, self._services.keys, lambda: self._enroll(entry_id, typed, replace_key))

    def _enroll(self, entry_id: str, typed: str, replace_key: bool) -> None:
        sync = self._services.sync

        def job(_progress: Progress) -> list[ImportReport]:
            enrolled = sync.enroll_quarantined(entry_id, typed, replace_key=replace_key)
            return [r for r in [enrolled.report, *enrolled.released] if r is not None]

        buttons = (self.enroll_button, self.replace_key_button)
        for button in buttons:
            button.setEnabled(False)

        def done(reports: list[ImportReport]) -> None:
            for button in buttons:
                button.setEnabled(True)
            self.enrolled.emit(reports)

        def failed(exc: BaseException) -> None:
            for button in buttons:
                button.setEnabled(True)
            show_error(self, exc)

        run_task(self, job, done, on_error=failed, title=self.tr("Подтверждение ключа…"),
                 notifier=self._notifier, changes=["import", "schools"])  # fmt: skip


class ImportLogTab(QWidget):
    """The import log, a PDF report of one entry and the whole log as a workbook."""

    saved = Signal(object)  # the Path written

    def __init__(self, services: Services, parent: QWidget) -> None:
        super().__init__(parent)
        self._services = services
        self.model = RowTableModel[ImportLogRead](log_columns(), self)
        self.view = report_table(self.model, self)
        # the sender is the school's short name, as in «Школы»: «Подробности» gets the rest
        for column, width in enumerate((120, 180, 40, 90, 100)):
            self.view.setColumnWidth(column, width)
        # «Подробности» takes what is left; «Кто импортировал» hides first when that is too
        # little (at 1024 px, with «Крупный шрифт»): its value is in the report of the row
        self._fitter = fit_to_view(self.view, 5, (4,))
        self.report_button = QPushButton(self.tr("Отчёт об импорте (PDF)…"), self)
        self.xlsx_button = QPushButton(self.tr("Журнал в Excel…"), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.xlsx_button)
        row.addWidget(self.report_button)
        layout.addLayout(row)
        self.report_button.clicked.connect(self._on_report_clicked)
        self.view.doubleClicked.connect(self._on_report_clicked)
        self.xlsx_button.clicked.connect(self._on_xlsx_clicked)

    def _on_report_clicked(self) -> None:
        entry = _selected(self.view, self.model)
        if entry is None:
            QMessageBox.information(self, self.tr("Журнал импорта"),
                                    self.tr("Выберите запись журнала."))  # fmt: skip
            return
        suggested = f"import-{entry.id[:8]}.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Отчёт об импорте"), suggested, "PDF (*.pdf)"
        )
        if name:
            self.save_report(entry.id, Path(name))

    def _on_xlsx_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Журнал импорта"), "import-log.xlsx", "Excel (*.xlsx)"
        )
        if name:
            self.save_report(None, Path(name))

    def save_report(self, log_id: str | None, out: Path) -> None:
        """One entry's report as PDF, or (`out` ending in .xlsx) the whole log as a workbook."""
        services = self._services
        spec = get_spec("import", services.site.profile().role, out)

        def job(progress: Progress) -> Path:
            spec.render(services, out, DocOptions(log_id=log_id), progress)
            return out

        run_task(self, job, self.saved.emit, title=self.tr("Отчёт…"))
