"""Two staff import at once (two processes, one database): the sequence state per sender is
checked and updated under its lock, so a package is applied once and only once.

Each test runs on a database file and on a PostgreSQL server (separate processes, separate
connections; `OPORA_REQUIRE_POSTGRES=1` makes the server variant fail rather than skip)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models import ImportLog, ImportOutcome, SyncState
from tests.services.sync.concurrent_support import (
    District,
    district_on_file,
    import_in_child,
    on_server,
    race,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def district(
    template_db: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[District]:
    made = district_on_file(template_db, tmp_path, schools=2)
    if request.param == "postgresql":
        server = request.getfixturevalue("pg_server")
        on_server(made, server.create_database(f"race_{request.node.name[:40].lower()}"))
    yield made
    made.close()


def _race(district: District, *runs: list[Path]) -> list[list[tuple[str, str, str]]]:
    """Import each list of files in a process of its own, all released at the same moment."""
    got, exits = race(import_in_child, district.paths.data_dir, runs, timeout=120)
    assert exits == [0] * len(runs)
    return got


def test_the_same_package_imported_twice_at_once_is_applied_once(
    district: District, tmp_path: Path
) -> None:
    school = district.schools[0]
    package = school.exchange.export(tmp_path / "out0").path  # № 2
    verdicts = sorted(run[0][0] for run in _race(district, [package], [package]))
    assert verdicts == ["already", "applied"]
    with district.services.db.session() as s:
        applied = s.exec(select(ImportLog).where(ImportLog.outcome == ImportOutcome.APPLIED)).all()
        site = school.site.profile().site.id
        assert sorted(r.seq or 0 for r in applied if r.sender_id == site) == [1, 2]
        state = s.get(SyncState, site)
        assert state is not None and state.last_seq == 2


def test_two_schools_imported_at_once_both_apply(district: District, tmp_path: Path) -> None:
    first = district.schools[0].exchange.export(tmp_path / "out0").path
    second = district.schools[1].exchange.export(tmp_path / "out1").path
    runs = _race(district, [first], [second])
    assert [run[0][0] for run in runs] == ["applied", "applied"], runs
    with district.services.db.session() as s:
        assert sorted(st.last_seq for st in s.exec(select(SyncState))) == [2, 2]


def test_runs_of_several_senders_in_opposite_orders(district: District, tmp_path: Path) -> None:
    """Each run locks its senders in id order, whatever the order of its files."""
    first = district.schools[0].exchange.export(tmp_path / "out0").path
    second = district.schools[1].exchange.export(tmp_path / "out1").path
    runs = _race(district, [first, second], [second, first])
    verdicts = sorted(v for run in runs for v, _code, _reason in run)
    assert verdicts == ["already", "already", "applied", "applied"], runs


def test_on_postgresql_each_sender_is_locked_in_id_order_without_a_row() -> None:
    """The PostgreSQL branch: one advisory lock per sender, in id order, and no row written (a
    refused first package must leave no sync_state behind)."""
    from types import SimpleNamespace

    from sqlalchemy.dialects import postgresql

    from services.sync.sequence_lock import LOCK_NAMESPACE, lock_senders

    sql: list[str] = []

    class Session:
        def get_bind(self) -> Any:
            return SimpleNamespace(dialect=SimpleNamespace(name="postgresql"))

        def execute(self, statement: Any) -> None:
            compiled = statement.compile(dialect=postgresql.dialect())
            sql.append(" ".join(str(compiled).split()) + f" {compiled.params}")

    assert lock_senders(Session(), ["b-school", "a-school", "b-school", ""]) == [  # type: ignore[arg-type]
        "a-school",
        "b-school",
    ]
    first, second = sql
    assert all(q.startswith("SELECT pg_advisory_xact_lock(") for q in sql)
    assert "'a-school'" in first and "'b-school'" in second
    assert f"'ns': {LOCK_NAMESPACE}" in first
    assert not any("INSERT" in q or "UPDATE" in q for q in sql)
