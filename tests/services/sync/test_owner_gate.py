"""A school's first package: its ids are not looked up one by one, on either engine.

Where the sender holds no row of a table, no stored version of the package's rows can be its
own; the run looks that up once in the owner index (`merge.existing_in`) instead of once per
row. An id stored for another school is then caught by the primary key when the row is written
(inserted on SQLite, copied on PostgreSQL), and the run is repeated with every id looked up: the
package that reused the id is refused alone, as it always was, and the others are applied.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pytest

from services.app import Services, open_services
from services.core.config import AppPaths
from services.packages.types import Record
from services.sync import Verdict, merge, merge_pg
from tests import pgserver
from tests.bench.region import Region, build_region, district_card, own_records, school_package
from tests.conftest import BOTH_ENGINES, RESOURCES
from tests.services.server_support import open_on_server
from tests.services.sync_support import synced

SCHOOLS = 3
MIDWAY = 100  # rows a PostgreSQL run keeps before it writes them: a write while a package merges


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Region:
    return build_region(tmp_path_factory.mktemp("gate") / "region", SCHOOLS)


def _district(
    region: Region, engine_kind: str, request: pytest.FixtureRequest, folder: Path, name: str
) -> Services:
    """The region's district before its first import: a copy of its SQLite file, or that copy
    moved onto the server."""
    if engine_kind == "postgresql":
        server = request.getfixturevalue("pg_server")
        return open_on_server(region.district_dir, server, folder, name)
    shutil.copytree(region.district_dir, folder)
    return open_services(AppPaths(RESOURCES, folder))


def _squatting_package(region: Region, i: int, victim: int, folder: Path) -> Path:
    """School i's package № 1 (its own rows) plus a teacher row of its own that carries the id
    of one of school `victim`'s teachers — an id no recipe derives, so only the stored version
    tells that it is someone else's."""
    district = district_card(region)
    records = own_records(region, i, district)
    theirs = next(r for r in own_records(region, victim, district) if r.table == "teacher")
    mine = next(r for r in records if r.table == "teacher")
    records.append(Record("teacher", dict(mine.row) | {"id": theirs.row["id"]}))
    folder.mkdir(exist_ok=True)
    path = folder / f"school-{i:04d}-squat.opora"
    path.write_bytes(school_package(region, i, district, records, seq=1))
    return path


@BOTH_ENGINES
def test_first_packages_are_merged_without_a_lookup_per_row(
    region: Region,
    engine_kind: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = _district(region, engine_kind, request, tmp_path / "district", "gate_first")
    looked_up: list[int] = []
    if engine_kind == "postgresql":
        finish = merge.finish_import

        def counted(conn: Any) -> None:
            finish(conn)
            cursor = merge._cursor(conn)  # the run's own transaction: its index scans so far
            cursor.execute(
                "SELECT idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'roadmap_occurrence'"
            )
            looked_up.append(cursor.fetchone()[0])

        monkeypatch.setattr("services.sync.engine.finish_import", counted)
    else:
        probe = merge.existing

        def probed(conn: Any, table: str, ids: list[str]) -> dict[str, merge.Stored]:
            if table == "roadmap_occurrence":
                looked_up.append(len(ids))
            return probe(conn, table, ids)

        monkeypatch.setattr(merge, "existing", probed)
    try:
        reports = services.sync.import_files(region.packages, dry_run=False)
        assert [r.verdict for r in reports] == [Verdict.APPLIED] * SCHOOLS
        rows = sum(r.counts["roadmap_occurrence"].new for r in reports)
        assert rows > 100 * SCHOOLS
        # A few looks in the owner index a package (whether the school holds a row here; on
        # PostgreSQL the check of the references before the commit), not one primary-key
        # lookup per occurrence: there were `rows` of them.
        assert sum(looked_up) <= 4 * SCHOOLS, (looked_up, rows)
    finally:
        services.db.close()


@BOTH_ENGINES
def test_an_id_stored_for_another_school_refuses_only_that_package(
    region: Region,
    engine_kind: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLite's key refuses the insert while the forged package is merged; PostgreSQL's, the
    copy in the run's last write (its rows wait for the next packages')."""
    # SQLite: a page cache too small for the run, whose writes then spill into the write-ahead
    # log before the key refuses the row. The file has changed on disk, so the backup service
    # would copy it again for the repeat (seen: two copies) if the engine asked.
    monkeypatch.setattr(merge, "CACHE_KIB", 64)
    services = _district(region, engine_kind, request, tmp_path / "district", "gate_squat")
    _squat_and_repeat(region, services, tmp_path, caplog, midway=engine_kind == "sqlite")


def test_on_the_server_the_key_may_refuse_it_in_a_write_while_the_package_is_merged(
    region: Region,
    pg_server: pgserver.PgServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The run's rows are written every `MIDWAY` rows, so the forged package's reach the key
    while it is merged."""
    monkeypatch.setattr(merge_pg, "FLUSH_ROWS", MIDWAY)
    services = open_on_server(region.district_dir, pg_server, tmp_path / "d", "gate_midway")
    _squat_and_repeat(region, services, tmp_path, caplog, midway=True)


def _squat_and_repeat(
    region: Region,
    services: Services,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    *,
    midway: bool,
) -> None:
    """School 0 imported; then, in one run, school 1's package with an id of school 0's teacher,
    and school 2's honest one."""
    try:
        [first] = services.sync.import_files(region.packages[:1], dry_run=False)
        assert first.verdict == Verdict.APPLIED
        before = synced(services.db)
        squat = _squatting_package(region, 1, 0, tmp_path / "forged")
        backups = len(services.backups.entries())
        with caplog.at_level(logging.INFO, logger="services.sync.engine"):
            refused, honest = services.sync.import_files([squat, region.packages[2]], dry_run=False)
        # One copy before the run's first write, not a second one for its repeat (SQLite; the
        # server has no file to copy).
        made = len(services.backups.entries()) - backups
        assert made == (1 if services.db.db_path is not None else 0)
        assert (refused.verdict, refused.code) == (Verdict.REFUSED, "scope"), refused.reason
        assert "другой организации" in refused.reason and not refused.counts
        assert honest.verdict == Verdict.APPLIED
        # The first try trusted the owner index; the key refused the row; the run was repeated.
        assert sum("running it again exact" in r.getMessage() for r in caplog.records) == 1
        refused_midway = any("broke a constraint" in r.getMessage() for r in caplog.records)
        assert refused_midway == midway
        after = synced(services.db)
        victim = region.cards[0].site_id
        assert [r for r in after["teacher"] if victim in r] == [
            r for r in before["teacher"] if victim in r
        ]
        assert not any(region.cards[1].site_id in r for r in after["teacher"])
        log = services.sync.import_log()
        assert [e.outcome for e in log[:2]] == ["applied", "refused"]
    finally:
        services.db.close()


@BOTH_ENGINES
def test_a_preview_refuses_the_package_that_reused_an_id_as_the_import_does(
    region: Region, engine_kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A preview writes and rolls back, so the primary key catches the id the same way."""
    services = _district(region, engine_kind, request, tmp_path / "district", "gate_preview")
    try:
        services.sync.import_files(region.packages[:1], dry_run=False)
        before = synced(services.db)
        squat = _squatting_package(region, 1, 0, tmp_path / "forged")
        [preview] = services.sync.import_files([squat], dry_run=True)
        assert (preview.verdict, preview.code) == (Verdict.REFUSED, "scope"), preview.reason
        assert synced(services.db) == before
    finally:
        services.db.close()
