"""Backups: creation, thinning, restore, recovery of a damaged database, a full disk."""

from __future__ import annotations

import errno
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from models import AppState, Role
from services.app import Services
from services.core.db import Database, preflight
from services.core.errors import StorageError
from services.site.backup import (
    KEEP_LAST,
    BackupService,
    backups_to_keep,
    newest_good_backup,
    replace_damaged_database,
)


def test_thinning_keeps_last_ten_then_daily_then_weekly() -> None:
    now = datetime(2026, 11, 22, 12, 0)
    hourly = [now - timedelta(hours=h) for h in range(0, 24 * 120)]  # 120 days, every hour
    keep = backups_to_keep(hourly, now)
    newest = sorted(hourly, reverse=True)
    assert set(newest[:KEEP_LAST]) <= keep
    for day in range(14):  # one per day for two weeks: the newest of that day
        d = (now - timedelta(days=day)).date()
        of_day = [t for t in hourly if t.date() == d]
        assert max(of_day) in keep
    weeks = {t.isocalendar()[:2] for t in keep if now - t > timedelta(days=14)}
    old = [t for t in keep if now - t > timedelta(days=14)]
    assert len(old) == len(weeks)  # beyond two weeks: at most one per ISO week
    assert all(now - t <= timedelta(weeks=13) for t in keep)  # nothing older than 3 months
    assert len(keep) <= KEEP_LAST + 14 + 14


def test_thinning_of_few_backups_keeps_all() -> None:
    now = datetime(2026, 1, 1)
    stamps = [now - timedelta(minutes=m) for m in range(5)]
    assert backups_to_keep(stamps, now) == set(stamps)


def _init(services: Services) -> None:
    services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")


def test_backup_then_restore_brings_back_the_old_state(file_services: Services) -> None:
    _init(file_services)
    backup = file_services.backups.create("manual")
    assert preflight(backup.path) is not None
    file_services.site.update(address="после копии")
    assert file_services.site.profile().site.address == "после копии"
    before = file_services.backups.restore(backup.path)
    assert file_services.site.profile().site.address == ""
    assert before.reason == "before-restore" and before.path.exists()
    # and the restore can itself be undone from the automatic copy
    file_services.backups.restore(before.path)
    assert file_services.site.profile().site.address == "после копии"


def _site_hlc(services: Services) -> str:
    from models import Site

    with services.db.session() as s:
        row = s.get(Site, services.site.profile().site.id)
        assert row is not None
        return row.hlc


def test_stamps_after_restore_stay_ahead_of_everything_seen(file_services: Services) -> None:
    _init(file_services)
    backup = file_services.backups.create("manual")
    file_services.site.update(address="1")
    newest_before_restore = _site_hlc(file_services)
    file_services.backups.restore(backup.path)
    file_services.site.update(address="2")
    assert _site_hlc(file_services) > newest_before_restore


def test_full_disk_during_backup_is_a_clear_message_and_leaves_nothing(
    file_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _init(file_services)

    def disk_full(dst: Path) -> None:
        dst.write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(file_services.db, "backup_to", disk_full)
    with pytest.raises(StorageError, match="нет места"):
        file_services.backups.create("manual")
    assert list(file_services.paths.backups_dir.iterdir()) == []
    assert file_services.site.profile().site.code == "5105012345"


def test_periodic_backup_only_after_changes_and_thirty_minutes(file_services: Services) -> None:
    clock = [datetime(2026, 11, 22, 9, 0)]
    backups = BackupService(file_services.db, file_services.paths.backups_dir, lambda: clock[0])
    _init(file_services)
    first = backups.backup_if_due()
    assert first is not None  # changes and never backed up
    assert backups.backup_if_due() is None  # nothing changed since
    file_services.site.update(address="a")
    clock[0] += timedelta(minutes=10)
    assert backups.backup_if_due() is None  # changed, but too soon
    clock[0] += timedelta(minutes=21)
    assert backups.backup_if_due() is not None


def test_damaged_database_is_recovered_from_the_newest_good_backup(
    file_services: Services,
) -> None:
    _init(file_services)
    good = file_services.backups.create("start")
    db_path = file_services.paths.db_path
    file_services.db.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    db_path.write_bytes(b"garbage" * 1000)
    broken_copy = file_services.paths.backups_dir / "opora-20260101-000000-manual.sqlite3"
    broken_copy.write_bytes(b"not a database either")
    found = newest_good_backup(file_services.paths.backups_dir)
    assert found is not None and found.path == good.path
    moved = replace_damaged_database(db_path, found.path)
    assert moved is not None and moved.read_bytes() == b"garbage" * 1000  # kept for a specialist
    reopened = Database.open(db_path)
    try:
        with reopened.session() as s:
            assert s.get(AppState, "site_id") is not None
    finally:
        reopened.close()


def test_restore_refuses_a_damaged_backup_and_changes_nothing(file_services: Services) -> None:
    _init(file_services)
    bad = file_services.paths.backups_dir / "opora-20260101-000000-manual.sqlite3"
    bad.parent.mkdir(exist_ok=True)
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(StorageError):
        file_services.backups.restore(bad)
    assert file_services.site.profile().site.code == "5105012345"


def test_backup_file_is_a_consistent_database(file_services: Services) -> None:
    _init(file_services)
    info = file_services.backups.create("manual")
    with closing(sqlite3.connect(info.path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT value FROM app_state WHERE key='role'").fetchone() == (
            "school",
        )
