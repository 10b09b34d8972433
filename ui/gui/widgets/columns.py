"""Columns a reader can read: no header cut off, the main text column at least 200 px.

`keep_readable(view)` watches the header: whatever sets a width later (a screen's fixed widths,
`resizeColumnsToContents`, the user dragging), a section never gets narrower than its title,
and the column a row is read by («Мероприятие», «ФИО», «Школа», …) never narrower than 200 px.
The view scrolls sideways instead, which keeps every column legible at 1024 px.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
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
