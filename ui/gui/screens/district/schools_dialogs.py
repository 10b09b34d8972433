"""Dialogs of «Школы»: the district's status of a school, key revocation, a comment's text.

Each has a classmethod/function `ask(...)` returning the answer or None, so tests monkeypatch it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.site import SchoolStatusBase
from services.district import Curator
from ui.gui.screens.district.curators_editor import CuratorsEditor
from ui.gui.widgets.conflict import Outcome, save_checked
from ui.gui.widgets.forms import ProblemsLabel, save_cancel_buttons

StatusAnswer = tuple[SchoolStatusBase, list[Curator]]


class StatusDialog(QDialog):
    """Flags (ШНОР / ШНСУ / «500+»), curators, partner school and notes of one school.

    «Сохранить» waits until every curator has a name; the dialog keeps what was typed.
    """

    def __init__(
        self,
        school: str,
        status: SchoolStatusBase,
        parent: QWidget | None = None,
        curators: tuple[Curator, ...] = (),
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Статус школы — {0}").format(school))
        self._school_id = status.school_id
        self.low = QCheckBox(self.tr("ШНОР — школа с низкими образовательными результатами"), self)
        self.adverse = QCheckBox(
            self.tr("ШНСУ — школа в неблагоприятных социальных условиях"), self
        )
        self.p500 = QCheckBox(self.tr("участник проекта «500+»"), self)
        self.curators = CuratorsEditor(curators, self)
        self.curators.setMinimumHeight(150)
        self.partner = QLineEdit(status.partner_school, self)
        self.notes = QPlainTextEdit(status.notes, self)
        self.low.setChecked(status.is_low_results)
        self.adverse.setChecked(status.is_adverse_context)
        self.p500.setChecked(status.is_500plus)
        self.partner.setMaxLength(300)
        form = QFormLayout()
        # the curators' table takes the dialog's full width: beside its label «ФИО» was 98 px
        form.addRow(QLabel(self.tr("Кураторы:"), self))
        form.addRow(self.curators)
        form.addRow(self.tr("Школа-партнёр с высокими результатами:"), self.partner)
        form.addRow(self.tr("Заметки:"), self.notes)
        buttons = save_cancel_buttons(self)
        layout = QVBoxLayout(self)
        for box in (self.low, self.adverse, self.p500):
            layout.addWidget(box)
        layout.addLayout(form)
        problems = ProblemsLabel(self, buttons, self.curators.problems)
        self.curators.changed.connect(problems.refresh)
        layout.addWidget(problems)
        layout.addWidget(buttons)
        self.resize(760, 520)  # fits 1024×768

    def status(self) -> SchoolStatusBase:
        return SchoolStatusBase(
            school_id=self._school_id,
            is_low_results=self.low.isChecked(),
            is_adverse_context=self.adverse.isChecked(),
            is_500plus=self.p500.isChecked(),
            partner_school=self.partner.text().strip(),
            notes=self.notes.toPlainText().strip()[:4000],
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        school: str,
        status: SchoolStatusBase,
        curators: tuple[Curator, ...] = (),
    ) -> StatusAnswer | None:
        dialog = cls(school, status, parent, curators)
        return (dialog.status(), dialog.curators.curators()) if dialog.exec() else None


class RevokeDialog(QDialog):
    """Accept this school's packages only up to № N: for a lost or stolen computer."""

    def __init__(self, school: str, last_seq: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Отзыв ключа — {0}").format(school))
        text = QLabel(
            self.tr(
                "Отзывайте ключ, если компьютер школы потерян, украден или переустановлен. "
                "Пакеты с номером больше указанного будут отклоняться; уже полученные "
                "данные останутся. Новый ключ школы подтверждается, как при первом "
                "подключении: по отпечатку, сверенному по телефону."
            ),
            self,
        )
        text.setWordWrap(True)
        self.up_to = QSpinBox(self)
        self.up_to.setRange(0, 1_000_000)
        self.up_to.setValue(last_seq)
        self.up_to.setSpecialValueText(self.tr("не принимать ни одного"))
        form = QFormLayout()
        form.addRow(self.tr("Принимать пакеты до № (включительно):"), self.up_to)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Отозвать ключ"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(520, 220)

    @classmethod
    def ask(cls, parent: QWidget | None, school: str, last_seq: int) -> int | None:
        dialog = cls(school, last_seq, parent)
        return dialog.up_to.value() if dialog.exec() else None


# Saves the comment's text over the version it was read at (None: no check); `ChangedByOther`.
CommentSave = Callable[[str, str | None], None]


class CommentDialog(QDialog):
    """A comment's text; given `save`, «Сохранить» saves it from the dialog.

    The dialog stays open with the text when a colleague changed the comment meanwhile or the
    save is refused.
    """

    def __init__(
        self,
        title: str,
        about: str,
        text: str,
        parent: QWidget | None = None,
        save: CommentSave | None = None,
        expected: str | None = None,
    ):
        super().__init__(parent)
        self._save, self._expected = save, expected
        self.setWindowTitle(title)
        label = QLabel(about, self)
        label.setWordWrap(True)
        self.edit = QPlainTextEdit(text, self)
        self.edit.setTabChangesFocus(True)
        buttons = save_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit, 1)
        self.problems = ProblemsLabel(self, buttons, self._problems)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.resize(520, 260)

    def _problems(self) -> list[str]:
        if not self.edit.toPlainText().strip():
            return [self.tr("Напишите текст комментария.")]
        return []

    def accept(self) -> None:
        if self._save is None:
            super().accept()
            return
        save, text = self._save, self.edit.toPlainText()
        if save_checked(self, lambda expected: save(text, expected), self._expected) in (
            Outcome.SAVED,
            Outcome.TAKEN,
        ):
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, about: str, text: str = "") -> str | None:
        dialog = cls(title, about, text, parent)
        return dialog.edit.toPlainText() if dialog.exec() else None

    @classmethod
    def edit_saved(
        cls, parent: QWidget | None, title: str, about: str, text: str, save: CommentSave,
        expected: str,
    ) -> bool:  # fmt: skip
        """Edit and save from the dialog; True when the stored comment may have changed."""
        return bool(cls(title, about, text, parent, save, expected).exec())
