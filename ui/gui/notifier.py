"""The app's one change notification (see `ui.gui.tasks`).

Apart from the tasks because the main window creates its `Notifier` before its first paint,
and the task machinery (thread pool, progress dialog) is not needed until after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class Change:
    """What a successful task or edit changed (area names such as "roadmap") and who made it."""

    areas: frozenset[str]
    source: object | None = None

    def touches(self, *areas: str) -> bool:
        return not self.areas.isdisjoint(areas)


class Notifier(QObject):
    """The app's one change notification: `changed(Change)` after each successful change."""

    changed = Signal(object)

    def announce(self, areas: Iterable[str], source: object | None = None) -> None:
        self.changed.emit(Change(frozenset(areas), source))

    def follow(self, screen: QWidget, areas: Iterable[str], refresh: Callable[[], None]) -> None:
        """Refresh `screen` when another screen changes one of `areas` while it is shown.

        A hidden screen does nothing: the main window refreshes each screen when it is shown.
        """
        wanted = frozenset(areas)

        def on_changed(change: Change) -> None:
            if change.source is screen or not change.touches(*wanted):
                return
            if shiboken6.isValid(screen) and screen.isVisible():  # a closed screen is skipped
                refresh()

        self.changed.connect(on_changed)
