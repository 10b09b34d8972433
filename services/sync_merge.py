"""The row-level merge: validate, scope-check and last-writer-wins one package's records.

`prepare` turns records into validated rows (no database access); `merge_rows` writes them into
an open transaction with SQL Core statements (executemany), counting per table what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from services.hlc import Stamp
from services.package_types import Record
from services.sync_report import TableCounts
from services.sync_rows import TABLE_ORDER, TABLES, RowInvalid, validate_record

CHUNK = 900

RecordMigration = Callable[[Record], Record]


def _identity(rec: Record) -> Record:
    return rec


# Record upgrades from an older schema revision to the next one, applied in memory. The key is
# the sender's revision. 0001 → 0002 added only local bookkeeping tables: records are unchanged.
RECORD_MIGRATIONS: dict[str, RecordMigration] = {"0001": _identity}


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


def prepare(records: Sequence[Record], owner: str) -> dict[str, list[dict[str, Any]]]:
    """Validate every record, refuse duplicates and foreign rows; group rows by table."""
    by_table: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, str]] = set()
    for rec in records:
        row = validate_record(rec)
        key = (rec.table, row["id"])
        if key in seen:
            raise RowInvalid(f"таблица {rec.table}: запись {row['id']} встречается дважды")
        seen.add(key)
        if row["owner"] != owner:
            raise ScopeViolation(
                f"таблица {rec.table}, запись {row['id']}: принадлежит другой организации"
            )
        by_table.setdefault(rec.table, []).append(row)
    return {t: by_table[t] for t in TABLE_ORDER if t in by_table}


def max_stamp(rows: dict[str, list[dict[str, Any]]]) -> Stamp | None:
    best = max((r["hlc"] for rs in rows.values() for r in rs), default=None)
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


class _Writer:
    """INSERT and UPDATE of whole rows of one table.

    Values are converted by the column types' own bind processors (enum names, ISO dates), exactly
    as SQLAlchemy would store them.
    """

    def __init__(self, conn: Connection, table: str) -> None:
        spec = TABLES[table]
        self.columns = spec.columns
        self.processors = [
            spec.table.c[name].type.bind_processor(conn.dialect) for name in spec.columns
        ]
        names = ", ".join(f'"{c}"' for c in self.columns)
        marks = ", ".join("?" for _ in self.columns)
        sets = ", ".join(f'"{c}" = ?' for c in self.columns if c != "id")
        self.insert_sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
        self.update_sql = f'UPDATE "{table}" SET {sets} WHERE id = ?'

    def values(self, row: dict[str, Any]) -> list[Any]:
        out = []
        for name, proc in zip(self.columns, self.processors, strict=True):
            value = row[name]
            out.append(proc(value) if proc is not None and value is not None else value)
        return out

    def insert(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        _cursor(conn).executemany(self.insert_sql, [self.values(r) for r in rows])

    def update(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        params = []
        for row in rows:
            values = self.values(row)
            rid = values.pop(self.columns.index("id"))
            params.append([*values, rid])
        _cursor(conn).executemany(self.update_sql, params)


def merge_rows(conn: Connection, rows: dict[str, list[dict[str, Any]]]) -> dict[str, TableCounts]:
    """Write the winning versions; return the counts per table. Raises on scope or FK errors."""
    # pysqlite opens the transaction lazily at the first DML statement; a no-op UPDATE starts it
    # so that deferring the foreign-key checks lasts until this transaction ends.
    conn.execute(text("UPDATE app_state SET value = value WHERE key = ''"))
    conn.execute(text("PRAGMA defer_foreign_keys=ON"))
    counts: dict[str, TableCounts] = {}
    for table, items in rows.items():
        c = counts.setdefault(table, TableCounts())
        existing = _existing(conn, table, [r["id"] for r in items])
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for row in items:
            have = existing.get(row["id"])
            if have is None:
                inserts.append(row)
                c.add("deleted" if row["deleted"] else "new")
                continue
            hlc, owner = have
            if owner != row["owner"]:
                raise ScopeViolation(
                    f"таблица {table}, запись {row['id']}: здесь она принадлежит другой организации"
                )
            if row["hlc"] == hlc:
                c.add("unchanged")
            elif row["hlc"] < hlc:
                c.add("older")
            else:
                updates.append(row)
                c.add("deleted" if row["deleted"] else "updated")
        writer = _Writer(conn, table)
        if inserts:
            writer.insert(conn, inserts)
        if updates:
            writer.update(conn, updates)
    _check_references(conn, rows)
    return counts


def _check_references(conn: Connection, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Every reference of an incoming row must point at a row of the package or of the base."""
    for table, items in rows.items():
        for fk in TABLES[table].table.foreign_keys:
            column, parent = fk.parent.name, fk.column.table.name
            wanted = {r[column] for r in items if r[column] is not None}
            wanted -= {r["id"] for r in rows.get(parent, ())}
            if not wanted:
                continue
            found = _existing(conn, parent, sorted(wanted))
            missing = wanted - set(found)
            if missing:
                raise RowInvalid(
                    f"таблица {table}, поле {column}: ссылка на отсутствующую запись "
                    f"таблицы {parent}"
                )
