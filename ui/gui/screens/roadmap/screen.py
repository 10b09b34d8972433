"""«Дорожная карта» (school) and «Муниципальная дорожная карта» (district): one screen.

Items are grouped under their (nested) sections with the execution % of each section; an item
with several occurrences expands into a row per occurrence, whose status, date, evidence and
comment are edited there; filters for text, status, responsible, overdue and a date range; edit
in place or in a dialog; every change can be undone with Ctrl+Z for the session (`UndoHistory`;
deletes are tombstones). The roadmap is read in a background task (items, sections, execution
and comments of 500 items take ≈ 0.1 s).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError
from services.core.progress import Progress
from services.roadmap import (
    Execution,
    ProgrammeService,
    RoadmapItemRead,
    RoadmapRead,
    RoadmapService,
    SectionRead,
)
from ui.gui.errors import show_error
from ui.gui.screens.roadmap.columns import ColumnChooser
from ui.gui.screens.roadmap.commands import Importer, RoadmapCommands
from ui.gui.screens.roadmap.filters import RoadmapFilters
from ui.gui.screens.roadmap.programme_dialog import ProgrammeDialog
from ui.gui.screens.roadmap.rows import build_rows, item_count
from ui.gui.table_models.roadmap import (
    COLUMNS,
    ROW_ROLE,
    SPAN,
    STATUS_COLUMN,
    ItemRow,
    OccurrenceRow,
    RoadmapTableModel,
    Row,
    SectionRow,
    StatusDelegate,
    WrapDelegate,
    height_key,
)
from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets.action_bar import ActionBar
from ui.gui.widgets.columns import keep_readable
from ui.gui.widgets.fitted_table import FittedTableView
from ui.gui.widgets.undo import UndoHistory

COMMANDS = (
    ("add", "Добавить мероприятие", "Ins"),
    ("edit", "Изменить…", "Return"),
    ("section", "Добавить раздел…", "Ctrl+Shift+N"),
    ("expand", "Сроки по годам", "Ctrl+Right"),
    ("up", "Выше", "Ctrl+Up"),
    ("down", "Ниже", "Ctrl+Down"),
    ("done", "Отметить выполненными", "Ctrl+D"),
    ("delete", "Удалить", "Del"),
    ("undo", "Отменить", QKeySequence.StandardKey.Undo),
    ("trash", "Корзина…", "Ctrl+Shift+Del"),
    ("import", "Загрузить из файла…", "Ctrl+O"),
    ("props", "Общие сведения…", "Alt+Return"),  # Windows: «Свойства»
    ("programme", "Программа…", "Ctrl+Shift+P"),
)


@dataclass(frozen=True)
class Snapshot:
    """What the screen shows, read in one background task."""

    roadmap: RoadmapRead | None
    items: list[RoadmapItemRead]
    sections: list[SectionRead]
    execution: Execution | None
    comments: dict[str, list[str]]


def read_snapshot(service: RoadmapService, today: date) -> Snapshot:
    roadmap = service.current(today)
    if roadmap is None:
        return Snapshot(None, [], [], None, {})
    return Snapshot(roadmap, service.items(roadmap.id), service.sections(roadmap.id),
                    service.execution(roadmap.id, today), service.district_comments())  # fmt: skip


class RoadmapScreen(RoadmapCommands):
    loaded = Signal()

    def __init__(
        self,
        service: RoadmapService,
        importer: Importer | None = None,
        *,
        municipal: bool = False,
        today: Callable[[], date] = date.today,
        notifier: Notifier | None = None,
        settings_file: Path | None = None,
        parent: QWidget | None = None,
        programme: ProgrammeService | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings_file = settings_file  # `ui.ini`: the columns shown
        self._service = service
        self._programme = programme
        self._importer = importer
        self._today = today
        self._notifier = notifier
        self._roadmap: RoadmapRead | None = None
        self._items: list[RoadmapItemRead] = []
        self._sections: list[SectionRead] = []
        self._execution: Execution | None = None
        self._comments: dict[str, list[str]] = {}
        self._expanded: set[str] = set()  # items whose occurrences are shown
        self.history = UndoHistory(self, ["roadmap"], reload=self.refresh,
                                   on_error=self._show_error, notifier=notifier)  # fmt: skip
        self.undo_stack = self.history.stack
        self.model = RoadmapTableModel(self._edit_in_place, self)
        self._build_ui(municipal)
        self._connect()
        if notifier is not None:
            notifier.follow(self, ["roadmap", "bulletin"], self.refresh)

    # -- layout ------------------------------------------------------------------------------

    def _build_ui(self, municipal: bool) -> None:
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.toolbar = ActionBar(self)  # wraps at 1024 px rather than hide actions behind «»»
        self.commands: dict[str, QAction] = {}
        for key, text, shortcut in COMMANDS:
            action = QAction(self.tr(text), self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.toolbar.add(action)
            self.addAction(action)
            self.commands[key] = action
        self.commands["import"].setVisible(self._importer is not None)
        self.commands["programme"].setVisible(self._programme is not None)
        self.filters = RoadmapFilters(self)
        f = self.filters  # the names the tests and the benchmark use
        self.filter_edit, self.status_filter, self.responsible_filter = (
            f.text,
            f.status,
            f.responsible,
        )
        self.overdue_only, self.use_dates = f.overdue_only, f.use_dates
        self.date_from, self.date_to = f.date_from, f.date_to
        self.view = self._table()
        self.empty = self._empty_state(municipal)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.summary, self.toolbar, self.filters):
            layout.addWidget(widget)
        layout.addWidget(self.filters.nothing_found)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)

    def _table(self) -> FittedTableView:
        view = FittedTableView(height_key, self)
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        view.setItemDelegate(WrapDelegate(view))
        view.setItemDelegateForColumn(STATUS_COLUMN, StatusDelegate(view))
        view.setWordWrap(True)
        view.verticalHeader().setVisible(False)
        self.columns = ColumnChooser(view, self._settings_file, view.refit)
        header = view.horizontalHeader()
        header.setSectionsClickable(True)  # a click sorts the items within each section
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        keep_readable(view)  # «Дата выполнения» was cut at 100 px
        return view

    def _empty_state(self, municipal: bool) -> QWidget:
        empty = QWidget(self)
        layout = QVBoxLayout(empty)
        text = (
            self.tr("Муниципальная дорожная карта ещё не создана.")
            if municipal
            else self.tr("Дорожная карта ещё не создана.")
        )
        layout.addWidget(QLabel(text, empty))
        self.create_button = QPushButton(self.tr("Создать дорожную карту…"), empty)
        self.import_button = QPushButton(self.tr("Загрузить из файла…"), empty)
        self.import_button.setVisible(self._importer is not None)
        layout.addWidget(self.create_button)
        layout.addWidget(self.import_button)
        layout.addStretch(1)
        return empty

    def _connect(self) -> None:
        a = self.commands
        a["add"].triggered.connect(self._on_add_triggered)
        a["edit"].triggered.connect(self._on_edit_triggered)
        a["section"].triggered.connect(self._on_section_triggered)
        a["expand"].triggered.connect(self._on_expand_triggered)
        a["up"].triggered.connect(lambda: self._move(-1))
        a["down"].triggered.connect(lambda: self._move(1))
        a["done"].triggered.connect(self._on_done_triggered)
        a["delete"].triggered.connect(self._on_delete_triggered)
        a["undo"].triggered.connect(self._on_undo_triggered)
        a["trash"].triggered.connect(self._on_trash_triggered)
        a["import"].triggered.connect(self._on_import_triggered)
        a["props"].triggered.connect(self._on_props_triggered)
        a["programme"].triggered.connect(self._on_programme_triggered)
        self.create_button.clicked.connect(self._on_props_triggered)
        self.import_button.clicked.connect(self._on_import_triggered)
        self.undo_stack.canUndoChanged.connect(a["undo"].setEnabled)
        a["undo"].setEnabled(False)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.clicked.connect(self._on_view_clicked)
        self.filters.changed.connect(self._apply_filters)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._apply_filters)

    # -- data --------------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Read the roadmap in the background, then show it (and select `select`)."""
        service, today = self._service, self._today()

        def job(_progress: Progress) -> Snapshot:
            return read_snapshot(service, today)

        run_task(self, job, lambda snapshot: self._show(snapshot, select))

    def _show(self, snapshot: Snapshot, select: str | None = None) -> None:
        self._roadmap, self._items = snapshot.roadmap, snapshot.items
        self._sections, self._execution = snapshot.sections, snapshot.execution
        self._comments = snapshot.comments
        has = self._roadmap is not None
        for widget in (self.view, self.toolbar, self.summary, self.filters):
            widget.setVisible(has)
        self.empty.setVisible(not has)
        if self._roadmap is None or self._execution is None:
            self.heading.setText("")
            self.model.set_rows([])
        else:
            r, ex = self._roadmap, self._execution
            self.heading.setText(f"{r.title} ({r.period_start:%d.%m.%Y} – {r.period_end:%d.%m.%Y})")
            self.summary.setText(
                self.tr("Мероприятий, срок которых наступил, пока нет.")
                if ex.overall.value is None
                else self.tr(
                    "Выполнено {0} мероприятий, срок которых наступил ({1}); просрочено: {2}."
                ).format(ex.overall.text(), ex.overall.detail(), ex.overdue)
            )
            self.filters.set_people(sorted({i.responsible for i in self._items if i.responsible}))
            self.filters.set_period(r.period_start, r.period_end)
            self._apply_filters()
            if select is not None:
                self.select_item(select)
        self.loaded.emit()

    def _apply_filters(self, *_: object) -> None:
        if self._roadmap is None or self._execution is None:
            return
        criteria = self.filters.criteria()
        rows = build_rows(self._sections, self._items, self._execution, self._today(),
                          criteria=criteria, expanded=self._expanded,
                          comments=self._comments, sort_by=self._order())  # fmt: skip
        self.model.set_rows(rows)
        self.filters.show_result(item_count(rows) if self._items else 1)
        self.view.clearSpans()
        for n, row in enumerate(rows):
            if isinstance(row, SectionRow):
                self.view.setSpan(n, 1, 1, SPAN)
        self.view.fit_rows(rows)

    def _on_expand_triggered(self) -> None:
        """Show the occurrences of the selected items; hide them when all are shown."""
        ids = {i.id for i in self._selected_items()}
        self._expand(not ids or not ids <= self._expanded)

    def _order(self) -> tuple[str, bool] | None:
        """The column the header sorts by (None: plan order, until a header is clicked)."""
        header = self.view.horizontalHeader()
        column = header.sortIndicatorSection()
        if not header.isSortIndicatorShown() or not 0 <= column < len(COLUMNS):
            return None
        return COLUMNS[column][1], header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    def _expand(self, on: bool, item_id: str | None = None) -> None:
        """Show (or hide) the occurrences of the selected items, keeping the selection."""
        ids = [item_id] if item_id else [i.id for i in self._selected_items()]
        ids = [i for i in ids if i in {x.id for x in self._items if len(x.occurrences) > 1}]
        if not ids:
            return
        current = self.view.currentIndex()
        row = self.model.row_at(current.row()) if current.isValid() else None
        self._expanded = (self._expanded | set(ids)) if on else (self._expanded - set(ids))
        self._apply_filters()
        if row is not None and not isinstance(row, SectionRow):
            self.select_item(row.item.id)

    def _show_error(self, exc: AppError) -> None:
        show_error(self, exc)

    def _on_programme_triggered(self) -> None:
        if self._roadmap is not None and self._programme is not None:
            ProgrammeDialog(self._programme, self._roadmap.id, self).exec()

    # -- selection ---------------------------------------------------------------------------

    def _selected(self) -> list[Row]:
        indexes = self.view.selectionModel().selectedRows()
        return [self.model.row_at(i.row()) for i in sorted(indexes, key=lambda i: i.row())]

    def _current_section_id(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return self._sections[-1].id if self._sections else None
        row = self.model.row_at(index.row())
        if isinstance(row, SectionRow):
            return row.section.id if row.section else None
        return row.item.section_id

    def _current_section(self) -> SectionRead | None:
        sid = self._current_section_id()
        return next((s for s in self._sections if s.id == sid), None)

    def select_item(self, row_id: str) -> None:
        """Select the row of an item, or of an occurrence (its id)."""
        for n, row in enumerate(self.model.rows()):
            if (isinstance(row, ItemRow) and row.item.id == row_id) or (
                isinstance(row, OccurrenceRow) and row.occurrence.id == row_id
            ):
                self.view.selectRow(n)
                return

    def _on_view_clicked(self, index: Any) -> None:
        row = self.model.data(index, ROW_ROLE)
        if index.column() == 0 and isinstance(row, ItemRow) and row.multi:
            self._expand(not row.expanded, row.item.id)

    def lock_writes(self) -> None:
        """A read-only login: the roadmap is shown and filtered, never changed."""
        from ui.gui.widgets.read_only import lock

        lock([a for key, a in self.commands.items() if key != "expand"])
        lock([self.create_button, self.import_button])
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.doubleClicked.disconnect(self._on_view_double_clicked)

    def _on_view_double_clicked(self, index: Any) -> None:
        row = self.model.data(index, ROW_ROLE)
        if isinstance(row, SectionRow) and row.section is not None:
            self._edit_section(row.section)
        elif isinstance(row, OccurrenceRow) and not self.model.editable(row, index.column()):
            self._edit_occurrence(row)
