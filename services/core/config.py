"""Where things live: resources shipped with the program, and this installation's data."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Opora"
DATA_DIR_ENV = "OPORA_DATA_DIR"


@dataclass(frozen=True, slots=True)
class AppPaths:
    """Every path the program uses; built once by main.py and passed down."""

    resources_dir: Path
    data_dir: Path

    @property
    def db_path(self) -> Path:
        return self.data_dir / "opora.sqlite3"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / "opora.lock"

    @property
    def fonts_dir(self) -> Path:
        return self.resources_dir / "fonts"

    @property
    def catalogues_dir(self) -> Path:
        return self.resources_dir / "catalogues"

    @property
    def intake_dir(self) -> Path:
        """The header vocabulary of roadmap files (`services.intake.load_vocabulary`)."""
        return self.resources_dir / "intake"


def default_data_dir(explicit: str | None = None) -> Path:
    """Return the data directory: the explicit one, then $OPORA_DATA_DIR, then the user's."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs  # only here: ≈ 5 ms of the GUI's start-up, and --data-dir needs none

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def ensure_writable_dir(path: Path) -> None:
    """Create the data folder if needed, make it private, tidy it, and prove we can write there.

    Private: the folder 0700 and everything in it 0600 (teachers' personal data), whatever the
    umask, which also repairs an installation made before this rule. Tidy: write probes and
    half-written backups left by a crash or a kill are removed.
    """
    # Imported here: the GUI builds its paths before the first paint and needs none of this
    # until after it.
    from services.core.errors import StorageError
    from services.core.files import (
        PRIVATE_DIR,
        WRITE_TEST,
        disk_full_text,
        is_disk_full,
        remove_leftovers,
        secure_tree,
    )

    probe = path / f"{WRITE_TEST}{os.urandom(16).hex()}"  # `uuid` would import `platform` too
    try:
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        secure_tree(path)
        remove_leftovers(path)
        try:
            probe.write_bytes(b"ok")
        finally:
            probe.unlink(missing_ok=True)
    except OSError as exc:
        if is_disk_full(exc):
            raise StorageError(disk_full_text(path, None, "Не удалось начать работу")) from exc
        raise StorageError(
            f"Нет доступа на запись в папку данных «{path}» ({exc.strerror or exc}). "
            "Укажите другую папку (параметр --data-dir или переменная OPORA_DATA_DIR) "
            "или попросите администратора дать права на запись."
        ) from exc
