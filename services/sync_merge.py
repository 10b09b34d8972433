"""The row-level merge: validate, scope-check and last-writer-wins one package's records.

`prepare` turns records into validated rows, each already the parameter list of its INSERT (no
database access); `merge_rows` writes them into an open transaction with DB-API `executemany`,
counting per table what happened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from services.db import known_revisions
from services.hlc import Stamp
from services.package_types import Record
from services.sync_bind import Rows, TablePlan, plan_for
from services.sync_report import TableCounts
from services.sync_rows import TABLE_ORDER, RowInvalid

CHUNK = 900
# A package inserts ~1,000 random ids into the id index of each table: every commit dirties about
# one index page per row. The default autocheckpoint (1,000 pages) copied every commit's pages to
# the database file again; checkpointing every ~40 MB copies a page once per several packages.
# Durability is unchanged (WAL, synchronous=FULL); `SyncService.import_files` checkpoints at the
# end. A 64 MiB page cache keeps those index pages in memory from one package to the next.
WAL_AUTOCHECKPOINT_PAGES = 10_000
CACHE_KIB = 65_536

RecordMigration = Callable[[Record], Record]
_NO_TABLE = object()


def _identity(rec: Record) -> Record:
    return rec


# Record upgrades from an older schema revision to the next one, applied in memory. The key is
# the sender's revision; every revision but the newest has one. 0001 → 0002 added only local
# bookkeeping tables and 0002 → 0003 only changed indexes: records are unchanged (`_identity`).
RECORD_MIGRATIONS: dict[str, RecordMigration] = {"0001": _identity, "0002": _identity}


def package_schema(known: Sequence[str] | None = None) -> str:
    """The revision written into a package: the newest one whose records differ from before.

    A revision that changed only local tables or indexes (an `_identity` step) changes nothing a
    package holds, so packages stay readable by a program that does not know it yet: a district
    that updates first can still send bulletins to schools that have not.
    """
    revisions = list(known if known is not None else known_revisions())
    i = len(revisions) - 1
    while i > 0 and RECORD_MIGRATIONS[revisions[i - 1]] is _identity:
        i -= 1
    return revisions[i]


def records_change(schema: str, known: Sequence[str]) -> bool:
    """Whether records written at `schema` are transformed on their way to the newest revision."""
    start = list(known).index(schema)
    return any(RECORD_MIGRATIONS[rev] is not _identity for rev in known[start:-1])


class ScopeViolation(ValueError):
    """A row not owned by the signer (or owned by someone else here): the package is refused."""


def migrate_records(
    records: Sequence[Record], schema: str, known: Sequence[str]
) -> tuple[Record, ...]:
    """Upgrade records written at `schema` to the newest known revision."""
    start = list(known).index(schema)
    out = tuple(records)
    for rev in known[start:-1]:
        step = RECORD_MIGRATIONS[rev]
        out = tuple(step(r) for r in out)
    return out


def prepare(records: Sequence[Record], owner: str) -> Rows:
    """Validate every record, refuse duplicates and foreign rows; group rows by table.

    Each row comes out as its statement parameters in column order (`sync_bind.TablePlan`).
    """
    by_table: dict[str, list[list[Any]]] = {}
    seen: dict[str, set[str]] = {}
    name: object = _NO_TABLE
    for rec in records:
        if rec.table != name:  # records come grouped by table: set up once per group
            plan = plan_for(rec.table)
            name = plan.name
            bind = plan.fast or plan.bind
            id_pos, owner_pos = plan.id_pos, plan.owner_pos
            ids = seen.setdefault(plan.name, set())
            out = by_table.setdefault(plan.name, [])
        params = bind(rec.row)
        rid = params[id_pos]
        if rid in ids:
            raise RowInvalid(f"таблица {name}: запись {rid} встречается дважды")
        ids.add(rid)
        if params[owner_pos] != owner:
            raise ScopeViolation(f"таблица {name}, запись {rid}: принадлежит другой организации")
        out.append(params)
    return {t: by_table[t] for t in TABLE_ORDER if t in by_table}


def max_stamp(rows: Rows) -> Stamp | None:
    tops = []
    for table, items in rows.items():
        pos = plan_for(table).hlc_pos
        tops.append(max((p[pos] for p in items), default=None) or "")
    best = max(tops, default=None)
    return Stamp.parse(best) if best else None


def _existing(conn: Connection, table: str, ids: list[str]) -> dict[str, tuple[str, str]]:
    cursor = _cursor(conn)
    found: dict[str, tuple[str, str]] = {}
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f'SELECT id, hlc, owner FROM "{table}" WHERE id IN ({marks})'
        for rid, hlc, owner in cursor.execute(sql, chunk):
            found[rid] = (hlc, owner)
    return found


def _cursor(conn: Connection) -> Any:
    """A DB-API cursor on the connection of the open transaction.

    Plain SQL with no per-row ORM bookkeeping: a district import writes hundreds of thousands of
    rows.
    """
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def begin_import(conn: Connection) -> None:
    """Open the import's write transaction on `conn` and set it up for bulk writes.

    pysqlite opens a transaction lazily at the first DML statement; a no-op UPDATE opens it here,
    so that the reads of the checks see the same state the writes change, the per-package
    savepoints nest inside it, and deferring the foreign-key checks lasts until it ends.
    """
    conn.execute(text("UPDATE app_state SET value = value WHERE key = ''"))
    conn.execute(text("PRAGMA defer_foreign_keys=ON"))
    conn.execute(text(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}"))
    conn.execute(text(f"PRAGMA cache_size=-{CACHE_KIB}"))


def savepoint(conn: Connection, action: str) -> None:
    """`begin`, `release` or `rollback` the savepoint of one package inside the import.

    Plain SQL on the DB-API connection: the ORM session around it has nothing pending at either
    end (`SyncService._import` flushes first), and a savepoint that SQLite already dropped with a
    failed transaction must not be rolled back by the ORM on its way out.
    """
    sql = {
        "begin": "SAVEPOINT package",
        "release": "RELEASE package",
        "rollback": "ROLLBACK TO package",
    }[action]
    _cursor(conn).execute(sql)
    if action == "rollback":
        _cursor(conn).execute("RELEASE package")


def merge_rows(conn: Connection, rows: Rows) -> dict[str, TableCounts]:
    """Write the winning versions; return the counts per table. Raises on scope or FK errors.

    `conn` is in the transaction `begin_import` opened.
    """
    cursor = _cursor(conn)
    counts: dict[str, TableCounts] = {}
    for table, items in rows.items():
        plan = plan_for(table)
        c = counts.setdefault(table, TableCounts())
        id_pos, hlc_pos, owner_pos, deleted_pos = (
            plan.id_pos,
            plan.hlc_pos,
            plan.owner_pos,
            plan.deleted_pos,
        )
        if _insert_first_rows(cursor, plan, items):
            deleted = sum(1 for p in items if p[deleted_pos])
            c.new += len(items) - deleted
            c.deleted += deleted
            continue
        existing = _existing(conn, table, [p[id_pos] for p in items])
        inserts: list[list[Any]] = []
        updates: list[list[Any]] = []
        for params in items:
            have = existing.get(params[id_pos])
            deleted = params[deleted_pos]
            if have is None:
                inserts.append(params)
                c.add("deleted" if deleted else "new")
                continue
            hlc, owner = have
            if owner != params[owner_pos]:
                raise ScopeViolation(
                    f"таблица {table}, запись {params[id_pos]}: здесь она принадлежит другой "
                    "организации"
                )
            if params[hlc_pos] == hlc:
                c.add("unchanged")
            elif params[hlc_pos] < hlc:
                c.add("older")
            else:
                updates.append(plan.update_params(params))
                c.add("deleted" if deleted else "updated")
        if inserts:
            cursor.executemany(plan.insert_sql, inserts)
        if updates:
            cursor.executemany(plan.update_sql, updates)
    _check_references(conn, rows)
    return counts


def _insert_first_rows(cursor: Any, plan: TablePlan, items: list[list[Any]]) -> bool:
    """Insert the rows of an owner that has none in this table yet, without looking up each id.

    That is every table of a school's first package: most of what a district ever imports. An
    id that exists here already can only be someone else's row; the unique key refuses it, this
    insert is undone and the careful path (`merge_rows`) names the scope violation. False: not
    the first rows, or undone; nothing written.
    """
    owner = items[0][plan.owner_pos]
    sql = f'SELECT 1 FROM "{plan.name}" WHERE owner = ? LIMIT 1'
    if cursor.execute(sql, (owner,)).fetchone() is not None:
        return False
    cursor.execute("SAVEPOINT first_rows")
    try:
        cursor.executemany(plan.insert_sql, items)
    except sqlite3.IntegrityError:
        cursor.execute("ROLLBACK TO first_rows")
        cursor.execute("RELEASE first_rows")
        return False
    cursor.execute("RELEASE first_rows")
    return True


def _check_references(conn: Connection, rows: Rows) -> None:
    """Every reference of an incoming row must point at a row of the package or of the base."""
    for table, items in rows.items():
        for column, pos, parent in plan_for(table).references:
            wanted = {p[pos] for p in items if p[pos] is not None}
            if parent in rows:
                wanted -= {p[plan_for(parent).id_pos] for p in rows[parent]}
            if not wanted:
                continue
            found = _existing(conn, parent, sorted(wanted))
            missing = wanted - set(found)
            if missing:
                raise RowInvalid(
                    f"таблица {table}, поле {column}: ссылка на отсутствующую запись "
                    f"таблицы {parent}"
                )
