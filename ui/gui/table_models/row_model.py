"""A passive table model fed with DTO rows (STYLE §3.5): it never imports services.

Columns are `Column` specs: header, getter, formatter, alignment. `data()` gives formatted text
for DisplayRole, the raw value for `SORT_ROLE` (so dates and numbers sort correctly) and the DTO
for `ROW_ROLE`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

T = TypeVar("T")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def collation_key(text: str) -> str:
    """Russian alphabetical order without the system locale: «Ё» with «Е», case ignored.

    The proxy compares sort keys code point by code point; lower-case «а»…«я» are contiguous
    there, only «ё» lies after «я».
    """
    return text.casefold().replace("ё", "е")


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    getter: Callable[[T], Any]
    formatter: Callable[[Any], str] = _text
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    tooltip: str = ""
    sort_key: Callable[[Any], Any] | None = field(default=None)


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Rows of DTOs shown through column specs; optional background per row."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        parent: Any = None,
        *,
        row_background: Callable[[T], QColor | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = []
        self._row_background = row_background

    # -- feeding ---------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def replace_row(self, row: int, value: T) -> None:
        self._rows[row] = value
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    def insert_row(self, row: int, value: T) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, value)
        self.endInsertRows()

    def remove_row(self, row: int) -> T:
        self.beginRemoveRows(QModelIndex(), row, row)
        value = self._rows.pop(row)
        self.endRemoveRows()
        return value

    # -- Qt interface ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        col = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.formatter(col.getter(row))
        if role == SORT_ROLE:
            value = col.getter(row)
            if col.sort_key is not None:
                return col.sort_key(value)
            if isinstance(value, str):
                return collation_key(value)
            return value if isinstance(value, int | float) else collation_key(_text(value))
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align.value)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = col.formatter(col.getter(row))
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.BackgroundRole and self._row_background is not None:
            color = self._row_background(row)
            return QBrush(color) if color is not None else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not (0 <= section < len(self._columns)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._columns[section].tooltip or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
