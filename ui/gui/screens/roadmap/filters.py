"""The filter bar of the roadmap screen: text, status, responsible, overdue and a date range."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from services.roadmap import STATUS_TITLES
from ui.gui.widgets.flow_layout import FlowLayout


class RoadmapFilters(QWidget):
    """Emits `changed` whenever a criterion changes; `criteria()` feeds `visible()`."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(self.tr("Фильтр: начните вводить текст…"))
        self.text.setClearButtonEnabled(True)
        self.status = QComboBox(self)
        self.status.addItem(self.tr("Все отметки"), None)
        for status, title in STATUS_TITLES.items():
            self.status.addItem(title, status)
        self.responsible = QComboBox(self)
        self.responsible.setEditable(True)
        line = self.responsible.lineEdit()
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
        self.text.setMinimumWidth(200)
        self.responsible.setMinimumWidth(150)
        dates = QWidget(self)
        dates_row = QHBoxLayout(dates)
        dates_row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.overdue_only, self.use_dates, self.date_from):
            dates_row.addWidget(widget)
        dates_row.addWidget(QLabel(self.tr("по"), dates))
        dates_row.addWidget(self.date_to)
        layout = FlowLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for control in (self.text, self.status, self.responsible, dates):
            layout.addWidget(control)

    def _connect(self) -> None:
        self.text.textChanged.connect(self.changed)
        self.status.currentIndexChanged.connect(self.changed)
        self.responsible.currentTextChanged.connect(self.changed)
        self.overdue_only.toggled.connect(self.changed)
        self.use_dates.toggled.connect(self._on_use_dates_toggled)
        self.date_from.dateChanged.connect(self.changed)
        self.date_to.dateChanged.connect(self.changed)

    def _on_use_dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.changed.emit()

    def criteria(self) -> dict[str, Any]:
        """Keyword arguments of `visible()` (falsy values mean "no filter")."""
        period = None
        if self.use_dates.isChecked():
            period = (self.date_from.date().toPython(), self.date_to.date().toPython())
        return {
            "text": self.text.text().strip(),
            "status": self.status.currentData(),
            "responsible": self.responsible.currentText().strip(),
            "only_overdue": self.overdue_only.isChecked(),
            "period": period,
        }

    def set_people(self, people: list[str]) -> None:
        """The responsible people to choose from, keeping what is typed."""
        current = self.responsible.currentText()
        self.responsible.blockSignals(True)
        self.responsible.clear()
        self.responsible.addItems(["", *people])
        self.responsible.setCurrentText(current)
        self.responsible.blockSignals(False)

    def set_period(self, start: date, end: date) -> None:
        """The roadmap's period as the default date range (unless the user set one)."""
        if self.use_dates.isChecked():
            return
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
