"""The protocol form: heading, attendees, agenda and decisions as editable tables.

«Сохранить» calls the service while the form is open: a refusal shows in red above the buttons
and everything typed stays, so the user fixes one field and saves again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError
from services.core.formatting import date_short
from services.protocols import (
    AgendaFields,
    DecisionFields,
    ProtocolFields,
    SaveResult,
    find_wording,
    read_deadline,
)
from ui.gui.widgets.forms import date_edit, pydate, qdate, save_cancel_buttons

AGENDA_HEADERS = ("Вопрос", "Докладчик", "Слушали", "Выступили")
DECISION_HEADERS = ("№ вопроса", "Решение", "Ответственный", "Срок (как написан)", "Понят как")
UNDERSTOOD_COLUMN = 4
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def deadline_note(text: str, wording: str, meeting: date) -> str:
    """How a decision's deadline is understood, in words, for the «Понят как» column."""
    found = read_deadline(wording or find_wording(text), meeting)
    if not found.wording:
        return "срок не указан"
    if not found.understood:
        return "не распознан — даты не будет"
    if found.ongoing:
        return "постоянно, без даты"
    return f"до {date_short(found.due)}"


class EditTable(QWidget):
    """A QTableWidget with «Добавить строку» / «Удалить строку»; ids ride on the first cell."""

    rows_changed = Signal()

    def __init__(
        self, headers: tuple[str, ...], widths: tuple[int, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header = self.table.horizontalHeader()
        for column, width in enumerate(widths):  # 0: the column that takes the free width
            if width:
                header.resizeSection(column, width)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self.tr("Добавить строку"), self)
        self.remove_button = QPushButton(self.tr("Удалить строку"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_row([""] * len(headers)))
        self.remove_button.clicked.connect(self._on_remove_clicked)

    def add_row(self, values: list[str], row_id: str | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column == 0:
                item.setData(ID_ROLE, row_id)
            self.table.setItem(row, column, item)
        self.table.setCurrentCell(row, 1 if len(values) > 1 else 0)
        self.rows_changed.emit()

    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def row_id(self, row: int) -> str | None:
        item = self.table.item(row, 0)
        value = item.data(ID_ROLE) if item is not None else None
        return str(value) if value else None

    def filled_rows(self) -> list[int]:
        """Rows with something typed (an empty row is ignored, not refused)."""
        columns = range(self.table.columnCount())
        return [r for r in range(self.table.rowCount()) if any(self.text(r, c) for c in columns)]


class ProtocolDialog(QDialog):
    def __init__(
        self,
        values: ProtocolFields | None,
        save: Callable[[ProtocolFields], SaveResult],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Протокол"))
        self._save = save
        self.result_value: SaveResult | None = None
        self._build_ui()
        self._fill(values or ProtocolFields(meeting_date=date.today()))
        self.decisions.table.itemChanged.connect(self._on_decision_changed)
        self.decisions.rows_changed.connect(self._update_notes)
        self.meeting_date.dateChanged.connect(lambda _d: self._update_notes())

    def _build_ui(self) -> None:
        self.tabs = QTabWidget(self)  # first: its tab bar leads the Tab chain
        self.meeting_date = date_edit(date.today(), self)
        self.number = QLineEdit(self)
        self.kind = QLineEdit(self)
        self.kind.setPlaceholderText(self.tr("например: заседания педагогического совета"))
        self.topic = QLineEdit(self)
        self.place = QLineEdit(self)
        self.chair = QLineEdit(self)
        self.secretary = QLineEdit(self)
        self.attendees = QPlainTextEdit(self)
        self.attendees.setPlaceholderText(self.tr("по одному на строку; можно с заголовками"))
        self.attendees.setTabChangesFocus(True)
        head = QWidget(self)
        form = QFormLayout(head)
        for label, widget in ((self.tr("Дата"), self.meeting_date), (self.tr("Номер"), self.number),
                              (self.tr("Совещание"), self.kind), (self.tr("Тема"), self.topic),
                              (self.tr("Место"), self.place), (self.tr("Председатель"), self.chair),
                              (self.tr("Секретарь"), self.secretary),
                              (self.tr("Присутствовали"), self.attendees)):  # fmt: skip
            form.addRow(label, widget)
        self.agenda = EditTable(AGENDA_HEADERS, (0, 200, 160, 160), self)
        self.intro = QLineEdit(self)
        self.intro.setPlaceholderText(
            self.tr("например: Руководителям образовательных организаций:")
        )
        self.decisions = EditTable(DECISION_HEADERS, (80, 0, 150, 130, 150), self)
        decisions = QWidget(self)
        dl = QVBoxLayout(decisions)
        dl.addWidget(QLabel(self.tr("Вступление к решениям:"), decisions))
        dl.addWidget(self.intro)
        dl.addWidget(self.decisions, 1)
        hint = QLabel(self.tr("Срок можно не заполнять: он берётся из текста решения "
                              "(«в срок до 01.09.2022», «постоянно»)."), decisions)  # fmt: skip
        hint.setWordWrap(True)
        dl.addWidget(hint)
        self.tabs.addTab(head, self.tr("Заголовок"))
        self.tabs.addTab(self.agenda, self.tr("Повестка дня"))
        self.tabs.addTab(decisions, self.tr("Решения"))
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #B00020;")
        self.problem.setVisible(False)
        buttons = save_cancel_buttons(self)
        buttons.accepted.disconnect()
        buttons.accepted.connect(self._on_save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(900, 600)  # fits 1024×768 with the window frame

    def _fill(self, v: ProtocolFields) -> None:
        self.meeting_date.setDate(qdate(v.meeting_date))
        texts = {self.number: v.number, self.kind: v.kind, self.topic: v.title,
                 self.place: v.place, self.chair: v.chair, self.secretary: v.secretary,
                 self.intro: v.decisions_intro}  # fmt: skip
        for edit, text in texts.items():
            edit.setText(text)
        self.attendees.setPlainText(v.attendees)
        for a in v.agenda:
            self.agenda.add_row([a.title, a.speaker, a.heard, a.spoke], a.id)
        self.decisions.table.blockSignals(True)
        for d in v.decisions:
            number = str(d.agenda_number) if d.agenda_number else ""
            self.decisions.add_row([number, d.text, d.responsible, d.deadline_text, ""], d.id)
        self.decisions.table.blockSignals(False)
        self._update_notes()

    def _update_notes(self) -> None:
        table, meeting = self.decisions.table, pydate(self.meeting_date.date())
        table.blockSignals(True)
        for row in range(table.rowCount()):
            note = deadline_note(self.decisions.text(row, 1), self.decisions.text(row, 3), meeting)
            item = QTableWidgetItem(note)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(row, UNDERSTOOD_COLUMN, item)
        table.blockSignals(False)

    def _on_decision_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != UNDERSTOOD_COLUMN:
            self._update_notes()

    def values(self) -> ProtocolFields:
        """The form as fields; `AppError` when a question number is not a number."""
        cell = self.agenda.text
        agenda = tuple(
            AgendaFields(cell(r, 0), cell(r, 1), cell(r, 2), cell(r, 3), self.agenda.row_id(r))
            for r in self.agenda.filled_rows()
        )
        decisions = []
        for n, r in enumerate(self.decisions.filled_rows(), start=1):
            number = self.decisions.text(r, 0).rstrip(".")
            if number and not number.isdigit():
                raise AppError(f"Решение № {n}: номер вопроса повестки — число, а не «{number}».")
            decisions.append(DecisionFields(
                self.decisions.text(r, 1), self.decisions.text(r, 2), self.decisions.text(r, 3),
                int(number) if number else None, self.decisions.row_id(r),
            ))  # fmt: skip
        return ProtocolFields(
            meeting_date=pydate(self.meeting_date.date()), number=self.number.text(),
            kind=self.kind.text(), title=self.topic.text(), place=self.place.text(),
            chair=self.chair.text(), secretary=self.secretary.text(),
            attendees=self.attendees.toPlainText(), decisions_intro=self.intro.text(),
            agenda=agenda, decisions=tuple(decisions),
        )  # fmt: skip

    def _on_save(self) -> None:
        try:
            self.result_value = self._save(self.values())
        except AppError as exc:
            self.problem.setText(str(exc))
            self.problem.setVisible(True)
            return
        self.accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget,
        values: ProtocolFields | None,
        save: Callable[[ProtocolFields], SaveResult],
    ) -> SaveResult | None:
        dialog = cls(values, save, parent)
        return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else None
