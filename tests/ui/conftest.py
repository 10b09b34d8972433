"""UI test hooks: no background job outlives its test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    # Before the fixtures' teardown closes the in-memory database (one connection): a job
    # still reading it then would use it from two threads.
    yield
    from ui.gui.tasks import wait_all

    wait_all()


@pytest.fixture(autouse=True)
def no_unexpected_message_box(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A message box no test asked for fails the test instead of hanging it.

    Offscreen, a modal box waits for a click that never comes, and the run hangs past any
    timeout. A test that expects a box patches `QMessageBox` itself, which takes precedence.
    """
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def exec_(self: QMessageBox) -> int:
        shown.append(f"{self.text()}\n{self.detailedText()}".strip())
        return int(QMessageBox.StandardButton.Cancel.value)

    def static(kind: str) -> Callable[..., QMessageBox.StandardButton]:
        def box(_parent: object, _title: str, text: str, *_a: object, **_k: object) -> Any:
            shown.append(f"{kind}: {text}")
            return QMessageBox.StandardButton.Cancel

        return box

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(static(kind)))
    yield
    if shown:
        pytest.fail("an unexpected message box was shown:\n" + "\n---\n".join(shown))


@pytest.fixture
def large_font(qapp: Any) -> Iterator[None]:
    """«Крупный шрифт» on for the test, off after it (`qapp`: pytest-qt's application)."""
    from ui.gui.comfort import apply_font_scale

    apply_font_scale(qapp, True)
    yield
    apply_font_scale(qapp, False)
