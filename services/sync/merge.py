"""The row-level merge: validate, scope-check and last-writer-wins one package's records.

`prepare` turns records into validated rows, each already the parameter list of its INSERT (no
database access); `merge_rows` writes them into an open transaction with DB-API `executemany`,
counting per table what happened. On PostgreSQL the writes take the bulk path of `merge_pg`
(`COPY` into a temporary table, one upsert per table); `begin_import` sets each engine up in its
own way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from services.core.db import known_revisions
from services.core.hlc import Stamp
from services.packages.types import Record
from services.sync import merge_pg
from services.sync.bind import Rows, TablePlan, plan_for
from services.sync.convert import split_roadmap_item
from services.sync.records_v2 import programme_v2
from services.sync.report import TableCounts
from services.sync.rows import TABLE_ORDER, RowInvalid

MAX_NESTING = 100  # `parents_first` stops following parents deeper than any real plan nests
# An import writes in one transaction per run (`SyncService._transaction`). Pages the 64 MiB
# cache cannot hold spill into the write-ahead log; after the commit SQLite copies the log into
# the database file once it holds more than WAL_AUTOCHECKPOINT_PAGES pages, and `import_files`
# checkpoints whatever is left. Durability is unchanged (WAL, synchronous=FULL).
WAL_AUTOCHECKPOINT_PAGES = 10_000
CACHE_KIB = 65_536

RecordMigration = Callable[[Record], Iterable[Record]]
_NO_TABLE = object()


def _identity(rec: Record) -> Iterable[Record]:
    return (rec,)


def _before_protocols(rec: Record) -> Iterable[Record]:
    """0005 → 0006 added the protocol tables: a record of 0005 is already one of 0006.

    Not `_identity` on purpose: packages now can hold protocols, so they are stamped 0006 and a
    program that does not know the tables refuses them with «обновите Опору» (`check_schema`).
    """
    return (rec,)


# The progression columns 0008 added (nullable: an old record has them «не введено»).
PROGRESSION_0008 = (
    "gia9_admitted",
    "gia9_no_fail",
    "gia11_admitted",
    "medal_claimants",
    "badge_claimants",
    "badge_recipients",
)


def _to_0008(rec: Record) -> Iterable[Record]:
    """A 0007 record as 0008 holds it: progression rows gain their new inputs, not entered."""
    if rec.table != "progression":
        return (rec,)
    row = dict(rec.row)
    for name in PROGRESSION_0008:
        row.setdefault(name, None)
    return (Record(rec.table, row),)


def _to_0009(rec: Record) -> Iterable[Record]:
    """A 0008 record as 0009 holds it: an ИППР activity gains its deadline wording, empty."""
    if rec.table != "development_activity":
        return (rec,)
    return (Record(rec.table, {"deadline_text": "", **rec.row}),)


# Record upgrades from an older schema revision to the next one, applied in memory: each step
# turns one record into the records it becomes. The key is the sender's revision; every revision
# but the newest has one. 0001 → 0002 added only local bookkeeping tables, 0002 → 0003 and
# 0003 → 0004 only changed indexes: records are unchanged (`_identity`). 0004 → 0005 moved an
# item's status and evidence to its occurrences (`split_roadmap_item`); 0005 → 0006 added the
# protocol tables; 0006 → 0007 the programme data (`services.sync.records_v2`); 0007 → 0008
# district indicators, the assessment table and progression inputs (`_to_0008`); 0008 → 0009
# the deadline wording of an ИППР activity (`_to_0009`); 0009 → 0010 only the local key vault;
# 0010 → 0011 only local bookkeeping (who did what); 0011 → 0012 only the import log's columns;
# 0012 → 0013 only an index.
RECORD_MIGRATIONS: dict[str, RecordMigration] = {
    "0001": _identity,
    "0002": _identity,
    "0003": _identity,
    "0004": split_roadmap_item,
    "0005": _before_protocols,
    "0006": programme_v2,
    "0007": _to_0008,
    "0008": _to_0009,
    "0009": _identity,
    "0010": _identity,
    "0011": _identity,
    "0012": _identity,
}


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
        out = tuple(new for r in out for new in step(r))
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
        tops.append(max(map(itemgetter(plan_for(table).hlc_pos), items), default=None) or "")
    best = max(tops, default=None)
    return Stamp.parse(best) if best else None


Stored = tuple[str, str]  # (hlc, owner) of a stored row


def existing(conn: Connection, table: str, ids: list[str]) -> dict[str, Stored]:
    """(hlc, owner) of each of `ids` stored in `table`, read in the transaction of `conn`."""
    if not _is_sqlite(conn):
        return existing_in(conn, {table: ids})[table]
    if not ids:
        return {}
    # One JSON list of the ids, each probed in the primary key: 15–30 % faster than IN lists
    # of 900 parameters (the binding of each and SQLite's ephemeral index of them).
    cursor = _cursor(conn)
    cursor.execute(
        f'SELECT t.id, t.hlc, t.owner FROM json_each(?) AS j JOIN "{table}" AS t ON t.id = j.value',
        (json.dumps(ids),),
    )
    return {rid: (hlc, owner) for rid, hlc, owner in cursor.fetchall()}


def existing_in(
    conn: Connection, wanted: dict[str, list[str]], sender: str | None = None
) -> dict[str, dict[str, Stored]]:
    """`existing` of several tables; on PostgreSQL in one round trip, with the run's pending.

    `sender`: the ids are the rows of that owner's package; in a run that is not `exact`
    (`begin_import`), a table holding no row of it is not probed (`_holding` on SQLite,
    `merge_pg.stored_in_tables` on PostgreSQL).
    """
    if conn.info.get(_EXACT, True):  # outside a run too
        sender = None
    if _is_sqlite(conn):
        if sender is not None:
            held = _holding(conn, [t for t, ids in wanted.items() if ids], sender)
            wanted = {t: ids if t in held else [] for t, ids in wanted.items()}
        return {table: existing(conn, table, ids) for table, ids in wanted.items()}
    out: dict[str, dict[str, Stored]] = {}
    pending = _pending(conn)
    for table, rows in merge_pg.stored_in_tables(_cursor(conn), wanted, sender).items():
        found = out[table] = {rid: (hlc, owner) for rid, hlc, owner in rows}
        if pending is not None:
            pending.overlay(table, wanted[table], found)
    return out


def _holding(conn: Connection, tables: list[str], sender: str) -> set[str]:
    """The tables among `tables` that hold a row of `sender`: one look in each owner index."""
    if not tables:
        return set()
    looks = ", ".join(f'EXISTS (SELECT 1 FROM "{t}" WHERE owner = ?1)' for t in tables)
    row = _cursor(conn).execute(f"SELECT {looks}", (sender,)).fetchone()
    return {t for t, held in zip(tables, row, strict=True) if held}


def _is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def _cursor(conn: Connection) -> Any:
    """A DB-API cursor on the connection of the open transaction.

    Plain SQL with no per-row ORM bookkeeping: a district import writes hundreds of thousands of
    rows.
    """
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def begin_import(conn: Connection, *, writes: bool = True, exact: bool = True) -> None:
    """Open the import's write transaction on `conn` and set it up for bulk writes.

    pysqlite opens a transaction lazily at the first DML statement; a no-op UPDATE opens it here
    so that the reads of the checks see the same state the writes change, every package of the
    run is written in it, and deferring the foreign-key checks lasts until it ends. Without
    `writes` (a preview by a login that may only read) nothing of the run is ever written.
    Without `exact`, a run does not look up the ids of a table where the sender holds no row
    (`existing_in`); the engine runs it again exact if the primary key refuses a write.
    """
    # Only a run that writes may skip lookups: the primary key then refuses an id stored for
    # someone else, and the engine runs it again exact.
    conn.info[_EXACT] = exact or not writes
    if not _is_sqlite(conn):
        # PostgreSQL's transaction begins with the first statement and its reads see its own
        # writes, so no opening write is needed (a read-only login may preview). Its foreign
        # keys are checked per row by triggers (the writes go parent tables first), or, where
        # the login may switch those off, once per key before the commit (`merge_pg`); its
        # server settings are the DBA's. A run left behind by a failed one is gone.
        pending = conn.info[_PENDING] = merge_pg.Pending(writes=writes)
        if writes:
            pending.triggers_off = merge_pg.switch_off_row_triggers(_cursor(conn))
        return
    conn.execute(text("UPDATE app_state SET value = value WHERE key = ''"))
    conn.execute(text("PRAGMA defer_foreign_keys=ON"))
    conn.execute(text(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}"))
    conn.execute(text(f"PRAGMA cache_size=-{CACHE_KIB}"))


_PENDING = "opora_import_pending"
# Whether the open run looks up every id (`begin_import`).
_EXACT = "opora_import_exact"


def _pending(conn: Connection) -> merge_pg.Pending | None:
    pending: merge_pg.Pending | None = conn.info.get(_PENDING)
    return pending


def finish_import(conn: Connection) -> None:
    """Write what the run's packages left waiting (PostgreSQL); before the commit or preview.

    With the per-row foreign-key triggers off, every reference of the written rows is then
    checked at once (`merge_pg.DanglingReference` if one points at nothing).
    """
    conn.info.pop(_EXACT, None)
    pending = conn.info.pop(_PENDING, None)
    if pending is not None:
        cursor = _cursor(conn)
        pending.flush(cursor, TABLE_ORDER, parents_first)
        if pending.triggers_off:
            merge_pg.check_references(cursor, pending.owners)


def merge_rows(conn: Connection, rows: Rows) -> dict[str, TableCounts]:
    """Write the winning versions of one package; return the counts per table.

    Everything that can refuse a package is decided before its first write: validation
    (`prepare`), then here the owner and version of every id already stored (scope violations)
    and every reference. A refused package has written nothing, so it needs no savepoint in the
    import's transaction (a savepoint per package made SQLite copy every index page the package
    touched into its sub-journal: a third more writing time). The writes are plain inserts and
    updates of checked rows, with no constraint left to break (foreign keys are deferred and
    checked here already); if one fails all the same, the whole import is rolled back
    (`SyncService._transaction`). `conn` is in the transaction `begin_import` opened.

    One exception: a run that is not `exact` does not look up the ids of a table where the
    sender holds no row, so an id stored there for another owner is refused by the primary key
    when the row is written (inserted, or copied on PostgreSQL); the engine then repeats the
    run exact, where this function refuses the package as above (`SyncService._runs`).

    On SQLite a row whose id this transaction found not stored is written with a plain INSERT:
    the run holds the database's write lock from `begin_import` on, so nobody can store it in
    between, and an upsert (`ON CONFLICT … DO UPDATE`) wrote the same rows half as fast.
    """
    counts: dict[str, TableCounts] = {}
    writes: list[tuple[TablePlan, list[list[Any]], list[list[Any]]]] = []
    sender = next((items[0][plan_for(t).owner_pos] for t, items in rows.items() if items), None)
    stored_all = existing_in(conn, {t: _ids(plan_for(t), r) for t, r in rows.items()}, sender)
    for table, items in rows.items():
        plan = plan_for(table)
        c = counts[table] = TableCounts()
        stored = stored_all[table]
        deleted_pos = plan.deleted_pos
        if not stored:  # the usual case of a first import: every row is new
            c.deleted = sum(1 for p in items if p[deleted_pos])
            c.new = len(items) - c.deleted
            writes.append((plan, items, []))
            continue
        fresh, newer = _against_stored(plan, items, stored, c)
        writes.append((plan, fresh, newer))
    _check_references(conn, rows)
    if not _is_sqlite(conn):  # written with the next packages' (`merge_pg.Pending`)
        run = _pending(conn)
        pending = run or merge_pg.Pending()  # outside a run (`begin_import`): written now
        for plan, fresh, newer in writes:
            id_pos = plan.id_pos
            pending.add(plan, fresh + newer, [p[id_pos] for p in fresh])
        if run is None or pending.full():
            pending.flush(_cursor(conn), TABLE_ORDER, parents_first)
        return counts
    cursor = _cursor(conn)
    for plan, fresh, newer in writes:
        if fresh:
            cursor.executemany(plan.insert_sql, fresh)
        if newer:
            cursor.executemany(plan.upsert_sql, newer)
    return counts


def _against_stored(
    plan: TablePlan, items: list[list[Any]], stored: dict[str, Stored], c: TableCounts
) -> tuple[list[list[Any]], list[list[Any]]]:
    """(rows not stored, rows newer than the stored version) of a table; counted into `c`."""
    id_pos, hlc_pos, owner_pos, deleted_pos = (
        plan.id_pos,
        plan.hlc_pos,
        plan.owner_pos,
        plan.deleted_pos,
    )
    fresh: list[list[Any]] = []
    newer: list[list[Any]] = []
    for params in items:
        have = stored.get(params[id_pos])
        deleted = params[deleted_pos]
        if have is None:
            fresh.append(params)
            c.add("deleted" if deleted else "new")
            continue
        hlc, owner = have
        if owner != params[owner_pos]:
            raise ScopeViolation(
                f"таблица {plan.name}, запись {params[id_pos]}: здесь она принадлежит другой "
                "организации"
            )
        if params[hlc_pos] == hlc:
            c.add("unchanged")
        elif params[hlc_pos] < hlc:
            c.add("older")
        else:
            newer.append(params)
            c.add("deleted" if deleted else "updated")
    return fresh, newer


def _ids(plan: TablePlan, items: list[list[Any]]) -> list[str]:
    pos = plan.id_pos
    return [p[pos] for p in items]


def parents_first(plan: TablePlan, items: list[list[Any]]) -> list[list[Any]]:
    """`items` with every row after the rows of `items` it references (sections, mentors).

    PostgreSQL checks a foreign key at the end of each statement, so a child written before its
    parent in the same table would be refused; SQLite defers the check to the commit.
    """
    if not plan.self_references or len(items) < 2:
        return items
    id_pos = plan.id_pos
    pending = {p[id_pos]: p for p in items}
    out: list[list[Any]] = []

    def place(rid: str, depth: int) -> None:
        row = pending.pop(rid, None)
        if row is None:  # placed already (or a cycle, which the server then refuses)
            return
        if depth < MAX_NESTING:
            for pos in plan.self_references:
                if row[pos] is not None and row[pos] in pending:
                    place(row[pos], depth + 1)
        out.append(row)

    for rid in list(pending):
        place(rid, 0)
    return out


def _check_references(conn: Connection, rows: Rows) -> None:
    """Every reference of an incoming row must point at a row of the package or of the base."""
    for table, items in rows.items():
        for column, pos, parent in plan_for(table).references:
            wanted = {p[pos] for p in items if p[pos] is not None}
            if parent in rows:
                wanted.difference_update(_ids(plan_for(parent), rows[parent]))
            if not wanted:
                continue
            found = existing(conn, parent, sorted(wanted))
            missing = wanted - set(found)
            if missing:
                raise RowInvalid(
                    f"таблица {table}, поле {column}: ссылка на отсутствующую запись "
                    f"таблицы {parent}"
                )
