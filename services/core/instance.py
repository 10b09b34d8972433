"""One running copy per data directory, by an OS file lock that a crash releases by itself."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from services.core.errors import AlreadyRunning

if TYPE_CHECKING:
    from filelock import BaseFileLock


class InstanceLock:
    """Held for the life of the process; a second process gets `AlreadyRunning`.

    `filelock` is imported on `acquire()`: it costs ≈ 13 ms, which the GUI spends after the
    first paint, before it opens the database.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock: BaseFileLock | None = None

    @property
    def held(self) -> bool:
        return self._lock is not None and self._lock.is_locked

    def acquire(self) -> None:
        from filelock import FileLock, Timeout

        lock = FileLock(str(self._path), timeout=0)
        try:
            lock.acquire()
        except Timeout as exc:
            raise AlreadyRunning(
                "Опора уже открыта с этой папкой данных (возможно, в другом окне или другим "
                "пользователем). Закройте другую копию программы и попробуйте снова."
            ) from exc
        self._lock = lock

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
