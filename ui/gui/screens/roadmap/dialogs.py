"""Dialogs of the roadmap screen: an item, the roadmap's heading, the «Корзина»."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from models.roadmap import ItemStatus, RoadmapBase
from services.core.formatting import date_short
from services.roadmap import STATUS_TITLES, ItemFields, RoadmapItemRead, RoadmapRead, parse_deadline
from ui.gui.widgets.forms import OptionalDate, checked_layout, pydate, qdate, save_cancel_layout


class ItemDialog(QDialog):
    """Add or edit one item; shows what the deadline wording means while typing."""

    def __init__(
        self,
        roadmap: RoadmapRead,
        item: ItemFields | None,
        parent: QWidget | None = None,
        occurrence_label: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Мероприятие") if item else self.tr("Новое мероприятие"))
        self.resize(640, 560)
        self._roadmap = roadmap
        v = item or ItemFields(title="")
        self._occurrence_id = v.occurrence_id  # the occurrence whose status this dialog edits
        self.number = QLineEdit(v.number)
        self.number.setPlaceholderText(self.tr("присвоится автоматически"))
        self.title_edit = QPlainTextEdit(v.title)
        self.title_edit.setTabChangesFocus(True)
        self.title_edit.setFixedHeight(70)
        self.deadline = QLineEdit(v.deadline_text)
        self.deadline.setPlaceholderText(self.tr("например: Февраль-март, В течение года"))
        self.deadline_hint = QLabel()
        self.responsible = QLineEdit(v.responsible)
        self.participants = QLineEdit(v.participants)
        self.expected = QLineEdit(v.expected_result)
        self.report_form = QLineEdit(v.report_form)
        self.status = QComboBox()
        for status, title in STATUS_TITLES.items():
            self.status.addItem(title, status)
        self.status.setCurrentIndex(list(STATUS_TITLES).index(v.status))
        self.completion = OptionalDate(v.completion_date)
        self.evidence = QLineEdit(v.evidence)
        self.comment = QLineEdit(v.comment)
        self._risk = v.risk_factor_code
        form = QFormLayout()
        form.addRow(self.tr("№ п/п"), self.number)
        form.addRow(self.tr("Мероприятие*"), self.title_edit)
        form.addRow(self.tr("Срок"), self.deadline)
        form.addRow("", self.deadline_hint)
        form.addRow(self.tr("Ответственные"), self.responsible)
        form.addRow(self.tr("Участники"), self.participants)
        form.addRow(self.tr("Ожидаемый результат"), self.expected)
        form.addRow(self.tr("Форма отчёта"), self.report_form)
        if occurrence_label:  # a recurring item: the record below is of one of its dates
            note = QLabel(self.tr("Отметка ниже — за срок «{0}»; другие сроки — в строках под "
                                  "мероприятием (Ctrl+→).").format(occurrence_label))  # fmt: skip
            note.setWordWrap(True)
            form.addRow("", note)
        form.addRow(self.tr("Отметка о выполнении"), self.status)
        form.addRow(self.tr("Дата выполнения"), self.completion)
        form.addRow(self.tr("Подтверждающие материалы"), self.evidence)
        form.addRow(self.tr("Комментарий"), self.comment)
        save_cancel_layout(self, form)
        self.deadline.textChanged.connect(self._on_deadline_text_changed)
        self.status.currentIndexChanged.connect(self._on_status_changed)
        self._on_deadline_text_changed(self.deadline.text())

    def _on_deadline_text_changed(self, text: str) -> None:
        r = self._roadmap
        d = parse_deadline(text, r.period_start, r.period_end)
        if not text.strip():
            self.deadline_hint.setText(self.tr("Срок не указан: к концу периода карты."))
        elif not d.understood:
            self.deadline_hint.setText(
                self.tr(
                    "Срок не распознан — останется текстом; в процент выполнения и просрочку "
                    "не входит."
                )
            )
        elif d.start and d.end and d.start != d.end:
            self.deadline_hint.setText(
                self.tr("с {0} по {1}").format(date_short(d.start), date_short(d.end))
                + (self.tr(" (ежегодно)") if d.recurring else "")
            )
        else:
            self.deadline_hint.setText(self.tr("до {0}").format(date_short(d.end)))

    def _on_status_changed(self, _index: int) -> None:
        if self.status.currentData() is ItemStatus.DONE and self.completion.value() is None:
            self.completion.check.setChecked(True)

    def values(self) -> ItemFields:
        return ItemFields(
            title=self.title_edit.toPlainText().strip(),
            deadline_text=self.deadline.text().strip(),
            responsible=self.responsible.text().strip(),
            participants=self.participants.text().strip(),
            expected_result=self.expected.text().strip(),
            report_form=self.report_form.text().strip(),
            number=self.number.text().strip(),
            risk_factor_code=self._risk,
            status=self.status.currentData(),
            completion_date=self.completion.value(),
            evidence=self.evidence.text().strip(),
            comment=self.comment.text().strip(),
            occurrence_id=self._occurrence_id,
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        roadmap: RoadmapRead,
        item: ItemFields | None,
        occurrence_label: str = "",
    ) -> ItemFields | None:
        dialog = cls(roadmap, item, parent, occurrence_label)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class RoadmapDialog(QDialog):
    """The roadmap's heading: title, period, goal, tasks, expected results, approval data.

    A programme's period may span several years; its mechanisms and coordinator are here too.
    """

    def __init__(self, current: RoadmapRead | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Дорожная карта: общие сведения"))
        self.resize(640, 680)  # fits 1024×768 with the window frame
        start = current.period_start if current else date(date.today().year, 1, 1)
        end = current.period_end if current else date(date.today().year, 12, 31)
        self.title_edit = QLineEdit(current.title if current else "")
        self.title_edit.setCursorPosition(0)  # a long title shows its beginning
        self.start = QDateEdit(qdate(start))
        self.end = QDateEdit(qdate(end))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.goal = QPlainTextEdit(current.goal if current else "")
        self.tasks = QPlainTextEdit(current.tasks if current else "")
        self.expected = QPlainTextEdit(current.expected_results if current else "")
        self.mechanisms = QPlainTextEdit(current.mechanisms if current else "")
        self.coordinator = QLineEdit(current.coordinator if current else "")
        self.coordinator.setPlaceholderText(self.tr("ФИО, должность"))
        self.coordinator.setCursorPosition(0)
        for text_edit in (self.goal, self.tasks, self.expected, self.mechanisms):
            text_edit.setTabChangesFocus(True)
            # at least 60 px, and the dialog's spare height: fixed at 60, the spare height
            # opened a gap above the last row's date
            text_edit.setMinimumHeight(60)
        self.approve_position = QLineEdit(current.approve_position if current else "")
        self.approve_name = QLineEdit(current.approve_name if current else "")
        self.adopted_protocol = QLineEdit(current.adopted_protocol if current else "")
        self.adopted_date = OptionalDate(current.adopted_date if current else None)
        self._base = current
        form = QFormLayout()
        form.addRow(self.tr("Название*"), self.title_edit)
        form.addRow(self.tr("Начало периода"), self.start)
        form.addRow(self.tr("Конец периода"), self.end)
        form.addRow(self.tr("Цель"), self.goal)
        form.addRow(self.tr("Задачи"), self.tasks)
        form.addRow(self.tr("Ожидаемые результаты"), self.expected)
        form.addRow(self.tr("Механизмы реализации"), self.mechanisms)
        form.addRow(self.tr("Координатор"), self.coordinator)
        form.addRow(self.tr("«УТВЕРЖДАЮ»: должность"), self.approve_position)
        form.addRow(self.tr("«УТВЕРЖДАЮ»: ФИО"), self.approve_name)
        form.addRow(self.tr("Протокол педсовета №"), self.adopted_protocol)
        form.addRow(self.tr("Дата протокола"), self.adopted_date)
        self.problems = checked_layout(self, form, self._problems)

    def _problems(self) -> list[str]:
        problems = []
        if not self.title_edit.text().strip():
            problems.append(self.tr("Укажите название дорожной карты."))
        if self.end.date() < self.start.date():
            problems.append(self.tr("Конец периода раньше его начала: исправьте одну из дат."))
        for edit, limit, name in (
            (self.goal, 4000, "Цель"),
            (self.tasks, 8000, "Задачи"),
            (self.expected, 8000, "Ожидаемые результаты"),
            (self.mechanisms, 8000, "Механизмы реализации"),
        ):
            if len(edit.toPlainText().strip()) > limit:
                problems.append(self.tr("«{0}»: не больше {1} символов.").format(name, limit))
        if len(self.coordinator.text().strip()) > 500:
            problems.append(self.tr("«Координатор»: не больше 500 символов."))
        return problems

    def values(self) -> RoadmapBase:
        base = self._base.model_dump() if self._base else {}
        base.update(
            title=self.title_edit.text().strip(),
            period_start=pydate(self.start.date()),
            period_end=pydate(self.end.date()),
            goal=self.goal.toPlainText().strip(),
            tasks=self.tasks.toPlainText().strip(),
            expected_results=self.expected.toPlainText().strip(),
            mechanisms=self.mechanisms.toPlainText().strip(),
            coordinator=self.coordinator.text().strip(),
            approve_position=self.approve_position.text().strip(),
            approve_name=self.approve_name.text().strip(),
            adopted_protocol=self.adopted_protocol.text().strip(),
            adopted_date=self.adopted_date.value(),
        )
        if base.get("adopted_protocol") and not base.get("adopted_body"):
            base["adopted_body"] = "педагогическом совете"
        return RoadmapBase.model_validate(base)

    @classmethod
    def ask(cls, parent: QWidget | None, current: RoadmapRead | None) -> RoadmapBase | None:
        dialog = cls(current, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class TrashDialog(QDialog):
    """«Корзина»: deleted items; the checked ones are restored."""

    def __init__(self, items: list[RoadmapItemRead], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Корзина: удалённые мероприятия"))
        self.resize(600, 400)
        self.list = QListWidget(self)
        for item in items:
            row = QListWidgetItem(f"{item.number} {item.title}".strip(), self.list)
            row.setCheckState(Qt.CheckState.Unchecked)
            row.setData(Qt.ItemDataRole.UserRole, item.id)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Восстановить"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Закрыть"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if not items:
            layout.addWidget(QLabel(self.tr("Корзина пуста.")))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def checked(self) -> list[str]:
        rows = [self.list.item(n) for n in range(self.list.count())]
        return [
            str(r.data(Qt.ItemDataRole.UserRole))
            for r in rows
            if r.checkState() == Qt.CheckState.Checked
        ]

    @classmethod
    def ask(cls, parent: QWidget | None, items: list[RoadmapItemRead]) -> list[str]:
        dialog = cls(items, parent)
        return dialog.checked() if dialog.exec() == QDialog.DialogCode.Accepted else []
