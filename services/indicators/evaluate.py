"""Evaluating a parsed formula over one school's year of inputs.

The result is a `Ratio` (numerator ÷ denominator, as every indicator is) or, when the school
lacks an input, «нет данных» with the reason: what was not entered, or a division by zero. A
missing value is never read as 0. A formula whose top is `percent(a, b)` or `a / b * 100` keeps
a and b, so the district can add up its schools' numerators and denominators; any other
formula's value v is held as v ÷ 100 percent, i.e. shown as v.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
)
from services.indicators.names import SCALARS, TABLES, input_title

NO_RATIO = Ratio(0, 0)
Row = Mapping[str, object]  # a table row: its `where` columns and its counts (None: not entered)
# A row may carry its `where` columns' values, in the order of `TableSpec.columns`, under this
# key (not a name a formula can write): the loader makes it once instead of every `sum` again.
ROW_KEY = "@key"


@dataclass(frozen=True, slots=True)
class FormulaInputs:
    """One school's inputs of one year; a scalar None or an absent table means «не введено»."""

    scalars: Mapping[str, int | None] = field(default_factory=dict)
    tables: Mapping[str, Sequence[Row]] = field(default_factory=dict)


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


def _missing(node: Node, inputs: FormulaInputs) -> list[str]:
    scalars, fields = names_used(node)
    found = [input_title(n) for n in sorted(scalars) if inputs.scalars.get(n) is None]
    for table in sorted({t for t, _f in fields}):
        if not inputs.tables.get(table):
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


# Whether a row meets a `where` depends only on the condition and the row's columns (the parser
# allows nothing else in it), and a district's schools share a few dozen grade × subject pairs:
# remembered per condition, the condition is evaluated once per pair instead of once per row.
# Keyed by the condition's id, with the condition kept (so the id is not reused meanwhile).
_MATCHES: dict[int, tuple[Node, dict[tuple[object, ...], bool]]] = {}
MATCHES_KEPT = 256


def _sum(node: Sum, inputs: FormulaInputs) -> float:
    rows = inputs.tables.get(node.table, ())
    if node.where is not None:
        rows = _matching(node.where, TABLES[node.table].columns, rows, inputs)
    title = f"{TABLES[node.table].title}: {TABLES[node.table].fields[node.field]}"
    if not rows:
        raise _NoValue(f"нет данных: не введено — {title} (нет строк, подходящих под условие)")
    total = 0.0
    for r in rows:
        value = r.get(node.field)
        if not isinstance(value, int | float):  # None: not entered
            raise _NoValue(f"нет данных: не введено — {title} ({_row_text(r)})")
        total += float(value)
    return total


def _matching(
    where: Node, columns: Mapping[str, str], rows: Sequence[Row], inputs: FormulaInputs
) -> list[Row]:
    entry = _MATCHES.get(id(where))
    if entry is None or entry[0] is not where:
        if len(_MATCHES) > MATCHES_KEPT:
            _MATCHES.clear()
        entry = _MATCHES[id(where)] = (where, {})
    memo = entry[1]
    names = tuple(columns)
    kept: list[Row] = []
    for r in rows:
        made = r.get(ROW_KEY)
        key = made if isinstance(made, tuple) else tuple([r.get(c) for c in names])
        found = memo.get(key)
        if found is None:
            found = memo[key] = bool(_number(where, inputs, r))
        if found:
            kept.append(r)
    return kept


def _row_text(row: Row) -> str:
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
