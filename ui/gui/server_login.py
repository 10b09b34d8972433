"""Opening a server workspace that does not answer, or asks for a password, at start.

Nothing opens until the server answers: no window on half a connection. A password the
server asks for is typed here and kept for this run only (`services.site.use_password`: in
the process's environment, which libpq reads at each connection), never written to a file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from ui.gui.errors import show_error

if TYPE_CHECKING:
    from services.app import Services
    from services.core.config import AppPaths


def tr(text: str) -> str:
    return QCoreApplication.translate("ServerLogin", text)


def retry_server(paths: AppPaths, parent: QWidget | None, exc: Exception) -> Services | None:
    """The server did not answer, or wants a password: ask, try again; None = give up."""
    from services.app import open_services
    from services.core.db_pg import PasswordNeeded
    from services.core.errors import AppError, ServerUnreachable

    while ask_password(parent, exc) if isinstance(exc, PasswordNeeded) else ask_retry(parent, exc):
        try:
            return open_services(paths)
        except ServerUnreachable as again:
            exc = again
        except AppError as other:
            show_error(parent, other)
            return None
    return None


def ask_retry(parent: QWidget | None, exc: Exception) -> bool:
    """«Повторить» (True) or «Выйти» (False, also when the box is closed)."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Опора — нет связи с сервером"), str(exc),
                      QMessageBox.StandardButton.NoButton, parent)  # fmt: skip
    box.setInformativeText(tr("Программа откроется, когда сервер ответит."))
    if details := getattr(exc, "details", ""):
        box.setDetailedText(str(details))
    retry = box.addButton(tr("Повторить"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("Выйти"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)
    box.exec()
    return box.clickedButton() is retry


def ask_password(parent: QWidget | None, exc: Exception) -> bool:
    """The password for this run (True), or «Отмена» (False: the program does not open)."""
    from services.site import use_password

    text = tr("{0}\n\nПароль нужен только до выхода из программы и никуда не записывается.")
    password, ok = QInputDialog.getText(
        parent, tr("Опора — пароль для сервера"), text.format(exc), QLineEdit.EchoMode.Password
    )
    if ok:
        use_password(password)  # an empty one leaves .pgpass or PGPASSWORD to libpq, as before
    return ok
