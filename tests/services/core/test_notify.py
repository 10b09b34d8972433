"""Two staff on one server workspace: a change by one reaches the other's listener."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from models.site import SchoolStatusBase
from services.app import Services
from services.core import notify
from services.core.notify import ChangeListener, ChangeNotice
from tests.services.server_support import SCHOOL, import_school, two_staff
from tests.services.sync_support import trust

YEAR = 2025


@pytest.fixture
def pair(pg_database: str, tmp_path: Path) -> Iterator[tuple[Services, Services]]:
    first, second = two_staff(pg_database, tmp_path)
    yield first, second
    first.db.close()
    second.db.close()


class Heard:
    """A listener in a thread, and what it heard."""

    def __init__(self, url: str) -> None:
        self.notices: list[ChangeNotice] = []
        self.listener = ChangeListener(url, self.notices.append, poll_s=0.1, retry_s=0.1)
        self.thread = threading.Thread(target=self.listener.run, daemon=True)
        self.thread.start()
        assert self.listener.listening.wait(30)

    def wait_for(self, found: Callable[[list[ChangeNotice]], bool]) -> list[ChangeNotice]:
        for _ in range(300):  # a correctness wait, not a timing check: 30 s at most
            if found(self.notices):
                return self.notices
            time.sleep(0.1)
        raise AssertionError(f"not heard; heard only {self.notices}")

    def close(self) -> None:
        self.listener.stop()
        self.thread.join(30)
        assert not self.thread.is_alive()


@pytest.fixture
def heard(pg_database: str) -> Iterator[Heard]:
    h = Heard(pg_database)
    yield h
    h.close()


def _names(services: Services) -> list[str]:
    return [s.name for s in services.dashboard.summary(YEAR, date(2025, 12, 1)).schools]


def _registry(services: Services) -> list[tuple[str, int]]:
    return [(s.name, s.last_seq) for s in services.registry.schools()]


def test_an_import_by_one_reaches_the_other_and_its_next_read(
    pair: tuple[Services, Services], heard: Heard
) -> None:
    first, second = pair
    trust(first, SCHOOL)
    import_school(first, 1, "МОУ СОШ № 1")
    heard.wait_for(lambda n: ChangeNotice(notify.IMPORT, frozenset({SCHOOL})) in n)
    assert _registry(second) == [("МОУ СОШ № 1", 1)]
    import_school(first, 2, "МОУ СОШ № 1 им. Гагарина")
    heard.wait_for(lambda n: len(n) >= 2)
    assert _registry(second) == [("МОУ СОШ № 1 им. Гагарина", 2)]


def test_the_other_summary_shows_the_import_with_nothing_stale(
    pair: tuple[Services, Services], heard: Heard
) -> None:
    first, second = pair
    trust(first, SCHOOL)
    assert _names(second) == []
    import_school(first, 1, "МОУ СОШ № 1")
    heard.wait_for(lambda n: len(n) >= 1)
    second.dashboard.forget(heard.notices[-1].owners)
    assert _names(second) == ["МОУ СОШ № 1"]
    import_school(first, 2, "МОУ СОШ № 1 им. Гагарина")
    heard.wait_for(lambda n: len(n) >= 2)
    second.dashboard.forget(heard.notices[-1].owners)
    assert _names(second) == ["МОУ СОШ № 1 им. Гагарина"]


def test_comments_and_statuses_name_their_school(
    pair: tuple[Services, Services], heard: Heard
) -> None:
    first, _second = pair
    comment = first.registry.add_comment(SCHOOL, "site", SCHOOL, "Проверьте план")
    first.registry.resolve_comment(comment.id)
    first.registry.set_status(SchoolStatusBase(school_id=SCHOOL, is_low_results=True))
    wanted = {(notify.COMMENT, SCHOOL), (notify.STATUS, SCHOOL)}
    heard.wait_for(lambda n: wanted <= {(x.what, *x.owners) for x in n})


def test_a_rolled_back_change_is_not_announced(
    pair: tuple[Services, Services], heard: Heard
) -> None:
    first, _second = pair
    with pytest.raises(RuntimeError), first.db.session() as s:
        notify.announce(s, notify.COMMENT, [SCHOOL])
        raise RuntimeError("the save failed")
    first.registry.set_status(SchoolStatusBase(school_id=SCHOOL))  # a later change that commits
    notices = heard.wait_for(lambda n: any(x.what == notify.STATUS for x in n))
    assert [x.what for x in notices] == [notify.STATUS]


def test_thresholds_announce_a_change_to_every_school(
    pair: tuple[Services, Services], heard: Heard
) -> None:
    first, _second = pair
    assert first.thresholds.fill_examples(YEAR) > 0
    notices = heard.wait_for(lambda n: bool(n))
    assert notices[0] == ChangeNotice(notify.THRESHOLD) and notices[0].everything


def test_a_lost_connection_is_reopened_and_says_so(
    pair: tuple[Services, Services], heard: Heard
) -> None:
    first, _second = pair
    with first.db.engine.begin() as conn:
        killed = conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'opora-listener'"
            )
        ).all()
    assert killed == [(True,)]
    heard.wait_for(lambda n: ChangeNotice(notify.RECONNECTED) in n)
    assert heard.listener.listening.wait(30)
    first.registry.set_status(SchoolStatusBase(school_id=SCHOOL))
    heard.wait_for(lambda n: any(x.what == notify.STATUS for x in n))
    assert heard.thread.is_alive() and heard.listener.reconnects == 1


def test_a_long_list_of_owners_becomes_everything() -> None:
    owners = [f"{i:08d}-1111-4111-8111-111111111111" for i in range(400)]
    assert notify.parse(notify.payload(notify.IMPORT, owners)).everything
    assert notify.parse("not json") == ChangeNotice("unknown")


def test_stop_wakes_a_listener_in_the_middle_of_a_long_wait(pg_database: str) -> None:
    """Closing the window must not wait out the poll interval (a day here)."""
    listener = ChangeListener(pg_database, lambda _n: None, poll_s=86400)
    thread = threading.Thread(target=listener.run, daemon=True)
    thread.start()
    assert listener.listening.wait(30)
    time.sleep(0.2)  # let it settle into its wait on the server's socket
    listener.stop()
    thread.join(60)  # a correctness bound, not a timing check: far below the day it would wait
    assert not thread.is_alive() and not listener.listening.is_set()
