"""The same packages imported into SQLite and into PostgreSQL give the same tables.

Real signed and encrypted packages of the benchmark's region (nested sections, every column
type), imported by the engine `python main.py import` runs, then every synced table read back
through its column types and compared in key order. A later package of one school (edits and
tombstones) comes first, so that its earlier package arrives out of order: its older versions
must not overwrite the newer ones on either engine (PostgreSQL writes through `merge_pg`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from models import SYNC_TABLES, SyncState, stable_id
from services.app import Services, open_services
from services.core.config import AppPaths
from services.core.db import Database
from services.packages.types import Record
from services.sync import ImportReport, Verdict
from tests import pgserver
from tests.bench.region import Region, build_region, district_card, own_records, school_package
from tests.conftest import RESOURCES
from tests.services.server_support import district_on_server

EDITED = "Изменено в следующем пакете"
LATER_MS = 10**9  # the later package's edits are stamped this much after the first package


def later_package(root: Path, region: Region, i: int) -> Path:
    """School i's package № 2: a third of its items renamed, a fifth of its teachers deleted,
    the rest as in package № 1 (unchanged)."""
    district = district_card(region)
    records = []
    for k, rec in enumerate(own_records(region, i, district)):
        row = dict(rec.row)
        if (rec.table == "roadmap_item" and k % 3 == 0) or (rec.table == "teacher" and k % 5 == 0):
            wall, counter, node = row["hlc"].split(".")
            row["hlc"] = f"{int(wall) + LATER_MS:013d}.{counter}.{node}"
            if rec.table == "teacher":
                row["deleted"] = True
            else:
                row["title"] = EDITED
        records.append(Record(rec.table, row))
    path = root / "packages" / f"school-{i:04d}-2.opora"
    path.write_bytes(school_package(region, i, district, records, seq=2))
    assert region.cards[i].site_id == stable_id("bench-school", i)
    return path


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


Tables = dict[str, list[tuple[Any, ...]]]


def imported(services: Services, packages: list[Path]) -> tuple[Tables, list[ImportReport]]:
    try:
        reports = services.sync.import_files(packages, dry_run=False)
        assert [r.verdict for r in reports] == [Verdict.APPLIED] * len(packages), [
            r.reason for r in reports
        ]
        again = services.sync.import_files(packages, dry_run=False)
        assert {r.verdict for r in again} == {Verdict.ALREADY}
        return synced_rows(services.db), reports
    finally:
        services.db.close()


def test_the_same_packages_give_the_same_tables_on_both_engines(
    tmp_path: Path, pg_server: pgserver.PgServer
) -> None:
    region = build_region(tmp_path / "region", 3)
    packages = [later_package(tmp_path / "region", region, 0), *region.packages]
    on_server = tmp_path / "server"
    district_on_server(region.district_dir, pg_server, on_server, "cross_engine")

    local, _ = imported(open_services(AppPaths(RESOURCES, region.district_dir)), packages)
    server, reports = imported(open_services(AppPaths(RESOURCES, on_server)), packages)

    assert sum(len(v) for v in local.values()) >= region.rows
    assert local["roadmap_section"] and any(r for r in local["roadmap_section"])
    # Package № 1 of school 0 came second: its versions of the edited rows were older.
    older = reports[1].totals().older
    edited = [r for r in server["roadmap_item"] if EDITED in r]
    assert (
        older > 0 and len(edited) + sum(r.counts["teacher"].deleted for r in reports[:1]) == older
    )
    assert server == local
