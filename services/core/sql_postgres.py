"""The SQLite functions and typing of the set-based statements, rewritten for PostgreSQL.

The loaders' statements are written once, for SQLite (`sql_select`). What differs on a
PostgreSQL workspace only mechanically is rewritten here, once per statement text:

- SQLite's truth values are the integers 0 and 1, PostgreSQL's are booleans: an aggregate over
  a condition (`SUM(status = 'DONE')`, `MAX(is_young_specialist)`) and a parenthesised condition
  given a name (`(form = 'COURSE' AND …) AS pk0`) become integers, and `flag = 0/1` on a boolean
  column becomes `flag = false/true`;
- `iif(c, a, b)` → `CASE WHEN c THEN a ELSE b END`; `printf('%03d', x)` → `lpad(x::text, 3, '0')`;
  `char(31)` → `chr(31)`; `json_array(…)` and `json_group_array(x)` → the same JSON as text;
- a subquery in FROM gets the name PostgreSQL 15 requires;
- MIN/MAX of a concatenation compare bytes (COLLATE "C"), as SQLite does, whatever the
  database's collation: those keys are chosen by their byte order.

A statement that needs more than this keeps both texts side by side in its own module.
"""

from __future__ import annotations

import re
from functools import cache

import sqlalchemy as sa
from sqlmodel import SQLModel

_CALL = re.compile(r"\b(iif|printf|char|json_array|json_group_array|sum|max|min)\(", re.I)
_CONDITION = re.compile(
    r"<>|<=|>=|!=|[=<>]|\b(?:AND|OR|NOT|IS|IN|EXISTS|LIKE|BETWEEN)\b", re.IGNORECASE
)
_NOT_A_CONDITION = re.compile(r"\s*(?:CASE|SELECT|WITH)\b", re.IGNORECASE)
_COLUMN = re.compile(r"(?:\w+\.)?(\w+)")
_SUBQUERY = re.compile(r"\b(?:FROM|JOIN)\s*\(", re.IGNORECASE)
_ALIAS = re.compile(r"\s*(?:AS\s+)?(\w+)", re.IGNORECASE)
# `(x) AS integer` inside CAST names a type, not a column
_NAMED_AS = re.compile(r"\s+AS\s+(?!(?:integer|text|json)\b)\w+", re.IGNORECASE)
_NOT_AN_ALIAS = frozenset(
    (
        *("WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "JOIN", "LEFT", "RIGHT"),
        *("INNER", "CROSS", "FULL", "ON", "UNION", "EXCEPT", "INTERSECT", "WINDOW"),
    )
)
_ZERO_PADDED = re.compile(r"'%0(\d+)d'")
_FLAG = re.compile(r"\b((?:\w+\.)?(\w+)) = ([01])\b")


def rewrite(sql: str) -> str:
    """The statement with SQLite's functions and 0/1 truth values in PostgreSQL's terms."""
    return _alias_subqueries(_named_conditions(_calls(sql)))


def flags_as_booleans(sql: str) -> str:
    """`deleted = 0` → `deleted = false` for every boolean column of the models."""
    columns = boolean_columns()
    return _FLAG.sub(
        lambda m: f"{m[1]} = {'true' if m[3] == '1' else 'false'}" if m[2] in columns else m[0],
        sql,
    )


@cache
def boolean_columns() -> frozenset[str]:
    """The names of the models' boolean columns (stored as 0/1 by SQLite)."""
    import models  # noqa: F401  (every table registered on the metadata)

    return frozenset(
        column.name
        for table in SQLModel.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, sa.Boolean)
    )


def _calls(sql: str) -> str:
    out: list[str] = []
    pos = 0
    while m := _CALL.search(sql, pos):
        close = _close(sql, m.end() - 1)
        out += [sql[pos : m.start()], _call(m[1], _calls(sql[m.end() : close]))]
        pos = close + 1
    return "".join(out) + sql[pos:]


def _call(name: str, args: str) -> str:
    low = name.lower()
    if low == "iif":
        condition, then, otherwise = _split(args)
        return f"CASE WHEN {condition} THEN {then} ELSE {otherwise} END"
    if low == "printf":
        fmt, value = _split(args)
        padded = _ZERO_PADDED.fullmatch(fmt.strip())
        if padded is None:
            raise ValueError(f"printf format {fmt} has no PostgreSQL form here")
        return f"lpad(CAST({value} AS text), {padded[1]}, '0')"
    if low == "char":
        return " || ".join(f"chr({code})" for code in _split(args))
    if low == "json_array":
        return f"CAST(json_build_array({args}) AS text)"
    if low == "json_group_array":
        return f"CAST(json_agg({args}) AS text)"
    if is_condition(args):
        return f"{name}(CAST(({args}) AS integer))"
    if low in ("min", "max") and "||" in _mask(args):
        return f'{name}(({args}) COLLATE "C")'
    return f"{name}({args})"


def is_condition(expr: str) -> bool:
    """Whether an SQL expression is a truth value (a comparison or a boolean column)."""
    e = expr.strip()
    while e.startswith("(") and _close(e, 0) == len(e) - 1:
        e = e[1:-1].strip()
    top = _mask(e)
    if _NOT_A_CONDITION.match(top):
        return False
    if _CONDITION.search(top):
        return True
    column = _COLUMN.fullmatch(e)
    return column is not None and column[1] in boolean_columns()


def _named_conditions(sql: str) -> str:
    """`(condition) AS name` → `CAST((condition) AS integer) AS name` (SQLite's 0/1)."""
    out: list[str] = []
    pos = 0
    mask = _mask(sql)  # once: masking the whole text for every group made long statements slow
    while (start := mask.find("(", pos)) >= 0:
        close = _close(sql, start)
        inner = _named_conditions(sql[start + 1 : close])
        group = f"({inner})"
        if _NAMED_AS.match(sql, close + 1) and is_condition(inner):
            group = f"CAST({group} AS integer)"
        out += [sql[pos:start], group]
        pos = close + 1
    return "".join(out) + sql[pos:]


def _alias_subqueries(sql: str) -> str:
    """A name for each subquery in FROM or JOIN that has none."""
    n = 0
    pos = 0
    while m := _SUBQUERY.search(sql, pos):
        close = _close(sql, m.end() - 1)
        alias = _ALIAS.match(sql, close + 1)
        if alias is None or alias[1].upper() in _NOT_AN_ALIAS:
            n += 1
            sql = f"{sql[: close + 1]} AS _subquery{n}{sql[close + 1 :]}"
        pos = m.end()
    return sql


def _split(args: str) -> list[str]:
    """The arguments of a call, split at its top-level commas."""
    parts: list[str] = []
    start = 0
    mask = _mask(args)
    for i, ch in enumerate(mask):
        if ch == ",":
            parts.append(args[start:i].strip())
            start = i + 1
    return [*parts, args[start:].strip()]


def _mask(sql: str) -> str:
    """The text with quoted strings and everything inside parentheses blanked out."""
    out: list[str] = []
    depth = 0
    quote = ""
    for ch in sql:
        if quote:
            quote = "" if ch == quote else quote
            out.append(" ")
            continue
        if ch in "'\"":
            quote = ch
            out.append(" ")
        elif ch == "(":
            out.append("(" if depth == 0 else " ")
            depth += 1
        elif ch == ")":
            depth -= 1
            out.append(")" if depth == 0 else " ")
        else:
            out.append(ch if depth == 0 else " ")
    return "".join(out)


def _close(sql: str, start: int) -> int:
    """The index of the parenthesis closing the one at `start` (quoted text skipped)."""
    depth = 0
    quote = ""
    for i in range(start, len(sql)):
        ch = sql[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced parentheses in: {sql}")
