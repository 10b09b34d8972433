"""Evaluating a parsed formula over one school's year of inputs.

The result is a `Ratio` (numerator ÷ denominator, as every indicator is) or, when the school
lacks an input, «нет данных» with the reason: what was not entered, or a division by zero. A
missing value is never read as 0. A formula whose top is `percent(a, b)` or `a / b * 100` keeps
a and b, so the district can add up its schools' numerators and denominators; any other
formula's value v is held as v ÷ 100 percent, i.e. shown as v.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from services.core.ratio import Ratio
from services.indicators.expr import (
    Binary,
    FormulaError,
    InList,
    Name,
    Node,
    Num,
    Percent,
    Sum,
    Text,
    Unary,
    names_used,
    walk,
)
from services.indicators.names import SCALARS, TABLES, input_title

NO_RATIO = Ratio(0, 0)
Row = Mapping[str, object]  # a table row: its `where` columns and its counts (None: not entered)


@dataclass(frozen=True, slots=True)
class SumValue:
    """One school's `sum(table.field where …)` of a year, as the loader aggregated it."""

    total: float = 0.0
    rows: int = 0  # rows that meet the condition
    missing: str = ""  # such a row whose field is not entered («6, Русский язык»)
    failure: Exception | None = None  # the condition cannot be computed on one of the rows


@dataclass(frozen=True, slots=True)
class FormulaInputs:
    """One school's inputs of one year; a scalar None or an absent table means «не введено».

    The loader (`services.results.formula_data`) gives `sums` (every `sum(…)` the formulas
    read, aggregated in SQL) and `counts` (rows of each table); `tables` holds rows in memory
    instead (a trial of a formula on sample rows), summed when a formula reads them.
    """

    scalars: Mapping[str, int | None] = field(default_factory=dict)
    tables: Mapping[str, Sequence[Row]] = field(default_factory=dict)
    sums: Mapping[Sum, SumValue] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Outcome:
    ratio: Ratio
    note: str = ""  # why there is no value («нет данных: не введено …»)
    is_share: bool = True  # a ratio of counts (0–100 %), not a free number
    error: str = ""  # the formula cannot be computed on these inputs (text used as a number…)


class _NoValue(Exception):
    def __init__(self, note: str) -> None:
        super().__init__(note)
        self.note = note


def evaluate(node: Node, inputs: FormulaInputs) -> Outcome:
    """The value of a formula for one school (never raises for missing data)."""
    missing = _missing(node, inputs)
    if missing:
        return Outcome(NO_RATIO, "нет данных: не введено — " + "; ".join(missing))
    try:
        ratio = _as_ratio(node, inputs)
        if ratio is not None:
            if ratio.denominator == 0:
                raise _NoValue("нет данных: деление на ноль (знаменатель равен 0)")
            return Outcome(ratio)
        return Outcome(Ratio(_number(node, inputs, None), 100), is_share=False)
    except _NoValue as exc:
        return Outcome(NO_RATIO, exc.note)
    except FormulaError as exc:
        return Outcome(NO_RATIO, f"нет данных: ошибка в формуле — {exc}", error=str(exc))


# What a formula reads, by the formula's id (kept with it, so the id is not reused meanwhile):
# a district evaluates the same few parsed formulas for each of its schools.
_READS: dict[int, tuple[Node, list[str], list[str]]] = {}
READS_KEPT = 256


def _reads(node: Node) -> tuple[list[str], list[str]]:
    """The scalar inputs and the tables a formula reads, sorted."""
    found = _READS.get(id(node))
    if found is None or found[0] is not node:
        if len(_READS) > READS_KEPT:
            _READS.clear()
        scalars, fields = names_used(node)
        found = _READS[id(node)] = (node, sorted(scalars), sorted({t for t, _f in fields}))
    return found[1], found[2]


def _missing(node: Node, inputs: FormulaInputs) -> list[str]:
    scalars, tables = _reads(node)
    found = [input_title(n) for n in scalars if inputs.scalars.get(n) is None]
    for table in tables:
        if not inputs.counts.get(table) and not inputs.tables.get(table):
            found.append(f"{TABLES[table].title} (нет ни одной строки за год)")
    return found


def _as_ratio(node: Node, inputs: FormulaInputs) -> Ratio | None:
    """A ÷ b of `percent(a, b)` or `a / b * 100` at the top of the formula, else None."""
    if isinstance(node, Percent):
        return Ratio(_number(node.numerator, inputs, None), _number(node.denominator, inputs, None))
    if isinstance(node, Binary) and node.op == "*":
        for share, hundred in ((node.left, node.right), (node.right, node.left)):
            if hundred == Num(100) and isinstance(share, Binary) and share.op == "/":
                return Ratio(_number(share.left, inputs, None), _number(share.right, inputs, None))
    return None


def _number(node: Node, inputs: FormulaInputs, row: Row | None) -> float:
    value = _value(node, inputs, row)
    if isinstance(value, str):
        raise FormulaError(f"текст «{value}» нельзя использовать как число")
    return value


def _value(node: Node, inputs: FormulaInputs, row: Row | None) -> float | str:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Text):
        return node.value
    if isinstance(node, Name):
        return _name(node.name, inputs, row)
    if isinstance(node, Unary):
        if node.op == "-":
            return -_number(node.operand, inputs, row)
        return float(not _number(node.operand, inputs, row))
    if isinstance(node, Binary):
        return _binary(node, inputs, row)
    if isinstance(node, InList):
        return _in_list(node, inputs, row)
    if isinstance(node, Percent):
        num, den = _number(node.numerator, inputs, row), _number(node.denominator, inputs, row)
        return 100.0 * num / _divisor(den)
    return _sum(node, inputs)


def _name(name: str, inputs: FormulaInputs, row: Row | None) -> float | str:
    if row is not None:
        value = row.get(name)  # a `where` column: a grade, a subject, a class label…
        return float(value) if isinstance(value, int | float) else str(value or "")
    scalar = inputs.scalars.get(name)
    if scalar is None:  # `_missing` has already caught it; kept for a caller that skipped it
        raise _NoValue(f"нет данных: не введено — {input_title(name)}")
    return float(scalar)


def _divisor(value: float) -> float:
    if value == 0:
        raise _NoValue("нет данных: деление на ноль (знаменатель равен 0)")
    return value


def _binary(node: Binary, inputs: FormulaInputs, row: Row | None) -> float:
    if node.op in ("and", "or"):
        left = bool(_number(node.left, inputs, row))
        if node.op == "and":
            return float(left and bool(_number(node.right, inputs, row)))
        return float(left or bool(_number(node.right, inputs, row)))
    if node.op in ("=", "!=", "<", "<=", ">", ">="):
        return float(
            _compare(node.op, _value(node.left, inputs, row), _value(node.right, inputs, row))
        )
    a, b = _number(node.left, inputs, row), _number(node.right, inputs, row)
    if node.op == "+":
        return a + b
    if node.op == "-":
        return a - b
    if node.op == "*":
        return a * b
    return a / _divisor(b)


def _compare(op: str, a: float | str, b: float | str) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        if op not in ("=", "!="):
            raise FormulaError(
                f"текст можно только сравнивать на равенство (= или !=), а не «{op}»"
            )
        same = str(a).casefold() == str(b).casefold()
        return same if op == "=" else not same
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _in_list(node: InList, inputs: FormulaInputs, row: Row | None) -> float:
    value = _name(node.column, inputs, row)
    return float(any(_compare("=", value, _value(v, inputs, row)) for v in node.values))


def sums_in(nodes: Iterable[Node]) -> list[Sum]:
    """Every `sum(…)` of the formulas (as the parser allows: not inside a condition)."""
    return [n for n in walk(nodes) if isinstance(n, Sum)]


def condition_holds(where: Node | None, row: Row) -> bool | Exception:
    """Whether a row with these `where` columns meets the condition, or why it cannot be told.

    A condition reads only the row's columns, so the loaders ask once per distinct combination
    of them (a few dozen grade × class × subject keys in a district), not once per row.
    """
    if where is None:
        return True
    try:
        return bool(_number(where, FormulaInputs(), row))
    except (FormulaError, _NoValue) as exc:
        return exc


def rows_sum(node: Sum, rows: Sequence[Row]) -> SumValue:
    """The `SumValue` of rows held in memory (the SQL loader gives the same for stored rows)."""
    total, matched, missing = 0.0, 0, ""
    for r in rows:
        holds = condition_holds(node.where, r)
        if isinstance(holds, Exception):
            return SumValue(failure=holds)
        if holds:
            matched += 1
            value = r.get(node.field)
            if not isinstance(value, int | float):
                missing = missing or row_text(r)
            else:
                total += float(value)
    return SumValue(total, matched, missing)


def _sum(node: Sum, inputs: FormulaInputs) -> float:
    found = inputs.sums.get(node)
    if found is None:
        found = rows_sum(node, inputs.tables.get(node.table, ()))
    if found.failure is not None:
        raise found.failure
    title = f"{TABLES[node.table].title}: {TABLES[node.table].fields[node.field]}"
    if not found.rows:
        raise _NoValue(f"нет данных: не введено — {title} (нет строк, подходящих под условие)")
    if found.missing:
        raise _NoValue(f"нет данных: не введено — {title} ({found.missing})")
    return found.total


def row_text(row: Row) -> str:
    """The `where` columns of a row, as a missing input names it («6, А, Русский язык»)."""
    parts = [str(row[c]) for c in ("period", "exam", "grade", "class", "subject") if row.get(c)]
    return ", ".join(parts)


def sample_inputs() -> FormulaInputs:
    """Inputs with every scalar and one row of every table, to try a formula out when saved."""
    rows: dict[str, list[Row]] = {}
    for name, spec in TABLES.items():
        row: dict[str, object] = dict.fromkeys(spec.fields, 1)
        row.update(
            {c: ("year" if c == "period" else 4 if c == "grade" else "А") for c in spec.columns}
        )
        rows[name] = [row]
    return FormulaInputs(dict.fromkeys(SCALARS, 1), rows)
