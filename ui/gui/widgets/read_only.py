"""Actions a read-only login (the server's `opora_readonly`) may not take: shown, but disabled.

The server refuses such a login's writes anyway (its grants); disabling the buttons says so
before anyone fills in a form for nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton

if TYPE_CHECKING:
    from services.app import Services


def may_write(services: Services) -> bool:
    return not services.db.read_only


def enable_if_writable(button: QAbstractButton, services: Services, wanted: bool) -> None:
    """`button.setEnabled(wanted)`, unless this login may only read (then say why)."""
    if may_write(services):
        button.setEnabled(wanted)
        return
    button.setEnabled(False)
    button.setToolTip(
        QCoreApplication.translate(
            "ReadOnly",
            "Только просмотр: у вашей учётной записи на сервере нет права изменять данные.",
        )
    )
