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
from ui.gui.widgets.filter_table import NothingFound
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
        self.use_dates = QCheckBox(self.tr("Сроки в диапазоне"), self)
        self.date_from, self.date_to = QDateEdit(self), QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        # One line on a wide screen; on a narrow one the dates go to a second line and the text
        # filter takes the rest of the first.
        self.text.setMinimumWidth(200)
        self.responsible.setMinimumWidth(150)
        dates = QWidget(self)
        dates_row = QHBoxLayout(dates)
        dates_row.setContentsMargins(0, 0, 0, 0)
        dates_row.addWidget(self.overdue_only)
        dates_row.addWidget(self.use_dates)
        # «с … по …» only while the range applies: two greyed dates with a lone «по» between
        # them read as a stray word on an empty roadmap.
        self.range = QWidget(dates)
        range_row = QHBoxLayout(self.range)
        range_row.setContentsMargins(0, 0, 0, 0)
        range_row.addWidget(QLabel(self.tr("с"), self.range))
        range_row.addWidget(self.date_from)
        range_row.addWidget(QLabel(self.tr("по"), self.range))
        range_row.addWidget(self.date_to)
        self.range.setVisible(False)
        dates_row.addWidget(self.range)
        layout = FlowLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for control in (self.text, self.status, self.responsible, dates):
            layout.addWidget(control)
        # the screen places it under its table's header area; it belongs to these criteria
        self.nothing_found = NothingFound(self.parentWidget())

    def _connect(self) -> None:
        self.text.textChanged.connect(self.changed)
        self.status.currentIndexChanged.connect(self.changed)
        self.responsible.currentTextChanged.connect(self.changed)
        self.overdue_only.toggled.connect(self.changed)
        self.use_dates.toggled.connect(self._on_use_dates_toggled)
        self.date_from.dateChanged.connect(self.changed)
        self.date_to.dateChanged.connect(self.changed)
        self.nothing_found.clear_requested.connect(self.clear)

    def _on_use_dates_toggled(self, on: bool) -> None:
        self.range.setVisible(on)
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

    def describe(self) -> str:
        """The criteria in words, for «Ничего не найдено по фильтру «…»» ("" when none)."""
        c = self.criteria()
        words = [c["text"], self.status.currentText() if c["status"] else "", c["responsible"]]
        if c["only_overdue"]:
            words.append(self.tr("только просроченные"))
        if c["period"]:
            start, end = c["period"]
            words.append(self.tr("сроки с {0:%d.%m.%Y} по {1:%d.%m.%Y}").format(start, end))
        return "; ".join(w for w in words if w)

    def clear(self) -> None:
        """Drop every criterion (one `changed` at the end)."""
        self.blockSignals(True)
        self.text.clear()
        self.status.setCurrentIndex(0)
        self.responsible.setCurrentText("")
        self.overdue_only.setChecked(False)
        self.use_dates.setChecked(False)
        self.blockSignals(False)
        self.changed.emit()

    def show_result(self, items_shown: int) -> None:
        """Say so when the criteria hide every item."""
        self.nothing_found.show_for(self.describe() if not items_shown else "")

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
