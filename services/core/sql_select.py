"""Set-based loaders' SQL: plain parameterised statements run on the session's DB-API cursor.

The dashboard reads every school at once with a few GROUP BY statements. They are written as
module-level SQL strings (one place per area) and run straight on the sqlite3 cursor of the
session's connection: no statement compilation, rows come back as plain tuples. A statement
scoped to "some owners" takes the owner list as one JSON parameter (`json_each`), so the text
never depends on the number of owners; values are always bound, never formatted in.

The statements are written for SQLite. On a PostgreSQL workspace `for_postgres` rewrites each
one once (parameter marks, 0/1 flags as booleans, the JSON list as an array of its elements);
the SQLite path runs the text as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, overload

from sqlmodel import Session

from services.core.sql_postgres import flags_as_booleans, rewrite

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


@dataclass(frozen=True, slots=True)
class PerEngine:
    """A statement written once per engine, where one text cannot serve both well.

    Both give the same rows. The PostgreSQL text is still in this module's dialect where it can
    be (marks, JSON lists, 0/1 flags: `for_postgres` rewrites it as it does every statement).
    """

    sqlite: Scoped
    postgres: Scoped

    def run(
        self, session: Session, owners: Collection[str] | None, *params: Any
    ) -> list[tuple[Any, ...]]:
        on_sqlite = session.get_bind().dialect.name == "sqlite"
        return (self.sqlite if on_sqlite else self.postgres).run(session, owners, *params)


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
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        sql = for_postgres(sql)
    cursor = conn.connection.cursor()
    bound: Any = (
        {k: _bound(v) for k, v in params.items()}
        if isinstance(params, Mapping)
        else tuple(_bound(p) for p in params)
    )
    try:
        cursor.execute(sql, bound)
        return list(cursor.fetchall())
    finally:
        cursor.close()


@overload
def day(value: str | date) -> date: ...
@overload
def day(value: None) -> None: ...
@overload
def day(value: str | date | None) -> date | None: ...
def day(value: str | date | None) -> date | None:
    """A DATE column read by `rows` («2025-08-31» from SQLite, a date from PostgreSQL)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


_JSON_EACH = re.compile(r"(\w+(?: \+ 0)?) IN \(SELECT value FROM json_each\((\?|:\w+)\)\)")
_NAMED = re.compile(r"(?<![:\w]):(\w+)")


@cache
def for_postgres(sql: str) -> str:
    """A statement of this module's SQLite dialect as PostgreSQL (psycopg) runs it.

    The functions SQLite has and PostgreSQL lacks (or types differently) are rewritten by
    `sql_postgres.rewrite`; here the parameter marks and the JSON lists.
    """
    sql = rewrite(sql).replace("%", "%%")
    sql = _JSON_EACH.sub(_pg_list, sql)
    sql = flags_as_booleans(sql)
    sql = _NAMED.sub(lambda m: f"%({m[1]})s", sql)
    return sql.replace("?", "%s")


def _pg_list(m: re.Match[str]) -> str:
    """`x IN JSON_LIST`: the list's texts (cast back to integers for a year) as an array.

    `= ANY (ARRAY(…))` unpacks the list once and tests each row against it as a plain filter (or
    an index condition); `IN (SELECT …)` made the planner hash-join every row with the list,
    which cost ≈ a quarter of a ВПР scan.
    """
    column, mark = m[1], m[2]
    value = "CAST(value AS integer)" if column.startswith("year") else "value"
    elements = f"json_array_elements_text(CAST({mark} AS json)) AS value"
    return f"{column} = ANY (ARRAY(SELECT {value} FROM {elements}))"


def _bound(value: Any) -> Any:
    """Dates as SQLAlchemy's SQLite dialect stores them (datetimes are not bound here)."""
    return value.isoformat() if type(value) is date else value
