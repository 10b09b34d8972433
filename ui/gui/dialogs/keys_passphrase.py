"""The keys' passphrase of a shared workspace: unlocking once per session, and changing it.

A district on a server keeps its keys sealed with a passphrase (DESIGN §6). The first import or
bulletin of a session asks for it (`with_keys`); «Сменить парольную фразу…» (menu «Файл») sets
a new one. Opening or resealing the keys takes seconds (scrypt, on purpose), so it runs through
`run_task`; a wrong phrase is said under the field and the dialog stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import Invalid
from ui.gui.errors import show_error
from ui.gui.tasks import run_task

if TYPE_CHECKING:
    from services.packages import KeyStore

UNLOCK_TEXT = (
    "Ключи управления хранятся в общей базе и зашифрованы парольной фразой. Введите её, чтобы "
    "подписывать рассылки и открывать пакеты школ; до закрытия программы фраза больше не "
    "понадобится."
)
CHANGE_TEXT = (
    "Новая фраза заменит прежнюю для всех сотрудников: сообщите её тем, кто работает с "
    "пакетами. Не короче 12 символов; удобно взять несколько слов."
)


def _password_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _PhraseDialog(QDialog):
    """Passphrase fields, an inline error line and OK/Cancel; the work runs in a task."""

    def __init__(self, keys: KeyStore, title: str, intro: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._keys = keys
        self.setWindowTitle(title)
        self.resize(520, 0)
        info = QLabel(intro, self)
        info.setWordWrap(True)
        self.form = QFormLayout()
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self._on_ok)

    def _run(self, job: Callable[[], None], title: str) -> None:
        self.error.clear()
        self.buttons.setEnabled(False)
        run_task(self, lambda _p: job(), self._done, on_error=self._failed, title=title)

    def _done(self, _result: object) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, Invalid):  # a wrong or too short phrase: said here, fields kept
            self.error.setText(exc.message)
        else:
            show_error(self, exc)

    def _on_ok(self) -> None:
        raise NotImplementedError


class UnlockDialog(_PhraseDialog):
    def __init__(self, keys: KeyStore, parent: QWidget | None = None) -> None:
        super().__init__(keys, self.tr("Парольная фраза ключей"), self.tr(UNLOCK_TEXT), parent)
        self.phrase = _password_field(self)
        self.form.addRow(self.tr("Парольная фраза:"), self.phrase)

    def _on_ok(self) -> None:
        keys, phrase = self._keys, self.phrase.text()
        if not phrase:
            self.error.setText(self.tr("Введите парольную фразу."))
            return
        self._run(lambda: keys.unlock(phrase), self.tr("Открываю ключи…"))


class ChangePassphraseDialog(_PhraseDialog):
    def __init__(self, keys: KeyStore, parent: QWidget | None = None) -> None:
        title = self.tr("Сменить парольную фразу")
        super().__init__(keys, title, self.tr(CHANGE_TEXT), parent)
        self.current, self.new, self.again = (_password_field(self) for _ in range(3))
        self.form.addRow(self.tr("Текущая фраза:"), self.current)
        self.form.addRow(self.tr("Новая фраза:"), self.new)
        self.form.addRow(self.tr("Ещё раз:"), self.again)

    def _on_ok(self) -> None:
        from services.packages import check_new_passphrase

        keys, old, new = self._keys, self.current.text(), self.new.text()
        if new != self.again.text():
            self.error.setText(self.tr("Новые фразы не совпали: введите одну и ту же дважды."))
            return
        try:
            check_new_passphrase(new)
        except Invalid as exc:
            self.error.setText(exc.message)
            return
        self._run(lambda: keys.change_passphrase(old, new), self.tr("Смена парольной фразы…"))


def with_keys(parent: QWidget, keys: KeyStore, then: Callable[[], None]) -> None:
    """Run `then` once the keys can sign and decrypt: at once, or after the unlock dialog."""
    if not keys.locked:
        then()
        return
    dialog = UnlockDialog(keys, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(then)
    dialog.open()


def change_passphrase(parent: QWidget, keys: KeyStore) -> None:
    """«Сменить парольную фразу…»: the dialog, or why there is no passphrase to change."""
    try:
        keys.require_vault()
    except Invalid as exc:
        QMessageBox.information(parent, parent.tr("Сменить парольную фразу"), exc.message)
        return
    dialog = ChangePassphraseDialog(keys, parent)
    if dialog.exec():
        QMessageBox.information(
            parent, parent.tr("Сменить парольную фразу"), parent.tr("Парольная фраза изменена.")
        )
