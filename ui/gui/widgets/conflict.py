"""«Изменено другим сотрудником»: both versions side by side, and what to do with yours.

An edit dialog saves through `save_checked`; when a colleague saved the same row since the
dialog opened, the user keeps their version (saved over the colleague's), takes the colleague's,
or goes back to the editor — where everything they typed is still there.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError, ChangedByOther
from ui.gui.errors import show_error


class Choice(Enum):
    KEEP_MINE = "keep"
    TAKE_THEIRS = "take"
    BACK = "back"


class Outcome(Enum):
    SAVED = "saved"  # the user's version is stored
    TAKEN = "taken"  # the colleague's version stays; nothing of the user's was written
    STAYED = "stayed"  # nothing written: the editor stays open with the user's text


class ConflictDialog(QDialog):
    def __init__(self, exc: ChangedByOther, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Изменено другим сотрудником"))
        self.choice = Choice.BACK
        about = QLabel(
            self.tr("Пока вы редактировали, {0}: коллега сохранил свой вариант. Ваш вариант "
                    "ещё не сохранён — выберите, какой оставить.").format(exc.what),
            self,
        )  # fmt: skip
        about.setWordWrap(True)
        self.theirs = _version(exc.theirs, self)
        self.yours = _version(exc.yours, self)
        keep = self.tr("Восстановить с моим вариантом") if exc.removed else self.tr(
            "Сохранить мой вариант")  # fmt: skip
        self.keep_button = QPushButton(keep, self)
        self.take_button = QPushButton(self.tr("Оставить вариант коллеги"), self)
        self.back_button = QPushButton(self.tr("Вернуться к правке"), self)
        buttons = QDialogButtonBox(self)
        for button, choice in ((self.keep_button, Choice.KEEP_MINE),
                               (self.take_button, Choice.TAKE_THEIRS),
                               (self.back_button, Choice.BACK)):  # fmt: skip
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(QLabel(self.tr("Вариант коллеги (сохранён):"), self))
        layout.addWidget(self.theirs)
        layout.addWidget(QLabel(self.tr("Ваш вариант (не сохранён):"), self))
        layout.addWidget(self.yours)
        layout.addWidget(buttons)
        self.back_button.setDefault(True)
        self.resize(560, 360)

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, exc: ChangedByOther) -> Choice:
        dialog = cls(exc, parent)
        dialog.exec()
        return dialog.choice


def _version(text: str, parent: QWidget) -> QPlainTextEdit:
    edit = QPlainTextEdit(text, parent)
    edit.setReadOnly(True)
    return edit


def save_checked(
    parent: QWidget, save: Callable[[str | None], object], expected: str | None
) -> Outcome:
    """Call `save(expected)`; on a colleague's change, ask (`ConflictDialog`) and follow it.

    Any other refusal is shown and the editor stays open: the user's text is never lost.
    """
    while True:
        try:
            save(expected)
            return Outcome.SAVED
        except ChangedByOther as exc:
            choice = ConflictDialog.ask(parent, exc)
            if choice is Choice.TAKE_THEIRS:
                return Outcome.TAKEN
            if choice is Choice.BACK:
                return Outcome.STAYED
            expected = exc.stamp  # keep mine: save over the version now stored
        except AppError as exc:
            show_error(parent, exc)
            return Outcome.STAYED
