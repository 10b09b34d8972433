"""The merge engine's bulk path on PostgreSQL (DESIGN §5): `COPY`, then one upsert per table.

`merge.merge_rows` decides per row what a package changes (new, newer, older, unchanged) and
refuses it before its first write; on SQLite it then writes with `executemany`. On PostgreSQL a
statement per row would cost a network round trip each, so the rows of a table are streamed with
psycopg's `COPY` into a temporary table shaped like it, and one `INSERT … SELECT … ON CONFLICT
(id) DO UPDATE … WHERE excluded.hlc > t.hlc` moves them in: an older version never overwrites a
newer one, even one a colleague committed after this run read it. The temporary tables live in
the run's transaction only (`ON COMMIT DROP`) and are emptied after each package.

Also here: the stored versions of many ids read in one statement (`= ANY`), and which server
errors mean "retry the run" (a deadlock the server broke) or "the connection is gone".
"""

from __future__ import annotations

from typing import Any

from services.sync.bind import TablePlan

# SQLSTATE classes and codes (PostgreSQL appendix A): a run chosen as a deadlock's victim or
# a serialization failure succeeds when repeated; the rest say the session is gone.
RETRY_STATES = frozenset({"40P01", "40001"})
LOST_STATES = frozenset({"57P01", "57P02", "57P03"})  # terminated, crash shutdown, starting up
MAX_ATTEMPTS = 5


def staging_name(table: str) -> str:
    return f"opora_in_{table}"


def write_table(cursor: Any, plan: TablePlan, upserts: list[list[Any]]) -> None:
    """Write `upserts` (rows already checked, parents first) into `plan`'s table.

    The foreign keys of the one `INSERT … SELECT` are checked when it ends, so the order of the
    rows inside it does not matter; they are copied parents first all the same.
    """
    name, staging = plan.name, staging_name(plan.name)
    columns = ", ".join(f'"{c}"' for c in plan.spec.columns)
    # LIKE copies the columns, their types and NOT NULL, no keys: the staging table accepts
    # exactly what the checks let through, and the server converts nothing twice.
    cursor.execute(f'CREATE TEMP TABLE IF NOT EXISTS "{staging}" (LIKE "{name}") ON COMMIT DROP')
    with cursor.copy(f'COPY "{staging}" ({columns}) FROM STDIN') as copy:
        for row in upserts:
            copy.write_row(row)
    sets = ", ".join(f'"{c}" = excluded."{c}"' for c in plan.spec.columns if c != "id")
    cursor.execute(
        f'INSERT INTO "{name}" ({columns}) SELECT {columns} FROM "{staging}" '
        f'ON CONFLICT (id) DO UPDATE SET {sets} WHERE excluded.hlc > "{name}".hlc'
    )
    # The next package of the run reuses the table; TRUNCATE of a temporary table is cheap.
    cursor.execute(f'TRUNCATE "{staging}"')


def stored_versions(cursor: Any, table: str, ids: list[str]) -> list[tuple[str, str, str]]:
    """(id, hlc, owner) of each of `ids` stored in `table`: one statement, an array parameter."""
    if not ids:
        return []
    cursor.execute(f'SELECT id, hlc, owner FROM "{table}" WHERE id = ANY(%s)', (ids,))
    found: list[tuple[str, str, str]] = cursor.fetchall()
    return found


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    state = getattr(orig, "sqlstate", None)
    return state if isinstance(state, str) else None


def should_retry(exc: BaseException) -> bool:
    """A deadlock the server broke by failing this run (or a serialization failure)."""
    return _sqlstate(exc) in RETRY_STATES


def connection_lost(exc: BaseException) -> bool:
    """The server ended the session, or the connection to it broke: nothing was committed."""
    if getattr(exc, "connection_invalidated", False):
        return True
    state = _sqlstate(exc)
    if state is not None:
        return state in LOST_STATES or state.startswith("08")
    orig = getattr(exc, "orig", None) or exc
    # psycopg raises OperationalError without a SQLSTATE when the socket closed under it.
    return type(orig).__name__ == "OperationalError" and type(orig).__module__.startswith("psycopg")
