"""The background-task helper: results on the GUI thread, errors routed, Cancel honoured."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from services.core.errors import Cancelled, Invalid
from services.core.progress import Progress, check_cancelled
from ui.gui import tasks


def test_job_runs_off_the_gui_thread_and_result_arrives_on_it(qtbot) -> None:
    seen: dict[str, object] = {}
    gui_thread = QThread.currentThread()

    def job(progress: Progress) -> int:
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        progress.report(1, 2, "половина")
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["on_gui"] = QThread.currentThread() is gui_thread

    signals = tasks.run_task(None, job, done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen == {"worker": True, "result": 42, "on_gui": True}
    assert signals is not None


def test_app_error_goes_to_on_error_and_cancel_is_silent(qtbot) -> None:
    errors: list[BaseException] = []

    def failing(_progress: Progress) -> None:
        raise Invalid("Неверные данные")

    tasks.run_task(None, failing, lambda _r: None, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], Invalid)

    def cancelled(_progress: Progress) -> None:
        raise Cancelled

    signals = tasks.run_task(None, cancelled, lambda _r: None, on_error=errors.append)
    qtbot.waitUntil(lambda: signals not in tasks._running, timeout=5000)
    assert len(errors) == 1  # Cancelled was not reported


def test_cancel_button_stops_a_long_job(qtbot) -> None:
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    started = threading.Event()
    outcome: list[str] = []

    def long_job(progress: Progress) -> str:
        started.set()
        for n in range(100_000):
            check_cancelled(progress)
            progress.report(n, 100_000)
            threading.Event().wait(0.001)
        return "finished"

    signals = tasks.run_task(None, long_job, outcome.append, title="Долгая работа")
    assert started.wait(5)
    dialogs = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QProgressDialog) and w.labelText() == "Долгая работа"
    ]
    assert len(dialogs) == 1, "a long job gets a progress dialog"
    failures: list[object] = []
    signals.failed.connect(failures.append)
    cancel_button = dialogs[0].findChild(QPushButton)
    assert cancel_button is not None and cancel_button.text() == "Отмена"
    cancel_button.click()
    qtbot.waitUntil(lambda: signals not in tasks._running, timeout=5000)
    assert outcome == []
    assert len(failures) == 1 and isinstance(failures[0], Cancelled)


def test_throttled_progress_limits_emits_and_reports_cancel(qtbot) -> None:
    signals = tasks._Signals()
    emitted: list[tuple[int, int, str]] = []
    signals.progressed.connect(lambda d, t, s: emitted.append((d, t, s)))
    progress = tasks.ThrottledProgress(signals)
    for n in range(1000):
        progress.report(n, 1000, "")
    progress.report(1000, 1000, "готово")
    assert 1 <= len(emitted) <= 5 and emitted[-1] == (1000, 1000, "готово")
    assert not progress.cancelled()
    progress.cancel_event.set()
    assert progress.cancelled()


def test_a_screen_closed_while_its_job_runs_gets_no_callback(qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    release = threading.Event()
    calls: list[object] = []
    screen = QWidget()

    def job(_progress: Progress) -> int:
        release.wait(5)
        return 1

    signals = tasks.run_task(screen, job, calls.append, on_error=calls.append)
    finished: list[object] = []
    signals.finished.connect(finished.append)
    screen.deleteLater()
    qtbot.waitUntil(lambda: not shiboken_valid(screen), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: bool(finished), timeout=5000)
    qtbot.wait(50)
    assert calls == []  # the result reached no deleted widget


def shiboken_valid(obj: object) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(obj))
