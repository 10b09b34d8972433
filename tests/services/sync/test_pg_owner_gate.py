"""A school's first package on PostgreSQL: its ids are not looked up one by one.

Where the sender holds no row of a table, no stored version of the package's rows can be its
own; the run looks that up once in the owner index (`merge_pg.stored_in_tables`) instead of
once per row. An id stored for another school is then caught by the primary key when the row
is copied, and the run is repeated with every id looked up: the package that reused the id is
refused alone, as it always was, and the others are applied.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from services.packages.types import Record
from services.sync import Verdict, merge, merge_pg
from tests import pgserver
from tests.bench.region import Region, build_region, district_card, own_records, school_package
from tests.services.server_support import open_on_server
from tests.services.sync_support import synced

SCHOOLS = 3
MIDWAY = 100  # rows a run keeps before it writes them, for a write while a package is merged


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Region:
    return build_region(tmp_path_factory.mktemp("gate") / "region", SCHOOLS)


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


def test_first_packages_are_merged_without_a_lookup_per_row(
    region: Region, pg_server: pgserver.PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = open_on_server(region.district_dir, pg_server, tmp_path / "server", "gate_first")
    scans: list[int] = []
    finish = merge.finish_import

    def counted(conn: Any) -> None:
        finish(conn)
        cursor = merge._cursor(conn)  # the run's own transaction: its index scans so far
        cursor.execute(
            "SELECT idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'roadmap_occurrence'"
        )
        scans.append(cursor.fetchone()[0])

    monkeypatch.setattr("services.sync.engine.finish_import", counted)
    try:
        reports = services.sync.import_files(region.packages, dry_run=False)
        assert [r.verdict for r in reports] == [Verdict.APPLIED] * SCHOOLS
        rows = sum(r.counts["roadmap_occurrence"].new for r in reports)
        assert rows > 100 * SCHOOLS
        # A few looks in the owner index a package (whether the school holds a row here; the
        # check of the references before the commit), not one primary-key lookup per
        # occurrence: there were `rows` of them.
        [scanned] = scans
        assert scanned <= 4 * SCHOOLS, (scanned, rows)
    finally:
        services.db.close()


@pytest.mark.parametrize("flush_rows", [merge_pg.FLUSH_ROWS, MIDWAY], ids=["at-the-end", "midway"])
def test_an_id_stored_for_another_school_refuses_only_that_package(
    region: Region,
    pg_server: pgserver.PgServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    flush_rows: int,
) -> None:
    """The key refuses the copy in the run's last write, or in a write while the forged
    package is merged (every `MIDWAY` rows)."""
    monkeypatch.setattr(merge_pg, "FLUSH_ROWS", flush_rows)
    services = open_on_server(
        region.district_dir, pg_server, tmp_path / "server", f"gate_squat_{flush_rows}"
    )
    try:
        [first] = services.sync.import_files(region.packages[:1], dry_run=False)
        assert first.verdict == Verdict.APPLIED
        before = synced(services.db)
        squat = _squatting_package(region, 1, 0, tmp_path / "forged")
        with caplog.at_level(logging.INFO, logger="services.sync.engine"):
            refused, honest = services.sync.import_files([squat, region.packages[2]], dry_run=False)
        assert (refused.verdict, refused.code) == (Verdict.REFUSED, "scope"), refused.reason
        assert "другой организации" in refused.reason and not refused.counts
        assert honest.verdict == Verdict.APPLIED
        # The first try trusted the owner index; the key refused the copy; the run was repeated.
        assert sum("running it again exact" in r.getMessage() for r in caplog.records) == 1
        midway = any("broke a constraint" in r.getMessage() for r in caplog.records)
        assert midway == (flush_rows == MIDWAY)
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


def test_a_preview_refuses_the_package_that_reused_an_id_as_the_import_does(
    region: Region, pg_server: pgserver.PgServer, tmp_path: Path
) -> None:
    """A preview writes and rolls back, so the primary key catches the id the same way."""
    services = open_on_server(region.district_dir, pg_server, tmp_path / "server", "gate_preview")
    try:
        services.sync.import_files(region.packages[:1], dry_run=False)
        before = synced(services.db)
        squat = _squatting_package(region, 1, 0, tmp_path / "forged")
        [preview] = services.sync.import_files([squat], dry_run=True)
        assert (preview.verdict, preview.code) == (Verdict.REFUSED, "scope"), preview.reason
        assert synced(services.db) == before
    finally:
        services.db.close()
