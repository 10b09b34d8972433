"""The small expression language of district-defined indicators: tokeniser and parser.

A formula is text such as ``percent(gia9_no_fail, gia9_admitted)`` or
``percent(sum(vpr.confirmed where grade = 4), sum(vpr.participants where grade = 4))``.
It is tokenised and parsed by recursive descent into the node classes below; nothing is ever
handed to `eval` or `exec`, and the only names are the inputs of `services.indicators.names`.
Evaluation lives in `services.indicators.evaluate`.

Grammar (lowest precedence first)::

    formula    := logic
    logic      := conj ("or" conj)*
    conj       := negation ("and" negation)*
    negation   := "not" negation | comparison
    comparison := sum [("<" | "<=" | ">" | ">=" | "=" | "!=") sum]
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | atom
    atom       := NUMBER | NAME | "(" logic ")" | "percent(" logic "," logic ")"
                | "sum(" TABLE "." FIELD ["where" condition] ")"
    condition  := logic over the row's columns, plus  column "in" "(" value ("," value)* ")"

The typographic signs × ÷ − ≤ ≥ ≠ are accepted for * / - <= >= !=; strings are written in
"double quotes" or «ёлочки». Comparisons and logic give 1 (true) or 0 (false).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as _field
from functools import lru_cache

from services.core.errors import Invalid
from services.indicators.names import SCALARS, TABLES, known_names_text

MAX_LENGTH = 4000
MAX_DEPTH = 60  # nesting deeper than this is refused (no formula needs it; protects the stack)

SIGNS = {"×": "*", "÷": "/", "−": "-", "≤": "<=", "≥": ">=", "≠": "!="}
KEYWORDS = frozenset({"and", "or", "not", "in", "where", "sum", "percent"})
COMPARISONS = ("<=", ">=", "!=", "<", ">", "=")
_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<number>\d+(?:\.\d+)?)
    |(?P<name>[^\W\d]\w*)
    |(?P<string>"[^"\n]*"|«[^»\n]*»)
    |(?P<op><=|>=|!=|[-+*/()<>=,.×÷−≤≥≠])
    """,
    re.VERBOSE,
)


class FormulaError(Invalid):
    """A formula that cannot be read: the message says where and why, in Russian."""


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # number, name, string, op, end
    text: str
    pos: int  # 0-based offset in the formula


# -- nodes ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Num:
    value: float


@dataclass(frozen=True, slots=True)
class Text:
    value: str


@dataclass(frozen=True, slots=True)
class Name:
    """A school's scalar input (in a formula) or a row column (in a `where` condition)."""

    name: str


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-" or "not"
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # + - * / < <= > >= = != and or
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class InList:
    column: str
    values: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Percent:
    numerator: Node
    denominator: Node


@dataclass(frozen=True, slots=True)
class Sum:
    table: str
    field: str
    where: Node | None
    # Hashed once: every school's aggregated sums are looked up by their node.
    _hash: int = _field(default=0, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.table, self.field, self.where)))

    def __hash__(self) -> int:
        return self._hash


Node = Num | Text | Name | Unary | Binary | InList | Percent | Sum


# -- tokeniser -----------------------------------------------------------------------------------


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, ending with an "end" token; `FormulaError` on a stray character."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            char = text[pos]
            hint = " (дробную часть отделяйте точкой: 0.5)" if char == "," else ""
            raise FormulaError(_at(text, pos, f"непонятный знак «{char}»{hint}"))
        kind = m.lastgroup or ""
        if kind != "space":
            value = m.group()
            tokens.append(Token(kind, SIGNS.get(value, value), pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def _at(text: str, pos: int, message: str) -> str:
    return f"Ошибка в формуле в позиции {pos + 1}: {message}."


# -- parser --------------------------------------------------------------------------------------


def parse(text: str) -> Node:
    """The syntax tree of a formula; `FormulaError` (an `Invalid`) when it cannot be read."""
    if not text.strip():
        raise FormulaError(
            "Формула пуста: напишите её, например percent(gia9_no_fail, gia9_admitted)."
        )
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"Формула длиннее {MAX_LENGTH} знаков.")
    return _Parser(text, tokenize(text)).formula()


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self._text = text
        self._tokens = tokens
        self._i = 0
        self._depth = 0
        self._columns: frozenset[str] | None = None  # inside `where`: the row's columns

    # -- helpers

    def _peek(self) -> Token:
        return self._tokens[self._i]

    def _next(self) -> Token:
        token = self._tokens[self._i]
        self._i += 1
        return token

    def _is(self, *texts: str) -> bool:
        token = self._peek()
        return token.kind in ("op", "name") and token.text in texts

    def _fail(self, message: str, token: Token | None = None) -> FormulaError:
        return FormulaError(_at(self._text, (token or self._peek()).pos, message))

    def _expect(self, text: str, what: str) -> Token:
        if not self._is(text):
            raise self._fail(f"ожидалось {what}, а стоит {_shown(self._peek())}")
        return self._next()

    def _enter(self) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise self._fail("формула вложена слишком глубоко")

    # -- grammar

    def formula(self) -> Node:
        node = self._logic()
        token = self._peek()
        if token.kind != "end":
            hint = " (дробную часть отделяйте точкой: 0.5)" if token.text == "," else ""
            raise self._fail(f"лишнее {_shown(token)} после конца выражения{hint}")
        return node

    def _logic(self) -> Node:
        self._enter()
        node = self._conj()
        while self._is("or"):
            self._next()
            node = Binary("or", node, self._conj())
        self._depth -= 1
        return node

    def _conj(self) -> Node:
        node = self._negation()
        while self._is("and"):
            self._next()
            node = Binary("and", node, self._negation())
        return node

    def _negation(self) -> Node:
        if self._is("not"):
            self._next()
            self._enter()
            node = Unary("not", self._negation())
            self._depth -= 1
            return node
        return self._comparison()

    def _comparison(self) -> Node:
        left = self._sum()
        if self._is("in"):
            return self._in_list(left)
        if self._is(*COMPARISONS):
            op = self._next().text
            right = self._sum()
            if self._is(*COMPARISONS):
                raise self._fail("два сравнения подряд: соедините их словом and")
            return Binary(op, left, right)
        return left

    def _in_list(self, left: Node) -> Node:
        token = self._next()
        if self._columns is None or not isinstance(left, Name):
            raise self._fail("«in» пишется только в условии where: subject in (…)", token)
        self._expect("(", "«(» после in")
        values = [self._sum()]
        while self._is(","):
            self._next()
            values.append(self._sum())
        self._expect(")", "«)» в конце списка")
        return InList(left.name, tuple(values))

    def _sum(self) -> Node:
        node = self._product()
        while self._is("+", "-"):
            op = self._next().text
            node = Binary(op, node, self._product())
        return node

    def _product(self) -> Node:
        node = self._unary()
        while self._is("*", "/"):
            op = self._next().text
            node = Binary(op, node, self._unary())
        return node

    def _unary(self) -> Node:
        if self._is("-"):
            self._next()
            self._enter()
            node = Unary("-", self._unary())
            self._depth -= 1
            return node
        return self._atom()

    def _atom(self) -> Node:
        token = self._peek()
        if token.kind == "number":
            self._next()
            return Num(float(token.text))
        if token.kind == "string":
            self._next()
            return Text(token.text[1:-1].strip())
        if self._is("("):
            self._next()
            node = self._logic()
            self._expect(")", "«)»")
            return node
        if token.kind == "name":
            return self._named(token)
        if token.kind == "end":
            raise self._fail("формула оборвалась: не хватает числа, имени или «)»")
        raise self._fail(f"ожидалось число, имя или «(», а стоит {_shown(token)}")

    def _named(self, token: Token) -> Node:
        self._next()
        if token.text == "percent":
            self._expect("(", "«(» после percent")
            num = self._logic()
            self._expect(",", "«,» между числителем и знаменателем percent")
            den = self._logic()
            self._expect(")", "«)» в конце percent")
            return Percent(num, den)
        if token.text == "sum":
            return self._aggregate()
        if token.text in KEYWORDS:
            raise self._fail(f"слово «{token.text}» здесь не к месту", token)
        if self._columns is not None:
            if token.text not in self._columns:
                known = ", ".join(sorted(self._columns))
                raise self._fail(
                    f"у строк нет столбца «{token.text}»; в условии можно: {known}", token
                )
            return Name(token.text)
        if token.text in TABLES:
            raise self._fail(
                f"«{token.text}» — таблица: сложите её поле, например "
                f"sum({token.text}.{next(iter(TABLES[token.text].fields))})",
                token,
            )
        if token.text not in SCALARS:
            raise self._fail(f"неизвестное имя «{token.text}». {known_names_text()}", token)
        return Name(token.text)

    def _aggregate(self) -> Node:
        self._expect("(", "«(» после sum")
        if self._columns is not None:
            raise self._fail("sum внутри условия where не допускается")
        table_token = self._next()
        table = TABLES.get(table_token.text) if table_token.kind == "name" else None
        if table is None:
            raise self._fail(
                f"после sum( ожидалась таблица ({', '.join(TABLES)}), а стоит "
                f"{_shown(table_token)}",
                table_token,
            )
        self._expect(".", f"«.» и поле таблицы {table_token.text}")
        field_token = self._next()
        if field_token.text not in table.fields:
            raise self._fail(
                f"у таблицы {table_token.text} нет поля «{field_token.text}»; есть: "
                + ", ".join(table.fields),
                field_token,
            )
        where: Node | None = None
        if self._is("where"):
            self._next()
            self._columns = frozenset(table.columns)
            try:
                where = self._logic()
            finally:
                self._columns = None
        self._expect(")", "«)» в конце sum")
        return Sum(table_token.text, field_token.text, where)


def _shown(token: Token) -> str:
    return "конец формулы" if token.kind == "end" else f"«{token.text}»"


def children(node: Node) -> tuple[Node, ...]:
    """The operands of a node (a `sum`'s condition is not one: it reads a row, not the inputs)."""
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Percent):
        return (node.numerator, node.denominator)
    if isinstance(node, InList):
        return node.values
    return ()


def walk(nodes: Iterable[Node]) -> Iterator[Node]:
    """Every node of the formulas (or conditions), each formula's root first."""
    stack = list(nodes)[::-1]
    while stack:
        node = stack.pop()
        yield node
        stack += reversed(children(node))


def names_used(node: Node) -> tuple[set[str], set[tuple[str, str]]]:
    """The scalar inputs and the (table, field) pairs a formula reads."""
    found = list(walk([node]))
    scalars = {n.name for n in found if isinstance(n, Name)}
    fields = {(n.table, n.field) for n in found if isinstance(n, Sum)}  # `where` columns: no
    return scalars, fields


@lru_cache(maxsize=512)
def parsed(text: str) -> Node:
    """`parse`, remembered: every school's indicators read the same few formulas."""
    return parse(text)
