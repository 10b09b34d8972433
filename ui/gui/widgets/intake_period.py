"""The period row of a preview (roadmap, ИППР): start and end dates, where the period came from.

Year-less deadlines («Февраль», «Ноябрь – апрель») are read inside the period, so the preview
re-reads them as soon as a date changes (`changed`). The dates start as the preview found them:
from the file's title, else the roadmap the import goes into, else the current school year.
A kind whose deadlines depend on the period gives the shared dialog its `PeriodHooks`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

P = TypeVar("P")
Period = tuple[date, date]


class PeriodPreviews(Generic[P]):
    """A kind's `preview`: the table mapped once per mapping, read in the chosen period.

    `read(overrides, pick)` previews the mapping in the period it finds (title, roadmap, school
    year): that is `base`; `reread(base, period)` reads the same table in `period` (None: the one
    found). `period` is the user's (None: the one found).
    """

    def __init__(
        self,
        read: Callable[[dict[str, str], str | None], P],
        reread: Callable[[P, Period | None], P],
    ) -> None:
        self._read, self.reread = read, reread
        self._key: tuple[object, ...] | None = None
        self.base: P | None = None
        self.period: Period | None = None

    def __call__(self, overrides: dict[str, str], pick: str | None) -> P:
        key = (tuple(sorted(overrides.items())), pick)
        if key != self._key or self.base is None:
            self.base, self._key = None, None
            self.base = self._read(overrides, pick)
            self._key = key
        return self.reread(self.base, self.period) if self.period else self.base


@dataclass(frozen=True)
class PeriodHooks(Generic[P]):
    """What the shared dialog needs to show a kind's period and re-read in the user's one."""

    previews: PeriodPreviews[P]  # also the kind's `preview`
    # the preview's period, where it came from («из заголовка: …») and a note (None: none)
    describe: Callable[[P], tuple[Period, str, str | None]]
    label: str  # «Период карты», «Период плана»
    reset_tip: str  # what «Как найдено» returns to


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class PeriodRow(QWidget):
    """«Период карты: с [..] по [..] (источник)»; `changed` carries (start, end) or None (reset).

    `label` names whose period it is («Период плана» for an ИППР).
    """

    changed = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        label: str = "Период карты",
        reset_tip: str = "Вернуть период из заголовка файла или дорожной карты",
    ) -> None:
        super().__init__(parent)
        self.start = self._edit(self.tr("{0}: начало").format(label))
        self.end = self._edit(self.tr("{0}: окончание").format(label))
        self.source = QLabel(self)
        self.source.setWordWrap(True)
        self.reset = QPushButton(self.tr("Как найдено"), self)
        self.reset.setToolTip(reset_tip)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #b00020;")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("{0}: с").format(label), self))
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
