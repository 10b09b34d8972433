"""An import on a PostgreSQL server when the server fails it (DESIGN §5, §7).

- A deadlock the server breaks by failing the import (SQLSTATE 40P01) is run again, never shown:
  provoked here for certain, with a second connection that holds a lock the import then asks for
  while it waits for the import's own sender lock.
- The import's connection is terminated mid-import (`pg_terminate_backend`): nothing of the run
  is stored, the Russian message says the connection was lost and to try again (exit code 1),
  and the next try applies the package.

The failures are injected where the merge reads the stored versions (`merge.existing_in`), after
the run took its locks and before its first write.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import Connection
from sqlmodel import select

from models import ImportLog, SyncState
from services.core.config import AppPaths
from services.core.db_pg import load_workspace
from services.sync import merge
from services.sync.sequence_lock import LOCK_NAMESPACE
from tests import pgserver
from tests.conftest import RESOURCES
from tests.services.sync.concurrent_support import District, district_on_file, on_server
from tests.services.sync.test_cross_engine import synced_rows
from ui.cli.parser import build_parser
from ui.cli.runner import run_command

OTHER_KEY = 7  # the advisory lock the second connection holds while it waits for the import


@pytest.fixture
def district(
    template_db: Path, tmp_path: Path, pg_server: pgserver.PgServer, request: pytest.FixtureRequest
) -> Iterator[District]:
    made = district_on_file(template_db, tmp_path, schools=1)
    on_server(made, pg_server.create_database(f"fail_{request.node.name[:40].lower()}"))
    yield made
    made.close()


def _url(district: District) -> str:
    ws = load_workspace(district.paths.data_dir)
    assert ws is not None
    return ws.url


def _on_first_merge(monkeypatch: pytest.MonkeyPatch, action: Callable[[Any], None]) -> list[str]:
    """Run `action(cursor)` once, on the import's connection, before the merge's first read."""
    real = merge.existing_in
    calls: list[str] = []

    def hooked(
        conn: Connection, wanted: dict[str, list[str]], sender: str | None = None
    ) -> dict[str, dict[str, Any]]:
        calls.extend(wanted)
        if len(calls) == len(wanted):
            action(conn.connection.driver_connection.cursor())  # type: ignore[union-attr]
        return real(conn, wanted, sender)

    monkeypatch.setattr(merge, "existing_in", hooked)
    return calls


def _second_package(district: District, tmp_path: Path) -> tuple[str, Path]:
    """(sender id, package № 2) of the district's first school: new rows and a new seq."""
    school = district.schools[0]
    return school.site.profile().site.id, school.exchange.export(tmp_path / "next").path


def _wait_until_waiting(url: str, pid: int) -> None:
    with psycopg.connect(url, autocommit=True) as watch:
        for _ in range(500):
            row = watch.execute(
                "SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", (pid,)
            ).fetchone()
            if row and row[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the second connection never waited for the import's lock")


def _deadlock(url: str, sender: str) -> Callable[[Any], None]:
    """A real deadlock that the server breaks by failing the import, not the other side."""

    def action(cursor: Any) -> None:
        other = psycopg.connect(url)
        # Only the import's session looks for the cycle within a second: it is the victim.
        other.execute("SET deadlock_timeout = '60s'")
        other.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_NAMESPACE, OTHER_KEY))

        def wait_for_import() -> None:
            other.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (LOCK_NAMESPACE, sender)
            )
            other.rollback()
            other.close()

        thread = threading.Thread(target=wait_for_import)
        thread.start()
        try:
            _wait_until_waiting(url, other.info.backend_pid)
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_NAMESPACE, OTHER_KEY))
        finally:
            thread.join(timeout=30)

    return action


def test_a_deadlock_the_server_breaks_is_run_again_and_never_shown(
    district: District, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender, package = _second_package(district, tmp_path)
    calls = _on_first_merge(monkeypatch, _deadlock(_url(district), sender))

    reports = district.services.sync.import_files([package], dry_run=False)

    assert [(r.verdict, r.code) for r in reports] == [("applied", "applied")], reports[0].reason
    assert len(calls) > len(set(calls))  # the merge ran again after the deadlock
    with district.services.db.session() as s:
        logged = s.exec(select(ImportLog).where(ImportLog.sender_id == sender)).all()
        assert sorted((r.seq, r.outcome) for r in logged) == [(1, "applied"), (2, "applied")]
        state = s.get(SyncState, sender)
        assert state is not None and state.last_seq == 2


def _cli(data: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    parsed = build_parser().parse_args(["--data-dir", str(data), *args])
    code = run_command(parsed, AppPaths(RESOURCES, data), out, err)
    return code, out.getvalue() + err.getvalue()


def _terminate(url: str) -> Callable[[Any], None]:
    def action(cursor: Any) -> None:
        pid = cursor.connection.info.backend_pid
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s, 10000)", (pid,))

    return action


def test_a_connection_lost_mid_import_stores_nothing_and_the_next_try_applies(
    district: District, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender, package = _second_package(district, tmp_path)
    data = district.paths.data_dir
    before = synced_rows(district.services.db)
    calls = _on_first_merge(monkeypatch, _terminate(_url(district)))

    code, said = _cli(data, "import", str(package))

    assert calls and code == 1
    assert "Связь с сервером базы данных прервалась" in said and "повторите импорт" in said
    assert synced_rows(district.services.db) == before  # nothing of the run, sync_state too
    monkeypatch.undo()  # the merge as it is, for the next try
    code, said = _cli(data, "import", str(package))
    assert code == 0, said
    after = synced_rows(district.services.db)
    assert after != before
    assert next(r for r in after["sync_state"] if r[0] == sender)[1] == 2
