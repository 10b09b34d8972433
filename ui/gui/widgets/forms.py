"""Small pieces the dialogs share.

QDate ↔ date, a calendar field, an optional date, the «Сохранить» / «Отмена» buttons.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(value: date, parent: QWidget | None = None) -> QDateEdit:
    """A calendar field in the Russian day.month.year format."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    edit.setDate(qdate(value))
    return edit


class OptionalDate(QWidget):
    """A date that may be empty: a check box «указать» and a calendar field."""

    def __init__(self, value: date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(self.tr("указать"), self)
        self.edit = date_edit(value or date.today(), self)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.check.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return pydate(self.edit.date()) if self.check.isChecked() else None


def save_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """«Сохранить» accepts the dialog, «Отмена» rejects it."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(dialog.tr("Сохранить"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(dialog.tr("Отмена"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def save_cancel_layout(dialog: QDialog, form: QFormLayout) -> None:
    """The form above «Сохранить» / «Отмена» buttons."""
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(save_cancel_buttons(dialog))


Check = Callable[[], list[str]]


class ProblemsLabel(QLabel):
    """What stops a form from saving, in red above its buttons; «Сохранить» waits until fixed.

    The dialog stays open with everything typed: the check runs on every change of the
    dialog's fields (the ВПР entry dialog's pattern), so a refused form never closes.
    """

    def __init__(self, dialog: QDialog, buttons: QDialogButtonBox, check: Check) -> None:
        super().__init__(dialog)
        self.setWordWrap(True)
        self.setStyleSheet("color: #B00020;")
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok) or buttons.button(
            QDialogButtonBox.StandardButton.Save
        )
        self._check = check
        self._dialog = dialog
        # «Сохранить» (or Return) closes the form only when nothing is wrong
        buttons.accepted.disconnect()
        buttons.accepted.connect(self._on_accepted)
        for line in dialog.findChildren(QLineEdit):
            line.textChanged.connect(self.refresh)
        for text in dialog.findChildren(QPlainTextEdit):
            text.textChanged.connect(self.refresh)
        for when in dialog.findChildren(QDateEdit):
            when.dateChanged.connect(self.refresh)
        for box in dialog.findChildren(QCheckBox):
            box.toggled.connect(self.refresh)
        for combo in dialog.findChildren(QComboBox):
            combo.currentTextChanged.connect(self.refresh)
        self.refresh()

    def problems(self) -> list[str]:
        return self._check()

    def _on_accepted(self) -> None:
        self.refresh()
        if not self.problems():
            self._dialog.accept()

    def refresh(self, *_: object) -> None:
        problems = self.problems()
        self.setText("\n".join(f"• {p}" for p in problems))
        self.setVisible(bool(problems))
        if self._ok is not None:
            self._ok.setEnabled(not problems)


def checked_layout(dialog: QDialog, form: QFormLayout, check: Check) -> ProblemsLabel:
    """`save_cancel_layout` with an inline check: the problems show above the buttons."""
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    buttons = save_cancel_buttons(dialog)
    problems = ProblemsLabel(dialog, buttons, check)
    layout.addWidget(problems)
    layout.addWidget(buttons)
    return problems


_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


class NumberField(QLineEdit):
    """A number typed as text and read whole, with its problem named inline.

    «abc150», or 150 over a limit of 100, is refused with a reason, never silently cut to 15 as a
    spin box that drops the keys it rejects would do.
    """

    def __init__(self, parent: QWidget | None = None, *, optional: bool = False) -> None:
        super().__init__(parent)
        self._low, self._high, self._decimals, self._unit = 0.0, 100.0, 1, ""
        self._optional = optional

    def set_range(self, low: float, high: float, *, decimals: int = 1, unit: str = "") -> None:
        self._low, self._high, self._decimals, self._unit = low, high, decimals, unit
        self.setPlaceholderText(f"от {self._show(low)} до {self._show(high)} {unit}".strip())

    def _show(self, number: float) -> str:
        text = f"{number:.{self._decimals}f}".replace(".", ",")
        return text.rstrip("0").rstrip(",") if "," in text else text

    def set_value(self, number: float | None) -> None:
        self.setText("" if number is None else self._show(number))

    def _parsed(self) -> float | None:
        text = self.text().strip().removesuffix(self._unit).strip().replace(" ", "")
        if not _NUMBER.fullmatch(text):
            return None
        return float(text.replace(",", "."))

    def value(self) -> float | None:
        """The number when the text is one within the range, else None."""
        return None if self.problem() else self._parsed()

    def problem(self) -> str:
        """Why the text is not an allowed number, in Russian; empty when it is."""
        text = self.text().strip()
        if not text:
            return "" if self._optional else "введите число"
        number = self._parsed()
        if number is None:
            return f"«{text}» — не число (пример: {self._show(self._high / 2)})"
        if not self._low <= number <= self._high:
            return (
                f"{self._show(number)} — вне допустимых пределов "
                f"(от {self._show(self._low)} до {self._show(self._high)})"
            )
        return ""
