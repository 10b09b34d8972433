"""Strict validation of incoming package rows, table by table (DESIGN §6, §7).

Every record of a package is checked against the columns of its SQLModel table before anything
is written: exact column set, JSON type per column, string length caps, dates in a sane range,
enum values, valid HLC stamps. One bad record refuses the whole package.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Enum, Float, Integer, String, Table
from sqlmodel.sql.sqltypes import AutoString

from models import SYNC_TABLES, SyncFields
from services.core.hlc import Stamp
from services.packages.types import Record

MAX_TEXT = 100_000  # cap for text columns without their own max_length
MIN_YEAR, MAX_YEAR = 1900, 2100
INT_LIMIT = 2**63


class RowInvalid(ValueError):
    """A record does not fit its table; the message is Russian and names the table and field."""


Converter = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class TableSpec:
    """What the engine needs to know about one syncable table."""

    name: str
    model: type[SyncFields]
    table: Table
    columns: tuple[str, ...]
    converters: dict[str, Converter]
    nullable: frozenset[str]
    column_set: frozenset[str]


def _bad(kind: str) -> RowInvalid:
    return RowInvalid(kind)


def _text(limit: int) -> Converter:
    def conv(v: Any) -> Any:
        if not isinstance(v, str):
            raise _bad("ожидался текст")
        if len(v) > limit:
            raise _bad(f"текст длиннее {limit} символов")
        return v

    return conv


def _int(v: Any) -> Any:
    if isinstance(v, bool) or not isinstance(v, int):
        raise _bad("ожидалось целое число")
    if not -INT_LIMIT < v < INT_LIMIT:
        raise _bad("число вне допустимого диапазона")
    return v


def _float(v: Any) -> Any:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise _bad("ожидалось число")
    f = float(v)
    if not math.isfinite(f) or abs(f) > 1e15:
        raise _bad("число вне допустимого диапазона")
    return f


def _bool(v: Any) -> Any:
    if not isinstance(v, bool):
        raise _bad("ожидалось да/нет (true/false)")
    return v


def _date(v: Any) -> Any:
    if not isinstance(v, str) or len(v) != 10:
        raise _bad("ожидалась дата ГГГГ-ММ-ДД")
    try:
        d = date.fromisoformat(v)
    except ValueError as exc:
        raise _bad("ожидалась дата ГГГГ-ММ-ДД") from exc
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise _bad(f"дата вне диапазона {MIN_YEAR}–{MAX_YEAR} годов")
    return d


def _enum(cls: type[enum.Enum]) -> Converter:
    by_value = {str(m.value): m for m in cls}
    by_name = {m.name: m for m in cls}

    def conv(v: Any) -> Any:
        if not isinstance(v, str):
            raise _bad("ожидалось значение из списка")
        member = by_value.get(v) or by_name.get(v)
        if member is None:
            raise _bad(f"недопустимое значение «{v[:40]}»")
        return member

    return conv


def _hlc(v: Any) -> Any:
    if not isinstance(v, str) or len(v) > 64:
        raise _bad("неверная отметка версии")
    try:
        Stamp.parse(v)
    except ValueError as exc:
        raise _bad("неверная отметка версии") from exc
    return v


def _id(v: Any) -> Any:
    if not isinstance(v, str) or not 1 <= len(v) <= 36:
        raise _bad("неверный идентификатор")
    return v


def _converter(col: Column[Any]) -> Converter:
    if col.name == "hlc":
        return _hlc
    if col.name in ("id", "owner"):
        return _id
    t = col.type
    if isinstance(t, Enum) and t.enum_class is not None:
        return _enum(t.enum_class)
    if isinstance(t, Boolean):
        return _bool
    if isinstance(t, Integer):
        return _int
    if isinstance(t, Float):
        return _float
    if isinstance(t, DateTime):
        raise TypeError(f"unsupported synced column type DateTime: {col}")
    if isinstance(t, Date):
        return _date
    if isinstance(t, String | AutoString):
        return _text(getattr(t, "length", None) or MAX_TEXT)
    raise TypeError(f"unsupported synced column type {t!r}: {col}")


def _spec(model: type[SyncFields]) -> TableSpec:
    table: Table = model.__table__  # type: ignore[attr-defined]
    cols = tuple(c.name for c in table.columns)
    return TableSpec(
        name=table.name,
        model=model,
        table=table,
        columns=cols,
        converters={c.name: _converter(c) for c in table.columns},
        nullable=frozenset(c.name for c in table.columns if c.nullable),
        column_set=frozenset(cols),
    )


TABLES: dict[str, TableSpec] = {m.__tablename__: _spec(m) for m in SYNC_TABLES}  # type: ignore[misc]
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)


def table_title(name: str) -> str:
    """A Russian-friendly label of a table for reports (the table name itself)."""
    return name


def check_shape(spec: TableSpec, row: Any) -> None:
    """RowInvalid unless `row` is a dict with exactly the table's columns."""
    if not isinstance(row, dict):
        raise RowInvalid(f"таблица {spec.name}: запись не является набором полей")
    if row.keys() != spec.column_set:
        extra = set(row) - spec.column_set
        missing = spec.column_set - set(row)
        if extra:
            raise RowInvalid(f"таблица {spec.name}: лишние поля {', '.join(sorted(extra)[:5])}")
        raise RowInvalid(f"таблица {spec.name}: нет полей {', '.join(sorted(missing)[:5])}")


def validate_record(rec: Record) -> dict[str, Any]:
    """Return the record's row as Python values for its table; raise RowInvalid otherwise."""
    spec = TABLES.get(rec.table) if isinstance(rec.table, str) else None
    if spec is None:
        raise RowInvalid(f"неизвестная таблица «{str(rec.table)[:60]}»")
    row = rec.row
    check_shape(spec, row)
    out: dict[str, Any] = {}
    converters = spec.converters
    for name in spec.columns:
        value = row[name]
        if value is None:
            if name not in spec.nullable:
                raise RowInvalid(f"таблица {spec.name}, поле {name}: значение обязательно")
            out[name] = None
            continue
        try:
            out[name] = converters[name](value)
        except RowInvalid as exc:
            raise RowInvalid(f"таблица {spec.name}, поле {name}: {exc}") from None
    return out


def row_to_json(model_row: Any) -> dict[str, Any]:
    """A table row (ORM object or mapping) as the JSON values a package carries."""
    if hasattr(model_row, "model_dump"):
        data: dict[str, Any] = model_row.model_dump(mode="json")
        return data
    out: dict[str, Any] = {}
    for k, v in dict(model_row).items():
        if isinstance(v, enum.Enum):
            out[k] = v.value
        elif isinstance(v, date):
            out[k] = v.isoformat()
        else:
            out[k] = v
    return out
