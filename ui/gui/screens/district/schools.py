"""«Школы» (district): the registry of schools, their status and keys, and a view of each school.

Above: every school known from enrolled cards and packages — flags, curator, key state, last
package and gaps, open comments. Below: the selected school read-only (roadmap, audit, teachers,
indicators — the school's own numbers) with the district's comments on its rows.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from services.app import Services
from services.core.errors import AppError
from services.core.progress import Progress
from services.district import CommentRead, RegistryEntry, SchoolView
from services.indicators import as_of_for
from ui.gui.errors import show_error
from ui.gui.screens.district.schools_dialogs import CommentDialog, RevokeDialog, StatusDialog
from ui.gui.screens.district.schools_panel import SchoolPanel
from ui.gui.table_models.schools import SchoolsTableModel
from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets.columns import ColumnFitter, fit_to_view
from ui.gui.widgets.filter_table import FilterTable
from ui.gui.widgets.flow_layout import FlowLayout


class SchoolsScreen(QWidget):
    def __init__(
        self, services: Services, parent: QWidget | None = None, *, notifier: Notifier | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._notifier = notifier or Notifier(self)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.registry = SchoolsTableModel(self)
        self.table = FilterTable(self.registry, self)
        # The school's name takes the width the others leave (≥ 200 px); long values wrap
        # within their limits. At 1024 px with «Крупный шрифт» the number of open comments, the
        # gaps and then the Опора version hide (the school's view shows all three) rather than
        # scroll sideways.
        self.fitter = ColumnFitter(
            self.table.view, {1: (0, 130), 2: (0, 160), 3: (0, 170), 4: (0, 130), 5: (0, 150)}
        )
        fit_to_view(self.table.view, 0, (7, 6, 5))
        self.status_button = QPushButton(self.tr("Статус и куратор…"), self)
        self.revoke_button = QPushButton(self.tr("Отозвать ключ…"), self)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        row = FlowLayout()  # wraps, so that the school's tabs keep their room at 1024 px
        row.addWidget(self.status_button)
        row.addWidget(self.revoke_button)
        ll.addLayout(row)
        self.panel = SchoolPanel(self)
        # One above the other: side by side at 1024 px neither had room for its columns.
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(left)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 450])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _connect(self) -> None:
        self.table.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.status_button.clicked.connect(self._on_status_clicked)
        self.revoke_button.clicked.connect(self._on_revoke_clicked)
        self.panel.comment_requested.connect(self.add_comment)
        self.panel.edit_requested.connect(self.edit_comment)
        self.panel.resolve_requested.connect(self.resolve_comment)
        self.panel.delete_requested.connect(self.delete_comment)

    # -- registry -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the registry in the background (300 schools: a few hundred ms)."""
        current = self.current()
        registry = self._services.registry
        run_task(
            self, lambda _p: registry.schools(), lambda rows: self._show_registry(rows, current)
        )

    def _show_registry(self, rows: list[RegistryEntry], current: RegistryEntry | None) -> None:
        self.registry.set_rows(rows)
        self.fitter.start()
        if current is not None:
            self.select(current.site_id)
        self._update_buttons()

    def current(self) -> RegistryEntry | None:
        rows = self.table.selected_rows()
        return rows[0] if rows else None

    def select(self, site_id: str) -> None:
        for n, entry in enumerate(self.registry.rows()):
            if entry.site_id == site_id:
                index = self.table.proxy.mapFromSource(self.registry.index(n, 0))
                self.table.view.selectRow(index.row())
                return

    def lock_writes(self) -> None:
        """A read-only login: schools, their roadmaps and comments are shown, not changed."""
        from ui.gui.widgets.read_only import lock

        p = self.panel
        lock([self.status_button, self.revoke_button, p.comment_school_button,
              p.comment_item_button, p.edit_button, p.resolve_button, p.delete_button])  # fmt: skip

    def _update_buttons(self) -> None:
        entry = self.current()
        self.status_button.setEnabled(entry is not None)
        self.revoke_button.setEnabled(entry is not None and entry.key_state == "trusted")

    def _on_selection_changed(self, *_: object) -> None:
        self._update_buttons()
        self.show_school()

    def show_school(self) -> None:
        entry = self.current()
        if entry is None:
            self.panel.show_view(None)
            return
        services = self._services

        def job(_progress: Progress) -> SchoolView:
            years = services.results.years()
            year = years[0] if years else date.today().year
            return services.school_view.view(entry, year, as_of_for(year))

        run_task(self, job, self.panel.show_view)

    def _on_status_clicked(self) -> None:
        entry = self.current()
        if entry is None:
            return
        answer = StatusDialog.ask(self, entry.title, entry.status, entry.curators)
        if answer is not None:
            status, curators = answer
            self._apply(lambda: self._services.registry.set_status(status, curators))

    def _on_revoke_clicked(self) -> None:
        entry = self.current()
        if entry is None:
            return
        up_to = RevokeDialog.ask(self, entry.title, entry.last_seq)
        if up_to is None:
            return
        if self._apply(lambda: self._services.registry.revoke(entry.site_id, up_to)):
            QMessageBox.information(
                self,
                self.tr("Ключ отозван"),
                self.tr("Пакеты школы «{0}» после № {1} будут отклоняться. Новый ключ "
                        "подтвердите на экране «Импорт пакетов».").format(entry.title, up_to),
            )  # fmt: skip

    def _apply(self, action: object) -> bool:
        try:
            action()  # type: ignore[operator]
        except AppError as exc:
            show_error(self, exc)
            return False
        self.refresh()
        self.show_school()
        self._notifier.announce(["schools"], self)  # statuses, keys, comments
        return True

    # -- comments -----------------------------------------------------------------------------

    def add_comment(self, target_table: str, target_id: str) -> None:
        entry = self.current()
        if entry is None:
            return
        about = self.tr("Комментарий к школе «{0}» в целом.").format(entry.title)
        if target_table == "roadmap_item":
            item = self.panel.items_view.item(target_id)
            about = self.tr("Комментарий к мероприятию «{0} {1}».").format(
                item.number if item else "", item.title if item else "")  # fmt: skip
        text = CommentDialog.ask(self, self.tr("Новый комментарий"), about)
        if text is not None:
            self._apply(lambda: self._services.registry.add_comment(
                entry.site_id, target_table, target_id, text))  # fmt: skip

    def edit_comment(self, comment: CommentRead) -> None:
        registry = self._services.registry

        def save(text: str, expected: str | None) -> None:
            registry.edit_comment(comment.id, text, expected)

        about = comment.target_title or comment.target_kind
        if CommentDialog.edit_saved(self, self.tr("Комментарий"), about, comment.text, save,
                                    comment.hlc):  # fmt: skip
            self._apply(lambda: None)  # saved, or a colleague's version kept: show what is stored

    def resolve_comment(self, comment: CommentRead) -> None:
        resolved = not comment.resolved
        self._apply(lambda: self._services.registry.resolve_comment(comment.id, resolved))

    def delete_comment(self, comment: CommentRead) -> None:
        self._apply(lambda: self._services.registry.delete_comment(comment.id))
