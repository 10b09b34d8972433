"""One running copy per data directory, by an OS file lock that a crash releases by itself."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from services.errors import AlreadyRunning


class InstanceLock:
    """Held for the life of the process; a second process gets `AlreadyRunning`."""

    def __init__(self, path: Path) -> None:
        self._lock = FileLock(str(path), timeout=0)

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout as exc:
            raise AlreadyRunning(
                "Опора уже открыта с этой папкой данных (возможно, в другом окне или другим "
                "пользователем). Закройте другую копию программы и попробуйте снова."
            ) from exc

    def release(self) -> None:
        self._lock.release()
