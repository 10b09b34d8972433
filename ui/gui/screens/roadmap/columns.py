"""Which columns the roadmap table shows: a menu on its header, remembered in `ui.ini`.

By default the columns a deputy director reads (№, «Мероприятие», «Срок», «Ответственные»,
«Отметка о выполнении») fit a 1024 px screen without a sideways scroll: «Мероприятие» takes the
width the others leave. The others are one right click on the header away. Where even those do
not fit (the narrow roadmap pane of «Школы», «Крупный шрифт»), the chosen columns give way in
`GIVE_WAY` order until «Мероприятие» has 200 px; the number, the title and the status stay,
and the status narrows (its text wraps) before the title drops below 200 px.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QMenu, QStyle, QTableView

from ui.gui.table_models.roadmap import COLUMN_SPECS, TITLE_COLUMN
from ui.gui.widgets.columns import MAIN_MIN, needed_width

KEY = "roadmap/columns"
GIVE_WAY = ("participants", "expected_result", "report_form", "comment", "evidence",
            "completion_date", "responsible", "deadline_text")  # fmt: skip
INDEX = {spec.name: n for n, spec in enumerate(COLUMN_SPECS)}
STATUS_MIN = 110
STYLE = QStyle.PixelMetric  # «Выполнено 1 из 4 —» / «просрочено» on two lines


class ColumnChooser(QObject):
    """Shows and hides the table's columns; `settings_file` None keeps the choice in memory."""

    def __init__(
        self,
        view: QTableView,
        settings_file: Path | None = None,
        on_title_width: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        # rows wrap at the title's width: a stretched column's new width may come without a
        # `sectionResized` (a vertical scroll bar appearing), so the view is told here
        self._on_title_width = on_title_width
        self._title_width = 0
        self._settings_file = settings_file
        self._chosen: list[str] = []
        self._widths = {n: spec.width for n, spec in enumerate(COLUMN_SPECS)}
        self._busy = False
        self._timer = QTimer(self)  # a child: it dies with the view
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._fit)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, spec in enumerate(COLUMN_SPECS):
            view.setColumnWidth(column, spec.width)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_menu_requested)
        header.setToolTip("Правый щелчок по заголовку: выбрать столбцы")
        header.sectionResized.connect(self._later)
        view.viewport().installEventFilter(self)
        self.set_shown(self._stored())

    def shown(self) -> list[str]:
        """The columns chosen (some may give way on a narrow screen: `visible()`)."""
        return list(self._chosen)

    def visible(self) -> list[str]:
        header = self._view.horizontalHeader()
        return [s.name for n, s in enumerate(COLUMN_SPECS) if not header.isSectionHidden(n)]

    def set_shown(self, names: list[str]) -> None:
        # the number and the title are how a row is read: they are always chosen
        self._chosen = [s.name for n, s in enumerate(COLUMN_SPECS)
                        if s.name in names or n <= TITLE_COLUMN]  # fmt: skip
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._later()
        return False

    def _later(self, *_: object) -> None:
        if not self._busy:
            self._timer.start()

    def _fit(self) -> None:
        """Show the chosen columns, less those that must give way for «Мероприятие»'s 200 px."""
        view, header = self._view, self._view.horizontalHeader()
        # a vertical scroll bar that appears later (rows loaded, wrapped) takes its width from
        # the title: keep it in reserve
        bar = view.verticalScrollBar()
        spare = 0 if bar.isVisible() else view.style().pixelMetric(STYLE.PM_ScrollBarExtent)
        room = view.viewport().width() - spare - max(MAIN_MIN, needed_width(header, TITLE_COLUMN))
        for n in range(header.count()):
            if not header.isSectionHidden(n) and n != TITLE_COLUMN:
                self._widths[n] = header.sectionSize(n)
        keep = [INDEX[name] for name in self._chosen if name != "title"]
        total = sum(self._widths[n] for n in keep)
        for name in GIVE_WAY:
            if total <= room or room <= 0:
                break
            if INDEX[name] in keep:
                keep.remove(INDEX[name])
                total -= self._widths[INDEX[name]]
        status = INDEX["status"]
        squeeze = 0  # the status wraps onto two lines before the title drops below 200 px
        if total > room > 0 and status in keep:
            squeeze = min(total - room, self._widths[status] - STATUS_MIN)
        self._busy = True
        try:
            for n in range(header.count()):
                hide = n != TITLE_COLUMN and n not in keep
                if header.isSectionHidden(n) != hide:
                    header.setSectionHidden(n, hide)
                    if not hide:
                        header.resizeSection(n, self._widths[n])
            if not header.isSectionHidden(status):
                header.resizeSection(status, self._widths[status] - max(squeeze, 0))
        finally:
            self._busy = False
        width = header.sectionSize(TITLE_COLUMN)
        if width != self._title_width:
            self._title_width = width
            if self._on_title_width is not None:
                self._on_title_width()

    def menu(self) -> QMenu:
        menu = QMenu(self._view)
        shown, visible = set(self.shown()), set(self.visible())
        for n, spec in enumerate(COLUMN_SPECS):
            squeezed = spec.name in shown and spec.name not in visible
            action = menu.addAction(spec.title + (" (не помещается)" if squeezed else ""))
            action.setCheckable(True)
            action.setChecked(spec.name in shown)
            action.setEnabled(n > TITLE_COLUMN)
            action.toggled.connect(lambda on, name=spec.name: self._toggle(name, on))
        menu.addSeparator()
        menu.addAction("Как по умолчанию", self._reset)
        return menu

    def _on_menu_requested(self, at: QPoint) -> None:
        self.menu().popup(self._view.horizontalHeader().mapToGlobal(at))

    def _toggle(self, name: str, on: bool) -> None:
        names = [n for n in self.shown() if n != name] + ([name] if on else [])
        self.set_shown(names)
        self._store()

    def _reset(self) -> None:
        self.set_shown(_defaults())
        self._store()

    def _settings(self) -> QSettings | None:
        if self._settings_file is None:
            return None
        return QSettings(str(self._settings_file), QSettings.Format.IniFormat)

    def _stored(self) -> list[str]:
        store = self._settings()
        value = store.value(KEY) if store is not None else None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return _defaults()
        known = {s.name for s in COLUMN_SPECS}
        return [str(v) for v in value if str(v) in known] or _defaults()

    def _store(self) -> None:
        store = self._settings()
        if store is not None:
            store.setValue(KEY, self.shown())
            store.sync()


def _defaults() -> list[str]:
    return [s.name for s in COLUMN_SPECS if s.shown]
