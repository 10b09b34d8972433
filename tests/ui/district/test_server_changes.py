"""Two staff on one server workspace: what one imports shows on the other's screen."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from services.app import Services
from services.core.notify import ChangeNotice
from services.district import DistrictSummary
from tests.services.server_support import OTHER, SCHOOL, import_school, two_staff
from tests.services.sync_support import trust
from ui.gui.app import build_main_window
from ui.gui.screens.district.schools import SchoolsScreen
from ui.gui.screens.district.summary import SummaryScreen
from ui.gui.server_changes import ServerChanges, merged, show_changes
from ui.gui.tasks import idle, wait_all

WAIT_MS = 30_000  # a correctness wait for the other connection, not a timing check


@pytest.fixture
def pair(pg_database: str, tmp_path: Path) -> Iterator[tuple[Services, Services]]:
    first, second = two_staff(pg_database, tmp_path)
    trust(first, SCHOOL)
    yield first, second
    wait_all()
    first.db.close()
    second.db.close()
    # The Qt objects and connections of these tests go now, with no task running, not in a
    # collection that a later test's background job happens to overlap.
    gc.collect()


def test_the_schools_screen_of_the_other_shows_the_import(
    pair: tuple[Services, Services], pg_database: str, qtbot: QtBot
) -> None:
    first, second = pair
    screen = SchoolsScreen(second)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(idle, timeout=WAIT_MS)
    assert [e.last_seq for e in screen.registry.rows()] == [0]  # trusted, nothing received
    changes = ServerChanges(pg_database, screen, poll_s=0.1)
    changes.changed.connect(lambda notice: show_changes(second, screen, notice))
    changes.start()
    try:
        assert changes.listener.listening.wait(WAIT_MS / 1000)
        import_school(first, 1, "МОУ СОШ № 7")
        qtbot.waitUntil(
            lambda: [(e.name, e.last_seq) for e in screen.registry.rows()] == [("МОУ СОШ № 7", 1)],
            timeout=WAIT_MS,
        )
    finally:
        changes.stop()
    qtbot.waitUntil(idle, timeout=WAIT_MS)


def test_the_summary_of_the_other_refreshes_after_an_import(
    pair: tuple[Services, Services], pg_database: str, qtbot: QtBot
) -> None:
    first, second = pair
    trust(first, OTHER)
    import_school(first, 1, "МОУ ООШ № 2", OTHER)
    second.dashboard.summary(date.today().year, date.today())  # runs on PostgreSQL
    window = build_main_window(second, "test")
    qtbot.addWidget(window)
    window.show()
    screen = window.screen_widget("summary")
    assert isinstance(screen, SummaryScreen)
    qtbot.waitUntil(lambda: screen.summary is not None and idle(), timeout=WAIT_MS)
    assert screen.summary is not None and len(screen.summary.schools) == 1
    window.follow_server(pg_database)
    assert window.server_changes is not None
    assert window.server_changes.listener.listening.wait(WAIT_MS / 1000)
    import_school(first, 1, "МОУ СОШ № 1")

    def shown() -> bool:
        names = [s.name for s in screen.summary.schools] if screen.summary else []
        return names == ["МОУ ООШ № 2", "МОУ СОШ № 1"]

    qtbot.waitUntil(shown, timeout=WAIT_MS)
    window.close()


def test_the_summary_shown_is_reloaded_and_its_cache_forgotten(
    pair: tuple[Services, Services], pg_database: str, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's part, whatever the dashboard computes: «Сводка» asks for fresh figures."""
    first, second = pair
    empty = second.dashboard.summary(date.today().year, date.today())
    asked: list[int] = []
    forgotten: list[frozenset[str]] = []

    def summary(year: int, _as_of: date) -> DistrictSummary:
        asked.append(year)
        return empty

    monkeypatch.setattr(second.dashboard, "summary", summary)
    monkeypatch.setattr(second.dashboard, "forget", lambda owners: forgotten.append(owners))
    window = build_main_window(second, "test")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: len(asked) == 1 and idle(), timeout=WAIT_MS)
    window.follow_server(pg_database)
    assert window.server_changes is not None
    assert window.server_changes.listener.listening.wait(WAIT_MS / 1000)
    first.registry.add_comment(SCHOOL, "site", SCHOOL, "Проверьте план")
    qtbot.waitUntil(lambda: len(asked) == 2 and idle(), timeout=WAIT_MS)
    assert forgotten == [frozenset({SCHOOL})]
    assert "коллегами" in window.statusBar().currentMessage()
    window.close()
    assert not window.server_changes.listener.listening.is_set()


def test_notices_close_together_make_one_refresh() -> None:
    a, b = ChangeNotice("import", frozenset({"s1"})), ChangeNotice("comment", frozenset({"s2"}))
    assert merged([a, b]) == ChangeNotice("comment, import", frozenset({"s1", "s2"}))
    assert merged([a, ChangeNotice("threshold")]).everything
