"""The results figures a district formula reads, for many schools and years at once.

Every `sum(table.field where …)` of the formulas is aggregated in SQL: one GROUP BY owner, year
per table for all the sums over it. The condition of a sum reads only a row's `where` columns,
so it is evaluated (by `services.indicators.evaluate`, the evaluator of the formulas) once per
distinct combination of them found in the table — a few dozen grade × class × subject keys —
and the statement joins each row to its key's outcome. The results area's rule against double
counting holds: a whole-grade row (class «») of a grade and subject (and period) wins over its
class rows, and a «Вся школа» progression row over the per-level rows. An input that some summed
row lacks (None) stays «не введено» for the school: never a partial sum.

A school's own figures come from the same statements scoped to it (`Scoped`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from services.core.sql_select import JSON_LIST, Scoped, as_json, rows
from services.indicators.evaluate import (
    FormulaInputs,
    SumValue,
    condition_holds,
    row_text,
    sums_in,
)
from services.indicators.expr import Node, Sum
from services.indicators.names import SCALARS, TABLES
from services.results.rules import EXAM_TITLES

EXAMS = {kind.name: title for kind, title in EXAM_TITLES.items()}
Key = tuple[str, int]  # owner, year


@dataclass(frozen=True, slots=True)
class _Source:
    """Where a formula table's rows live.

    The SQL table, its key columns (in the order of `TableSpec.columns`) and the columns of a
    group whose whole-grade row wins over its class rows.
    """

    table: str
    keys: tuple[str, ...]
    group: tuple[str, ...] = ()  # empty: rows never overlap
    order: str = "''"  # SQL text that sorts a row's key as its values do (grades as numbers)
    shown: Callable[[tuple[Any, ...]], tuple[Any, ...]] = tuple  # stored key -> what a
    # condition compares (the exam's title, not its stored name)


SOURCES = {
    "vpr": _Source(
        "vpr_result",
        ("grade", "class_label", "subject"),
        ("grade", "subject"),
        "printf('%03d', t.grade)",
    ),
    "gia": _Source(
        "gia_result", ("exam", "subject"), shown=lambda k: (EXAMS.get(k[0], k[0]), k[1])
    ),
    "assessment": _Source(
        "assessment_result",
        ("period", "grade", "class_label", "subject"),
        ("period", "grade", "subject"),
        "t.period || printf('%03d', t.grade)",
    ),
}
_LIVE = " WHERE {t}deleted = 0 AND {t}year IN " + JSON_LIST
_SCOPE = " AND {t}owner IN " + JSON_LIST
_WHOLE = "CASE WHEN COUNT({c}) = COUNT(*) THEN SUM({c}) END"  # None unless every row has it
_PROGRESSION = (
    "SELECT owner, year, level = 'all' AS whole, "
    + ", ".join(_WHOLE.format(c=c) for c in SCALARS)
    + " FROM progression"
)
PROGRESSION_SUMS = Scoped(
    _PROGRESSION + _LIVE.format(t="") + " GROUP BY owner, year, whole",
    _PROGRESSION + _LIVE.format(t="") + _SCOPE.format(t="") + " GROUP BY owner, year, whole",
)


def load_formula_inputs(
    session: Session,
    owners: Collection[str] | None,
    years: Collection[int],
    formulas: Sequence[Node] = (),
) -> dict[Key, FormulaInputs]:
    """{(owner, year): inputs} of every school and year that has any row the formulas read."""
    years_json = as_json(list(years))
    sums: dict[Key, dict[Sum, SumValue]] = {}
    counts: dict[Key, dict[str, int]] = {}
    by_table: dict[str, dict[Sum, None]] = {}
    for node in sums_in(formulas):
        by_table.setdefault(node.table, {})[node] = None
    for table, wanted in by_table.items():
        for key, n, values in _table_sums(session, owners, years_json, table, list(wanted)):
            counts.setdefault(key, {})[table] = n
            sums.setdefault(key, {}).update(values)
    scalars = _scalars(PROGRESSION_SUMS.run(session, owners, years_json))
    return {
        key: FormulaInputs(scalars.get(key, {}), sums=sums.get(key, {}), counts=counts.get(key, {}))
        for key in set(sums) | set(scalars)
    }


def _table_sums(
    session: Session,
    owners: Collection[str] | None,
    years_json: str,
    table: str,
    wanted: list[Sum],
) -> list[tuple[Key, int, dict[Sum, SumValue]]]:
    """(owner and year, rows, the wanted sums) of every school and year with rows in `table`."""
    source = SOURCES[table]
    distinct = f"SELECT DISTINCT {', '.join(source.keys)} FROM {source.table}" + _LIVE.format(t="")
    keys = Scoped(distinct, distinct + _SCOPE.format(t="")).run(session, owners, years_json)
    if not keys:
        return []
    columns = tuple(TABLES[table].columns)
    conditions = list(dict.fromkeys(node.where for node in wanted))
    outcomes = [
        {
            key: condition_holds(where, dict(zip(columns, source.shown(key), strict=True)))
            for key in keys
        }
        for where in conditions
    ]
    sums = [(conditions.index(node.where), node.field) for node in wanted]
    sql, params = _statement(source, outcomes, sums, scoped=owners is not None)
    params.append(years_json)
    if owners is not None:
        params.append(as_json(owners))

    def named(found: str | None) -> str:
        return (
            ""
            if found is None
            else row_text(dict(zip(columns, source.shown(_key(found)), strict=True)))
        )

    result = []
    for owner, year, n, *aggregates in rows(session, sql, params):
        values: dict[Sum, SumValue] = {}
        for i, (want, (c, _field)) in enumerate(zip(wanted, sums, strict=True)):
            matched, failing = aggregates[2 * c : 2 * c + 2]
            total, missing = aggregates[
                2 * len(conditions) + 2 * i : 2 * len(conditions) + 2 * i + 2
            ]
            failure = None if failing is None else outcomes[c][_key(failing)]
            values[want] = SumValue(
                float(total or 0),
                int(matched or 0),
                named(missing),
                failure if isinstance(failure, Exception) else None,
            )
        result.append(((owner, int(year)), int(n), values))
    return result


def _statement(
    source: _Source,
    outcomes: list[dict[tuple[Any, ...], bool | Exception]],
    sums: list[tuple[int, str]],
    *,
    scoped: bool,
) -> tuple[str, list[Any]]:
    """One GROUP BY owner, year; a row meets a condition when its key is in the condition's list.

    The lists are bound once as numbered parameters (`?N`) and used by every aggregate that
    needs them; a row whose key fails a condition is named by its key (`json_array`).
    """
    params: list[Any] = []
    row_key = "(" + ", ".join(f"t.{column}" for column in source.keys) + ")"

    def among(keys: list[tuple[Any, ...]]) -> str:
        if not keys:
            return "0"
        listed = []
        for key in keys:
            numbers = range(len(params) + 1, len(params) + len(key) + 1)
            listed.append("(" + ", ".join(f"?{n}" for n in numbers) + ")")
            params.extend(key)
        return f"{row_key} IN (VALUES {', '.join(listed)})"

    # The first key in the order of its values (MIN), then the key itself to be read back.
    named = (
        f"{source.order} || char(31) || json_array("
        + ", ".join(f"t.{column}" for column in source.keys)
        + ")"
    )
    aggregates, meets = ["COUNT(*)"], []
    for found in outcomes:
        met = [k for k, v in found.items() if v is True]
        meets.append("1" if len(met) == len(found) else among(met))
        fails = among([k for k, v in found.items() if isinstance(v, Exception)])
        aggregates += [f"SUM({meets[-1]})", f"MIN(CASE WHEN {fails} THEN {named} END)"]
    for c, field in sums:
        aggregates += [
            f"SUM(CASE WHEN {meets[c]} THEN t.{field} END)",
            f"MIN(CASE WHEN t.{field} IS NULL AND {meets[c]} THEN {named} END)",
        ]
    sql = f"SELECT t.owner, t.year, {', '.join(aggregates)} FROM {source.table} t" + _LIVE.format(
        t="t."
    )
    if scoped:
        sql += _SCOPE.format(t="t.")
    if source.group:
        same = " AND ".join(f"w.{column} = t.{column}" for column in source.group)
        sql += (
            f" AND (t.class_label = '' OR NOT EXISTS (SELECT 1 FROM {source.table} w "
            f"WHERE w.year = t.year AND w.owner = t.owner AND w.deleted = 0 "
            f"AND w.class_label = '' AND {same}))"
        )
    return sql + " GROUP BY t.owner, t.year", params


def _key(named: str) -> tuple[Any, ...]:
    """The key of a row named by the statement («order␟[values]»)."""
    return tuple(json.loads(named.partition("\x1f")[2]))


def _scalars(found: Sequence[tuple[Any, ...]]) -> dict[Key, dict[str, int | None]]:
    """The «Вся школа» sums of each school and year, else the sums of its level rows."""
    by_key: dict[Key, dict[bool, tuple[Any, ...]]] = {}
    for owner, year, whole, *values in found:
        by_key.setdefault((owner, int(year)), {})[bool(whole)] = tuple(values)
    result: dict[Key, dict[str, int | None]] = {}
    for key, kinds in by_key.items():
        chosen = kinds.get(True) or kinds[False]
        result[key] = {
            name: None if v is None else int(v) for name, v in zip(SCALARS, chosen, strict=True)
        }
    return result
