"""The roadmap table: section rows and item rows in plan order, editable in place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from models.roadmap import ItemStatus
from services.core.formatting import date_short
from services.core.ratio import Ratio
from services.roadmap import STATUS_TITLES, RoadmapItemRead, SectionRead, status_text

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE = QColor("#F8D7D7")
SECTION = QColor("#E9EEF5")
UNREAD = QColor("#FFF3CD")
COMMENTED = QColor("#E3F0FF")


@dataclass(frozen=True, slots=True)
class SectionRow:
    section: SectionRead | None  # None: items outside any section
    number: int
    ratio: Ratio
    overdue: int


@dataclass(frozen=True, slots=True)
class ItemRow:
    item: RoadmapItemRead
    overdue: bool
    comments: tuple[str, ...] = ()  # open comments of the district on this item


Row = SectionRow | ItemRow
# (header, item field, editable in place)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("№", "number", True),
    ("Мероприятие", "title", True),
    ("Срок", "deadline_text", True),
    ("Ответственные", "responsible", True),
    ("Ожидаемый результат", "expected_result", True),
    ("Отметка о выполнении", "status", True),
    ("Дата выполнения", "completion_date", False),
)
STATUS_COLUMN = 5
SPAN = len(COLUMNS) - 1
Editor = Callable[[RoadmapItemRead, str, Any], bool]  # returns False when refused


class RoadmapTableModel(QAbstractTableModel):
    def __init__(self, editor: Editor, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._editor = editor

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0] if 0 <= section < len(COLUMNS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if isinstance(row, SectionRow):
            return self._section_data(row, index.column(), role)
        return self._item_data(row, index.column(), role)

    def _section_data(self, row: SectionRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            title = row.section.title if row.section else "Без раздела"
            if column == 0:
                return f"{row.number}." if row.section else ""
            if column == 1:  # spans the rest of the row (see RoadmapScreen)
                late = f", просрочено: {row.overdue}" if row.overdue else ""
                return f"{title}   ·   выполнено {row.ratio.text()}{late}"
            return None
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(SECTION)
        return None

    def _item_data(self, row: ItemRow, column: int, role: int) -> Any:
        item = row.item
        name = COLUMNS[column][1]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = getattr(item, name)
            if name == "status":  # several occurrences: «Выполнено 2 из 4» until edited
                text = STATUS_TITLES[value]
                shown = status_text(item) if role == 0 else text
                return shown + (" — просрочено" if row.overdue else "") if role == 0 else text
            if name == "completion_date":
                return date_short(value) if value else ""
            if name == "deadline_text" and not item.deadline_understood and role == 0:
                return f"{value} (срок не распознан)" if value else "срок не указан"
            if name == "title" and row.comments and role == Qt.ItemDataRole.DisplayRole:
                notes = "\n".join(f"Управление: {text}" for text in row.comments)
                return f"{value}\n{notes}"
            return value or ""
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.overdue:
                return QBrush(OVERDUE)
            if name == "deadline_text" and not item.deadline_understood:
                return QBrush(UNREAD)
            if name == "title" and row.comments:
                return QBrush(COMMENTED)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if name == "deadline_text":
                return _deadline_tip(item)
            text = str(getattr(item, name) or "")
            return text if len(text) > 40 else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if isinstance(self._rows[index.row()], ItemRow) and COLUMNS[index.column()][2]:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        if not isinstance(row, ItemRow):
            return False
        name = COLUMNS[index.column()][1]
        if name == "status":
            value = next((s for s, t in STATUS_TITLES.items() if t == value), None)
            if value is None:
                return False
        elif str(value) == str(getattr(row.item, name) or ""):
            return False
        return self._editor(row.item, name, value)


def _deadline_tip(item: RoadmapItemRead) -> str:
    if not item.deadline_understood:
        return (
            "Срок не распознан: срока выполнения нет, в процент выполнения и просрочку не входит."
        )
    if item.start_date and item.end_date and item.start_date != item.end_date:
        return f"с {date_short(item.start_date)} по {date_short(item.end_date)}"
    return f"до {date_short(item.end_date)}" if item.end_date else ""


class StatusDelegate(QStyledItemDelegate):
    """A drop-down of statuses for the «Отметка о выполнении» column."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        box = QComboBox(parent)
        box.addItems(list(STATUS_TITLES.values()))
        return box

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


def visible(
    item: RoadmapItemRead,
    overdue: bool,
    *,
    text: str,
    status: ItemStatus | None,
    responsible: str,
    only_overdue: bool,
    period: tuple[date, date] | None,
) -> bool:
    """Whether an item passes the screen's filters."""
    if status is not None and item.status is not status:
        return False
    if only_overdue and not overdue:
        return False
    if responsible and responsible.lower() not in item.responsible.lower():
        return False
    if period is not None:
        start, end = item.start_date or item.end_date, item.end_date
        if end is None or start is None or end < period[0] or start > period[1]:
            return False
    if text:
        haystack = " ".join(
            (
                item.number,
                item.title,
                item.deadline_text,
                item.responsible,
                item.participants,
                item.expected_result,
                item.comment,
                item.evidence,
            )
        ).lower()
        return all(word in haystack for word in text.lower().split())
    return True


def height_key(row: Row) -> tuple[object, ...]:
    """What a row's fitted height depends on (the screen measures each once)."""
    if isinstance(row, SectionRow):
        return ("section", row.section.title if row.section else "", row.ratio, row.overdue)
    i = row.item
    return (i.id, i.number, i.title, i.deadline_text, i.responsible, i.expected_result,
            i.status, row.overdue)  # fmt: skip
