"""File modes and full disks: what every writer of a file needs to get right.

The data folder holds teachers' personal data, so it is private to the user (0700, files 0600)
whatever the umask; a file the user exports to a folder of their choice gets the mode any other
program would give it (0666 less the umask). A full disk is reported as a full disk, with how
much space the operation needs and how much is free.
"""

from __future__ import annotations

import errno
import os
import shutil
import threading
from contextlib import suppress
from pathlib import Path

PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_umask_lock = threading.Lock()
SQLITE_FULL = 13
WRITE_TEST = ".write-test-"  # prefix of the probe proving the data folder is writable
PORTABLE_SCRATCH = ".portable-"  # prefix of the scratch folder of a portable copy


def current_umask() -> int:
    """The process umask (read by setting it and putting it back at once)."""
    with _umask_lock:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def give_normal_mode(path: Path) -> None:
    """Give an exported file the mode a new file gets from the user's umask (not mkstemp's 0600)."""
    if os.name == "posix":
        path.chmod(0o666 & ~current_umask())


def make_private(path: Path) -> None:
    """0700 for a folder, 0600 for a file; on Windows the profile's ACLs already do this."""
    if os.name != "posix" or path.is_symlink():
        return
    mode = PRIVATE_DIR if path.is_dir() else PRIVATE_FILE
    if path.stat().st_mode & 0o777 != mode:
        path.chmod(mode)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by the user only (before SQLite or a log opens it)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.close(fd)
    make_private(path)  # the umask may have taken bits off, never added; keep it exact


def is_disk_full(exc: BaseException) -> bool:
    """True for «no space left» (or a quota) however it reached us: OSError or SQLite."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in FULL_ERRNOS:
            return True
        # SQLite's SQLITE_FULL (13), raw or wrapped by SQLAlchemy (which keeps it in `orig`)
        if getattr(current, "sqlite_errorcode", None) == SQLITE_FULL or (
            "database or disk is full" in str(current)
        ):
            return True
        current = current.__cause__ or current.__context__ or getattr(current, "orig", None)
    return False


def megabytes(size: int) -> str:
    """A size for a message: «12,5 МБ» (at least «0,1 МБ»)."""
    mb = max(size / 1_048_576, 0.1)
    return f"{mb:.1f}".replace(".", ",") + " МБ"


def free_space(folder: Path) -> int | None:
    """Free bytes on the disk of `folder` (or of its nearest existing parent)."""
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return None


def disk_full_text(folder: Path, needed: int | None, action: str) -> str:
    """«На диске нет места: …» naming the folder, what is needed and what is free."""
    free = free_space(folder)
    parts = []
    if needed:
        parts.append(f"нужно около {megabytes(needed)}")
    if free is not None:
        parts.append(f"свободно {megabytes(free)}")
    joined = "; ".join(parts)
    sizes = f" {joined[:1].upper()}{joined[1:]}." if parts else ""
    return (
        f"{action}: на диске нет места (папка «{folder}»).{sizes} "
        "Освободите место на диске (удалите ненужные файлы или очистите корзину) и повторите."
    )


def secure_tree(root: Path) -> None:
    """0700 for the data folder and its folders, 0600 for every file in them (POSIX only)."""
    if os.name != "posix":
        return
    make_private(root)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            make_private(Path(folder) / name)
        for name in files:
            with suppress(FileNotFoundError):
                make_private(Path(folder) / name)


def remove_leftovers(root: Path) -> list[Path]:
    """Delete write probes, `.part` files and portable-copy scratch folders a crash left.

    A scratch folder holds a plain copy of the database, so it must not outlive its command.
    """
    found = [*root.glob(f"{WRITE_TEST}*"), *(root / "backups").glob("*.part")]
    for leftover in found:
        leftover.unlink(missing_ok=True)
    scratch = [p for p in root.glob(f"{PORTABLE_SCRATCH}*") if p.is_dir()]
    for folder in scratch:
        shutil.rmtree(folder, ignore_errors=True)
    return found + scratch
