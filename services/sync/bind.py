"""Fused validation and parameter binding of incoming rows: the import's hot path (DESIGN §7).

`sync_rows.validate_record` turns a record into Python values (enum members, dates) that the
column types then bind for SQLite. Here both steps happen in one pass per row, with a plan
compiled once per table: a tuple of (column, checker, nullable) whose checker refuses exactly what
the column's converter refuses (same Russian message) and returns the value exactly as it is
bound (enum name, ISO date text, True/False, float). The row comes out as the list of statement
parameters in column order. The same parameters serve both engines: SQLite stores a bool as 1/0,
and PostgreSQL casts the untyped date and enum texts psycopg sends to the column's type.
`tests/services/test_sync_bind.py` proves the equivalence.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Date, Enum, String
from sqlalchemy.dialects import sqlite
from sqlmodel.sql.sqltypes import AutoString

from services.sync.rows import (
    INT_LIMIT,
    MAX_TEXT,
    TABLES,
    Converter,
    RowInvalid,
    TableSpec,
    _bad,
    _bool,
    _float,
    _hlc,
    _id,
    _int,
    check_shape,
)

# What `_fast_hlc` accepts at once: 13 and 5 ASCII digits, then a non-empty node after a dot.
_HLC = re.compile(r"[0-9]{13}\.[0-9]{5}\..+", re.DOTALL)
# Date texts already accepted, with the text they bind as: a school's rows repeat a few hundred
# dates, and `date.fromisoformat` is the costliest check of a row. Bounded against hostile input.
_ISO_DATES: dict[str, str] = {}
MAX_CACHED_DATES = 4096

Rows = dict[str, list[list[Any]]]  # table → rows as parameter lists in column order
Step = tuple[str, Converter, bool, int]  # column, checker, nullable, text limit (-1: not text)


def _fast_hlc(v: Any) -> Any:
    """`_hlc` with a quick accept for well-formed ASCII stamps; anything else takes `_hlc`."""
    if isinstance(v, str) and _hlc_ok(v):
        return v
    return _hlc(v)


def _bound_enum(cls: type[enum.Enum], proc: Callable[[Any], Any]) -> Converter:
    """JSON text → stored enum text; the same lookup (value first, then name) as `_enum`."""
    by_value = {str(m.value): m for m in cls}
    by_name = {m.name: m for m in cls}
    stored = {}
    for key in {*by_value, *by_name}:
        member = by_value.get(key) or by_name.get(key)
        if member is not None:
            stored[key] = proc(member)

    def conv(v: Any) -> Any:
        if not isinstance(v, str):
            raise _bad("ожидалось значение из списка")
        out = stored.get(v)
        if out is None:
            raise _bad(f"недопустимое значение «{v[:40]}»")
        return out

    conv.stored = stored  # type: ignore[attr-defined]  # the generated code looks values up
    return conv


def _checker(spec: TableSpec, name: str) -> Converter:
    """The column's converter followed by its bind processor (sqlite3 adapts dates to ISO)."""
    conv = spec.converters[name]
    t = spec.table.c[name].type
    proc = t.bind_processor(sqlite.dialect())
    if name == "hlc":
        return _fast_hlc
    if isinstance(t, Enum) and t.enum_class is not None and proc is not None:
        return _bound_enum(t.enum_class, proc)
    if isinstance(t, Date) and proc is None:

        def iso(v: Any) -> Any:
            d: date = conv(v)
            text = d.isoformat()
            if len(_ISO_DATES) < MAX_CACHED_DATES:
                _ISO_DATES[v] = text
            return text

        iso.cache = _ISO_DATES  # type: ignore[attr-defined]  # the generated code looks up
        return iso
    if proc is None:
        return conv
    if isinstance(t, Boolean):  # a bool, not 1/0: PostgreSQL has no int → boolean assignment
        return lambda v: bool(conv(v))
    bound = proc

    def both(v: Any) -> Any:
        return bound(conv(v))

    return both


def _text_limit(spec: TableSpec, name: str) -> int:
    """The length cap of a plain text column (as `sync_rows._converter` sets it), else -1."""
    t = spec.table.c[name].type
    if (
        name in ("id", "owner", "hlc")
        or isinstance(t, Enum)
        or not isinstance(t, String | AutoString)
    ):
        return -1
    limit: int = getattr(t, "length", None) or MAX_TEXT
    return limit


@dataclass(frozen=True, slots=True)
class TablePlan:
    """Everything the engine does with one table's incoming rows, compiled once."""

    spec: TableSpec
    steps: tuple[Step, ...]
    id_pos: int
    owner_pos: int
    hlc_pos: int
    deleted_pos: int
    references: tuple[tuple[str, int, str], ...]  # (column, position, parent table)
    upsert_sql: str  # qmark parameters (sqlite3); PostgreSQL writes through `merge_pg`
    insert_sql: str  # the same without ON CONFLICT, for rows the run found not stored
    self_references: tuple[int, ...]  # positions of columns referencing this same table
    fast: Callable[[Any], list[Any]] | None = None  # generated by `_compile`

    @property
    def name(self) -> str:
        return self.spec.name

    def bind(self, row: Any) -> list[Any]:
        """The row's statement parameters; RowInvalid exactly where `validate_record` raises."""
        return self.fast(row) if self.fast is not None else self.bind_generic(row)

    def bind_generic(self, row: Any) -> list[Any]:
        """`bind` as a loop over the steps (the generated code falls back to it)."""
        spec = self.spec
        check_shape(spec, row)
        out: list[Any] = []
        append = out.append
        for name, check, nullable, limit in self.steps:
            value = row[name]
            if type(value) is str and len(value) <= limit:  # what `_text(limit)` accepts
                append(value)
                continue
            if value is None:
                if not nullable:
                    raise RowInvalid(f"таблица {spec.name}, поле {name}: значение обязательно")
                append(None)
                continue
            try:
                append(check(value))
            except RowInvalid as exc:
                raise RowInvalid(f"таблица {spec.name}, поле {name}: {exc}") from None
        return out

    def bind_column(self, i: int, value: Any) -> Any:
        """One column of `bind_generic`: the generated code's path for anything unusual."""
        name, check, nullable, _limit = self.steps[i]
        if value is None:
            if not nullable:
                raise RowInvalid(f"таблица {self.spec.name}, поле {name}: значение обязательно")
            return None
        try:
            return check(value)
        except RowInvalid as exc:
            raise RowInvalid(f"таблица {self.spec.name}, поле {name}: {exc}") from None


def _plan(spec: TableSpec) -> TablePlan:
    cols = spec.columns
    names = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)
    # A row is written only over an older version: what `merge_rows` decided from its read,
    # kept true should another writer (a colleague on the same server) have got there first.
    sets = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c != "id")
    upsert = (
        f'INSERT INTO "{spec.name}" ({names}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE '
        f'SET {sets} WHERE excluded.hlc > "{spec.name}".hlc'
    )
    refs = tuple(
        (fk.parent.name, cols.index(fk.parent.name), fk.column.table.name)
        for fk in sorted(spec.table.foreign_keys, key=lambda fk: fk.parent.name)
    )
    return TablePlan(
        spec=spec,
        steps=tuple((c, _checker(spec, c), c in spec.nullable, _text_limit(spec, c)) for c in cols),
        id_pos=cols.index("id"),
        owner_pos=cols.index("owner"),
        hlc_pos=cols.index("hlc"),
        deleted_pos=cols.index("deleted"),
        references=refs,
        upsert_sql=upsert,
        insert_sql=f'INSERT INTO "{spec.name}" ({names}) VALUES ({marks})',
        self_references=tuple(pos for _c, pos, parent in refs if parent == spec.name),
    )


def _hlc_ok(v: str) -> bool:
    """The quick accept of `_fast_hlc` as a test (False: let the full check decide)."""
    return len(v) <= 64 and _HLC.fullmatch(v) is not None


def _fast_case(plan: TablePlan, i: int, env: dict[str, Any]) -> tuple[str, str] | None:
    """(condition, value) accepting a common valid value of column i inline, or None.

    Each case accepts a subset of what the column's converter accepts and gives the same bound
    value; everything else (None, wrong types, limits) goes through `bind_column`.
    """
    name, check, _nullable, limit = plan.steps[i]
    conv = plan.spec.converters[name]
    proc = plan.spec.table.c[name].type.bind_processor(sqlite.dialect())
    if limit >= 0 and proc is None:
        return f"type(v) is str and len(v) <= {limit}", "v"
    if conv is _id and proc is None:
        return "type(v) is str and 0 < len(v) <= 36", "v"
    if conv is _hlc and proc is None:
        return "type(v) is str and len(v) <= 64 and hlc_match(v) is not None", "v"
    if conv is _int and proc is None:
        return f"type(v) is int and {-INT_LIMIT} < v < {INT_LIMIT}", "v"
    if conv is _float:
        env[f"p{i}"] = proc or float
        return "type(v) is float and -1e15 <= v <= 1e15", f"p{i}(v)"
    if conv is _bool and proc is not None:
        env[f"t{i}"], env[f"f{i}"] = True, False  # as `_checker` binds them
        return "v is True or v is False", f"t{i} if v else f{i}"
    dates = getattr(check, "cache", None)
    if dates is not None:
        env[f"d{i}"] = dates
        return f"type(v) is str and v in d{i}", f"d{i}[v]"
    stored = getattr(check, "stored", None)
    if stored is not None:
        env[f"e{i}"] = stored
        return f"type(v) is str and v in e{i}", f"e{i}[v]"
    return None


def _compile(plan: TablePlan) -> Callable[[Any], list[Any]]:
    """Generate `bind` for one table: the columns unrolled, common values accepted inline."""
    env: dict[str, Any] = {
        "columns": plan.spec.column_set,
        "generic": plan.bind_generic,
        "slow": plan.bind_column,
        "hlc_match": _HLC.fullmatch,
    }
    lines = [
        "def bind(row):",
        "    if type(row) is not dict or row.keys() != columns:",
        "        return generic(row)",
    ]
    for i, (name, *_rest) in enumerate(plan.steps):
        case = _fast_case(plan, i, env)
        lines.append(f"    v = row[{name!r}]")
        if case is None:
            lines.append(f"    c{i} = slow({i}, v)")
        else:
            cond, value = case
            lines += [f"    if {cond}:", f"        c{i} = {value}"]
            if plan.steps[i][2]:  # nullable: None is stored as NULL, as `bind_column` does
                lines += ["    elif v is None:", f"        c{i} = None"]
            lines += ["    else:", f"        c{i} = slow({i}, v)"]
    lines.append(f"    return [{', '.join(f'c{i}' for i in range(len(plan.steps)))}]")
    exec("\n".join(lines), env)  # the source is built from the table's own column list
    fn: Callable[[Any], list[Any]] = env["bind"]
    return fn


@cache
def _plans() -> dict[str, TablePlan]:
    plans = {name: _plan(spec) for name, spec in TABLES.items()}
    return {name: replace(plan, fast=_compile(plan)) for name, plan in plans.items()}


def plan_for(table: Any) -> TablePlan:
    """The compiled plan of a syncable table; RowInvalid for any other name."""
    plan = _plans().get(table) if isinstance(table, str) else None
    if plan is None:
        raise RowInvalid(f"неизвестная таблица «{str(table)[:60]}»")
    return plan
