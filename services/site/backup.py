"""Automatic rotating backups and restore (DESIGN §5).

Backups are consistent copies made with the SQLite backup API into `<data>/backups`, named
``opora-YYYYMMDD-HHMMSS-<reason>.sqlite3``. The directory itself is the list of backups: a list kept
inside the database would go stale the moment an older copy is restored.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from services.core.db import Database, check_backup_file, copy_database, fsync_dir, known_revisions
from services.core.errors import NewerDatabase, NotFound, StorageError
from services.core.files import PRIVATE_DIR, disk_full_text, is_disk_full, make_private

log = logging.getLogger(__name__)

PERIODIC_INTERVAL = timedelta(minutes=30)
KEEP_LAST = 10
KEEP_DAILY_DAYS = 14
KEEP_WEEKLY_WEEKS = 13  # about three months

_NAME = re.compile(r"^opora-(\d{8}-\d{6})(?:-(\d+))?-([a-z-]+)\.sqlite3$")

REASONS = {
    "start": "при запуске",
    "periodic": "автоматически",
    "manual": "вручную",
    "before-import": "перед импортом",
    "before-restore": "перед восстановлением",
    "before-migration": "перед обновлением схемы",
    "daily": "в начале дня",
    "before-demo": "перед демо-данными",
    "before-xlsx": "перед загрузкой Excel",
    "before-enroll": "перед подтверждением ключа",
    "before-export": "перед выгрузкой пакета",
    "before-key-change": "перед сменой ключа",
}
DAY_REASONS = frozenset({"start", "daily"})  # a copy with one of these opens the day


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    created: datetime
    reason: str
    size: int

    @property
    def reason_text(self) -> str:
        return REASONS.get(self.reason, self.reason)


def parse_backup_name(path: Path) -> BackupInfo | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    created = datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
    return BackupInfo(path, created, m.group(3), path.stat().st_size)


def backups_to_keep(created: Iterable[datetime], now: datetime) -> set[datetime]:
    """Return the backups to keep: newest 10, one a day for 2 weeks, one a week for 3 months.

    The newest backup of each day (week) is the one kept for it; everything else may be deleted.
    """
    stamps = sorted(set(created), reverse=True)
    keep = set(stamps[:KEEP_LAST])
    seen_days: set[object] = set()
    seen_weeks: set[object] = set()
    for ts in stamps:
        age = now - ts
        if age <= timedelta(days=KEEP_DAILY_DAYS) and ts.date() not in seen_days:
            seen_days.add(ts.date())
            keep.add(ts)
        week = ts.isocalendar()[:2]
        if age <= timedelta(weeks=KEEP_WEEKLY_WEEKS) and week not in seen_weeks:
            seen_weeks.add(week)
            keep.add(ts)
    return keep


class BackupService:
    """Creates, lists, thins and restores backups of the live database."""

    def __init__(
        self, db: Database, backups_dir: Path, now: Callable[[], datetime] = datetime.now
    ) -> None:
        self._db = db
        self._dir = backups_dir
        self._now = now
        self._last_backup_at: datetime | None = None
        self._changes_at_last_backup = db.change_count
        self._last: tuple[tuple[str, object], BackupInfo] | None = None

    def entries(self) -> list[BackupInfo]:
        """All backups, newest first."""
        return list_backups(self._dir)

    def create(self, reason: str = "manual") -> BackupInfo:
        """Write a new backup atomically and thin old ones; raise StorageError on failure.

        A second copy for the same reason of a database file that has not changed since the
        previous one (same size and time on the file and its write-ahead log) is not written
        again: the previous copy is returned.
        """
        state = self._file_state()
        last = self._last
        if reason != "manual" and last is not None and last[0] == (reason, state):
            return last[1]
        now = self._now()
        info = write_backup(self._db.backup_to, self._dir, reason, now)
        self._last_backup_at = now
        self._changes_at_last_backup = self._db.change_count
        self._last = ((reason, state), info)
        self.thin()
        return info

    def before_change(self, reason: str) -> BackupInfo:
        """The copies every state-changing command makes: the day's first, then this one.

        Raises `StorageError` when a copy cannot be written; the caller then refuses the
        change (a full disk must not also cost the data).
        """
        today = self._now().date()
        if not any(b.created.date() == today and b.reason in DAY_REASONS for b in self.entries()):
            self.create("daily")
        return self.create(reason)

    def _file_state(self) -> tuple[tuple[int, int], ...]:
        path = self._db.db_path
        if path is None:
            return ()
        found = []
        for part in (path, path.with_name(path.name + "-wal")):
            try:
                st = part.stat()
            except FileNotFoundError:
                continue
            found.append((st.st_size, st.st_mtime_ns))
        return tuple(found)

    def backup_if_due(self) -> BackupInfo | None:
        """Every 30 minutes while editing: back up if something changed since the last one."""
        now = self._now()
        if self._db.change_count == self._changes_at_last_backup:
            return None
        if self._last_backup_at and now - self._last_backup_at < PERIODIC_INTERVAL:
            return None
        return self.create("periodic")

    def thin(self) -> list[Path]:
        """Delete the backups the thinning rule does not keep; return what was deleted."""
        backups = self.entries()
        keep = backups_to_keep((b.created for b in backups), self._now())
        removed = []
        for b in backups:
            if b.created not in keep:
                b.path.unlink(missing_ok=True)
                removed.append(b.path)
        return removed

    def restore(self, path: Path) -> BackupInfo:
        """Restore the database from a backup; the current state is backed up first."""
        path = Path(path).absolute()
        if not path.exists():
            raise NotFound(f"Файл резервной копии «{path}» не найден.")
        revision = check_backup_file(path)
        if revision is not None and revision not in known_revisions():
            raise NewerDatabase("Резервная копия сделана более новой версией Опоры.")
        before = self.create("before-restore")
        try:
            self._db.restore_from(path)
        except Exception as exc:
            self._db.restore_from(before.path)
            raise StorageError(
                f"Не удалось восстановить данные из «{path.name}»: {exc}. Данные остались прежними."
            ) from exc
        return before


def list_backups(folder: Path) -> list[BackupInfo]:
    """All backups in `folder`, newest first (works without opening the database)."""
    if not folder.exists():
        return []
    found = [parse_backup_name(p) for p in folder.iterdir() if p.is_file()]
    return sorted((b for b in found if b), key=lambda b: b.created, reverse=True)


def newest_good_backup(folder: Path) -> BackupInfo | None:
    """The newest backup that passes the integrity check (offered after a failed start)."""
    for b in list_backups(folder):
        try:
            check_backup_file(b.path)
        except StorageError:
            continue
        return b
    return None


def replace_damaged_database(db_path: Path, backup: Path) -> Path | None:
    """Put a checked backup in place of a database that cannot be opened.

    The damaged file is never deleted: it is renamed to ``*.damaged-<time>`` beside the
    original (with its -wal/-shm files) so a specialist can still look at it. Returns its path.
    """
    check_backup_file(backup)
    moved: Path | None = None
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    for suffix in ("", "-wal", "-shm"):
        part = db_path.with_name(db_path.name + suffix)
        if part.exists():
            target = part.with_name(f"{part.name}.damaged-{stamp}")
            part.replace(target)
            if suffix == "":
                moved = target
    try:
        copy_database(backup, db_path)
    except Exception as exc:
        raise StorageError(
            f"Не удалось восстановить базу данных из «{backup.name}»: {exc}. Повреждённый "
            f"файл сохранён как «{moved}»."
        ) from exc
    return moved


def _unique_path(folder: Path, now: datetime, reason: str) -> Path:
    stem = f"opora-{now:%Y%m%d-%H%M%S}"
    path = folder / f"{stem}-{reason}.sqlite3"
    n = 1
    while path.exists():
        path = folder / f"{stem}-{n}-{reason}.sqlite3"
        n += 1
    return path


def write_backup(
    writer: Callable[[Path], None], folder: Path, reason: str, now: datetime
) -> BackupInfo:
    """Write a backup through `writer(tmp_path)`, fsync it and rename it into place atomically."""
    final = _unique_path(folder, now, reason)
    tmp = final.with_suffix(".part")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        make_private(folder)
        writer(tmp)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        tmp.replace(final)
        fsync_dir(folder)
    except Exception as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise StorageError(_backup_failure_text(exc, folder, _size_of(writer))) from exc
    log.info("backup written: %s", final)
    info = parse_backup_name(final)
    assert info is not None
    return info


def backup_database_file(db_path: Path, folder: Path, reason: str) -> BackupInfo:
    """Back up a database file that is not open (before a schema upgrade)."""
    return write_backup(lambda tmp: copy_database(db_path, tmp), folder, reason, datetime.now())


def _size_of(writer: Callable[[Path], None]) -> int | None:
    """The size of the database a writer copies, to say how much space a backup needs."""
    owner = getattr(writer, "__self__", None)
    path = getattr(owner, "db_path", None)
    try:
        return Path(path).stat().st_size if path is not None else None
    except OSError:
        return None


def _backup_failure_text(exc: BaseException, where: Path, needed: int | None = None) -> str:
    if is_disk_full(exc):
        return (
            disk_full_text(where, needed, "Не удалось сделать резервную копию")
            + " Ваши данные не изменены."
        )
    return (
        f"Не удалось сделать резервную копию в папку «{where}» ({exc}). "
        "Проверьте, что диск доступен для записи. Ваши данные не изменены."
    )
