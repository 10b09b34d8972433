"""The period row of the roadmap's preview: start and end dates, and where the period came from.

Year-less deadlines («Февраль», «Ноябрь – апрель») are read inside the period, so the preview
re-reads them as soon as a date changes (`changed`). The dates start as the preview found them:
from the file's title, else the roadmap the import goes into, else the current school year.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class PeriodRow(QWidget):
    """«Период карты: с [..] по [..] (источник)»; `changed` carries (start, end) or None (reset)."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start = self._edit(self.tr("Начало периода карты"))
        self.end = self._edit(self.tr("Окончание периода карты"))
        self.source = QLabel(self)
        self.source.setWordWrap(True)
        self.reset = QPushButton(self.tr("Как найдено"), self)
        self.reset.setToolTip(self.tr("Вернуть период из заголовка файла или дорожной карты"))
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #b00020;")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Период карты: с"), self))
        row.addWidget(self.start)
        row.addWidget(QLabel(self.tr("по"), self))
        row.addWidget(self.end)
        row.addWidget(self.source, 1)
        row.addWidget(self.reset)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(row)
        outer.addWidget(self.note)
        self.start.dateChanged.connect(self._on_date_changed)
        self.end.dateChanged.connect(self._on_date_changed)
        self.reset.clicked.connect(lambda: self.changed.emit(None))

    def _edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd.MM.yyyy")
        edit.setAccessibleName(name)
        return edit

    def show_period(self, period: tuple[date, date], source: str, note: str | None) -> None:
        """Show the preview's period without announcing it as the user's change."""
        for edit, day in ((self.start, period[0]), (self.end, period[1])):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.source.setText(f"({source})")
        self.note.setText(note or "")
        self.note.setVisible(bool(note))

    def period(self) -> tuple[date, date]:
        return _date(self.start.date()), _date(self.end.date())

    def _on_date_changed(self, _value: QDate) -> None:
        self.changed.emit(self.period())
