"""Columns a reader can read: no header cut off, the main text column at least 200 px.

`keep_readable(view)` watches the header: whatever sets a width later (a screen's fixed widths,
`resizeColumnsToContents`, the user dragging), a section never gets narrower than its title,
and the column a row is read by («Мероприятие», «ФИО», «Школа», …) never narrower than 200 px.
The view scrolls sideways instead, which keeps every column legible at 1024 px.

`ColumnFitter(view).start()` fits a big table's columns one per turn of the event loop: fitting
all 16 columns of «Сводка» (300 schools) at once blocks the window for 100–150 ms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

MAIN_COLUMNS = frozenset({"Мероприятие", "ФИО", "Школа", "Название", "Отправитель", "Показатель"})
MAIN_MIN = 200
SORT_ARROW = 14  # room for the sort indicator some styles draw inside the section


def needed_width(header: QHeaderView, section: int) -> int:
    model = header.model()
    if model is None:
        return 0
    text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
    if not text:
        return 0
    margins = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    metrics = header.fontMetrics()
    width = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + margins
    if header.isSortIndicatorShown():
        width += SORT_ARROW
    return max(width, MAIN_MIN) if text in MAIN_COLUMNS else width


def _fix(header: QHeaderView, section: int, _old: int = 0, new: int | None = None) -> None:
    if header.sectionResizeMode(section) != QHeaderView.ResizeMode.Interactive:
        return
    size = header.sectionSize(section) if new is None else new
    need = needed_width(header, section)
    if 0 < size < need:
        header.resizeSection(section, need)


def _fix_all(header: QHeaderView) -> None:
    for section in range(header.count()):
        _fix(header, section)


def fit_columns(view: QTableView) -> None:
    """`resizeColumnsToContents`, then legible headers (that call emits no `sectionResized`)."""
    view.resizeColumnsToContents()
    _fix_all(view.horizontalHeader())


def keep_readable(view: QTableView) -> None:
    """Keep every header of `view` legible from now on (see the module docstring)."""
    header = view.horizontalHeader()
    header.sectionResized.connect(lambda s, old, new: _fix(header, s, old, new))
    header.sectionCountChanged.connect(lambda *_: _fix_all(header))
    model = view.model()
    if model is not None:
        model.modelReset.connect(lambda: _fix_all(header))
        model.headerDataChanged.connect(lambda *_: _fix_all(header))
    _fix_all(header)


class WidthFitter(QObject):
    """`fit_to_view`'s state: the widths of the columns it hid, to count them back in."""

    def __init__(
        self, view: QTableView, main: int, drop: tuple[int, ...], main_min: Callable[[], int]
    ) -> None:
        super().__init__(view)
        self._view = view
        self._main = main
        self._drop = drop
        self._main_min = main_min
        self._hidden_widths: dict[int, int] = {}
        self._busy = False
        self._row_widths: tuple[int, ...] = ()
        self._rows_fitted: set[int] = set()
        view.verticalScrollBar().valueChanged.connect(self._fit_rows)  # rows as they come
        # a child timer, not QTimer.singleShot: it dies with the view, so no call comes late
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._apply)
        view.viewport().installEventFilter(self)
        header = view.horizontalHeader()
        header.sectionResized.connect(self._later)
        header.sectionCountChanged.connect(self._later)
        model = view.model()
        if model is not None:
            model.modelReset.connect(self._later)
            model.layoutChanged.connect(self._later)
            for signal in (model.modelReset, model.layoutChanged, model.rowsInserted):
                signal.connect(self._rows_fitted.clear)  # other rows now: fit them anew
        self._later()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:  # also while busy: rows that grew in `_apply`
            self._timer.start()  # may have brought a vertical scroll bar, narrowing the view
        return False

    def _later(self, *_: object) -> None:
        """Once per turn of the event loop, however many sizes changed."""
        if not self._busy:
            self._timer.start()

    def _natural(self, header: QHeaderView, section: int) -> int:
        if header.isSectionHidden(section):
            return self._hidden_widths.get(section, 0) if section in self._drop else 0
        return header.sectionSize(section)

    def fit_contents(self) -> None:
        """`fit_columns` for every column, the hidden ones too, then hide again what must.

        A column hidden before the rows came would come back at Qt's default 100 px. A title
        is measured by its widest line: Qt's own measure gives the sort arrow the height of the
        whole header, 46 px for a title of three lines.
        """
        view, header = self._view, self._view.horizontalHeader()
        self._busy = True
        try:
            for section in self._drop:
                if section < header.count():
                    header.setSectionHidden(section, False)
            self._hidden_widths.clear()
            for section in range(header.count()):
                if section != self._main:
                    width = max(view.sizeHintForColumn(section), needed_width(header, section))
                    header.resizeSection(section, width)
        finally:
            self._busy = False
        self._apply()

    def _apply(self) -> None:
        view, header = self._view, self._view.horizontalHeader()
        room = view.viewport().width() - max(self._main_min(), needed_width(header, self._main))
        if any(header.isSectionHidden(s) for s in self._drop if s < header.count()):
            # a column comes back only with a scroll bar's width to spare: its return makes
            # rows wrap, which may bring the vertical scroll bar and would hide it again
            room -= view.verticalScrollBar().sizeHint().width()
        others = [s for s in range(header.count()) if s != self._main]
        total = sum(self._natural(header, s) for s in others)
        hide = set()
        for section in self._drop:
            if total <= room:
                break
            hide.add(section)
            total -= self._natural(header, section)
        self._busy = True
        try:
            for section in self._drop:
                if section >= header.count() or (section in hide) == header.isSectionHidden(
                    section
                ):
                    continue
                if section in hide:
                    self._hidden_widths[section] = header.sectionSize(section)
                header.setSectionHidden(section, section in hide)
            # `resizeColumnsToContents` may have sized the stretched column to its contents;
            # setting the mode again makes the header stretch it over the free width again
            header.setSectionResizeMode(self._main, QHeaderView.ResizeMode.Stretch)
            if view.wordWrap():
                self._fit_rows()  # the main column's text wraps at its new width
        finally:
            self._busy = False

    def _fit_rows(self, *_: object) -> None:
        """Fit the heights of the rows in view and of the next 30, the others as they scroll in.

        Sizing all rows of a 300-school table on each column change held the GUI thread for up
        to 200 ms.
        """
        view = self._view
        model = view.model()
        if model is None or model.rowCount() == 0:
            return
        widths = tuple(view.horizontalHeader().sectionSize(s) for s in range(model.columnCount()))
        first = max(view.rowAt(0), 0)
        height = view.viewport().height()
        last = view.rowAt(height - 1)
        last = model.rowCount() - 1 if last < 0 else min(model.rowCount() - 1, last + 30)
        if widths != self._row_widths:
            self._row_widths, self._rows_fitted = widths, set()
        for row in range(first, last + 1):
            if row not in self._rows_fitted:
                view.resizeRowToContents(row)
                self._rows_fitted.add(row)


def fit_to_view(
    view: QTableView,
    main: int,
    drop: Sequence[int],
    main_min: Callable[[], int] | None = None,
) -> WidthFitter:
    """Show the columns of `view` without a horizontal scroll bar.

    Column `main` (the one a row is read by) takes the width the others leave. When that is less
    than `main_min()` (default `MAIN_MIN`; never less than its title's width), the columns of
    `drop` hide, least important first, and come back when the view is wide again. Their values
    stay in the row's edit dialog. Used where two tables share a 1024 px screen, as «Педагоги и
    ИППР» does, and for the wide tables of figures in «Результаты».
    """
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(main, QHeaderView.ResizeMode.Stretch)
    return WidthFitter(view, main, tuple(drop), main_min or (lambda: MAIN_MIN))


class ColumnFitter(QObject):
    """`fit_columns` spread over the event loop: one column per turn, legible headers.

    `limits` clamps a column's fitted width (a long legal name must not take the whole table);
    `skip_last` leaves the last column alone (it stretches); a new `start()` (new rows) abandons
    the fitting in progress.
    """

    def __init__(
        self,
        view: QTableView,
        limits: Mapping[int, tuple[int, int]] | None = None,
        *,
        skip_last: bool = False,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._limits = dict(limits or {})
        self._skip_last = skip_last
        self._generation = 0
        self.fitting = False

    def start(self, done: Callable[[], None] | None = None) -> None:
        self._generation += 1
        self.fitting = True
        self._step(self._generation, 0, done)

    def _step(self, generation: int, column: int, done: Callable[[], None] | None) -> None:
        view = self._view
        if generation != self._generation or not shiboken6.isValid(view):
            return
        header = view.horizontalHeader()
        if column >= header.count() - self._skip_last:
            self.fitting = False
            if done is not None:
                done()
            return
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Interactive:
            # a stretched column takes what the others leave (see `fit_to_view`)
            QTimer.singleShot(0, self, lambda: self._step(generation, column + 1, done))
            return
        view.resizeColumnToContents(column)
        if column in self._limits:
            low, high = self._limits[column]
            view.setColumnWidth(column, max(low, min(view.columnWidth(column), high)))
        _fix(header, column)
        QTimer.singleShot(0, self, lambda: self._step(generation, column + 1, done))
