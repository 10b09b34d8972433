"""«Импорт пакетов» (district): files or a folder → a dry-run preview → apply; quarantine; log.

The preview and the apply go through the same merge engine (`services.sync.engine`): the table
shows, per package, what *would* happen (sender, № and its sequence status, counts, verdict);
«Принять» applies exactly those files. A package signed by a key nobody confirmed waits in
quarantine (`import_tabs.QuarantineTab`) until the methodist types the fingerprint the school
read out over the phone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.app import Services
from services.core.progress import Progress
from services.sync import VERDICT_TEXT, ImportReport
from ui.gui.dialogs.keys_passphrase import with_keys
from ui.gui.screens.district.import_tabs import ImportLogTab, QuarantineTab, report_table
from ui.gui.table_models.import_reports import background, preview_columns
from ui.gui.table_models.row_model import RowTableModel
from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets.columns import ColumnFitter, fit_to_view
from ui.gui.widgets.focus import tab_bar_first

PACKAGE_SUFFIX = ".opora"


def package_files(paths: list[Path]) -> list[Path]:
    """The .opora files among `paths`, folders searched (not recursively), sorted, unique."""
    found: set[Path] = set()
    for p in paths:
        if p.is_dir():
            found |= {f for f in p.glob(f"*{PACKAGE_SUFFIX}") if f.is_file()}
        elif p.suffix.lower() == PACKAGE_SUFFIX and p.is_file():
            found.add(p)
    return sorted(found)


class ImportScreen(QWidget):
    def __init__(
        self, services: Services, parent: QWidget | None = None, *, notifier: Notifier | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._notifier = notifier or Notifier(self)
        self.files: list[Path] = []
        self.setAcceptDrops(True)
        self._build_ui()
        self._connect()

    # -- layout ------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        hint = QLabel(
            self.tr(
                "Перетащите сюда файлы .opora или папку с ними, либо выберите их кнопками. "
                "Сначала программа проверяет пакеты и показывает, что изменится, — "
                "данные записываются только после кнопки «Принять»."
            ),
            self,
        )
        hint.setWordWrap(True)
        self.add_files_button = QPushButton(self.tr("Добавить файлы…"), self)
        self.add_folder_button = QPushButton(self.tr("Добавить папку…"), self)
        self.clear_button = QPushButton(self.tr("Очистить список"), self)
        self.apply_button = QPushButton(self.tr("Принять"), self)
        self.apply_button.setDefault(True)
        self.apply_button.setEnabled(False)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.preview = RowTableModel[ImportReport](
            preview_columns(), self, row_background=background
        )
        self.preview_view = report_table(self.preview, self)
        # a school's full legal name must not push «Итог» and «Причина» off screen: the reason
        # takes the width the others leave and wraps; when that is under 200 px the number of
        # records, then the order and the file's name hide rather than scroll sideways
        self.preview_fitter = ColumnFitter(self.preview_view, {0: (0, 200), 1: (0, 240)})
        fit_to_view(self.preview_view, 6, (4, 3, 0))
        top = QWidget(self)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(hint)
        row = QHBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.clear_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.apply_button)
        tl.addLayout(row)
        tl.addWidget(self.preview_view, 1)
        tl.addWidget(self.summary_label)
        self.quarantine_tab = QuarantineTab(self._services, self._notifier, self)
        self.quarantine = self.quarantine_tab.model
        self.log_tab = ImportLogTab(self._services, self)
        self.log = self.log_tab.model
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.quarantine_tab, self.tr("Карантин"))
        self.tabs.addTab(self.log_tab, self.tr("Журнал импорта"))
        tab_bar_first(self.tabs)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.add_files_button.clicked.connect(self._on_add_files_clicked)
        self.add_folder_button.clicked.connect(self._on_add_folder_clicked)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.apply_button.clicked.connect(self.apply)
        self.quarantine_tab.enrolled.connect(self._on_enrolled)
        self.log_tab.saved.connect(self._on_report_saved)

    def lock_writes(self) -> None:
        """A read-only login previews packages (a dry run) but neither accepts nor enrols."""
        from ui.gui.widgets.read_only import lock

        q = self.quarantine_tab
        lock([self.apply_button, q.enroll_button, q.replace_key_button])

    def refresh(self) -> None:
        """Read the quarantine and the import log in the background (long after 300 schools)."""
        sync = self._services.sync

        def job(_progress: Progress) -> tuple[list[Any], list[Any]]:
            return [q for q in sync.quarantine() if not q.released], sync.import_log()

        run_task(self, job, self._show_lists)

    def _show_lists(self, lists: tuple[list[Any], list[Any]]) -> None:
        self.quarantine.set_rows(lists[0])
        self.log.set_rows(lists[1])
        waiting = self.quarantine.rowCount()
        self.tabs.setTabText(0, self.tr("Карантин ({0})").format(waiting) if waiting
                             else self.tr("Карантин"))  # fmt: skip

    # -- drop --------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        self.add_paths(paths)
        event.acceptProposedAction()

    # -- preview and apply -----------------------------------------------------------------

    def _on_add_files_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Пакеты школ"), "",
                                                self.tr("Пакеты Опоры (*.opora)"))  # fmt: skip
        self.add_paths([Path(n) for n in names])

    def _on_add_folder_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Папка с пакетами"))
        if folder:
            self.add_paths([Path(folder)])

    def _on_clear_clicked(self) -> None:
        self.files = []
        self.preview.set_rows([])
        self.summary_label.clear()
        self.apply_button.setEnabled(False)
        self.apply_button.setText(self.tr("Принять"))

    def add_paths(self, paths: list[Path]) -> None:
        """Add files/folders to the list and preview them all (a dry run in the background)."""
        found = package_files(paths)
        if paths and not found:
            self.summary_label.setText(self.tr("Среди выбранного нет файлов .opora."))
            return
        self.files = sorted(set(self.files) | set(found))
        self._run(dry_run=True)

    def apply(self) -> None:
        if self.files:
            self._run(dry_run=False)

    def _run(self, *, dry_run: bool) -> None:
        """Preview or apply; keys sealed with a passphrase are unlocked first (once)."""
        with_keys(self, self._services.keys, lambda: self._start(dry_run=dry_run))

    def _start(self, *, dry_run: bool) -> None:
        files = list(self.files)

        def job(progress: Progress) -> list[ImportReport]:
            return self._services.sync.import_files(files, dry_run=dry_run, progress=progress)

        title = self.tr("Проверка пакетов…") if dry_run else self.tr("Импорт пакетов…")
        self.apply_button.setEnabled(False)
        run_task(self, job, lambda reports: self._show(reports, dry_run), title=title,
                 notifier=self._notifier, changes=() if dry_run else ["import"])  # fmt: skip

    def _show(self, reports: list[ImportReport], dry_run: bool) -> None:
        self.preview.set_rows(reports)
        self.preview_fitter.start()
        by = {v: sum(1 for r in reports if r.verdict == v) for v in VERDICT_TEXT}
        if dry_run:
            ready = by["dry-run"]
            self.summary_label.setText(
                self.tr("Проверено пакетов: {0}. Готовы к приёму: {1}, в карантин: {2}, "
                        "отклонены: {3}, уже были: {4}.").format(
                    len(reports), ready, by["quarantined"], by["refused"], by["already"])
            )  # fmt: skip
            self.apply_button.setEnabled(ready + by["quarantined"] > 0)
            if by["quarantined"]:  # a preview writes nothing: the quarantine tab is still empty
                self.summary_label.setText(self.summary_label.text() + " " + self.tr(
                    "Пакеты школ с неподтверждённым ключом попадут на вкладку «Карантин» "
                    "после кнопки «{0}»; там ключ подтверждают по отпечатку с "
                    "сопроводительного листа.").format(self._apply_text(ready)))  # fmt: skip
            self.apply_button.setText(self._apply_text(ready))
        else:
            self.apply_button.setText(self.tr("Принять"))
            self.summary_label.setText(
                self.tr("Импорт завершён. Принято: {0}, в карантине: {1}, отклонено: {2}, "
                        "уже были: {3}. Перед импортом сделана резервная копия.").format(
                    by["applied"], by["quarantined"], by["refused"], by["already"])
            )  # fmt: skip
            self.files = []
        self.refresh()

    def _apply_text(self, ready: int) -> str:
        """«Принять», or what the button does when nothing can be accepted yet."""
        return self.tr("Принять") if ready else self.tr("Отложить в карантин")

    # -- quarantine and log -----------------------------------------------------------------

    def enroll(self, entry_id: str, typed: str) -> None:
        """Confirm a quarantined key by its typed fingerprint (in the background)."""
        self.quarantine_tab.enroll(entry_id, typed)

    def _on_enrolled(self, reports: list[ImportReport]) -> None:
        self.preview.set_rows(reports)
        self.summary_label.setText(
            self.tr("Ключ подтверждён. Принято пакетов: {0}.").format(
                sum(1 for r in reports if r.verdict == "applied"))
        )  # fmt: skip
        self.refresh()

    def save_report(self, log_id: str | None, out: Path) -> None:
        """One entry's report as PDF, or (`out` ending in .xlsx) the whole log as a workbook."""
        self.log_tab.save_report(log_id, out)

    def _on_report_saved(self, path: Path) -> None:
        self.summary_label.setText(self.tr("Отчёт сохранён: {0}").format(path))
