"""Fused validation and parameter binding of incoming rows: the import's hot path (DESIGN §7).

`sync_rows.validate_record` turns a record into Python values (enum members, dates) that the
column types then bind for SQLite. Here both steps happen in one pass per row, with a plan
compiled once per table: a tuple of (column, checker, nullable) whose checker refuses exactly what
the column's converter refuses (same Russian message) and returns the value exactly as it is
bound (enum name, ISO date text, 1/0, float). The row comes out as the list of statement
parameters in column order. `tests/services/test_sync_bind.py` proves the equivalence.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Date, Enum, String
from sqlalchemy.dialects import sqlite
from sqlmodel.sql.sqltypes import AutoString

from services.sync_rows import MAX_TEXT, TABLES, Converter, RowInvalid, TableSpec, _bad, _hlc

Rows = dict[str, list[list[Any]]]  # table → rows as parameter lists in column order
Step = tuple[str, Converter, bool, int]  # column, checker, nullable, text limit (-1: not text)


def _fast_hlc(v: Any) -> Any:
    """`_hlc` with a quick accept for well-formed ASCII stamps; anything else takes `_hlc`."""
    if isinstance(v, str) and len(v) <= 64:
        parts = v.split(".", 2)
        if (
            len(parts) == 3
            and len(parts[0]) == 13
            and len(parts[1]) == 5
            and parts[2]
            and parts[0].isascii()
            and parts[1].isascii()
            and parts[0].isdigit()
            and parts[1].isdigit()
        ):
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
            return d.isoformat()

        return iso
    if proc is None:
        return conv
    if isinstance(t, Boolean):
        return lambda v: 1 if conv(v) else 0
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
    insert_sql: str
    update_sql: str

    @property
    def name(self) -> str:
        return self.spec.name

    def bind(self, row: Any) -> list[Any]:
        """The row's statement parameters; RowInvalid exactly where `validate_record` raises."""
        spec = self.spec
        if not isinstance(row, dict):
            raise RowInvalid(f"таблица {spec.name}: запись не является набором полей")
        if row.keys() != spec.column_set:
            extra = set(row) - spec.column_set
            missing = spec.column_set - set(row)
            if extra:
                raise RowInvalid(f"таблица {spec.name}: лишние поля {', '.join(sorted(extra)[:5])}")
            raise RowInvalid(f"таблица {spec.name}: нет полей {', '.join(sorted(missing)[:5])}")
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

    def update_params(self, params: list[Any]) -> list[Any]:
        """Parameters of `update_sql`: every column but id, then id."""
        i = self.id_pos
        return [*params[:i], *params[i + 1 :], params[i]]


def _plan(spec: TableSpec) -> TablePlan:
    cols = spec.columns
    names = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in cols)
    sets = ", ".join(f'"{c}" = ?' for c in cols if c != "id")
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
        insert_sql=f'INSERT INTO "{spec.name}" ({names}) VALUES ({marks})',
        update_sql=f'UPDATE "{spec.name}" SET {sets} WHERE id = ?',
    )


@cache
def _plans() -> dict[str, TablePlan]:
    return {name: _plan(spec) for name, spec in TABLES.items()}


def plan_for(table: Any) -> TablePlan:
    """The compiled plan of a syncable table; RowInvalid for any other name."""
    plan = _plans().get(table) if isinstance(table, str) else None
    if plan is None:
        raise RowInvalid(f"неизвестная таблица «{str(table)[:60]}»")
    return plan
