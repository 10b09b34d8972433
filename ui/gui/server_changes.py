"""Changes other staff make on the server workspace, brought to the GUI thread (DESIGN §5).

The listening itself is the services' (`services.core.notify.ChangeListener`, in a thread of
its own here); this object gathers what it hears for a moment, so that an import of fifty
packages refreshes the screen once, and emits `changed` on the GUI thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from services.core.notify import ChangeListener, ChangeNotice

if TYPE_CHECKING:
    from services.app import Services

log = logging.getLogger(__name__)

GATHER_MS = 300  # notices that arrive this close together make one refresh
MODAL_RETRY_MS = 1000  # while a dialog is open the screen behind it is not reloaded
JOIN_S = 5.0  # `stop()` wakes the listener at once; a connect in progress may take longer


def merged(notices: list[ChangeNotice]) -> ChangeNotice:
    """One notice for several: every owner named, or everything if any named none."""
    what = ", ".join(sorted({n.what for n in notices}))
    if any(n.everything for n in notices):
        return ChangeNotice(what)
    return ChangeNotice(what, frozenset().union(*(n.owners for n in notices)))


def show_changes(services: Services, screen: QWidget, notice: ChangeNotice) -> None:
    """Another staff member changed district data: forget its figures, reload `screen`."""
    services.dashboard.forget(notice.owners)
    refresh = getattr(screen, "refresh", None)
    if callable(refresh):
        refresh()


class _ListenerThread(QThread):
    def __init__(self, listener: ChangeListener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listener = listener
        self.setObjectName("opora-listener")

    def run(self) -> None:
        self.listener.run()


class ServerChanges(QObject):
    """`changed(ChangeNotice)` on the GUI thread after other staff changed district data."""

    changed = Signal(object)
    _heard = Signal(object)  # emitted in the listener's thread, delivered queued

    def __init__(self, url: str, parent: QObject | None = None, *, poll_s: float = 1.0) -> None:
        super().__init__(parent)
        self._pending: list[ChangeNotice] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._flush)
        self._heard.connect(self._on_heard)
        self.listener = ChangeListener(url, self._heard.emit, poll_s=poll_s)
        self._thread = _ListenerThread(self.listener, self)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and wait for the thread (its wait wakes at the request)."""
        self.listener.stop()
        self._timer.stop()
        if self._thread.isRunning() and not self._thread.wait(int(JOIN_S * 1000)):
            log.warning("change listener did not stop in %.0f s", JOIN_S)

    def _on_heard(self, notice: ChangeNotice) -> None:
        self._pending.append(notice)
        if not self._timer.isActive():
            self._timer.start(GATHER_MS)

    def _flush(self) -> None:
        if not self._pending:
            return
        if QApplication.activeModalWidget() is not None:
            self._timer.start(MODAL_RETRY_MS)
            return
        notice, self._pending = merged(self._pending), []
        log.info("changed on the server by others: %s", notice.what)
        self.changed.emit(notice)
