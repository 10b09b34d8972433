"""Storage safety: migrations, refusal of newer or damaged files, stamping, tombstones."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel, select

from models import AppState, RoadmapItem, Role, Site
from services.app import open_services
from services.core.config import AppPaths
from services.core.db import (
    Database,
    ensure_writable_dir,
    head_revision,
    known_revisions,
    preflight,
)
from services.core.errors import DatabaseCorrupt, NewerDatabase, StorageError
from tests.conftest import FIXTURES, RESOURCES


def test_models_and_migrations_describe_the_same_schema(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, SQLModel.metadata) == []


def test_fresh_database_gets_the_whole_schema_and_pragmas(tmp_path: Path) -> None:
    database = Database.open(tmp_path / "new.sqlite3")
    try:
        assert database.revision() == head_revision()
        with closing(database.engine.raw_connection()) as raw:
            cur = raw.cursor()
            assert cur.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cur.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert cur.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        database.close()


def test_database_from_an_older_revision_upgrades_and_keeps_its_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "db_rev0001.sqlite3", data / "opora.sqlite3")
    assert preflight(data / "opora.sqlite3") == "0001"
    services = open_services(AppPaths(RESOURCES, data))
    try:
        assert services.db.revision() == head_revision() != "0001"
        profile = services.site.profile()
        assert profile.site.full_name == "МОУ Лодейнинская СОШ"
        assert profile.role is Role.SCHOOL
        with services.db.session() as s:
            item = s.exec(select(RoadmapItem)).one()
            assert item.title == "Анализ результатов ВПР"
            # 0005: the figures count occurrences from their covering index
            index = s.connection().exec_driver_sql(
                "PRAGMA index_info(ix_roadmap_occurrence_counts)"
            )
            assert [row[2] for row in index] == ["roadmap_id", "deleted", "status", "end_date"]
        # an upgrade is a risky operation: the old file was backed up first
        reasons = [b.reason for b in services.backups.entries()]
        assert reasons == ["before-migration"]
        # the clock continues after the stamp stored in the old database
        assert services.db.clock.now() > "1700000000000.00003.a1b2c3d4e5f60708"
    finally:
        services.db.close()


def _make_newer(path: Path) -> None:
    Database.open(path).close()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num='9999_future'")
        conn.commit()


def test_opening_an_existing_database_reads_it_through_the_integrity_check_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check reads the whole file (≈ 0.8 s for a 300-school district): once per start."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "db_rev0001.sqlite3", data / "opora.sqlite3")
    checks: list[str] = []

    def counting(db_path: Path) -> str | None:
        checks.append(db_path.name)
        return preflight(db_path)

    monkeypatch.setattr("services.app.preflight", counting)
    monkeypatch.setattr("services.core.db.preflight", counting)
    for _start in range(2):  # an upgrade, then an up-to-date start
        services = open_services(AppPaths(RESOURCES, data))
        services.db.close()
    assert checks == ["opora.sqlite3", "opora.sqlite3"]


def test_newer_database_is_refused_with_both_versions_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "opora.sqlite3"
    _make_newer(path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(NewerDatabase) as err:
        Database.open(path)
    assert "9999_future" in str(err.value) and head_revision() in str(err.value)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "opora.sqlite3"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 10)
    before = path.read_bytes()
    with pytest.raises(DatabaseCorrupt, match="не является базой данных"):
        Database.open(path)
    assert path.read_bytes() == before


def test_a_damaged_database_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "opora.sqlite3"
    database = Database.open(path)
    with database.session() as s:
        for n in range(300):
            s.add(AppState(key=f"k{n}", value="x" * 500))
    database.close()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(path.read_bytes())
    page = 4096
    for start in range(page, len(raw), page):  # scribble over every b-tree page header
        raw[start : start + 12] = b"\xff" * 12
    path.write_bytes(bytes(raw))
    with pytest.raises(DatabaseCorrupt):
        preflight(path)


def test_unwritable_data_directory_gives_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("I am a file, not a folder")
    with pytest.raises(StorageError, match="Нет доступа на запись"):
        ensure_writable_dir(blocker / "data")


def test_every_change_is_stamped_and_owned(db: Database) -> None:
    with db.session() as s:
        s.add(AppState(key="site_id", value="me"))
    with db.session() as s:
        site = Site(id="me", owner="", role=Role.SCHOOL, full_name="Школа", code="1")
        s.add(site)
    with db.session() as s:
        first = s.get(Site, "me")
        assert first is not None and first.owner == "me" and first.hlc
        stamp = first.hlc
        first.address = "п. Лодейное"
        s.add(first)
    with db.session() as s:
        again = s.get(Site, "me")
        assert again is not None and again.hlc > stamp


def test_rows_are_tombstoned_never_deleted(db: Database) -> None:
    with db.session() as s:
        s.add(Site(id="x", owner="x", role=Role.SCHOOL, full_name="Школа", code="1"))
    with pytest.raises(RuntimeError, match="never deleted"), db.session() as s:
        row = s.get(Site, "x")
        s.delete(row)
    with db.session() as s:
        assert s.get(Site, "x") is not None


def test_merge_sessions_keep_incoming_versions(db: Database) -> None:
    incoming = "1600000000000.00000.remote"
    with db.session(stamp=False) as s:
        s.add(Site(id="y", owner="y", role=Role.SCHOOL, full_name="Школа", code="1", hlc=incoming))
    with db.session() as s:
        row = s.get(Site, "y")
        assert row is not None and row.hlc == incoming


def test_failed_unit_of_work_rolls_back(db: Database) -> None:
    with pytest.raises(ZeroDivisionError), db.session() as s:
        s.add(AppState(key="half", value="written"))
        s.flush()
        _ = 1 / 0
    with db.session() as s:
        assert s.get(AppState, "half") is None


def test_revisions_form_one_line() -> None:
    revisions = known_revisions()
    assert revisions[0] == "0001" and len(set(revisions)) == len(revisions)


def test_known_revisions_match_the_migration_scripts() -> None:
    from services.core.db import script_revisions

    assert known_revisions() == script_revisions()
