"""«Дорожная карта» (school) and «Муниципальная дорожная карта» (district): one screen.

Items are grouped under their sections with the execution % of each section; filters for text,
status, responsible, overdue and a date range; edit in place or in a dialog; every change can be
undone with Ctrl+Z for the session (a QUndoStack of service calls; deletes are tombstones).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from models.roadmap import ItemStatus
from services.core.errors import AppError
from services.documents import ImportMode
from services.roadmap import STATUS_TITLES, ItemFields, RoadmapItemRead, RoadmapRead, RoadmapService
from ui.gui.errors import show_error
from ui.gui.screens.roadmap.dialogs import ItemDialog, RoadmapDialog, TrashDialog
from ui.gui.table_models.roadmap import (
    ROW_ROLE,
    SPAN,
    STATUS_COLUMN,
    ItemRow,
    RoadmapTableModel,
    Row,
    SectionRow,
    StatusDelegate,
    visible,
)
from ui.gui.tasks import run_task
from ui.gui.widgets.columns import keep_readable
from ui.gui.widgets.flow_layout import FlowLayout

Importer = Callable[[Path, ImportMode], str]


class _Call(QUndoCommand):
    """An undoable change made of two service calls; the change is made before it is pushed.

    Qt calls `redo`/`undo` from C++, where a Python exception cannot travel, so refusals are
    reported through `on_error` instead of being raised.
    """

    def __init__(
        self,
        text: str,
        do: Callable[[], Any],
        undo: Callable[[], Any],
        on_error: Callable[[AppError], None],
    ) -> None:
        super().__init__(text)
        self._do, self._undo, self._on_error = do, undo, on_error
        self._done_once = False

    def redo(self) -> None:
        if not self._done_once:  # the first time it was already done by `_push`
            self._done_once = True
            return
        self._safely(self._do)

    def undo(self) -> None:
        self._safely(self._undo)

    def _safely(self, call: Callable[[], Any]) -> None:
        try:
            call()
        except AppError as exc:
            self._on_error(exc)


class RoadmapScreen(QWidget):
    def __init__(
        self,
        service: RoadmapService,
        importer: Importer | None = None,
        *,
        municipal: bool = False,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._importer = importer
        self._today = today
        self._roadmap: RoadmapRead | None = None
        self._items: list[RoadmapItemRead] = []
        self._comments: dict[str, list[str]] = {}
        self.undo_stack = QUndoStack(self)
        self._heights: dict[tuple[object, ...], int] = {}
        self.model = RoadmapTableModel(self._edit_in_place, self)
        self._build_ui(municipal)
        self._connect()

    # -- layout ------------------------------------------------------------------------------

    def _build_ui(self, municipal: bool) -> None:
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.summary = QLabel(self)
        self.toolbar = QToolBar(self)
        self.commands: dict[str, QAction] = {}
        for key, text, shortcut in (
            ("add", self.tr("Добавить мероприятие"), "Ins"),
            ("edit", self.tr("Изменить…"), "Return"),
            ("section", self.tr("Добавить раздел"), "Ctrl+Shift+N"),
            ("up", self.tr("Выше"), "Ctrl+Up"),
            ("down", self.tr("Ниже"), "Ctrl+Down"),
            ("done", self.tr("Отметить выполненными"), "Ctrl+D"),
            ("delete", self.tr("Удалить"), "Del"),
            ("undo", self.tr("Отменить"), QKeySequence.StandardKey.Undo),
            ("trash", self.tr("Корзина…"), ""),
            ("import", self.tr("Загрузить из Excel…"), ""),
            ("props", self.tr("Общие сведения…"), ""),
        ):
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.toolbar.addAction(action)
            self.addAction(action)
            self.commands[key] = action
        self.commands["import"].setVisible(self._importer is not None)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Фильтр: начните вводить текст…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.status_filter = QComboBox(self)
        self.status_filter.addItem(self.tr("Все отметки"), None)
        for status, title in STATUS_TITLES.items():
            self.status_filter.addItem(title, status)
        self.responsible_filter = QComboBox(self)
        self.responsible_filter.setEditable(True)
        line = self.responsible_filter.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("Ответственный"))
        self.overdue_only = QCheckBox(self.tr("Только просроченные"), self)
        self.use_dates = QCheckBox(self.tr("Сроки с"), self)
        self.date_from, self.date_to = QDateEdit(self), QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.setEnabled(False)
        # One line on a wide screen; on a narrow one the dates go to a second line and the text
        # filter takes the rest of the first.
        self.filter_edit.setMinimumWidth(200)
        self.responsible_filter.setMinimumWidth(150)
        dates = QWidget(self)
        dates_row = QHBoxLayout(dates)
        dates_row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.overdue_only, self.use_dates, self.date_from):
            dates_row.addWidget(widget)
        dates_row.addWidget(QLabel(self.tr("по"), dates))
        dates_row.addWidget(self.date_to)
        filters = FlowLayout()
        for control in (self.filter_edit, self.status_filter, self.responsible_filter, dates):
            filters.addWidget(control)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setItemDelegateForColumn(STATUS_COLUMN, StatusDelegate(self.view))
        self.view.setWordWrap(True)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((50, 420, 130, 200, 200, 170, 100)):
            self.view.setColumnWidth(column, width)
        keep_readable(self.view)  # «Дата выполнения» was cut at 100 px
        self.empty = QWidget(self)
        empty_layout = QVBoxLayout(self.empty)
        text = (
            self.tr("Муниципальная дорожная карта ещё не создана.")
            if municipal
            else self.tr("Дорожная карта ещё не создана.")
        )
        empty_layout.addWidget(QLabel(text, self.empty))
        self.create_button = QPushButton(self.tr("Создать дорожную карту…"), self.empty)
        self.import_button = QPushButton(self.tr("Загрузить из Excel…"), self.empty)
        self.import_button.setVisible(self._importer is not None)
        empty_layout.addWidget(self.create_button)
        empty_layout.addWidget(self.import_button)
        empty_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.toolbar)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)

    def _connect(self) -> None:
        a = self.commands
        a["add"].triggered.connect(self._on_add_triggered)
        a["edit"].triggered.connect(self._on_edit_triggered)
        a["section"].triggered.connect(self._on_section_triggered)
        a["up"].triggered.connect(lambda: self._move(-1))
        a["down"].triggered.connect(lambda: self._move(1))
        a["done"].triggered.connect(self._on_done_triggered)
        a["delete"].triggered.connect(self._on_delete_triggered)
        a["undo"].triggered.connect(self._on_undo_triggered)
        a["trash"].triggered.connect(self._on_trash_triggered)
        a["import"].triggered.connect(self._on_import_triggered)
        a["props"].triggered.connect(self._on_props_triggered)
        self.create_button.clicked.connect(self._on_props_triggered)
        self.import_button.clicked.connect(self._on_import_triggered)
        self.undo_stack.canUndoChanged.connect(a["undo"].setEnabled)
        a["undo"].setEnabled(False)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.horizontalHeader().sectionResized.connect(self._on_column_resized)
        self.filter_edit.textChanged.connect(self._apply_filters)
        self.status_filter.currentIndexChanged.connect(self._apply_filters)
        self.responsible_filter.currentTextChanged.connect(self._apply_filters)
        self.overdue_only.toggled.connect(self._apply_filters)
        self.use_dates.toggled.connect(self._on_use_dates_toggled)
        self.date_from.dateChanged.connect(self._apply_filters)
        self.date_to.dateChanged.connect(self._apply_filters)

    # -- data --------------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            self._roadmap = self._service.current(self._today())
            self._load()
        except AppError as exc:
            show_error(self, exc)

    def _load(self) -> None:
        has = self._roadmap is not None
        widgets: list[QWidget] = [self.view, self.toolbar, self.summary, self.filter_edit,
                                  self.status_filter, self.responsible_filter, self.overdue_only,
                                  self.use_dates, self.date_from, self.date_to]  # fmt: skip
        for widget in widgets:
            widget.setVisible(has)
        self.empty.setVisible(not has)
        if self._roadmap is None:
            self.heading.setText("")
            self.model.set_rows([])
            return
        r = self._roadmap
        self.heading.setText(f"{r.title} ({r.period_start:%d.%m.%Y} – {r.period_end:%d.%m.%Y})")
        self._items = self._service.items(r.id)
        self._sections = self._service.sections(r.id)
        self._execution = self._service.execution(r.id, self._today())
        self._comments = self._service.district_comments()
        ex = self._execution
        self.summary.setText(
            self.tr("Мероприятий, срок которых наступил, пока нет.")
            if ex.overall.value is None
            else self.tr(
                "Выполнено {0} мероприятий, срок которых наступил ({1}); просрочено: {2}."
            ).format(ex.overall.text(), ex.overall.detail(), ex.overdue)
        )
        people = sorted({i.responsible for i in self._items if i.responsible})
        current = self.responsible_filter.currentText()
        self.responsible_filter.blockSignals(True)
        self.responsible_filter.clear()
        self.responsible_filter.addItems(["", *people])
        self.responsible_filter.setCurrentText(current)
        self.responsible_filter.blockSignals(False)
        if not self.use_dates.isChecked():
            for edit, day in ((self.date_from, r.period_start), (self.date_to, r.period_end)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self, *_: object) -> None:
        if self._roadmap is None:
            return
        today, end = self._today(), self._roadmap.period_end
        period = None
        if self.use_dates.isChecked():
            period = (self.date_from.date().toPython(), self.date_to.date().toPython())
        criteria: dict[str, Any] = {
            "text": self.filter_edit.text().strip(),
            "status": self.status_filter.currentData(),
            "responsible": self.responsible_filter.currentText().strip(),
            "only_overdue": self.overdue_only.isChecked(),
            "period": period,
        }
        filtering = any(v for v in criteria.values())
        by_section = {x.section_id: x for x in self._execution.sections}
        rows: list[Row] = []
        for number, section in [(0, None), *enumerate(self._sections, start=1)]:
            sid = section.id if section else None
            items = [i for i in self._items if i.section_id == sid]
            shown = [
                ItemRow(i, i.is_overdue(today, end), tuple(self._comments.get(i.id, ())))
                for i in items
                if visible(i, i.is_overdue(today, end), **criteria)
            ]
            if section is None and not items:
                continue
            if filtering and not shown:
                continue
            figures = by_section.get(sid)
            if figures is not None:
                rows.append(SectionRow(section, number, figures.ratio, figures.overdue))
            rows += shown
        self.model.set_rows(rows)
        self.view.clearSpans()
        for n, row in enumerate(rows):
            if isinstance(row, SectionRow):
                self.view.setSpan(n, 1, 1, SPAN)
        self._fit_rows(rows)

    def _fit_rows(self, rows: list[Row]) -> None:
        """Row heights to fit wrapped text, measured once per row text (filtering stays fast)."""
        for n, row in enumerate(rows):
            key = _height_key(row)
            height = self._heights.get(key)
            if height is None:
                self.view.resizeRowToContents(n)
                self._heights[key] = self.view.rowHeight(n)
            else:
                self.view.setRowHeight(n, height)

    def _on_column_resized(self, *_: object) -> None:
        self._heights.clear()
        self._fit_rows(self.model.rows())

    # -- selection ---------------------------------------------------------------------------

    def _selected(self) -> list[Row]:
        indexes = self.view.selectionModel().selectedRows()
        return [self.model.row_at(i.row()) for i in sorted(indexes, key=lambda i: i.row())]

    def _selected_items(self) -> list[RoadmapItemRead]:
        return [r.item for r in self._selected() if isinstance(r, ItemRow)]

    def _current_section_id(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return self._sections[-1].id if self._sections else None
        row = self.model.row_at(index.row())
        if isinstance(row, SectionRow):
            return row.section.id if row.section else None
        return row.item.section_id

    def select_item(self, item_id: str) -> None:
        for n, row in enumerate(self.model.rows()):
            if isinstance(row, ItemRow) and row.item.id == item_id:
                self.view.selectRow(n)
                return

    # -- commands ----------------------------------------------------------------------------

    def _push(
        self, text: str, do: Callable[[], Any], undo: Callable[[], Any], *, reload: bool = True
    ) -> bool:
        """Make a change now and remember how to undo it; False when the service refused.

        `reload=False` is for edits made from inside the model (`setData`), which must not
        reset the model under the view; they reload on the next turn of the event loop.
        """
        try:
            do()
        except AppError as exc:
            show_error(self, exc)
            return False
        finally:
            if reload:
                self._load()
        self.undo_stack.push(_Call(text, do, undo, self._on_undo_error))
        return True

    def _on_undo_error(self, exc: AppError) -> None:
        show_error(self, exc)
        QTimer.singleShot(0, self._load)

    def _edit_in_place(self, item: RoadmapItemRead, name: str, value: Any) -> bool:
        before = ItemFields.of(item)
        after = before.changed(**{name: value})
        if name == "status" and value is not ItemStatus.DONE:
            after = after.changed(completion_date=None)
        ok = self._push(
            self.tr("Изменение"),
            lambda: self._service.update_item(item.id, after),
            lambda: self._service.update_item(item.id, before),
            reload=False,
        )
        QTimer.singleShot(0, self._reload_keeping(item.id))
        return ok

    def _reload_keeping(self, item_id: str) -> Callable[[], None]:
        def reload() -> None:
            self._load()
            self.select_item(item_id)

        return reload

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

        self._push(self.tr("Добавление"), do, lambda: self._service.delete_items(created))
        if created:
            self.select_item(created[0])

    def _on_edit_triggered(self) -> None:
        items = self._selected_items()
        if not items or self._roadmap is None:
            return
        item = items[0]
        before = ItemFields.of(item)
        after = ItemDialog.ask(self, self._roadmap, before)
        if after is None or after == before:
            return
        self._push(
            self.tr("Изменение"),
            lambda: self._service.update_item(item.id, after),
            lambda: self._service.update_item(item.id, before),
        )
        self.select_item(item.id)

    def _on_view_double_clicked(self, index: Any) -> None:
        row = self.model.data(index, ROW_ROLE)
        if isinstance(row, SectionRow) and row.section is not None:
            self._rename_section(row.section.id, row.section.title)

    def _rename_section(self, section_id: str, old: str) -> None:
        from PySide6.QtWidgets import QInputDialog

        title, ok = QInputDialog.getText(self, self.tr("Раздел"), self.tr("Название раздела:"),
                                         text=old)  # fmt: skip
        if ok and title.strip() and title.strip() != old:
            self._push(
                self.tr("Переименование"),
                lambda: self._service.rename_section(section_id, title),
                lambda: self._service.rename_section(section_id, old),
            )

    def _on_section_triggered(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        if self._roadmap is None:
            return
        title, ok = QInputDialog.getText(self, self.tr("Новый раздел"),
                                         self.tr("Название раздела:"))  # fmt: skip
        if not ok or not title.strip():
            return
        rid = self._roadmap.id
        created: list[str] = []

        def do() -> None:
            if created:
                self._service.restore_section(created[0])
            else:
                created.append(self._service.add_section(rid, title))

        self._push(self.tr("Новый раздел"), do, lambda: self._service.delete_section(created[0]))

    def _move(self, delta: int) -> None:
        items = self._selected_items()
        if len(items) != 1:
            return
        item_id = items[0].id
        self._push(
            self.tr("Перемещение"),
            lambda: self._service.move_item(item_id, delta),
            lambda: self._service.move_item(item_id, -delta),
        )
        self.select_item(item_id)

    def _on_done_triggered(self) -> None:
        items = self._selected_items()
        if not items:
            return
        before = {i.id: ItemFields.of(i) for i in items}
        ids = list(before)

        def undo() -> None:
            for item_id, values in before.items():
                self._service.update_item(item_id, values)

        self._push(
            self.tr("Отметка о выполнении"),
            lambda: self._service.set_status(ids, ItemStatus.DONE, self._today()),
            undo,
        )

    def _on_delete_triggered(self) -> None:
        rows = self._selected()
        items = [r.item.id for r in rows if isinstance(r, ItemRow)]
        sections = [r.section.id for r in rows if isinstance(r, SectionRow) and r.section]
        if not items and not sections:
            return
        if sections:
            answer = QMessageBox.question(
                self,
                self.tr("Удаление раздела"),
                self.tr(
                    "Удалить раздел вместе с его мероприятиями? Их можно вернуть: Ctrl+Z "
                    "или «Корзина»."
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        removed: dict[str, list[str]] = {}

        def do() -> None:
            self._service.delete_items([i for i in items if self._is_live(i)])
            for sid in sections:
                removed[sid] = self._service.delete_section(sid)

        def undo() -> None:
            for sid, ids in removed.items():
                self._service.restore_section(sid, ids)
            self._service.restore_items(items)

        self._push(self.tr("Удаление"), do, undo)

    def _is_live(self, item_id: str) -> bool:
        return any(i.id == item_id for i in self._items)

    def _on_trash_triggered(self) -> None:
        if self._roadmap is None:
            return
        ids = TrashDialog.ask(self, self._service.trash(self._roadmap.id))
        if ids:
            self._push(
                self.tr("Восстановление"),
                lambda: self._service.restore_items(ids),
                lambda: self._service.delete_items(ids),
            )

    def _on_props_triggered(self) -> None:
        values = RoadmapDialog.ask(self, self._roadmap)
        if values is None:
            return
        try:
            self._service.save_roadmap(values, self._roadmap.id if self._roadmap else None)
        except AppError as exc:
            show_error(self, exc)
        self.refresh()

    def _on_undo_triggered(self) -> None:
        self.undo_stack.undo()
        self._load()

    def _on_use_dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self._apply_filters()

    def _on_import_triggered(self) -> None:
        if self._importer is None:
            return
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Загрузить дорожную карту"), "", self.tr("Книга Excel (*.xlsx)")
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Import a workbook; into a non-empty roadmap, ask whether to append or replace."""
        importer = self._importer
        if importer is None:
            return
        mode = ImportMode.APPEND
        if self._items:
            mode_or_none = ask_import_mode(self)
            if mode_or_none is None:
                return
            mode = mode_or_none

        def done(summary: str) -> None:
            self.undo_stack.clear()
            self.refresh()
            QMessageBox.information(self, self.tr("Загрузка из Excel"), summary)

        run_task(self, lambda progress: importer(path, mode), done,
                 title=self.tr("Загрузка дорожной карты…"))  # fmt: skip


def _height_key(row: Row) -> tuple[object, ...]:
    if isinstance(row, SectionRow):
        return ("section", row.section.title if row.section else "", row.ratio, row.overdue)
    i = row.item
    return (i.id, i.number, i.title, i.deadline_text, i.responsible, i.expected_result,
            i.status, row.overdue)  # fmt: skip


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
