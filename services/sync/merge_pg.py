"""The merge engine's bulk path on PostgreSQL (DESIGN §5): `COPY`, and one upsert per table.

`merge.merge_rows` decides per row what a package changes (new, newer, older, unchanged) and
refuses it before its first write; on SQLite it then writes with `executemany`. On PostgreSQL a
statement per row would cost a network round trip each. Rows no stored version holds (most of a
district's imports) are streamed with psycopg's `COPY` straight into their table (`copy_new`).
The rows of a table that replace a stored version are copied into a temporary table shaped like
it, and one `INSERT … SELECT … ON CONFLICT (id) DO UPDATE … WHERE excluded.hlc > t.hlc` moves
them in: an older version never overwrites a newer one, even one a colleague committed after
this run read it. The temporary tables live in the run's transaction only (`ON COMMIT DROP`) and
are emptied after each use.

The checked rows of the run's packages wait in `Pending` and are written a batch of packages at
a time (a few statements per table instead of a few per table and package): the reads of the
later packages see them (`Pending.overlay`), so every decision is the one an immediate write
would have led to, and the run writes them all before it commits (`merge.finish_import`).

PostgreSQL checks a foreign key with a query per reference per row (its referential-integrity
triggers): at 1,000 schools 34 of the server's 59 s of CPU. A login the administrator allowed
to set `session_replication_role` (docs/server-setup.sql) runs the import's transaction with
those triggers off (`SET LOCAL`, what `pg_restore --disable-triggers` does), and before the commit
checks every reference of the written senders' rows with one anti-join per foreign key
(`check_references`); the engine's own check (`merge._check_references`) has refused such a
package already, so this is the server-side guard the triggers were. Without the permission the
triggers check each row, as before. Every other writer (edits, bulletins) keeps them.

Also here: the stored versions of a package's ids read in one statement (primary-key probes),
and which server errors mean "retry the run" (a deadlock the server broke, or a copy the
primary key refused in a run that trusted the owner index, see `stored_in_tables`) or "the
connection is gone".
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from services.sync.bind import TablePlan, plan_for

log = logging.getLogger(__name__)
Run = TypeVar("Run")
Ordering = Callable[[TablePlan, list[list[Any]]], list[list[Any]]]

# SQLSTATE classes and codes (PostgreSQL appendix A): a run chosen as a deadlock's victim or
# a serialization failure succeeds when repeated; the rest say the session is gone.
RETRY_STATES = frozenset({"40P01", "40001"})
UNIQUE_VIOLATION = "23505"
# SQLite's extended result codes for the same: SQLITE_CONSTRAINT_PRIMARYKEY, _UNIQUE.
SQLITE_UNIQUE_CODES = frozenset({1555, 2067})
LOST_STATES = frozenset({"57P01", "57P02", "57P03"})  # terminated, crash shutdown, starting up
MAX_ATTEMPTS = 5
# Rows kept before they are written: about 30 schools' packages, a bounded amount of memory.
FLUSH_ROWS = 50_000


class DanglingReference(Exception):
    """A written row references a row that does not exist (`check_references`)."""


class Pending:
    """Checked rows of the run not written yet: table → id → statement parameters."""

    def __init__(self, *, writes: bool = True) -> None:
        self.tables: dict[str, dict[str, list[Any]]] = {}
        # Per table, the owners of every row the run has queued: the rows whose references
        # `check_references` tests before the commit when the per-row triggers are off.
        self.owners: dict[str, set[str]] = {}
        self.triggers_off = False
        # Per table, the ids of waiting rows the database did not hold when they were checked:
        # no stored version to compare with, so they are copied straight into the table.
        self.fresh: dict[str, set[str]] = {}
        self.count = 0
        # Written every FLUSH_ROWS rows; a preview by a login that may only read is never
        # written (the server would refuse it), so it keeps them all until it ends.
        self.flush_at: int | None = FLUSH_ROWS if writes else None

    def full(self) -> bool:
        return self.flush_at is not None and self.count >= self.flush_at

    def add(self, plan: TablePlan, upserts: list[list[Any]], fresh: Iterable[str] = ()) -> None:
        """Keep `upserts` until the next flush.

        `fresh` are the ids among them that neither the database nor the rows waiting here
        held; a newer version of a waiting fresh row stays fresh (the database still has none).
        """
        rows = self.tables.setdefault(plan.name, {})
        before = len(rows)
        id_pos = plan.id_pos
        if upserts and plan.references:
            owner_pos = plan.owner_pos
            self.owners.setdefault(plan.name, set()).update({p[owner_pos] for p in upserts})
        for params in upserts:  # a later package's newer version replaces an earlier one's
            rows[params[id_pos]] = params
        self.count += len(rows) - before
        self.fresh.setdefault(plan.name, set()).update(fresh)

    def overlay(self, table: str, ids: list[str], found: dict[str, tuple[str, str]]) -> None:
        """Add to `found` (id → hlc, owner as stored) the versions waiting to be written."""
        rows = self.tables.get(table)
        if not rows:
            return
        plan = plan_for(table)
        for rid in ids:
            params = rows.get(rid)
            if params is not None:
                found[rid] = (params[plan.hlc_pos], params[plan.owner_pos])

    def flush(self, cursor: Any, order: Iterable[str], parents_first: Ordering) -> None:
        """Write every waiting row, parent tables first, then forget them."""
        for table in order:
            rows = self.tables.get(table)
            if rows:
                plan = plan_for(table)
                fresh = self.fresh.get(table, set())
                new = [p for rid, p in rows.items() if rid in fresh]
                known = [p for rid, p in rows.items() if rid not in fresh]
                copy_new(cursor, plan, parents_first(plan, new))
                write_table(cursor, plan, parents_first(plan, known))
        self.tables.clear()
        self.fresh.clear()
        self.count = 0


def switch_off_row_triggers(cursor: Any) -> bool:
    """Turn the per-row foreign-key triggers off for the open transaction, where allowed.

    Allowed to a superuser, and from PostgreSQL 15 on to a login granted `SET ON PARAMETER
    session_replication_role` (directly or through opora_staff). `SET LOCAL` ends with the
    transaction, committed or rolled back. Returns whether they are off.
    """
    if cursor.connection.info.server_version >= 150000:
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    else:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    row = cursor.fetchone()
    if not (row and row[0]):
        log.info(
            "this login may not set session_replication_role: the import's foreign keys are "
            "checked row by row (docs/server-setup.sql grants it to opora_staff)"
        )
        return False
    cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def check_references(cursor: Any, owners: dict[str, set[str]]) -> None:
    """Raise `DanglingReference` if a row of `owners` (table → owners) points at no row.

    One statement: per foreign key of each table, whether a row of those owners names a parent
    id its table does not hold (an anti-join over the owner's index; the first one found).
    """
    parts, params = [], []
    for table, which in sorted(owners.items()):
        for column, _pos, parent in plan_for(table).references:
            parts.append(
                f'(SELECT %s, %s, %s FROM "{table}" c WHERE c.owner = ANY(%s) '
                f'AND c."{column}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT FROM "{parent}" p WHERE p.id = c."{column}") LIMIT 1)'
            )
            params += [table, column, parent, sorted(which)]
    if not parts:
        return
    union = " UNION ALL ".join(parts)
    cursor.execute(f"SELECT * FROM ({union}) AS dangling LIMIT 1", params, prepare=False)
    found = cursor.fetchone()
    if found is not None:
        table, column, parent = found
        raise DanglingReference(f"{table}.{column} → {parent}")


def staging_name(table: str) -> str:
    return f"opora_in_{table}"


def write_table(cursor: Any, plan: TablePlan, upserts: list[list[Any]]) -> None:
    """Write `upserts` (rows already checked, parents first) into `plan`'s table.

    The foreign keys of the one `INSERT … SELECT` are checked when it ends, so the order of the
    rows inside it does not matter; they are copied parents first all the same.
    """
    if not upserts:
        return
    name, staging = plan.name, staging_name(plan.name)
    columns = ", ".join(f'"{c}"' for c in plan.spec.columns)
    # LIKE copies the columns, their types and NOT NULL, no keys: the staging table accepts
    # exactly what the checks let through, and the server converts nothing twice.
    cursor.execute(f'CREATE TEMP TABLE IF NOT EXISTS "{staging}" (LIKE "{name}") ON COMMIT DROP')
    _copy(cursor, staging, columns, upserts)
    sets = ", ".join(f'"{c}" = excluded."{c}"' for c in plan.spec.columns if c != "id")
    cursor.execute(
        f'INSERT INTO "{name}" ({columns}) SELECT {columns} FROM "{staging}" '
        f'ON CONFLICT (id) DO UPDATE SET {sets} WHERE excluded.hlc > "{name}".hlc'
    )
    # The next package of the run reuses the table; TRUNCATE of a temporary table is cheap.
    cursor.execute(f'TRUNCATE "{staging}"')


def copy_new(cursor: Any, plan: TablePlan, rows: list[list[Any]]) -> None:
    """`COPY` rows whose ids the table did not hold when they were checked straight into it.

    No staging table, no `ON CONFLICT`: the server inserts each row once. The sender's rows are
    written only under its sequence lock and carry its own ids (`merge.prepare`), so no other
    run can store one of these ids meanwhile; if one did all the same, the primary key refuses
    the copy and the whole run is rolled back — nothing is overwritten.
    """
    if rows:
        _copy(cursor, plan.name, ", ".join(f'"{c}"' for c in plan.spec.columns), rows)


def _copy(cursor: Any, table: str, columns: str, rows: list[list[Any]]) -> None:
    with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def stored_in_tables(
    cursor: Any, wanted: dict[str, list[str]], sender: str | None = None
) -> dict[str, list[Any]]:
    """(id, hlc, owner) of the stored rows among each table's ids, in one round trip.

    One statement with a JSON list of ids per table (a package touches some twenty tables;
    `json.dumps` is many times cheaper than the driver's array adaptation). Each id is looked
    up in the primary key on its own (a `LATERAL` subquery the planner may not flatten): a
    sequential scan of a table the run is filling would cost more with every package.

    With `sender`, a table's ids are looked up only if the table holds a row of that owner (one
    look in the owner index, evaluated once): a school's first package (every school of a
    district's first import) costs one look a table instead of one a row (≈ 3 µs of server CPU
    each; 1.7 s of a 300-school import). Such a run does not see an id stored for *another*
    owner; the primary key refuses its copy (`copy_new`), and the engine runs the import again
    with every id looked up, which refuses the package that reused the id, alone.
    """
    parts, params = [], []
    for table, ids in wanted.items():
        if ids:
            gate = ""
            if sender is not None:
                gate = f' WHERE EXISTS (SELECT FROM "{table}" o WHERE o.owner = %s)'
            parts.append(
                "SELECT %s, s.* FROM json_array_elements_text(%s::json) AS u(id), LATERAL "
                f'(SELECT id, hlc, owner FROM "{table}" t WHERE t.id = u.id OFFSET 0) AS s' + gate
            )
            params += [table, json.dumps(ids)] + ([sender] if sender is not None else [])
    found: dict[str, list[Any]] = {table: [] for table in wanted}
    if parts:
        # Never a prepared statement: its generic plan, made while the tables were still
        # empty, would stay on sequential scans comparing every row with every id of the
        # array once the run has filled them (seen: 15 × slower after the first batch).
        cursor.execute(" UNION ALL ".join(parts), params, prepare=False)
        for table, rid, hlc, owner in cursor.fetchall():
            found[table].append((rid, hlc, owner))
    return found


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    state = getattr(orig, "sqlstate", None)
    return state if isinstance(state, str) else None


def should_retry(exc: BaseException) -> bool:
    """A deadlock the server broke by failing this run (or a serialization failure)."""
    return _sqlstate(exc) in RETRY_STATES


def unique_violation(exc: BaseException) -> bool:
    """The primary key (or another unique index) refused a row, on either engine."""
    orig = getattr(exc, "orig", None) or exc
    sqlite_code = getattr(orig, "sqlite_errorcode", None)
    return _sqlstate(exc) == UNIQUE_VIOLATION or sqlite_code in SQLITE_UNIQUE_CODES


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


def retrying(attempt: Callable[[], Run], failed_to_retry: Callable[[Run], bool]) -> Run:
    """Run `attempt` again while the server fails it to break a deadlock (never shown).

    The senders' locks are taken in id order, so two imports never deadlock on them; a
    deadlock on other rows (a colleague's edit) is broken by the server failing one side,
    whose whole transaction is rolled back and can simply run again.
    """
    run = attempt()
    for _ in range(MAX_ATTEMPTS - 1):
        if not failed_to_retry(run):
            break
        log.info("import chosen as a deadlock victim; running it again")
        run = attempt()
    return run
