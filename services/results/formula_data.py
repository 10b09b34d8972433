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
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
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
from services.indicators.expr import InList, Name, Node, Sum, names_used, walk
from services.indicators.names import SCALARS, TABLES
from services.results.rules import EXAM_TITLES

EXAMS = {kind.name: title for kind, title in EXAM_TITLES.items()}
Key = tuple[str, int]  # owner, year
Outcome = int  # of a condition on one key:
NO_MATCH, MATCH, FAILS = 0, 1, 2


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


def _distinct(source: _Source) -> Scoped:
    distinct = f"SELECT DISTINCT {', '.join(source.keys)} FROM {source.table}" + _LIVE.format(t="")
    return Scoped(distinct, distinct + _SCOPE.format(t=""))


# The distinct keys of a table's live rows (of the years, of the owners), where no statement
# read before has found them.
DISTINCT_KEYS = {table: _distinct(source) for table, source in SOURCES.items()}
_WHOLE = "CASE WHEN COUNT({c}) = COUNT(*) THEN SUM({c}) END"  # None unless every row has it


@cache
def _progression_sums(names: tuple[str, ...]) -> Scoped:
    """The «Вся школа» and the per-level sums of the scalar inputs `names`, apart."""
    read = "".join(", " + _WHOLE.format(c=c) for c in names)
    sql = f"SELECT owner, year, level = 'all' AS whole{read} FROM progression" + _LIVE.format(t="")
    return Scoped(
        sql + " GROUP BY owner, year, whole",
        sql + _SCOPE.format(t="") + " GROUP BY owner, year, whole",
    )


def load_formula_inputs(
    session: Session,
    owners: Collection[str] | None,
    years: Collection[int],
    formulas: Sequence[Node] = (),
    known_keys: Mapping[str, Collection[tuple[Any, ...]]] | None = None,
) -> dict[Key, FormulaInputs]:
    """{(owner, year): inputs} of every school and year that has any row the formulas read.

    `known_keys`: {table: the distinct key values of its live rows of these owners and years},
    where a statement read before has found them (`load_year_data_many(vpr_keys=…)`); the
    other tables' keys are read here.
    """
    years_json = as_json(list(years))
    sums: dict[Key, dict[Sum, SumValue]] = {}
    counts: dict[Key, dict[str, int]] = {}
    by_table: dict[str, dict[Sum, None]] = {}
    for node in sums_in(formulas):
        by_table.setdefault(node.table, {})[node] = None
    for table, wanted in by_table.items():
        known = (known_keys or {}).get(table)
        for key, n, values in _table_sums(session, owners, years_json, table, list(wanted), known):
            counts.setdefault(key, {})[table] = n
            sums.setdefault(key, {}).update(values)
    # only the scalar inputs the formulas name (the others would be read and converted for
    # every school and year in vain)
    used = {name for formula in formulas for name in names_used(formula)[0]}
    names = tuple(name for name in SCALARS if name in used)
    scalars = _scalars(_progression_sums(names).run(session, owners, years_json), names)
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
    known: Collection[tuple[Any, ...]] | None = None,
) -> list[tuple[Key, int, dict[Sum, SumValue]]]:
    """(owner and year, rows, the wanted sums) of every school and year with rows in `table`."""
    source = SOURCES[table]
    if known is None:
        keys = DISTINCT_KEYS[table].run(session, owners, years_json)
    else:  # in a fixed order, so the statement's text (and its cached rewrite) is the same
        keys = sorted(known, key=lambda key: tuple(map(str, key)))
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
    # Keys with the same outcomes of every condition form one class; a row's class is found
    # once (CASE over the classes' key lists) and summed in columns of its own (`_Plan`).
    classes: dict[tuple[Outcome, ...], list[tuple[Any, ...]]] = {}
    for key in keys:
        classes.setdefault(tuple(_code(found[key]) for found in outcomes), []).append(key)
    kinds = sorted(classes, key=lambda kind: len(classes[kind]))  # the largest is the ELSE
    fields = list(dict.fromkeys(node.field for node in wanted))
    read = _columns_read(conditions, columns)
    entries = {
        tuple(key[i] for i in read): n for n, kind in enumerate(kinds) for key in classes[kind]
    }
    kind_params: list[Any] = []
    kind_sql = _classify([source.keys[i] for i in read], list(entries.items()), kind_params)
    plan = _Plan(source, kind_sql, kinds, fields)

    def run(scope: Collection[str] | None, exclusive: bool) -> dict[Key, _Found]:
        params = [*kind_params, years_json, *([as_json(scope)] if scope is not None else [])]
        return plan.read(rows(session, plan.statement(scope is not None, exclusive), params))

    groups = run(owners, False)
    mixed = sorted({owner for (owner, _year), found in groups.items() if found.mixed})
    if mixed:  # only their class rows may be counted twice: read them again, left out
        groups.update(run(mixed, True))

    # Each sum's condition and field, found once: comparing formula trees per school was slow.
    where_at = {where: c for c, where in enumerate(conditions)}
    places = [(node, where_at[node.where], 1 + 2 * fields.index(node.field)) for node in wanted]

    def sum_of(c: int, f: int, found: list[tuple[tuple[Outcome, ...], list[Any]]]) -> SumValue:
        met = [a for kind, a in found if kind[c] == MATCH]
        missing = min((a[f + 1] for a in met if a[f + 1] is not None), default=None)
        fails = [a[-1] for kind, a in found if kind[c] == FAILS]
        failure = outcomes[c][_key(min(fails))] if fails else None
        return SumValue(
            float(sum(a[f] or 0 for a in met)),
            sum(a[0] for a in met),
            ""
            if missing is None
            else row_text(dict(zip(columns, source.shown(_key(missing)), strict=True))),
            failure if isinstance(failure, Exception) else None,
        )

    return [
        (key, found.rows, {node: sum_of(c, f, found.kinds) for node, c, f in places})
        for key, found in groups.items()
    ]


def _code(outcome: bool | Exception) -> Outcome:
    if isinstance(outcome, Exception):
        return FAILS
    return MATCH if outcome else NO_MATCH


def _columns_read(conditions: list[Node | None], columns: tuple[str, ...]) -> list[int]:
    """The positions of the key columns the conditions test (the others cannot change them)."""
    names: set[str] = set()
    for n in walk(c for c in conditions if c is not None):
        if isinstance(n, Name):
            names.add(n.name)
        elif isinstance(n, InList):
            names.add(n.column)
    return [i for i, column in enumerate(columns) if column in names]


def _classify(
    columns: list[str], entries: list[tuple[tuple[Any, ...], int]], params: list[Any]
) -> str:
    """SQL giving a row's class from its `columns`: a CASE per column, the first column first.

    `entries` are (values of `columns`, class) of every key in the table; comparing a few
    column values is far cheaper per row than building and looking up a composite key.
    """
    found = {n for _values, n in entries}
    if len(found) == 1:
        return str(found.pop())
    column, rest = columns[0], columns[1:]
    by_value: dict[Any, list[tuple[tuple[Any, ...], int]]] = {}
    for values, n in entries:
        by_value.setdefault(values[0], []).append((values[1:], n))
    plain: dict[int, list[Any]] = {}  # values whose rows are all of one class
    branches: list[tuple[Any, list[tuple[tuple[Any, ...], int]]]] = []
    for value, below in by_value.items():
        classes = {n for _v, n in below}
        if len(classes) == 1:
            plain.setdefault(classes.pop(), []).append(value)
        else:
            branches.append((value, below))
    otherwise = max(plain, key=lambda n: len(plain[n])) if plain else None
    last = branches.pop() if otherwise is None else None  # then the ELSE is its subtree
    whens = []
    for n, same in plain.items():
        if n != otherwise:
            whens.append(f"WHEN t.{column} IN ({', '.join('?' * len(same))}) THEN {n}")
            params.extend(same)
    for value, below in branches:
        params.append(value)
        whens.append(f"WHEN t.{column} = ? THEN ({_classify(rest, below, params)})")
    tail = str(otherwise) if last is None else f"({_classify(rest, last[1], params)})"
    return f"CASE {' '.join(whens)} ELSE {tail} END" if whens else tail


@dataclass(frozen=True, slots=True)
class _Found:
    """One school and year of a table.

    Its rows, each present class's aggregates, and whether it has both whole-grade and class rows
    (then they may overlap).
    """

    rows: int
    kinds: list[tuple[tuple[Outcome, ...], list[Any]]]
    mixed: bool


@dataclass(frozen=True, slots=True)
class _Plan:
    """The one statement over a table, each class of keys summed in columns of its own.

    Rows are grouped by year and owner (the covering index's order, so nothing is sorted). A
    class's columns are its rows, then per field its sum and the first row that lacks it (named by
    its key; a class no condition matches needs neither), then its first key when a condition
    fails on it. The class of a row (`kind`, a CASE over key values) is found once in the inner
    SELECT.
    """

    source: _Source
    kind: str
    kinds: list[tuple[Outcome, ...]]
    fields: list[str]

    def _columns(self, n: int) -> list[str]:
        """The class's columns; the largest class (the last) has no count: it is the rest."""
        outcome, is_n = self.kinds[n], f"r.kind = {n}"
        columns = [f"COUNT(CASE WHEN {is_n} THEN 1 END)"] if n < len(self.kinds) - 1 else []
        if MATCH in outcome:
            for field in self.fields:  # the class is tested only on the rare row that lacks it
                columns += [
                    f"SUM(CASE WHEN {is_n} THEN r.{field} END)",
                    f"MIN(CASE WHEN r.{field} IS NULL AND {is_n} THEN r.named END)",
                ]
        if FAILS in outcome:
            columns.append(f"MIN(CASE WHEN {is_n} THEN r.named END)")
        return columns

    def statement(self, scoped: bool, exclusive: bool) -> str:
        """With `exclusive`, a class row is left out where its grade's whole row exists."""
        source = self.source
        named = (
            f"{source.order} || char(31) || json_array("
            + ", ".join(f"t.{column}" for column in source.keys)
            + ")"
        )
        label = "t.class_label" if source.group else "'-'"  # rows without classes never overlap
        inner = f"SELECT t.owner, t.year, {label} AS class_label, {self.kind} AS kind, "
        inner += f"{named} AS named"
        inner += "".join(f", t.{field}" for field in self.fields)
        inner += f" FROM {source.table} t" + _LIVE.format(t="t.")
        inner += _SCOPE.format(t="t.") if scoped else ""
        if exclusive:
            same = " AND ".join(f"w.{column} = t.{column}" for column in source.group)
            inner += (
                f" AND (t.class_label = '' OR NOT EXISTS (SELECT 1 FROM {source.table} w "
                f"WHERE w.year = t.year AND w.owner = t.owner AND w.deleted = 0 "
                f"AND w.class_label = '' AND {same}))"
            )
        whole = "COUNT(CASE WHEN r.class_label = '' THEN 1 END)"
        columns = [whole, "COUNT(*)"]
        for n in range(len(self.kinds)):
            columns += self._columns(n)
        return (
            f"SELECT r.owner, r.year, {', '.join(columns)} FROM ({inner}) AS r "
            "GROUP BY r.year, r.owner"
        )

    def read(self, found: Sequence[tuple[Any, ...]]) -> dict[Key, _Found]:
        widths = [len(self._columns(n)) for n in range(len(self.kinds))]
        result: dict[Key, _Found] = {}
        for owner, year, whole, total, *values in found:
            kinds, at, counted = [], 0, 0
            for n, width in enumerate(widths):
                own = values[at : at + width]
                if n < len(widths) - 1:
                    count, own = own[0], own[1:]
                    counted += count
                else:
                    count = total - counted
                if count:
                    kinds.append((self.kinds[n], self._unpacked(n, count, own)))
                at += width
            result[(owner, int(year))] = _Found(total, kinds, 0 < whole < total)
        return result

    def _unpacked(self, n: int, count: int, values: Sequence[Any]) -> list[Any]:
        """A class's values as `sum_of` reads them.

        Rows, (sum, first missing) per field, then the first key; the columns a class does not
        need are None.
        """
        outcome, at = self.kinds[n], 0
        unpacked: list[Any] = [count]
        for _field in self.fields:
            if MATCH in outcome:
                unpacked += [values[at], values[at + 1]]
                at += 2
            else:
                unpacked += [None, None]
        unpacked.append(values[at] if FAILS in outcome else None)
        return unpacked


def _key(named: str) -> tuple[Any, ...]:
    """The key of a row named by the statement («order␟[values]»)."""
    return tuple(json.loads(named.partition("\x1f")[2]))


def _scalars(
    found: Sequence[tuple[Any, ...]], names: tuple[str, ...]
) -> dict[Key, dict[str, int | None]]:
    """The «Вся школа» sums of each school and year, else the sums of its level rows."""
    by_key: dict[Key, dict[bool, tuple[Any, ...]]] = {}
    for owner, year, whole, *values in found:
        by_key.setdefault((owner, int(year)), {})[bool(whole)] = tuple(values)
    result: dict[Key, dict[str, int | None]] = {}
    for key, kinds in by_key.items():
        chosen = kinds[True] if True in kinds else kinds[False]
        result[key] = {
            name: None if v is None else int(v) for name, v in zip(names, chosen, strict=True)
        }
    return result
