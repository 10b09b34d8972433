"""Dialogs of «Педагоги и ИППР»: a teacher, a plan, a deficit, an activity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from models.staff import (
    ActivityForm,
    ActivityStatus,
    DeficitArea,
    DeficitSource,
    DevelopmentActivityBase,
    DevelopmentPlanBase,
    ProfessionalDeficitBase,
    TeacherBase,
)
from services.staff import (
    AREA_TITLES,
    FORM_TITLES,
    SOURCE_TITLES,
    STATUS_TITLES,
    ActivityRead,
    DeficitRead,
    PlanRead,
    TeacherRead,
)
from ui.gui.widgets.forms import (
    OptionalDate,
    checked_layout,
    date_edit,
    pydate,
    save_cancel_layout,
)

E = TypeVar("E", bound=StrEnum)


def _combo(parent: QWidget, titles: dict[E, str], current: E | None) -> QComboBox:
    combo = QComboBox(parent)
    for value, title in titles.items():
        combo.addItem(title, value)
    if current is not None:
        combo.setCurrentIndex(combo.findData(current))
    return combo


class TeacherDialog(QDialog):
    def __init__(
        self, current: TeacherRead | None, others: Sequence[TeacherRead], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Педагог"))
        self.name = QLineEdit(current.full_name if current else "", self)
        self.position = QLineEdit(current.position if current else "учитель", self)
        self.subjects = QLineEdit(current.subjects if current else "", self)
        self.subjects.setPlaceholderText(self.tr("через запятую: математика, физика"))
        self.category = QComboBox(self)
        self.category.setEditable(True)
        self.category.addItems(["", "высшая", "первая", "соответствие занимаемой должности"])
        self.category.setCurrentText(current.category if current else "")
        self.experience = QSpinBox(self)
        self.experience.setRange(0, 70)
        self.experience.setValue(current.experience_years or 0 if current else 0)
        self.young = QCheckBox(self.tr("молодой специалист"), self)
        self.young.setChecked(bool(current and current.is_young_specialist))
        self.mentor = QComboBox(self)
        self.mentor.addItem(self.tr("— нет —"), None)
        for other in others:
            if current is None or other.id != current.id:
                self.mentor.addItem(other.full_name, other.id)
        if current and current.mentor_id:
            self.mentor.setCurrentIndex(max(0, self.mentor.findData(current.mentor_id)))
        form = QFormLayout()
        form.addRow(self.tr("ФИО"), self.name)
        form.addRow(self.tr("Должность"), self.position)
        form.addRow(self.tr("Предметы"), self.subjects)
        form.addRow(self.tr("Категория"), self.category)
        form.addRow(self.tr("Стаж, лет"), self.experience)
        form.addRow("", self.young)
        form.addRow(self.tr("Наставник"), self.mentor)
        self.problems = checked_layout(self, form, self._problems)

    def _problems(self) -> list[str]:
        if not self.name.text().strip():
            return [self.tr("Укажите ФИО педагога.")]
        return []

    def values(self) -> TeacherBase:
        return TeacherBase(
            full_name=self.name.text(),
            position=self.position.text().strip(),
            subjects=self.subjects.text().strip(),
            category=self.category.currentText().strip(),
            experience_years=self.experience.value(),
            is_young_specialist=self.young.isChecked(),
            mentor_id=self.mentor.currentData(),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, current: TeacherRead | None, others: Sequence[TeacherRead]
    ) -> TeacherBase | None:
        dialog = cls(current, others, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class PlanDialog(QDialog):
    def __init__(self, teacher_id: str, current: PlanRead | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("ИППР: период и утверждение"))
        self._teacher_id = teacher_id
        today = date.today()
        year = today.year if today.month >= 9 else today.year - 1
        self.start = date_edit(current.period_start if current else date(year, 9, 1), self)
        self.end = date_edit(current.period_end if current else date(year + 1, 8, 31), self)
        self.goals = QPlainTextEdit(current.goals if current else "", self)
        self.reflection = QPlainTextEdit(current.reflection if current else "", self)
        self.approve_position = QLineEdit(current.approve_position if current else "", self)
        self.approve_name = QLineEdit(current.approve_name if current else "", self)
        self.approve_date = OptionalDate(current.approve_date if current else None, self)
        form = QFormLayout()
        form.addRow(self.tr("Начало периода"), self.start)
        form.addRow(self.tr("Конец периода"), self.end)
        form.addRow(self.tr("Цели и задачи"), self.goals)
        form.addRow(self.tr("Рефлексия, итоги"), self.reflection)
        form.addRow(self.tr("Утверждает (должность)"), self.approve_position)
        form.addRow(self.tr("Утверждает (ФИО)"), self.approve_name)
        form.addRow(self.tr("Дата утверждения"), self.approve_date)
        save_cancel_layout(self, form)

    def values(self) -> DevelopmentPlanBase:
        return DevelopmentPlanBase(
            teacher_id=self._teacher_id,
            period_start=pydate(self.start.date()),
            period_end=pydate(self.end.date()),
            goals=self.goals.toPlainText().strip(),
            reflection=self.reflection.toPlainText().strip(),
            approve_position=self.approve_position.text().strip(),
            approve_name=self.approve_name.text().strip(),
            approve_date=self.approve_date.value(),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, teacher_id: str, current: PlanRead | None
    ) -> DevelopmentPlanBase | None:
        dialog = cls(teacher_id, current, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class DeficitDialog(QDialog):
    def __init__(self, plan_id: str, current: DeficitRead | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Профессиональный дефицит"))
        self._plan_id = plan_id
        self.area = _combo(self, AREA_TITLES, current.area if current else None)
        self.description = QPlainTextEdit(current.description if current else "", self)
        self.source = _combo(self, SOURCE_TITLES, current.source if current else None)
        form = QFormLayout()
        form.addRow(self.tr("Область"), self.area)
        form.addRow(self.tr("Описание"), self.description)
        form.addRow(self.tr("Источник"), self.source)
        save_cancel_layout(self, form)

    def values(self) -> ProfessionalDeficitBase:
        return ProfessionalDeficitBase(
            plan_id=self._plan_id,
            area=DeficitArea(self.area.currentData()),
            description=self.description.toPlainText().strip(),
            source=DeficitSource(self.source.currentData()),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, plan_id: str, current: DeficitRead | None
    ) -> ProfessionalDeficitBase | None:
        dialog = cls(plan_id, current, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ActivityDialog(QDialog):
    def __init__(
        self,
        plan_id: str,
        current: ActivityRead | None,
        deficits: Sequence[DeficitRead],
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Мероприятие ИППР"))
        self._plan_id = plan_id
        self.form = _combo(self, FORM_TITLES, current.form if current else None)
        self.title = QLineEdit(current.title if current else "", self)
        self.deficit = QComboBox(self)
        self.deficit.addItem(self.tr("— не связано —"), None)
        for deficit in deficits:
            self.deficit.addItem(deficit.description[:80], deficit.id)
        if current and current.deficit_id:
            self.deficit.setCurrentIndex(max(0, self.deficit.findData(current.deficit_id)))
        self.provider = QLineEdit(current.provider if current else "", self)
        self.hours = QDoubleSpinBox(self)
        self.hours.setRange(0, 2000)
        self.hours.setDecimals(0)
        self.hours.setValue(current.hours or 0 if current else 0)
        self.start = OptionalDate(current.start_date if current else None, self)
        self.end = OptionalDate(current.end_date if current else None, self)
        # the plan's wording; without dates it is the activity's only deadline
        self.deadline_text = QLineEdit(current.deadline_text if current else "", self)
        self.deadline_text.setMaxLength(500)
        self.deadline_text.setPlaceholderText(self.tr("как в плане: «октябрь», «по графику ИРО»"))
        self.expected = QLineEdit(current.expected_result if current else "", self)
        self.report_form = QLineEdit(current.report_form if current else "", self)
        self.status = _combo(self, STATUS_TITLES, current.status if current else None)
        self.completion = OptionalDate(current.completion_date if current else None, self)
        self.certificate = QLineEdit(current.certificate_number if current else "", self)
        form = QFormLayout()
        for label, widget in (
            (self.tr("Форма"), self.form),
            (self.tr("Название"), self.title),
            (self.tr("Дефицит"), self.deficit),
            (self.tr("Организатор"), self.provider),
            (self.tr("Часы"), self.hours),
            (self.tr("Начало"), self.start),
            (self.tr("Окончание"), self.end),
            (self.tr("Срок в плане"), self.deadline_text),
            (self.tr("Ожидаемый результат"), self.expected),
            (self.tr("Форма отчётности"), self.report_form),
            (self.tr("Статус"), self.status),
            (self.tr("Дата выполнения"), self.completion),
            (self.tr("№ удостоверения"), self.certificate),
        ):
            form.addRow(label, widget)
        save_cancel_layout(self, form)

    def values(self) -> DevelopmentActivityBase:
        return DevelopmentActivityBase(
            plan_id=self._plan_id,
            deficit_id=self.deficit.currentData(),
            form=ActivityForm(self.form.currentData()),
            title=self.title.text().strip(),
            provider=self.provider.text().strip(),
            hours=self.hours.value() or None,
            start_date=self.start.value(),
            end_date=self.end.value(),
            deadline_text=" ".join(self.deadline_text.text().split()),
            expected_result=self.expected.text().strip(),
            report_form=self.report_form.text().strip(),
            status=ActivityStatus(self.status.currentData()),
            completion_date=self.completion.value(),
            certificate_number=self.certificate.text().strip(),
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        plan_id: str,
        current: ActivityRead | None,
        deficits: Sequence[DeficitRead],
    ) -> DevelopmentActivityBase | None:
        dialog = cls(plan_id, current, deficits, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
