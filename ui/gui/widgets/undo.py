"""The one undo mechanism of the editing screens: a `QUndoStack` of service-call pairs.

A change is a fast service call (one row written, a few ms) made on the GUI thread, so its
result — a new id, or a refusal — is known at once and an in-place edit can answer `setData`;
its inverse is kept on the stack. The call first waits for the background job in flight, if
any (a reload: ≈ 0.1 s at most), so the database is never used from two threads at once.
After each change and each undo the screen's `reload` runs
(slow reads go through `run_task` there) and the app's `Notifier` announces the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from services.core.errors import AppError
from ui.gui.tasks import Notifier, wait_all

T = TypeVar("T")


@dataclass(frozen=True)
class Applied(Generic[T]):
    """A change the service accepted, with what it returned (e.g. the new row's id)."""

    value: T


class _Call(QUndoCommand):
    """A change already made, and how to undo it.

    Qt calls `redo`/`undo` from C++, where a Python exception cannot travel, so refusals are
    reported through `on_error` instead of being raised.
    """

    def __init__(
        self,
        text: str,
        do: Callable[[], Any],
        undo: Callable[[Any], Any],
        result: Any,
        on_error: Callable[[AppError], None],
    ) -> None:
        super().__init__(text)
        self._do, self._undo, self._on_error = do, undo, on_error
        self._result = result
        self._done_once = False

    def redo(self) -> None:
        if not self._done_once:  # the first time it was already done by `push`
            self._done_once = True
            return
        self._safely(lambda: setattr(self, "_result", self._do()))

    def undo(self) -> None:
        self._safely(lambda: self._undo(self._result))

    def _safely(self, call: Callable[[], Any]) -> None:
        try:
            call()
        except AppError as exc:
            self._on_error(exc)


class UndoHistory(QObject):
    """Make changes through `push`, take them back with `undo` (Ctrl+Z for the session)."""

    def __init__(
        self,
        parent: QObject,
        areas: Iterable[str],
        *,
        reload: Callable[[], None],
        on_error: Callable[[AppError], None],
        notifier: Notifier | None = None,
    ) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)
        self._source = parent
        self._areas = tuple(areas)
        self._reload = reload
        self._on_error = on_error
        self._notifier = notifier

    def push(
        self,
        text: str,
        do: Callable[[], T],
        undo: Callable[[T], object],
        *,
        reload: bool = True,
    ) -> Applied[T] | None:
        """Make a change now and remember its inverse; None when the service refused it.

        `reload=False` is for edits made from inside a model (`setData`), which must not reset
        the model under the view; the caller reloads on the next turn of the event loop.
        """
        wait_all()  # a job in flight (the last reload) first: one database user at a time
        try:
            result = do()
        except AppError as exc:
            self._on_error(exc)
            if reload:
                self._reload()
            return None
        self.stack.push(_Call(text, do, undo, result, self._on_error))
        self._after(reload)
        return Applied(result)

    def undo(self) -> None:
        if self.stack.canUndo():
            wait_all()
            self.stack.undo()
            self._after(reload=True)

    def clear(self) -> None:
        self.stack.clear()

    def can_undo(self) -> bool:
        return bool(self.stack.canUndo())

    def _after(self, reload: bool) -> None:
        if reload:
            self._reload()
        if self._notifier is not None:
            self._notifier.announce(self._areas, self._source)
