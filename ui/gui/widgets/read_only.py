"""Actions a read-only login (the server's `opora_readonly`) may not take: shown, but disabled.

The server refuses such a login's writes anyway (its grants); disabling the controls says so
before anyone fills in a form for nothing. A screen that can write defines `lock_writes()`,
which the main window calls once, right after building it, when the login may only read: the
screen passes its writing controls to `lock` and turns off editing in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from services.app import Services

Control = QWidget | QAction | QShortcut


def may_write(services: Services) -> bool:
    return not services.db.read_only


def reason() -> str:
    return QCoreApplication.translate(
        "ReadOnly", "Только просмотр: у вашей учётной записи на сервере нет права изменять данные."
    )


class _KeepDisabled(QObject):
    """Undoes any later enabling of a locked widget.

    A screen's own rules (a row chosen, an entry valid) enable its buttons again and again,
    and none of them knows about the login.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.EnabledChange
            and isinstance(watched, QWidget)
            and watched.isEnabled()
        ):
            watched.setEnabled(False)
        return False


def _keep_action_disabled(action: QAction, enabled: bool) -> None:
    if enabled:
        action.setEnabled(False)


def lock(controls: Iterable[Control]) -> None:
    """Disable each control for the rest of the session, with the reason as its tooltip."""
    for control in controls:
        control.setEnabled(False)
        if isinstance(control, QShortcut):
            continue  # never enabled again by the screens, and it has no tooltip
        control.setToolTip(reason())
        if isinstance(control, QAction):
            control.enabledChanged.connect(partial(_keep_action_disabled, control))
        else:
            keeper = _KeepDisabled(control)
            control.installEventFilter(keeper)
        control.setProperty("opora_locked", True)


def is_locked(control: QObject) -> bool:
    return bool(control.property("opora_locked"))


def lock_screen(screen: QWidget, services: Services) -> None:
    """Call the screen's `lock_writes()` when this login may only read."""
    locker = getattr(screen, "lock_writes", None)
    if not may_write(services) and callable(locker):
        locker()
