"""The foreign keys of an import into PostgreSQL: checked once per key, not once per row.

- A login allowed to set `session_replication_role` (a superuser here; staff through
  docs/server-setup.sql) imports with the per-row triggers off for its transaction only: no
  parent row is locked by a per-row check, and the next transaction has them on again.
- A login without that permission keeps them: the server refuses a dangling row at once.
- Either way a run that would leave a row pointing at nothing is stopped and stores nothing:
  with the triggers off, the check before the commit (`merge_pg.check_references`) finds it.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from services.app import Services
from services.sync import Verdict, engine, merge_pg
from services.sync.bind import plan_for
from services.sync.checks import MISSING_REFERENCE
from services.sync.merge import finish_import
from tests import pgserver
from tests.bench.region import Region, build_region
from tests.services.forge_support import default_row
from tests.services.server_support import open_on_server

STAMP = "1700000000000.00000.node"


def _teacher(owner: str, mentor: str | None) -> list[Any]:
    row = default_row("teacher") | {"id": str(uuid.uuid4()), "owner": owner, "hlc": STAMP}
    return plan_for("teacher").bind(row | {"mentor_id": mentor})


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Region:
    return build_region(tmp_path_factory.mktemp("refs") / "region", 1)


def _count(services: Services, sql: str) -> int:
    with services.db.engine.connect() as conn:
        return int(conn.exec_driver_sql(sql).scalar_one())


def test_an_import_checks_references_once_per_key_not_once_per_row(
    region: Region, pg_server: pgserver.PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = open_on_server(region.district_dir, pg_server, tmp_path / "server", "refs_once")
    seen: dict[str, Any] = {}

    def observed(conn: Any) -> None:
        finish_import(conn)  # every row written; the commit follows
        seen["role"] = conn.exec_driver_sql("SHOW session_replication_role").scalar_one()
        # A per-row check locks the parent row it found (FOR KEY SHARE sets its xmax).
        seen["locked"] = conn.exec_driver_sql(
            "SELECT count(*) FROM roadmap WHERE xmax::text <> '0'"
        ).scalar_one()
        seen["children"] = conn.exec_driver_sql(
            "SELECT count(*) FROM roadmap_item WHERE roadmap_id IS NOT NULL"
        ).scalar_one()

    monkeypatch.setattr(engine, "finish_import", observed)
    try:
        reports = services.sync.import_files(region.packages, dry_run=False)
        assert [r.verdict for r in reports] == [Verdict.APPLIED], [r.reason for r in reports]
        assert seen["role"] == "replica"
        assert seen["children"] > 100
        assert seen["locked"] == 0
        with services.db.engine.connect() as conn:  # SET LOCAL ended with the transaction
            role = conn.exec_driver_sql("SHOW session_replication_role").scalar_one()
        assert role == "origin"
        assert _count(services, "SELECT count(*) FROM roadmap_item") == seen["children"]
    finally:
        services.db.close()


def test_a_login_not_allowed_keeps_the_per_row_checks(pg_database: str) -> None:
    with psycopg.connect(pg_database, autocommit=True) as admin:
        admin.execute("CREATE ROLE plain_writer LOGIN")
        admin.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO plain_writer")
    url = pg_database.replace("opora_admin@", "plain_writer@")
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        assert merge_pg.switch_off_row_triggers(cursor) is False
        # the refused SET did not happen, and the transaction is still usable
        assert cursor.execute("SHOW session_replication_role").fetchone() == ("origin",)
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            merge_pg.copy_new(cursor, plan_for("teacher"), [_teacher("school", str(uuid.uuid4()))])


def test_with_the_triggers_off_the_check_finds_a_row_pointing_at_nothing(
    pg_database: str,
) -> None:
    plan = plan_for("teacher")
    with psycopg.connect(pg_database) as conn, conn.cursor() as cursor:
        assert merge_pg.switch_off_row_triggers(cursor) is True
        mentor = _teacher("school", None)
        good = _teacher("school", mentor[plan.id_pos])
        merge_pg.copy_new(cursor, plan, [mentor, good])
        merge_pg.check_references(cursor, {"teacher": {"school"}})  # all there: passes
        merge_pg.copy_new(cursor, plan, [_teacher("other", str(uuid.uuid4()))])
        merge_pg.check_references(cursor, {"teacher": {"school"}})  # not a row of `school`
        with pytest.raises(merge_pg.DanglingReference, match=r"teacher\.mentor_id"):
            merge_pg.check_references(cursor, {"teacher": {"school", "other"}})
        conn.rollback()


def test_a_run_that_would_leave_a_dangling_row_stores_nothing(
    region: Region, pg_server: pgserver.PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parent table lost on its way to the server (a fault injected under the checks):
    the run is stopped with the missing-reference message and nothing of it is stored."""
    services = open_on_server(region.district_dir, pg_server, tmp_path / "server", "refs_dangling")
    copy_new = merge_pg.copy_new

    def losing_sections(cursor: Any, plan: Any, rows: list[list[Any]]) -> None:
        copy_new(cursor, plan, [] if plan.name == "roadmap_section" else rows)

    monkeypatch.setattr(merge_pg, "copy_new", losing_sections)
    try:
        [report] = services.sync.import_files(region.packages, dry_run=False)
        assert report.verdict is Verdict.REFUSED
        assert report.reason == MISSING_REFERENCE.reason
        assert _count(services, "SELECT count(*) FROM roadmap_item") == 0
        assert _count(services, "SELECT count(*) FROM sync_state WHERE last_seq > 0") == 0
    finally:
        services.db.close()
