"""Set-based loaders' SQL: plain parameterised statements run on the session's DB-API cursor.

The dashboard reads every school at once with a few GROUP BY statements. They are written as
module-level SQL strings (one place per area) and run straight on the sqlite3 cursor of the
session's connection: no statement compilation, rows come back as plain tuples. A statement
scoped to "some owners" takes the owner list as one JSON parameter (`json_each`), so the text
never depends on the number of owners; values are always bound, never formatted in.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

JSON_LIST = "(SELECT value FROM json_each(?))"  # one bound JSON array as an IN list


@dataclass(frozen=True, slots=True)
class Scoped:
    """One statement in two scopes: every owner, or the owners of a JSON list parameter.

    `some` has one more parameter than `everyone`: the JSON owner list, bound last.
    """

    everyone: str
    some: str

    def run(
        self, session: Session, owners: Collection[str] | None, *params: Any
    ) -> list[tuple[Any, ...]]:
        if owners is None:
            return rows(session, self.everyone, params)
        return rows(session, self.some, (*params, as_json(owners)))


def as_json(items: Collection[Any]) -> str:
    """A list parameter for `JSON_LIST` (dates as ISO text, the way SQLite stores them)."""
    return json.dumps([_bound(x) for x in items])


def rows(
    session: Session, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
) -> list[tuple[Any, ...]]:
    """All rows of a plain SQL statement on the session's connection, as tuples.

    Pending ORM changes are flushed first when the session autoflushes (as `session.execute`
    would do). Dates come back as ISO text (see `day`).
    """
    if session.autoflush:
        session.flush()
    cursor = session.connection().connection.cursor()
    bound: Any = (
        {k: _bound(v) for k, v in params.items()}
        if isinstance(params, Mapping)
        else tuple(_bound(p) for p in params)
    )
    try:
        return list(cursor.execute(sql, bound).fetchall())
    finally:
        cursor.close()


def day(text: str | None) -> date | None:
    """A DATE column read by `rows` («2025-08-31») as a date."""
    return None if text is None else date.fromisoformat(text[:10])


def _bound(value: Any) -> Any:
    """Dates as SQLAlchemy's SQLite dialect stores them (datetimes are not bound here)."""
    return value.isoformat() if type(value) is date else value
