"""Stamp-checked writes of interactive edits: no lost update between staff (DESIGN §5).

An editor remembers the row's version stamp (`hlc`) as it read it; saving is one statement,
`UPDATE … WHERE id = ? AND hlc = ?`, and its row count says whether the row was still that
version. There is no read-then-write race on either engine: SQLite holds the write lock for the
statement, PostgreSQL re-checks the WHERE on the newest row version after waiting for a
concurrent writer (READ COMMITTED).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, update
from sqlmodel import Session

from models import AppState, SyncFields
from services.core.db import HLC_KEY, Database


def stamped_update(
    db: Database,
    s: Session,
    model: type[SyncFields],
    row_id: str,
    expected: str,
    values: dict[str, Any],
) -> bool:
    """Write `values` (with a fresh stamp) to row `row_id` if its stamp is still `expected`.

    Returns False, having written nothing, when another session changed the row since. The
    clock first absorbs `expected`, so the new stamp is above it even when the two editors'
    clocks run apart (two staff on one database share its device id).
    """
    if expected:
        db.clock.observe(expected)
    table: Table = model.__table__  # type: ignore[attr-defined]
    stamp = db.clock.now()
    statement = (
        update(table)
        .where(table.c.id == row_id, table.c.hlc == expected)
        .values(**values, hlc=stamp)
    )
    if s.connection().execute(statement).rowcount != 1:
        return False
    s.merge(AppState(key=HLC_KEY, value=db.clock.last))
    db.change_count += 1  # an edit, as the session's own stamping counts it
    return True
