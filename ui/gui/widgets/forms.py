"""Small pieces the dialogs share.

QDate ↔ date, a calendar field, an optional date, the «Сохранить» / «Отмена» buttons.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
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
