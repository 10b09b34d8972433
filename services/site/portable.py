"""«Резервная копия на флешку»: the database and the keys in one file with a passphrase.

This is how a school moves to a new computer: the file carries the database (so the site id)
and the keys folder (the signing key its district knows, the age identity), encrypted with a
passphrase the user types. Restoring checks the whole file first; into a data folder that
already holds an organisation it runs only when the caller confirmed replacing, after a
normal backup of the database, and the replaced keys are kept beside the backups.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from services.core.db import Database, check_backup_file, state_in_file
from services.core.errors import Conflict, DatabaseCorrupt, Invalid, StorageError
from services.core.files import (
    PORTABLE_SCRATCH,
    PRIVATE_DIR,
    disk_full_text,
    give_normal_mode,
    is_disk_full,
    make_private,
)
from services.core.version import app_version
from services.packages.keys import KeyStore
from services.site.backup import BackupInfo, BackupService
from services.site.portable_format import MAX_FILE, Manifest, PortableContents, pack, unpack
from services.site.profile import SITE_KEY, SiteService

SUFFIX = ".opora-backup"


@dataclass(frozen=True, slots=True)
class PortableResult:
    path: Path
    size: int
    manifest: Manifest


@dataclass(frozen=True, slots=True)
class RestoreResult:
    manifest: Manifest
    before: BackupInfo
    old_keys: Path | None  # where the replaced keys were moved, if there were any


class PortableService:
    """Writes and restores the passphrase-protected copy of this installation."""

    def __init__(
        self,
        db: Database,
        keys: KeyStore,
        backups: BackupService,
        site: SiteService,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        self._db = db
        self._keys = keys
        self._backups = backups
        self._site = site
        self._now = now

    @property
    def _work_dir(self) -> Path:
        """Private scratch space inside the data folder (the database copy is plain there)."""
        assert self._db.db_path is not None
        return self._db.db_path.parent

    def create(self, target: Path, passphrase: str) -> PortableResult:
        """Write the encrypted copy to `target` (a file of the user's choice)."""
        if self._db.db_path is None:
            raise StorageError("Копия базы данных в памяти на флешку невозможна.")
        profile = self._site.profile()
        if not self._keys.exists:
            raise Invalid("Ключи этой установки не найдены: копировать на флешку нечего.")
        target = Path(target).absolute()
        with self._scratch() as scratch:
            self._db.backup_to(scratch / "db.sqlite3")
            database = (scratch / "db.sqlite3").read_bytes()
        keys = {
            p.name: p.read_bytes()
            for p in sorted(self._keys.directory.iterdir())
            if p.is_file() and not p.name.endswith((".tmp", ".part"))
        }
        manifest = Manifest(profile.site.id, profile.site.full_name, self._now(), app_version())
        data = pack(manifest, database, keys, passphrase)
        _write_atomic(target, data)
        return PortableResult(target, len(data), manifest)

    def occupant(self) -> str | None:
        """The organisation this data folder already holds, or None for a new computer."""
        if self._site.is_initialized():
            return self._site.profile().site.full_name
        if self._keys.exists:
            return "(ключи без организации)"
        return None

    def read(self, source: Path, passphrase: str) -> PortableContents:
        """Decrypt and check a copy without changing anything."""
        source = Path(source).absolute()
        try:
            if source.stat().st_size > MAX_FILE:
                raise Invalid(f"Файл «{source.name}» слишком большой для копии Опоры.")
            data = source.read_bytes()
        except FileNotFoundError as exc:
            raise Invalid(f"Файл «{source}» не найден.") from exc
        except OSError as exc:
            raise StorageError(f"Не удалось прочитать «{source}»: {exc.strerror or exc}.") from exc
        return unpack(data, passphrase, source.name)

    def restore(self, source: Path, passphrase: str, *, replace: bool = False) -> RestoreResult:
        """Put the database and keys of `source` in place of this installation's."""
        contents = self.read(source, passphrase)
        name = Path(source).name
        with self._scratch() as scratch:
            db_file = scratch / "db.sqlite3"
            db_file.write_bytes(contents.database)
            _check_database(db_file, contents.manifest.site_id, name)
            new_keys = scratch / "keys"
            _write_keys(new_keys, contents.keys, name)
            occupant = self.occupant()
            if occupant is not None and not replace:
                raise Conflict(
                    f"В этой папке данных уже есть данные организации «{occupant}». "
                    "Подтвердите замену, чтобы восстановить копию вместо них."
                )
            if occupant is not None:  # the day's copy and one now; refused if it fails
                self._backups.before_change("before-restore")
            old_keys = self._swap_keys(new_keys)
            try:
                before = self._backups.restore(db_file)
            except Exception:
                self._unswap_keys(old_keys)
                raise
        self._keys.reload()
        return RestoreResult(contents.manifest, before, old_keys)

    def _swap_keys(self, new_keys: Path) -> Path | None:
        """Move the current keys aside (kept, not deleted) and the restored ones in."""
        current = self._keys.directory
        old: Path | None = None
        if current.exists():
            old = self._backups_dir / f"keys-before-restore-{self._now():%Y%m%d-%H%M%S}"
            old.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
            n = 1
            while old.exists():
                old = old.with_name(f"{old.name}-{n}")
                n += 1
            current.replace(old)
        new_keys.replace(current)
        return old

    def _unswap_keys(self, old: Path | None) -> None:
        current = self._keys.directory
        shutil.rmtree(current, ignore_errors=True)
        if old is not None:
            old.replace(current)

    @property
    def _backups_dir(self) -> Path:
        return self._work_dir / "backups"

    @contextlib.contextmanager
    def _scratch(self) -> Iterator[Path]:
        path = Path(tempfile.mkdtemp(prefix=PORTABLE_SCRATCH, dir=self._work_dir))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)


def _check_database(path: Path, site_id: str, name: str) -> None:
    try:
        check_backup_file(path)  # a newer schema raises NewerDatabase, untouched
    except DatabaseCorrupt as exc:
        raise Invalid(f"База данных в файле «{name}» повреждена. Ничего не изменено.") from exc
    if state_in_file(path, SITE_KEY) != site_id:
        raise Invalid(
            f"В файле «{name}» база данных не совпадает с описанием копии. Ничего не изменено."
        )


def _write_keys(folder: Path, keys: dict[str, bytes], name: str) -> None:
    folder.mkdir(mode=PRIVATE_DIR)
    for key_name, data in keys.items():
        path = folder / key_name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    store = KeyStore(folder)
    try:
        store.public_key()
        store.age_recipient  # noqa: B018  (loading is the check)
    except (Invalid, StorageError) as exc:
        raise Invalid(
            f"Ключи в файле «{name}» неполные или повреждены. Ничего не изменено."
        ) from exc
    make_private(folder)


def _write_atomic(target: Path, data: bytes) -> None:
    tmp = target.with_name(target.name + ".part")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        give_normal_mode(tmp)
        tmp.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if is_disk_full(exc):
            raise StorageError(
                disk_full_text(target.parent, len(data), "Не удалось записать копию")
            ) from exc
        raise StorageError(
            f"Не удалось записать «{target}»: {exc.strerror or exc}. Проверьте, что флешка "
            "вставлена и не защищена от записи."
        ) from exc
