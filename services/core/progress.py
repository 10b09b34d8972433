"""The progress protocol long jobs report to, without knowing about Qt."""

from __future__ import annotations

from typing import Protocol

from services.core.errors import Cancelled


class Progress(Protocol):
    """Where a long job reports how far it is; the GUI adapts it to a progress dialog."""

    def report(self, done: int, total: int, text: str = "") -> None:
        """Record that `done` of `total` steps are finished."""

    def cancelled(self) -> bool:
        """Return True once the user asked to stop."""


class NullProgress:
    """A progress that shows nothing and never cancels."""

    def report(self, done: int, total: int, text: str = "") -> None:
        """Ignore the report."""

    def cancelled(self) -> bool:
        """Never cancelled."""
        return False


def check_cancelled(progress: Progress) -> None:
    """Raise `Cancelled` if the user asked to stop."""
    if progress.cancelled():
        raise Cancelled
