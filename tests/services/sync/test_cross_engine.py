"""The same packages imported into SQLite and into PostgreSQL give the same tables.

Real signed and encrypted packages of the benchmark's region (nested sections, every column
type), imported by the engine `python main.py import` runs, then every synced table read back
through its column types and compared in key order.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import select

from models import SYNC_TABLES, SyncState
from services.app import Services, open_services
from services.core.config import AppPaths
from services.core.db import Database
from services.site import move_to_server
from services.sync import Verdict
from tests import pgserver
from tests.bench.region import build_region
from tests.conftest import RESOURCES


def synced_rows(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for model in SYNC_TABLES:
            table = model.__table__  # type: ignore[attr-defined]
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(table.c.id))]
        state = SyncState.__table__  # type: ignore[attr-defined]
        query = select(state.c.peer_site_id, state.c.last_seq, state.c.last_hash)
        out["sync_state"] = [tuple(r) for r in conn.execute(query.order_by(state.c.peer_site_id))]
    return out


def imported(services: Services, packages: list[Path]) -> dict[str, list[tuple[Any, ...]]]:
    try:
        reports = services.sync.import_files(packages, dry_run=False)
        assert [r.verdict for r in reports] == [Verdict.APPLIED] * len(packages), [
            r.reason for r in reports
        ]
        again = services.sync.import_files(packages, dry_run=False)
        assert {r.verdict for r in again} == {Verdict.ALREADY}
        return synced_rows(services.db)
    finally:
        services.db.close()


def test_the_same_packages_give_the_same_tables_on_both_engines(
    tmp_path: Path, pg_server: pgserver.PgServer
) -> None:
    region = build_region(tmp_path / "region", 3)
    on_server = tmp_path / "server"
    shutil.copytree(region.district_dir, on_server)
    move_to_server(AppPaths(RESOURCES, on_server), pg_server.create_database("cross_engine"))

    local = imported(open_services(AppPaths(RESOURCES, region.district_dir)), region.packages)
    server = imported(open_services(AppPaths(RESOURCES, on_server)), region.packages)

    assert sum(len(v) for v in local.values()) >= region.rows
    assert local["roadmap_section"] and any(r for r in local["roadmap_section"])
    assert server == local
