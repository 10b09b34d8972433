"""A SQLite database file that is not open: checked, copied, read (DESIGN §5).

`preflight` checks a file without changing a byte before `Database` opens it; backups are
copied and checked here too. `services.core.db` re-exports these names.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from services.core.errors import DatabaseCorrupt, NewerDatabase
from services.core.files import create_private_file

SQLITE_HEADER = b"SQLite format 3\x00"


def preflight(db_path: Path) -> str | None:
    """Check an existing database file without changing a byte; return its schema revision.

    Raises `DatabaseCorrupt` for a damaged file or a file that is not a database, and
    `NewerDatabase` for a database written by a newer version of Опора.
    """
    db_path = Path(db_path).absolute()  # a relative path has no file URI
    if not db_path.exists():
        return None
    with db_path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if db_path.stat().st_size == 0:
        return None
    if header != SQLITE_HEADER:
        raise DatabaseCorrupt(
            f"Файл «{db_path}» не является базой данных Опоры (возможно, его заменили или "
            "повредили). Восстановите данные из резервной копии: «python main.py restore ФАЙЛ» "
            "или кнопкой «Восстановить» при запуске программы."
        )
    # Without a -wal file there is nothing to replay: open as immutable so not even the -shm/-wal
    # side files are created. With one, a plain read-only open replays it (changing nothing).
    has_wal = db_path.with_name(db_path.name + "-wal").exists()
    uri = f"{db_path.as_uri()}?mode=ro" + ("" if has_wal else "&immutable=1")
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
            has_version = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
            revision = None
            if has_version:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorrupt(
            f"База данных «{db_path}» повреждена и не читается ({exc}). Восстановите её из "
            "резервной копии: «python main.py restore ФАЙЛ» или кнопкой «Восстановить»."
        ) from exc
    if problems != ["ok"]:
        raise DatabaseCorrupt(
            f"Проверка целостности базы данных «{db_path}» нашла ошибки. Работать с ней "
            "опасно: восстановите данные из последней исправной резервной копии.",
            details="\n".join(problems[:50]),
        )
    from services.core.db import known_revisions  # db imports this module

    known = known_revisions()
    if revision is not None and revision not in known:
        raise NewerDatabase(
            f"База данных создана более новой версией Опоры (версия схемы «{revision}»), "
            f"а эта программа знает схемы до «{known[-1]}». Файл не изменён. "
            "Установите новую версию Опоры, чтобы работать с этими данными."
        )
    return revision


def copy_database(src: Path, dst: Path) -> None:
    """Copy a consistent snapshot of database `src` into `dst` with the SQLite backup API."""
    src, dst = Path(src).absolute(), Path(dst).absolute()
    if not dst.exists():
        create_private_file(dst)
    with (
        closing(sqlite3.connect(f"{src.as_uri()}?mode=ro", uri=True)) as s,
        closing(sqlite3.connect(dst)) as d,
    ):
        s.backup(d)
        d.commit()


def check_backup_file(path: Path) -> str | None:
    """Validate a backup file before restoring it; return its schema revision."""
    try:
        return preflight(path)
    except NewerDatabase:
        raise
    except DatabaseCorrupt as exc:
        raise DatabaseCorrupt(
            f"Резервная копия «{path.name}» повреждена, восстановить из неё нельзя. "
            "Выберите другую копию.",
            details=exc.details,
        ) from exc


def state_in_file(path: Path, key: str) -> str | None:
    """One `app_state` value of a database file that is not open (a backup being checked)."""
    uri = f"{Path(path).absolute().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        try:
            row = conn.execute("SELECT value FROM app_state WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
    return str(row[0]) if row else None
