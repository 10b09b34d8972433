"""Every screen that changes data announces it: the status bar and the overview follow.

Nothing polls the database, so a change that is not announced leaves «Сохранено в …» and the
«changes not yet sent» reminder stale. Each case edits through a screen of the main window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from models.site import SchoolStatusBase
from services.app import Services
from services.district.curators import Curator
from services.results.rules import VprEntry
from tests.services.pair_support import Pair, make_pair
from ui.gui.app import build_main_window
from ui.gui.main_window import MainWindow
from ui.gui.screens.audit.screen import AuditScreen
from ui.gui.screens.district.schools_dialogs import CommentDialog, StatusDialog
from ui.gui.screens.overview import OverviewScreen
from ui.gui.screens.results.dialogs import EntryDialog
from ui.gui.screens.results.screen import make_results_screen
from ui.gui.tasks import Notifier, idle

SAVED = "Сохранено в "


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    yield p
    p.close()


def _window(services: Services, qtbot: QtBot, key: str) -> tuple[MainWindow, Any]:
    window = build_main_window(services, "0.1.0")
    qtbot.addWidget(window)
    window.show_screen(key)
    qtbot.waitUntil(idle, timeout=10_000)
    window.saved_label.setText("")
    return window, window.screen_widget(key)


def _answer_first_criterion(screen: AuditScreen) -> None:
    row = screen.form.rows[0]
    if row.combo is not None:
        row.combo.setCurrentIndex(row.combo.count() - 1)
        row.combo.activated.emit(row.combo.currentIndex())
    else:
        assert row.spin is not None
        row.spin.setValue(row.spin.value() + 1)
        row.spin.editingFinished.emit()


def _add_vpr_row(screen: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    new = VprEntry(screen.year, 11, "Химия", 10, 5, 3, 1, 1)
    monkeypatch.setattr(EntryDialog, "ask", classmethod(lambda cls, *_a, **_k: new))
    screen.vpr_tab.add_button.click()


@pytest.mark.parametrize("key", ["results", "audit"])
def test_a_school_edit_updates_the_status_bar_and_the_unsent_reminder(
    pair: Pair, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    pair.school.audit.ensure(date.today().year, date.today())
    pair.school_package()  # everything sent: no reminder
    window, screen = _window(pair.school, qtbot, key)
    assert window.unsent_label.isHidden()
    if key == "results":
        _add_vpr_row(screen, monkeypatch)
    else:
        _answer_first_criterion(screen)
    qtbot.waitUntil(idle, timeout=10_000)
    assert window.saved_label.text().startswith(SAVED)
    assert not window.unsent_label.isHidden()


def test_exporting_a_package_clears_the_unsent_reminder(pair: Pair, qtbot: QtBot) -> None:
    pair.school.results.save_vpr(VprEntry(date.today().year, 11, "Химия", 10, 5, 3, 1, 1))
    window, screen = _window(pair.school, qtbot, "exchange")
    assert not window.unsent_label.isHidden()
    screen.choose_target(pair.out)
    screen.export_button.click()
    qtbot.waitUntil(lambda: screen.last_result is not None and idle(), timeout=20_000)
    assert window.unsent_label.isHidden()


def _status(screen: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = screen.current()
    status = SchoolStatusBase(school_id=entry.site_id, is_low_results=True)
    answer = (status, [Curator("Петрова")])
    monkeypatch.setattr(StatusDialog, "ask", classmethod(lambda cls, *_a: answer))
    screen.status_button.click()


def _comment(screen: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CommentDialog, "ask", classmethod(lambda cls, *_a: "Уточните срок."))
    screen.panel.comment_school_button.click()


def _bulletin(screen: Any, folder: Path) -> None:
    screen.choose_target(folder)
    screen.send()


DISTRICT_EDITS: dict[str, tuple[str, Callable[[Any, pytest.MonkeyPatch, Path], None]]] = {
    "status": ("schools", lambda s, mp, _out: _status(s, mp)),
    "comment": ("schools", lambda s, mp, _out: _comment(s, mp)),
    "thresholds": ("thresholds", lambda s, _mp, _out: s.fill_examples()),
    "bulletin": ("bulletin", lambda s, _mp, out: _bulletin(s, out)),
}


@pytest.mark.parametrize("edit", list(DISTRICT_EDITS))
def test_a_district_edit_updates_the_status_bar(
    pair: Pair, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    key, act = DISTRICT_EDITS[edit]
    window, screen = _window(pair.district, qtbot, key)
    if key == "schools":
        screen.table.view.selectRow(0)
        qtbot.waitUntil(idle, timeout=10_000)
    act(screen, monkeypatch, pair.out)
    qtbot.waitUntil(idle, timeout=20_000)
    assert window.saved_label.text().startswith(SAVED)


def test_confirming_a_quarantined_key_runs_in_a_task_and_is_announced(
    template_db: Path, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = make_pair(template_db, tmp_path, enroll=False)
    try:
        pair.district.sync.import_files([pair.school_package()], dry_run=False)
        [waiting] = pair.district.sync.quarantine()
        window, screen = _window(pair.district, qtbot, "import")
        sync, threads = pair.district.sync, []
        enroll = sync.enroll_quarantined

        def recorded(*args: Any, **kwargs: Any) -> Any:
            threads.append(threading.current_thread())
            return enroll(*args, **kwargs)

        monkeypatch.setattr(sync, "enroll_quarantined", recorded)
        screen.enroll(waiting.id, pair.school.exchange.own_card().fingerprint)
        qtbot.waitUntil(idle, timeout=20_000)
        assert threads and threads[0] is not threading.main_thread()  # the merge: off the GUI
        assert "Принято пакетов: 1" in screen.summary_label.text()
        assert window.saved_label.text().startswith(SAVED)
    finally:
        pair.close()


def test_audit_and_results_edits_refresh_a_shown_overview(
    school: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    school.audit.ensure(date.today().year, date.today())  # nothing answered yet
    notifier = Notifier()
    audit = AuditScreen(school.audit, notifier=notifier)
    results = make_results_screen(school, notifier)
    overview = OverviewScreen(school.results.overview, notifier=notifier)
    screens: list[QWidget] = [audit, results, overview]
    for screen in screens:
        qtbot.addWidget(screen)
        screen.show()
    qtbot.waitUntil(idle, timeout=10_000)  # the audit reads its year in the background
    before = overview.risk_card.body.text()
    _answer_first_criterion(audit)
    assert overview.risk_card.body.text() != before  # refreshed without being asked
    before = overview.indicators_card.body.text()
    _add_vpr_row(results, monkeypatch)
    assert overview.indicators_card.body.text() != before
