"""The editing commands of the roadmap screen; every change goes through its `UndoHistory`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QFileDialog,
    QMessageBox,
    QWidget,
)

from models.roadmap import ItemStatus
from services.core.errors import AppError
from services.documents import ImportMode
from services.roadmap import (
    ItemFields,
    OccurrenceFields,
    RoadmapItemRead,
    RoadmapRead,
    RoadmapService,
    SectionRead,
)
from ui.gui.screens.roadmap.dialogs import ItemDialog, RoadmapDialog, TrashDialog
from ui.gui.screens.roadmap.record_commands import RecordCommands
from ui.gui.table_models.roadmap import (
    STATUS_COLUMN,
    ItemRow,
    OccurrenceRow,
    RoadmapTableModel,
    Row,
    SectionRow,
    one_occurrence,
)
from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets.fitted_table import FittedTableView
from ui.gui.widgets.undo import UndoHistory

if TYPE_CHECKING:
    from services.intake import RoadmapPreview


@dataclass(frozen=True)
class Importer:
    """How the screen imports a file: the header vocabulary it is read with, and the store."""

    intake_dir: Path  # `AppPaths.intake_dir`
    store: Callable[[Path, ImportMode, RoadmapPreview], str]  # stores the accepted preview


class RoadmapCommands(RecordCommands):
    """Add, edit, move, mark, delete, restore, import; the screen supplies data and reload."""

    _service: RoadmapService
    _importer: Importer | None
    _notifier: Notifier | None
    _today: Callable[[], date]
    _roadmap: RoadmapRead | None
    _items: list[RoadmapItemRead]
    _sections: list[SectionRead]
    history: UndoHistory
    view: FittedTableView
    model: RoadmapTableModel

    def refresh(self, select: str | None = None) -> None:
        raise NotImplementedError

    def _selected(self) -> list[Row]:
        raise NotImplementedError

    def _current_section_id(self) -> str | None:
        raise NotImplementedError

    def _current_section(self) -> SectionRead | None:
        raise NotImplementedError

    def _show_error(self, exc: AppError) -> None:
        raise NotImplementedError

    def _selected_items(self) -> list[RoadmapItemRead]:
        return [r.item for r in self._selected() if isinstance(r, ItemRow)]

    def _edit_in_place(self, row: Row, name: str, value: Any) -> bool:
        if isinstance(row, SectionRow):
            return False
        occ = one_occurrence(row)
        if isinstance(row, OccurrenceRow) and occ is not None:
            return self._record(row.item.id, occ, OccurrenceFields.of(occ).changed(**{name: value}))
        item = row.item
        before = ItemFields.of(item)
        after = before.changed(**{name: value})
        if name == "status" and value is not ItemStatus.DONE:
            after = after.changed(completion_date=None)
        applied = self.history.push(
            self.tr("Изменение"),
            lambda: self._service.update_item(item.id, after),
            lambda _r: self._service.update_item(item.id, before),
            reload=False,
        )
        self.refresh(select=item.id)  # in a task: the model is not reset inside `setData`
        return applied is not None

    def _on_add_triggered(self) -> None:
        if self._roadmap is None:
            return
        values = ItemDialog.ask(self, self._roadmap, None)
        if values is None:
            return
        rid, sid = self._roadmap.id, self._current_section_id()
        created: list[str] = []

        def do() -> None:
            if created:
                self._service.restore_items(created)
            else:
                created.append(self._service.add_item(rid, sid, values))

        self.history.push(self.tr("Добавление"), do,
                          lambda _r: self._service.delete_items(created), reload=False)  # fmt: skip
        self.refresh(select=created[0] if created else None)

    def _edit_in_cell(self) -> bool:
        """Enter (the «Изменить…» shortcut) in the table: keep a cell's edit, open the status list.

        Without this the shortcut took Enter from an open cell editor and showed the full dialog
        with the old status; on the status cell Enter now opens its drop-down in place.
        """
        view, index = self.view, self.view.currentIndex()
        if view.state() == QAbstractItemView.State.EditingState:
            editor = view.indexWidget(index)
            if editor is not None:
                view.commitData(editor)
                view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            return True
        if (
            view.hasFocus()
            and index.column() == STATUS_COLUMN
            and bool(self.model.flags(index) & Qt.ItemFlag.ItemIsEditable)
        ):
            view.edit(index)
            return True
        return False

    def _on_edit_triggered(self) -> None:
        if self._edit_in_cell():
            return
        rows = self._selected()
        if rows and isinstance(rows[0], OccurrenceRow):
            self._edit_occurrence(rows[0])
            return
        if rows and isinstance(rows[0], SectionRow) and rows[0].section is not None:
            self._edit_section(rows[0].section)
            return
        items = self._selected_items()
        if not items or self._roadmap is None:
            return
        item = items[0]
        before = ItemFields.of(item)
        current = item.current if len(item.occurrences) > 1 else None
        label = (current.label or "—") if current is not None else ""
        after = ItemDialog.ask(self, self._roadmap, before, label)
        if after is None or after == before:
            return
        self.history.push(
            self.tr("Изменение"),
            lambda: self._service.update_item(item.id, after),
            lambda _r: self._service.update_item(item.id, before),
            reload=False,
        )
        self.refresh(select=item.id)

    def _move(self, delta: int) -> None:
        items = self._selected_items()
        if len(items) != 1:
            return
        item_id = items[0].id
        self.history.push(
            self.tr("Перемещение"),
            lambda: self._service.move_item(item_id, delta),
            lambda _r: self._service.move_item(item_id, -delta),
            reload=False,
        )
        self.refresh(select=item_id)

    def _on_delete_triggered(self) -> None:
        rows = self._selected()
        items = [r.item.id for r in rows if isinstance(r, ItemRow)]
        sections = [r.section.id for r in rows if isinstance(r, SectionRow) and r.section]
        if not items and not sections:
            return
        if sections and not _confirm_section_delete(self):
            return
        removed: dict[str, list[str]] = {}
        live = {i.id for i in self._items}

        def do() -> None:
            self._service.delete_items([i for i in items if i in live])
            for sid in sections:
                removed[sid] = self._service.delete_section(sid)

        def undo(_r: object) -> None:
            for sid, ids in removed.items():
                self._service.restore_section(sid, ids)
            self._service.restore_items(items)

        self.history.push(self.tr("Удаление"), do, undo)

    def _on_trash_triggered(self) -> None:
        if self._roadmap is None:
            return
        ids = TrashDialog.ask(self, self._service.trash(self._roadmap.id))
        if ids:
            self.history.push(
                self.tr("Восстановление"),
                lambda: self._service.restore_items(ids),
                lambda _r: self._service.delete_items(ids),
            )

    def _on_props_triggered(self) -> None:
        values = RoadmapDialog.ask(self, self._roadmap)
        if values is None:
            return
        try:
            self._service.save_roadmap(values, self._roadmap.id if self._roadmap else None)
        except AppError as exc:
            self._show_error(exc)
        else:
            if self._notifier is not None:
                self._notifier.announce(["roadmap"], self)
        self.refresh()

    def _on_undo_triggered(self) -> None:
        self.history.undo()

    def _on_import_triggered(self) -> None:
        if self._importer is None:
            return
        from ui.gui.widgets.intake_flow import TABLE_FILES

        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Загрузить дорожную карту"),
            "",
            self.tr("Таблицы ({0})").format(TABLE_FILES),
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Import a table (read in the background, then previewed); asks append or replace."""
        from ui.gui.widgets.intake_flow import open_table

        if self._importer is not None:
            open_table(self, path, self._preview_and_store)

    def _preview_and_store(self, path: Path) -> None:
        importer = self._importer
        if importer is None:
            return
        from services.intake import ExistingRoadmap, load_vocabulary
        from ui.gui.screens.roadmap.intake_dialog import IntakeDialog

        try:
            vocabulary = load_vocabulary(importer.intake_dir)
        except AppError as exc:
            self._show_error(exc)
            return
        existing = None
        if self._roadmap is not None:
            span = (self._roadmap.period_start, self._roadmap.period_end)
            existing = ExistingRoadmap(span, len(self._items))
        # what is stored, before anything is
        preview = IntakeDialog.ask(path, vocabulary, self, existing)
        if preview is None:
            return
        mode = ImportMode.APPEND
        if self._items:
            mode_or_none = ask_import_mode(self)
            if mode_or_none is None:
                return
            mode = mode_or_none

        def done(summary: str) -> None:
            self.history.clear()
            self.refresh()
            QMessageBox.information(self, self.tr("Загрузка из Excel"), summary)

        run_task(self, lambda progress: importer.store(path, mode, preview), done,
                 title=self.tr("Загрузка дорожной карты…"), notifier=self._notifier,
                 changes=["roadmap"])  # fmt: skip


def _confirm_section_delete(parent: QWidget) -> bool:
    answer = QMessageBox.question(
        parent,
        parent.tr("Удаление раздела"),
        parent.tr(
            "Удалить раздел вместе с его мероприятиями? Их можно вернуть: Ctrl+Z или «Корзина»."
        ),
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_import_mode(parent: QWidget) -> ImportMode | None:
    box = QMessageBox(parent)
    box.setWindowTitle(parent.tr("Загрузка из Excel"))
    box.setText(parent.tr("Дорожная карта уже заполнена. Что сделать с мероприятиями из файла?"))
    append = box.addButton(parent.tr("Добавить к имеющимся"), QMessageBox.ButtonRole.AcceptRole)
    replace = box.addButton(parent.tr("Заменить (прежние — в «Корзину»)"),
                            QMessageBox.ButtonRole.DestructiveRole)  # fmt: skip
    box.addButton(parent.tr("Отмена"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is append:
        return ImportMode.APPEND
    if clicked is replace:
        return ImportMode.REPLACE
    return None
