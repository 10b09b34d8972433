"""A screen's first show reads its data once, and the long reads happen off the GUI thread."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from ui.gui.app import build_main_window
from ui.gui.screens import preload
from ui.gui.tasks import idle


def _record(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[threading.Thread]:
    """Patch `owner`'s class so that each call of `name` records the thread it ran on."""
    cls = type(owner)
    original: Callable[..., Any] = getattr(cls, name)
    threads: list[threading.Thread] = []

    def spy(self: object, *args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, spy)
    return threads


def _show(qtbot: QtBot, services: Services, key: str) -> Any:
    window = build_main_window(services, "0.1.0")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.nav.isEnabled(), timeout=10_000)
    window.show_screen(key)
    qtbot.waitUntil(idle, timeout=10_000)
    return window.screen_widget(key)


def test_self_audit_reads_its_year_in_the_background(
    qtbot: QtBot, school: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    school.demo.fill()
    views = _record(monkeypatch, school.audit, "view")
    comparisons = _record(monkeypatch, school.audit, "comparison")
    screen = _show(qtbot, school, "audit")
    assert views and comparisons
    assert all(t is not threading.main_thread() for t in views + comparisons)
    assert screen.factors.rowCount() > 0  # and it shows what it read


def test_staff_reads_its_teachers_once_in_the_background_when_first_shown(
    qtbot: QtBot, school: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    school.demo.fill()
    teachers = _record(monkeypatch, school.staff, "teachers")
    coverage = _record(monkeypatch, school.staff, "coverage")
    screen = _show(qtbot, school, "staff")
    assert len(teachers) == len(coverage) == 1
    assert all(t is not threading.main_thread() for t in teachers + coverage)
    assert screen.teacher_model.rowCount() == len(school.staff.teachers())


def test_results_read_their_tables_in_the_background(
    qtbot: QtBot, school: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    school.demo.fill()
    indicators = _record(monkeypatch, school.results, "indicators")
    vpr = _record(monkeypatch, school.results, "vpr")
    screen = _show(qtbot, school, "results")
    reads = indicators + vpr
    assert indicators and vpr and all(t is not threading.main_thread() for t in reads)
    assert screen.vpr_tab.model.rowCount() == len(school.results.vpr(screen.year))


def test_preloading_freezes_what_is_loaded_for_the_garbage_collector() -> None:
    """A full collection walking every module and service stopped the GUI thread for 140 ms."""
    gc.unfreeze()
    try:
        preload(Role.SCHOOL).join(timeout=60)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # the other tests' objects stay collectable
