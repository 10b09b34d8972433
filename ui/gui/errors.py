"""The one place that shows errors (STYLE §3.7).

AppError as a warning; anything else as a crash box with the traceback folded and the path of
the log file.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from services.core.errors import AppError, Cancelled

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)
_log_file: Path | None = None


def tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show an exception to the user once, in plain words; log the details."""
    # Here, not at the top: this module is loaded before the first paint, a message box is not
    # needed for it, and the type costs ≈ 2 ms to create.
    from PySide6.QtWidgets import QMessageBox

    if isinstance(exc, Cancelled):
        return
    if isinstance(exc, AppError):
        log.info("refused: %s", exc)
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Опора"), str(exc), parent=parent)
        if exc.details:
            box.setDetailedText(exc.details)
        box.exec()
        return
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unexpected error:\n%s", details)
    where = str(_log_file) if _log_file else tr("журнал программы")
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        tr("Опора — непредвиденная ошибка"),
        tr(
            "В программе произошла непредвиденная ошибка. Последние сохранённые изменения "
            "не потеряны: каждое изменение записывается сразу.\n\n"
            "Сообщите об ошибке специалисту и приложите файл журнала:\n{0}"
        ).format(where),
        parent=parent,
    )
    box.setDetailedText(details)
    box.exec()


def install_excepthook(log_file: Path) -> None:
    """Route uncaught exceptions (including those raised in slots) to `show_error`."""
    global _log_file
    _log_file = log_file

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        show_error(None, exc.with_traceback(tb))

    sys.excepthook = hook
