"""The PostgreSQL write path of an import (`merge_pg`): fresh rows, stored versions, plans.

- The read of the stored versions of a package's ids looks each id up in the primary key, also
  in a table the run has filled with rows the server has no statistics of (a sequential scan
  there costs more with every package of a large run).
- Rows of the run that no stored version holds are copied straight into their table; one that a
  later package of the same run updates is still written once, in its newest version.
- A row taken for fresh whose id is stored after all is refused by the primary key: the copy
  fails, the transaction rolls back, the stored row stays as it was (never overwritten).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import event

from services.app import open_services
from services.core.config import AppPaths
from services.sync import Verdict, merge_pg
from services.sync.bind import plan_for
from services.sync.merge import parents_first
from tests import pgserver
from tests.bench.region import build_region
from tests.conftest import RESOURCES
from tests.services.forge_support import default_row
from tests.services.server_support import district_on_server
from tests.services.sync.test_cross_engine import EDITED, later_package, synced_rows

TABLE = "teacher"  # no required reference: its rows can be made without parents
FILLED = 20_000
ASKED = 400


def _teachers(count: int, owner: str, hlc: str) -> list[list[Any]]:
    plan = plan_for(TABLE)
    rows = []
    for _ in range(count):
        row = default_row(TABLE) | {"id": str(uuid.uuid4()), "owner": owner, "hlc": hlc}
        rows.append(plan.bind(row))
    return rows


class Recording:
    """A cursor that keeps the statements run through it (to EXPLAIN them afterwards)."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.statements: list[tuple[str, Any]] = []

    def execute(self, sql: str, params: Any = None, **options: Any) -> Any:
        self.statements.append((sql, params))
        return self.cursor.execute(sql, params, **options)

    def fetchall(self) -> Any:
        return self.cursor.fetchall()


def test_the_stored_read_probes_the_primary_key_in_a_table_the_run_filled(
    pg_database: str,
) -> None:
    plan = plan_for(TABLE)
    stamp = "1700000000000.00000.node"
    with psycopg.connect(pg_database) as conn, conn.cursor() as cursor:
        rows = _teachers(FILLED, "school", stamp)
        columns = ", ".join(f'"{c}"' for c in plan.spec.columns)
        with cursor.copy(f'COPY "{TABLE}" ({columns}) FROM STDIN') as copy:
            for row in rows:  # uncommitted, never analysed: as in a run
                copy.write_row(row)
        stored = [r[plan.id_pos] for r in rows[:ASKED]]
        wanted = {TABLE: stored + [str(uuid.uuid4()) for _ in range(ASKED)]}
        recording = Recording(cursor)

        found = merge_pg.stored_in_tables(recording, wanted)

        assert sorted(r[0] for r in found[TABLE]) == sorted(stored)
        assert {(r[1], r[2]) for r in found[TABLE]} == {(stamp, "school")}
        [(sql, params)] = recording.statements
        cursor.execute("EXPLAIN " + sql, params)
        shape = "\n".join(r[0] for r in cursor.fetchall())
        assert f"{TABLE}_pkey" in shape, shape
        assert f"Seq Scan on {TABLE}" not in shape, shape
        conn.rollback()


def test_a_row_taken_for_fresh_but_stored_is_refused_not_overwritten(pg_database: str) -> None:
    plan = plan_for(TABLE)
    old, new = "1700000000000.00000.node", "1800000000000.00000.node"
    [row] = _teachers(1, "school", old)
    rid = row[plan.id_pos]
    with psycopg.connect(pg_database) as conn, conn.cursor() as cursor:
        merge_pg.copy_new(cursor, plan, [row])
        conn.commit()
        newer = list(row)
        newer[plan.hlc_pos] = new
        pending = merge_pg.Pending()
        pending.add(plan, [newer], fresh=[rid])  # as if another run stored it meanwhile
        with pytest.raises(psycopg.errors.UniqueViolation):
            pending.flush(cursor, [TABLE], parents_first)
        conn.rollback()
        stored = cursor.execute(f'SELECT hlc FROM "{TABLE}" WHERE id = %s', (rid,)).fetchall()
    assert stored == [(old,)]


def test_a_later_package_of_the_same_run_updates_rows_waiting_as_fresh(
    tmp_path: Path, pg_server: pgserver.PgServer
) -> None:
    """Package № 1 and № 2 of a school in one run: № 2's versions are the ones stored (and the
    staff login for the import log is asked of the server once)."""
    region = build_region(tmp_path / "region", 1)
    second = later_package(tmp_path / "region", region, 0)
    on_server = tmp_path / "server"
    district_on_server(region.district_dir, pg_server, on_server, "fresh_then_newer")
    local = open_services(AppPaths(RESOURCES, region.district_dir))
    server = open_services(AppPaths(RESOURCES, on_server))
    asked: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        asked.extend([statement] if "current_user" in statement else [])

    event.listen(server.db.engine, "before_cursor_execute", count)
    try:
        files = [*region.packages, second]
        for services in (local, server):
            reports = services.sync.import_files(files, dry_run=False)
            assert [r.verdict for r in reports] == [Verdict.APPLIED] * 2, [
                r.reason for r in reports
            ]
        assert len(asked) == 1, asked  # the login is asked once a run, not once a package
        tables = synced_rows(server.db)
        assert tables == synced_rows(local.db)
    finally:
        local.db.close()
        server.db.close()
    updated = reports[1].totals().updated + reports[1].totals().deleted
    edited = [r for r in tables["roadmap_item"] if EDITED in r]
    assert edited and updated >= len(edited)
