"""«Протоколы» (school and district): meeting protocols, their decisions, decisions → roadmap.

The list holds this organisation's protocols and those received (the district's in its bulletin,
the schools' in their packages); received ones open read-only and print. Below the list, the
selected protocol's decisions with their deadlines as understood; «В дорожную карту…» makes the
selected decision an item of the current roadmap.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError
from services.core.formatting import date_short
from services.core.progress import Progress
from services.protocols import (
    DecisionRead,
    ProtocolDocument,
    ProtocolFields,
    ProtocolRow,
    SaveResult,
)
from ui.gui.errors import show_error
from ui.gui.screens.protocols.dialog import ProtocolDialog
from ui.gui.table_models.row_model import Column, RowTableModel
from ui.gui.tasks import Notifier, run_task, wait_all
from ui.gui.widgets.filter_table import FilterTable
from ui.gui.widgets.flow_layout import FlowLayout
from ui.gui.widgets.undo import UndoHistory

if TYPE_CHECKING:
    from services.protocols import ProtocolService

AREAS = ("protocols", "roadmap")
SavePdf = Callable[[str, Path, Progress], None]


def decisions_text(row: Any) -> str:
    """«15 (в дорожной карте 1; сроков не распознано 1)» — one column for the three counts."""
    notes = []
    if row.in_roadmap:
        notes.append(f"в дорожной карте {row.in_roadmap}")
    if row.unclear:
        notes.append(f"сроков не распознано {row.unclear}")
    return f"{row.decisions}" + (f" ({'; '.join(notes)})" if notes else "")


PROTOCOL_COLUMNS: list[Column[ProtocolRow]] = [
    Column("Дата", lambda r: r.meeting_date, date_short),
    Column("№", lambda r: r.number),
    Column("Совещание", lambda r: r.kind),
    Column("Тема", lambda r: r.title),
    Column("Организация", lambda r: r.organisation),
    Column("Решения", lambda r: r, decisions_text, sort_key=lambda r: r.decisions),
]


def _deadline(d: DecisionRead) -> str:
    if not d.deadline_text:
        return "не указан"
    if not d.deadline_understood:
        return f"«{d.deadline_text}» — не распознан"
    return "постоянно" if d.ongoing else date_short(d.due_date)


DECISION_COLUMNS: list[Column[DecisionRead]] = [
    Column("№", lambda d: d.position + 1),
    Column("Решение", lambda d: d.text),
    Column("Ответственный", lambda d: d.responsible),
    Column("Срок", _deadline),
    Column("В дорожной карте", lambda d: "да" if d.roadmap_item_id else ""),
]


class ProtocolsScreen(QWidget):
    def __init__(
        self,
        service: ProtocolService,
        save_pdf: SavePdf,
        parent: QWidget | None = None,
        *,
        notifier: Notifier | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._save_pdf = save_pdf
        self._notifier = notifier or Notifier(self)
        self._document: ProtocolDocument | None = None
        self.history = UndoHistory(
            self, AREAS, reload=self.refresh, on_error=lambda e: show_error(self, e),
            notifier=self._notifier,
        )  # fmt: skip
        self._build_ui()
        self._connect()
        self._notifier.follow(self, AREAS, self.refresh)

    def _build_ui(self) -> None:
        self.new_button = QPushButton(self.tr("Новый протокол…"), self)
        self.edit_button = QPushButton(self.tr("Открыть…"), self)
        self.delete_button = QPushButton(self.tr("Удалить"), self)
        self.undo_button = QPushButton(self.tr("Отменить"), self)
        self.roadmap_button = QPushButton(self.tr("В дорожную карту…"), self)
        self.pdf_button = QPushButton(self.tr("Сохранить PDF…"), self)
        top = FlowLayout()
        for b in (self.new_button, self.edit_button, self.delete_button, self.undo_button,
                  self.roadmap_button, self.pdf_button):  # fmt: skip
            top.addWidget(b)
        self.model = RowTableModel(PROTOCOL_COLUMNS, self)
        self.list = FilterTable(self.model, self)
        self.list.proxy.sort(-1)  # the service's order: the newest first
        header = self.list.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # the topic takes the rest
        for column, width in ((0, 90), (1, 50), (2, 190), (4, 170), (5, 120)):
            header.resizeSection(column, width)
        self.decisions_model = RowTableModel(DECISION_COLUMNS, self)
        self.decisions = FilterTable(self.decisions_model, self)
        self.decisions.proxy.sort(-1)
        # the decision's text takes the free width; the short columns keep theirs
        header = self.decisions.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 45), (2, 170), (3, 140), (4, 120)):
            header.resizeSection(column, width)
        self.caption = QLabel(self.tr("Решения выбранного протокола"), self)
        lower = QWidget(self)
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.caption)
        ll.addWidget(self.decisions, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.list)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._update_buttons()

    def _connect(self) -> None:
        self.new_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.history.undo)
        self.roadmap_button.clicked.connect(self.to_roadmap)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.list.activated_row.connect(lambda _row: self.edit_selected())
        self.list.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.decisions.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._shortcuts = (
            QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list.view),
            QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self),
        )
        self._shortcuts[0].activated.connect(self.delete_selected)
        self._shortcuts[1].activated.connect(self.history.undo)

    # -- data ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        run_task(self, lambda _p: self._service.protocols(), self._show_rows)

    def _show_rows(self, rows: list[ProtocolRow]) -> None:
        chosen = self.selected()
        self.model.set_rows(rows)
        if chosen is not None:
            self.select(chosen.id)
        self._on_selection_changed()

    def selected(self) -> ProtocolRow | None:
        rows = self.list.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(self.list.proxy.mapToSource(rows[0]).row())

    def select(self, protocol_id: str) -> None:
        for n, row in enumerate(self.model.rows()):
            if row.id == protocol_id:
                self.list.view.selectRow(
                    self.list.proxy.mapFromSource(self.model.index(n, 0)).row()
                )

    def selected_decision(self) -> DecisionRead | None:
        rows = self.decisions.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.decisions_model.row_at(self.decisions.proxy.mapToSource(rows[0]).row())

    def _on_selection_changed(self, *_: object) -> None:
        row = self.selected()
        self._document = None
        self.decisions_model.set_rows([])
        self._update_buttons()
        if row is not None:
            run_task(self, lambda _p: self._service.document(row.id), self._show_document)

    def _show_document(self, doc: ProtocolDocument) -> None:
        self._document = doc
        self.decisions_model.set_rows(list(doc.decisions))
        self._update_buttons()

    def _update_buttons(self, *_: object) -> None:
        row = self.selected()
        own = row is not None and row.own
        self.edit_button.setEnabled(row is not None)
        self.edit_button.setText(self.tr("Изменить…") if own or row is None else self.tr("Открыть"))
        self.delete_button.setEnabled(own)
        self.pdf_button.setEnabled(row is not None)
        decision = self.selected_decision()
        self.roadmap_button.setEnabled(
            own and decision is not None and not decision.roadmap_item_id
        )
        self.undo_button.setEnabled(self.history.can_undo())

    # -- actions -------------------------------------------------------------------------------

    def _save(self, protocol_id: str | None) -> Callable[[ProtocolFields], SaveResult]:
        def save(values: ProtocolFields) -> SaveResult:
            wait_all()  # the list's reload first: one database user at a time
            return self._service.save(values, protocol_id)

        return save

    def add(self) -> None:
        result = ProtocolDialog.ask(self, None, self._save(None))
        self._after_save(result)

    def lock_writes(self) -> None:
        """A read-only login: protocols are listed, their decisions shown and printed."""
        from ui.gui.widgets.read_only import lock

        lock([self.new_button, self.edit_button, self.delete_button, self.undo_button,
              self.roadmap_button, *self._shortcuts])  # fmt: skip

    def edit_selected(self) -> None:
        row = self.selected()
        if row is None or not self.edit_button.isEnabled():  # not for a read-only login
            return
        wait_all()
        doc = self._service.document(row.id)
        if not doc.own:
            self._show_received(doc)
            return
        result = ProtocolDialog.ask(self, doc.fields(), self._save(row.id))
        self._after_save(result)

    def _show_received(self, doc: ProtocolDocument) -> None:
        QMessageBox.information(
            self, self.tr("Протокол"),
            self.tr("Протокол организации «{0}»: его можно посмотреть и напечатать "
                    "(«Сохранить PDF…»), но изменить может только она.").format(doc.organisation),
        )  # fmt: skip

    def _after_save(self, result: SaveResult | None) -> None:
        if result is None:
            return
        self._notifier.announce(AREAS, self)
        self.refresh()
        if result.warnings:
            QMessageBox.warning(self, self.tr("Протокол сохранён"), "\n".join(result.warnings))

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None or not row.own:
            return
        self.history.push(
            self.tr("Удаление протокола"),
            lambda: self._service.delete(row.id),
            self._service.restore,
        )
        self._update_buttons()

    def to_roadmap(self) -> None:
        decision = self.selected_decision()
        if decision is None:
            return
        wait_all()
        sections = self._service.roadmap_sections()
        section, ok = QInputDialog.getItem(
            self, self.tr("В дорожную карту"), self.tr("Раздел текущей дорожной карты:"),
            sections, 0, True,
        )  # fmt: skip
        if not ok:
            return
        try:
            link = self._service.add_to_roadmap(decision.id, section)
        except AppError as exc:
            show_error(self, exc)
            return
        self._notifier.announce(AREAS, self)
        self.refresh()
        QMessageBox.information(
            self, self.tr("В дорожную карту"),
            self.tr("Мероприятие добавлено в раздел «{0}», срок: {1}.").format(
                link.section, link.deadline_text or self.tr("не указан")),
        )  # fmt: skip

    def save_pdf(self) -> None:
        row = self.selected()
        if row is None:
            return
        suggested = f"Протокол № {row.number}.pdf" if row.number else "Протокол.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Сохранить протокол"), suggested, self.tr("Документ PDF (*.pdf)")
        )
        if not name:
            return
        out = Path(name).with_suffix(".pdf")
        run_task(self, lambda progress: self._save_pdf(row.id, out, progress),
                 lambda _r: None, title=self.tr("Формирование протокола…"))  # fmt: skip
