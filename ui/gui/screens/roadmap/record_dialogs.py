"""Dialogs for one occurrence of an item (a year's record) and a section (number, title, task)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from models.roadmap import ItemStatus
from services.roadmap import STATUS_TITLES, OccurrenceFields, OccurrenceRead, SectionRead
from ui.gui.table_models.roadmap import occurrence_dates
from ui.gui.widgets.forms import OptionalDate, checked_layout


class OccurrenceDialog(QDialog):
    """Status, completion date, evidence and comment of one occurrence («2023» of a yearly item)."""

    def __init__(
        self, title: str, occurrence: OccurrenceRead, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        label = occurrence.label or occurrence_dates(occurrence)
        self.setWindowTitle(self.tr("Отметка о выполнении: {0}").format(label))
        self.resize(560, 320)
        self.heading = QLabel(f"{title}\n{label}: {occurrence_dates(occurrence)}")
        self.heading.setWordWrap(True)
        self.status = QComboBox()
        for status, text in STATUS_TITLES.items():
            self.status.addItem(text, status)
        self.status.setCurrentIndex(list(STATUS_TITLES).index(occurrence.status))
        self.completion = OptionalDate(occurrence.completion_date)
        self.evidence = QLineEdit(occurrence.evidence)
        self.comment = QLineEdit(occurrence.comment)
        form = QFormLayout()
        form.addRow(self.heading)
        form.addRow(self.tr("Отметка о выполнении"), self.status)
        form.addRow(self.tr("Дата выполнения"), self.completion)
        form.addRow(self.tr("Подтверждающие материалы"), self.evidence)
        form.addRow(self.tr("Комментарий"), self.comment)
        self.problems = checked_layout(self, form, self._check)
        self.status.currentIndexChanged.connect(self._on_status_changed)

    def _on_status_changed(self, _index: int) -> None:
        if self.status.currentData() is ItemStatus.DONE and self.completion.value() is None:
            self.completion.check.setChecked(True)

    def _check(self) -> list[str]:
        when = self.completion.value()
        if when is not None and when > date.today():
            return [self.tr("Дата выполнения не может быть позже сегодняшнего дня.")]
        return []

    def values(self) -> OccurrenceFields:
        return OccurrenceFields(
            status=self.status.currentData(),
            completion_date=self.completion.value(),
            evidence=self.evidence.text().strip(),
            comment=self.comment.text().strip(),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, title: str, occurrence: OccurrenceRead
    ) -> OccurrenceFields | None:
        dialog = cls(title, occurrence, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


@dataclass(frozen=True, slots=True)
class SectionValues:
    number: str
    title: str
    task: str
    parent_id: str | None = None


class SectionDialog(QDialog):
    """A new section (at the top level or inside another) or an existing one's wording."""

    def __init__(
        self,
        section: SectionRead | None,
        parents: list[SectionRead],
        preferred_parent: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Раздел") if section else self.tr("Новый раздел"))
        self.resize(560, 320)
        self.number = QLineEdit(section.number if section else "")
        self.number.setPlaceholderText(self.tr("например: I, 1, 1.2"))
        self.title_edit = QLineEdit(section.title if section else "")
        self.task = QPlainTextEdit(section.task if section else "")
        self.task.setTabChangesFocus(True)
        self.task.setMinimumHeight(60)
        self.parent_box = QComboBox()
        self.parent_box.addItem(self.tr("— верхний уровень —"), None)
        for candidate in parents:
            self.parent_box.addItem(f"{candidate.number} {candidate.title}".strip(), candidate.id)
        at = self.parent_box.findData(preferred_parent) if preferred_parent else 0
        self.parent_box.setCurrentIndex(max(at, 0))
        form = QFormLayout()
        if section is None:  # an existing section stays where it is (moved with Выше/Ниже)
            form.addRow(self.tr("Входит в раздел"), self.parent_box)
        form.addRow(self.tr("Номер"), self.number)
        form.addRow(self.tr("Название*"), self.title_edit)
        form.addRow(self.tr("Задача раздела"), self.task)
        self.problems = checked_layout(self, form, self._check)

    def _check(self) -> list[str]:
        return [] if self.title_edit.text().strip() else [self.tr("Укажите название раздела.")]

    def values(self) -> SectionValues:
        return SectionValues(
            number=self.number.text().strip(),
            title=self.title_edit.text().strip(),
            task=self.task.toPlainText().strip(),
            parent_id=self.parent_box.currentData(),
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        section: SectionRead | None,
        parents: list[SectionRead],
        preferred_parent: str | None = None,
    ) -> SectionValues | None:
        dialog = cls(section, parents, preferred_parent, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
