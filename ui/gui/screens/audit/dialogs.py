"""Dialogs of the self-audit screen: choose factors for anti-risk measures; working group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class FactorChoice:
    code: str
    title: str
    level: str
    checked: bool


class MeasuresDialog(QDialog):
    """Tick the factors whose suggested measures go into the roadmap."""

    def __init__(self, choices: Sequence[FactorChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Антирисковые меры"))
        self.list = QListWidget(self)
        for c in choices:
            item = QListWidgetItem(f"{c.code}. {c.title} — {c.level}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, c.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if c.checked else Qt.CheckState.Unchecked)
        note = QLabel(
            self.tr(
                "Предлагаемые меры выбранных факторов будут добавлены в текущую дорожную карту "
                "отдельным разделом. Повторный запуск не создаёт дубликатов."
            ),
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def chosen(self) -> list[str]:
        items = (self.list.item(i) for i in range(self.list.count()))
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    @classmethod
    def ask(cls, parent: QWidget | None, choices: Sequence[FactorChoice]) -> list[str] | None:
        dialog = cls(choices, parent)
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


@dataclass(frozen=True, slots=True)
class Details:
    working_group: str
    notes: str
    completed_on: date | None


class DetailsDialog(QDialog):
    """The working group (one member a line: «ФИО, должность»), conclusions, completion date."""

    def __init__(self, details: Details, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Рабочая группа и выводы"))
        self.group = QPlainTextEdit(details.working_group, self)
        self.group.setPlaceholderText(self.tr("Каждый член группы с новой строки: ФИО, должность"))
        self.group.setTabChangesFocus(True)
        self.notes = QPlainTextEdit(details.notes, self)
        self.notes.setTabChangesFocus(True)
        self.complete_box = QCheckBox(self.tr("Самоаудит завершён"), self)
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd.MM.yyyy")
        when = details.completed_on or date.today()
        self.day.setDate(QDate(when.year, when.month, when.day))
        self.complete_box.setChecked(details.completed_on is not None)
        self.day.setEnabled(self.complete_box.isChecked())
        self.complete_box.toggled.connect(self.day.setEnabled)
        form = QFormLayout()
        form.addRow(self.tr("Рабочая группа:"), self.group)
        form.addRow(self.tr("Выводы:"), self.notes)
        form.addRow(self.complete_box, self.day)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def details(self) -> Details:
        d = self.day.date()
        completed = date(d.year(), d.month(), d.day()) if self.complete_box.isChecked() else None
        return Details(self.group.toPlainText(), self.notes.toPlainText(), completed)

    @classmethod
    def ask(cls, parent: QWidget | None, details: Details) -> Details | None:
        dialog = cls(details, parent)
        return dialog.details() if dialog.exec() == QDialog.DialogCode.Accepted else None
