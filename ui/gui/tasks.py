"""The only threading code of the GUI (STYLE §3.6).

`run_task(parent, job, on_done)` runs `job(progress)` on a private one-thread pool (SQLite has a
single writer), shows a cancellable progress dialog only when the job takes longer than 0.5 s,
and calls `on_done(result)` on the GUI thread.

Rules: a job never touches widgets or models; DTOs in, DTOs out. `Cancelled` is silent,
`AppError` goes to `show_error`, anything else is treated as a crash.

The threading rule of the GUI: every service call that can take more than ~50 ms (on a
300-school district or a 500-item roadmap) runs through `run_task`: loads that make several
calls, imports, bulletins, documents, backups. Only fast single reads and single-row writes
(the undoable edits of `ui.gui.widgets.undo`) stay on the GUI thread.

A task that changes data names what it changed (`changes=`); when it succeeds, the app's one
`Notifier` announces a `Change` and the screens that care refresh themselves (as Anki's
`operation_did_execute`). Nothing polls the database. Both live in `ui.gui.notifier`, which the
main window needs before its first paint; they are imported from here as well.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from services.core.errors import Cancelled
from services.core.progress import Progress
from ui.gui.errors import show_error
from ui.gui.notifier import Change as Change  # re-exported: screens import both from here
from ui.gui.notifier import Notifier as Notifier

T = TypeVar("T")
_pool: QThreadPool | None = None
# Jobs in flight, kept referenced until they report back (Qt must not outlive Python objects).
_running: dict[_Signals, _Job] = {}


def pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class ThrottledProgress:
    """`Progress` for a worker thread: emits at most every 100 ms; Cancel sets an event."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._last = 0.0
        self.cancel_event = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if now - self._last >= 0.1 or done >= total:
            self._last = now
            self._signals.progressed.emit(done, total, text)

    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


class _Job(QRunnable):
    def __init__(self, job: Callable[[Progress], Any], signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._job = job
        self._signals = signals
        self.progress = ThrottledProgress(signals)

    def run(self) -> None:
        try:
            result = self._job(self.progress)
        except BaseException as exc:
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)


def run_task(
    parent: QWidget | None,
    job: Callable[[Progress], T],
    on_done: Callable[[T], None],
    *,
    title: str | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    notifier: Notifier | None = None,
    changes: Iterable[str] = (),
) -> _Signals:
    """Run `job` in the background; return its signals (tests wait on `finished`/`failed`).

    With `notifier` and `changes`, a success is announced once, after `on_done`, with `parent`
    as the source (so the screen that made the change need not refresh twice).
    """
    areas = frozenset(changes)
    signals = _Signals()
    runnable = _Job(job, signals)
    dialog: QProgressDialog | None = None
    if title is not None:
        # Imported here: the first import of the `Qt` namespace builds all its enums (≈ 30 ms),
        # and this module is loaded before the window's first paint.
        from PySide6.QtCore import Qt

        dialog = QProgressDialog(title, "Отмена", 0, 0, parent)
        dialog.setWindowTitle("Опора")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(runnable.progress.cancel_event.set)

        def on_progress(done: int, total: int, text: str) -> None:
            assert dialog is not None
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))
            if text:
                dialog.setLabelText(text)

        signals.progressed.connect(on_progress)

    def finish() -> None:
        _running.pop(signals, None)
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()

    def alive() -> bool:  # the screen may be closed while its job still runs
        return parent is None or shiboken6.isValid(parent)

    def done(result: object) -> None:
        finish()
        if alive():
            on_done(result)  # type: ignore[arg-type]
        if notifier is not None and areas and shiboken6.isValid(notifier):
            notifier.changed.emit(Change(areas, parent))

    def failed(exc: object) -> None:
        finish()
        assert isinstance(exc, BaseException)
        if isinstance(exc, Cancelled) or not alive():
            return
        if on_error is not None:
            on_error(exc)
        else:
            show_error(parent, exc)

    signals.finished.connect(done)
    signals.failed.connect(failed)
    _running[signals] = runnable
    pool().start(runnable)
    return signals


def idle() -> bool:
    """True when no job is in flight (tests wait on it)."""
    return not _running


def wait_all(timeout_ms: int = 30_000) -> bool:
    """Wait for background jobs (used at shutdown so no write is cut off)."""
    return bool(pool().waitForDone(timeout_ms))
