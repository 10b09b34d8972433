"""The roadmap table: nested section rows, item rows and occurrence rows, editable in place.

An item with several occurrences (a recurring or multi-date measure) shows «Выполнено 2 из 4» on
its own row; its occurrences follow as rows of their own when it is expanded (the status, date,
evidence and comment of each year are edited there). A one-occurrence item is one row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from services.core.formatting import date_short
from services.core.ratio import Ratio
from services.roadmap import STATUS_TITLES, OccurrenceRead, RoadmapItemRead, SectionRead

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE = QColor("#F8D7D7")
SECTION = QColor("#E9EEF5")
SUBSECTION = QColor("#F3F6FA")
UNREAD = QColor("#FFF3CD")
COMMENTED = QColor("#E3F0FF")
LATE_WORD = " — просрочено"  # colour is never the only sign of a late row
INDENT = "    "


@dataclass(frozen=True, slots=True)
class SectionRow:
    section: SectionRead | None  # None: items outside any section
    number: int
    ratio: Ratio
    overdue: int

    @property
    def label(self) -> str:
        """The number as the plan writes it («I», «1.2»), else its place in the roadmap."""
        if self.section is None:
            return ""
        return self.section.number or f"{self.number}."

    @property
    def level(self) -> int:
        return self.section.level if self.section else 1


@dataclass(frozen=True, slots=True)
class ItemRow:
    item: RoadmapItemRead
    overdue: bool
    comments: tuple[str, ...] = ()  # open comments of the district on this item
    expanded: bool = False  # its occurrences are shown below it

    @property
    def multi(self) -> bool:
        return len(self.item.occurrences) > 1


@dataclass(frozen=True, slots=True)
class OccurrenceRow:
    item: RoadmapItemRead
    occurrence: OccurrenceRead
    overdue: bool


Row = SectionRow | ItemRow | OccurrenceRow
PLAN, RECORD = "plan", "record"  # an item's field, or one of an occurrence


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    title: str
    name: str
    kind: str  # PLAN or RECORD
    editable: bool
    shown: bool  # by default: what a deputy director reads at 1024 px
    width: int


COLUMN_SPECS: tuple[ColumnSpec, ...] = (
    ColumnSpec("№", "number", PLAN, True, True, 56),
    ColumnSpec("Мероприятие", "title", PLAN, True, True, 320),
    ColumnSpec("Срок", "deadline_text", PLAN, True, True, 130),
    ColumnSpec("Ответственные", "responsible", PLAN, True, True, 150),
    ColumnSpec("Участники", "participants", PLAN, True, False, 150),
    ColumnSpec("Ожидаемый результат", "expected_result", PLAN, True, False, 200),
    ColumnSpec("Форма отчёта", "report_form", PLAN, True, False, 140),
    ColumnSpec("Отметка о выполнении", "status", RECORD, True, True, 170),
    ColumnSpec("Дата выполнения", "completion_date", RECORD, False, False, 110),
    ColumnSpec("Подтверждающие материалы", "evidence", RECORD, True, False, 200),
    ColumnSpec("Комментарий", "comment", RECORD, True, False, 160),
)
# (header, field, editable in place): the shape the tests and the district view read
COLUMNS: tuple[tuple[str, str, bool], ...] = tuple((c.title, c.name, c.editable)
                                                   for c in COLUMN_SPECS)  # fmt: skip
SPEC_BY_NAME = {c.name: c for c in COLUMN_SPECS}
TITLE_COLUMN = 1
STATUS_COLUMN = next(n for n, c in enumerate(COLUMN_SPECS) if c.name == "status")
SPAN = len(COLUMNS) - 1
Editor = Callable[[Row, str, Any], bool]  # returns False when refused


def one_occurrence(row: Row) -> OccurrenceRead | None:
    """The occurrence a row records on: its own, or the only one of a one-occurrence item."""
    if isinstance(row, OccurrenceRow):
        return row.occurrence
    if isinstance(row, ItemRow) and len(row.item.occurrences) == 1:
        return row.item.occurrences[0]
    return None


def occurrence_dates(occ: OccurrenceRead) -> str:
    if occ.end_date is None:
        return "без срока"
    if occ.start_date and occ.start_date != occ.end_date:
        return f"{date_short(occ.start_date)} – {date_short(occ.end_date)}"
    return f"до {date_short(occ.end_date)}"


def occurrence_title(occ: OccurrenceRead, n: int) -> str:
    label = occ.label or f"срок {n}"
    return label + (" (вне периода карты)" if occ.outside_period else "")


class RoadmapTableModel(QAbstractTableModel):
    def __init__(self, editor: Editor | None, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._editor = editor  # None: read-only (the district's view of a school)

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
            return _section_data(row, index.column(), role)
        if isinstance(row, OccurrenceRow):
            return _occurrence_data(row, index.row(), self._rows, index.column(), role)
        return _item_data(row, index.column(), role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editor is not None and self.editable(self._rows[index.row()], index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    @staticmethod
    def editable(row: Row, column: int) -> bool:
        spec = COLUMN_SPECS[column]
        if not spec.editable or isinstance(row, SectionRow):
            return False
        if spec.kind == PLAN:
            return isinstance(row, ItemRow)
        return one_occurrence(row) is not None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._editor is None:
            return False
        row = self._rows[index.row()]
        if not self.editable(row, index.column()):
            return False
        name = COLUMNS[index.column()][1]
        if name == "status":
            value = next((s for s, t in STATUS_TITLES.items() if t == value), None)
            if value is None:
                return False
        elif str(value) == str(_edit_value(row, name) or ""):
            return False
        return self._editor(row, name, value)


def _edit_value(row: Row, name: str) -> Any:
    occ = one_occurrence(row)
    if SPEC_BY_NAME[name].kind == RECORD and occ:
        return getattr(occ, name)
    return getattr(row.item, name) if not isinstance(row, SectionRow) else None


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _section_data(row: SectionRow, column: int, role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        if column == 0:
            return row.label
        if column == TITLE_COLUMN:  # spans the rest of the row (see RoadmapScreen)
            title = row.section.title if row.section else "Без раздела"
            task = row.section.task if row.section else ""
            late = f", просрочено: {row.overdue}" if row.overdue else ""
            text = INDENT * (row.level - 1) + title
            if task:
                text += f"\n{INDENT * (row.level - 1)}Задача: {task}"
            return f"{text}   ·   выполнено {row.ratio.text()}{late}"
        return None
    if role == Qt.ItemDataRole.FontRole and row.level == 1:
        return _bold()
    if role == Qt.ItemDataRole.BackgroundRole:
        return QBrush(SECTION if row.level == 1 else SUBSECTION)
    return None


def _item_data(row: ItemRow, column: int, role: int) -> Any:
    item = row.item
    name = COLUMN_SPECS[column].name
    occ = one_occurrence(row)
    if role == Qt.ItemDataRole.DisplayRole:
        return _item_text(row, name, occ)
    if role == Qt.ItemDataRole.EditRole:
        if name == "status":
            return STATUS_TITLES[occ.status if occ else item.status]
        return _edit_value(row, name) or ""
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
        if name == "number" and row.multi:
            return "Сроки по годам: щелчок по номеру или Ctrl+→"
        text = str(_item_text(row, name, occ) or "")
        return text if len(text) > 40 else None
    return None


def _item_text(row: ItemRow, name: str, occ: OccurrenceRead | None) -> str:
    item = row.item
    if name == "status":
        if occ is not None:
            text = STATUS_TITLES[occ.status]
        else:
            done, total = item.done_count()
            text = f"Выполнено {done} из {total}"
        return text + (LATE_WORD if row.overdue else "")
    if name == "number" and row.multi:
        return ("▾ " if row.expanded else "▸ ") + item.number
    if name == "deadline_text" and not item.deadline_understood:
        return (
            f"{item.deadline_text} (срок не распознан)" if item.deadline_text else "срок не указан"
        )
    if name == "title" and row.comments:
        notes = "\n".join(f"Управление: {text}" for text in row.comments)
        return f"{item.title}\n{notes}"
    if SPEC_BY_NAME[name].kind == RECORD:
        if occ is None:
            return ""
        value = getattr(occ, name)
        return date_short(value) if name == "completion_date" and value else str(value or "")
    return str(getattr(item, name) or "")


def _occurrence_data(row: OccurrenceRow, at: int, rows: list[Row], column: int, role: int) -> Any:
    occ = row.occurrence
    name = COLUMN_SPECS[column].name
    if role == Qt.ItemDataRole.DisplayRole:
        if name == "title":
            n = sum(
                1 for r in rows[:at] if isinstance(r, OccurrenceRow) and r.item.id == row.item.id
            )
            return INDENT + occurrence_title(occ, n + 1)
        if name == "deadline_text":
            return occurrence_dates(occ)
        if name == "status":
            return STATUS_TITLES[occ.status] + (LATE_WORD if row.overdue else "")
        if name == "completion_date":
            return date_short(occ.completion_date) if occ.completion_date else ""
        if name in ("evidence", "comment"):
            return getattr(occ, name)
        return ""
    if role == Qt.ItemDataRole.EditRole:
        if name == "status":
            return STATUS_TITLES[occ.status]
        return getattr(occ, name, "") if COLUMN_SPECS[column].kind == RECORD else ""
    if role == Qt.ItemDataRole.BackgroundRole and row.overdue:
        return QBrush(OVERDUE)
    if role == Qt.ItemDataRole.ForegroundRole and name == "title":
        return QBrush(QColor("#444444"))
    return None


def _deadline_tip(item: RoadmapItemRead) -> str:
    if not item.deadline_understood:
        return (
            "Срок не распознан: срока выполнения нет, в процент выполнения и просрочку не входит."
        )
    if len(item.occurrences) > 1:
        return "; ".join(f"{o.label or '—'}: {occurrence_dates(o)}" for o in item.occurrences)
    if item.start_date and item.end_date and item.start_date != item.end_date:
        return f"с {date_short(item.start_date)} по {date_short(item.end_date)}"
    return f"до {date_short(item.end_date)}" if item.end_date else ""


class WrapDelegate(QStyledItemDelegate):
    """Rows tall enough for their wrapped text as painted.

    The style's size hint wraps the text at the whole cell width, but the text is painted
    inside the cell's margins: a line short, a title ended in «…» at the narrower widths a
    1024 px screen gives. The height is measured at the painted width.
    """

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        width = option.rect.width()  # type: ignore[attr-defined]
        if not text or width <= 0:
            return hint
        widget = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1 if style else 3
        font = index.data(Qt.ItemDataRole.FontRole) or option.font  # type: ignore[attr-defined]
        room = QRect(0, 0, max(width - 2 * margin - 2, 10), 100_000)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        needed = QFontMetrics(font).boundingRect(room, flags, str(text)).height() + 2 * margin
        return QSize(hint.width(), max(hint.height(), needed))


class StatusDelegate(WrapDelegate):
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


def height_key(row: Row) -> tuple[object, ...]:
    """What a row's fitted height depends on (the screen measures each once)."""
    if isinstance(row, SectionRow):
        s = row.section
        return ("section", s.title if s else "", s.task if s else "", row.ratio, row.overdue)
    if isinstance(row, OccurrenceRow):
        o = row.occurrence
        return ("occurrence", o.id, o.label, o.status, o.evidence, o.comment, row.overdue)
    i = row.item
    return (i.id, i.number, i.title, i.deadline_text, i.responsible, i.expected_result,
            i.status, row.overdue, row.comments)  # fmt: skip
