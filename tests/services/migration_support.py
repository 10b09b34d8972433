"""A SQLite database at a given schema revision, for the migration tests."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command

from services.core.db import alembic_config, make_engine


def migrate(path: Path, target: str, *, down: bool = False) -> None:
    """Upgrade (or downgrade) the database file to `target` with the project's migrations."""
    engine = make_engine(path)
    try:
        (command.downgrade if down else command.upgrade)(alembic_config(engine), target)
    finally:
        engine.dispose()


def database_at(path: Path, revision: str, *statements: str) -> None:
    """A new database file at `revision`, with the rows of `statements` written as of then."""
    migrate(path, revision)
    with closing(sqlite3.connect(path)) as conn:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
