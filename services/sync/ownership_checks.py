"""Applying the ownership table (`ownership.py`) to the rows of a package, before any write.

`check_package` runs the writer and id rules (no database needed: the package reader runs them
while it reads) and the reference rules (given the owners of the rows stored here: the engine
runs them in its transaction). Each refusal is an `OwnershipViolation` with a Russian reason that
names the table and the rule.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Enum as SqlEnum

from models import SYNC_TABLES, Role
from models.base import OPORA_NAMESPACE
from services.core.tables import table_title
from services.sync.ownership import (
    MAX_EXPANSION,
    MEASURE,
    OWNERSHIP,
    RANDOM,
    SELF,
    SENDER,
    Derived,
    Points,
    Writer,
)


class OwnershipViolation(ValueError):
    """A row the sender may not write; the message is Russian and names the table and rule."""


# (table, ids) → {id: owner} for the ids stored here; the engine reads them in its transaction.
OwnerLookup = Callable[[str, Collection[str]], Mapping[str, str]]
# table → (column names in parameter order, the rows as parameter lists)
PackageRows = Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]


def _title(table: str) -> str:
    return f"«{table_title(table)}»"


def check_writer(table: str, sender_role: Role) -> None:
    rule = OWNERSHIP.get(table)
    if rule is None:
        raise OwnershipViolation(f"таблица {table}: её нет в правилах владения; пакет не принят")
    if rule.writer is Writer.DISTRICT and sender_role is not Role.DISTRICT:
        raise OwnershipViolation(
            f"таблица {_title(table)} ведётся только управлением образования; школа не может "
            "присылать её строки"
        )
    if rule.writer is Writer.SCHOOL and sender_role is not Role.SCHOOL:
        raise OwnershipViolation(
            f"таблица {_title(table)} ведётся только школой; управление не может присылать её "
            "строки"
        )


# A derived id as `models.stable_id` writes it: the canonical text of a version-5 UUID. Any other
# id counts as random (`models.new_id` writes version 4; test data and older rows may differ): it
# can never equal an id another site's recipe derives.
_DERIVED = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _is_random(rid: object) -> bool:
    return isinstance(rid, str) and _DERIVED.fullmatch(rid) is None


def _enum_values() -> dict[tuple[str, str], dict[str, str]]:
    """(table, column) → {bound name: value} of every enum column of the synced tables."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for model in SYNC_TABLES:
        table = model.__table__  # type: ignore[attr-defined]
        for c in table.columns:
            if isinstance(c.type, SqlEnum) and c.type.enum_class is not None:
                members = c.type.enum_class
                out[(table.name, c.name)] = {m.name: str(m.value) for m in members}
    return out


_ENUM_VALUES = _enum_values()

Candidates = Mapping[str, Collection[str]]  # table → the sender's own ids of it in the package
Measures = Collection[tuple[str, str]]  # (factor code, title) of every catalogue measure known


@dataclass(frozen=True, slots=True)
class _Context:
    table: str
    pos: Mapping[str, int]
    sender: str
    own: Candidates
    measures: Measures


def _part_values(part: str, row: Sequence[Any] | None, ctx: _Context) -> list[tuple[object, ...]]:
    if part == SENDER:
        return [(ctx.sender,)]
    if part == MEASURE:
        return list(ctx.measures)
    if part.startswith("@"):
        return [(rid,) for rid in ctx.own.get(part[1:], ())]
    assert row is not None
    value = row[ctx.pos[part]]
    names = _ENUM_VALUES.get((ctx.table, part))
    return [(names.get(value, value) if names else value,)]


def _expected(recipe: Derived, row: Sequence[Any] | None, ctx: _Context) -> set[str]:
    """Every id the recipe allows for this row (or for any row, when `row` is None)."""
    heads: list[tuple[object, ...]] = [(recipe.prefix,)]
    for part in recipe.parts:
        values = _part_values(part, row, ctx)
        if len(heads) * len(values) > MAX_EXPANSION:
            raise OwnershipViolation(
                f"таблица {_title(ctx.table)}: в пакете слишком много записей, от которых "
                "зависят идентификаторы этой таблицы; такой пакет программа не создаёт"
            )
        heads = [(*h, *v) for h in heads for v in values]
    return {_derive(*h) for h in heads}


def _row_free(recipe: Derived) -> bool:
    """Whether the recipe reads no column of the row: its ids are computed once per package."""
    return all(p in (SENDER, MEASURE) or p.startswith("@") for p in recipe.parts)


_NAMESPACE = OPORA_NAMESPACE.bytes


def _derive(*parts: object) -> str:
    """`models.stable_id`, without building a UUID object: the import derives one id per row."""
    name = "\x1f".join(map(str, parts)).encode()
    h = bytearray(hashlib.sha1(_NAMESPACE + name, usedforsecurity=False).digest()[:16])
    h[6] = (h[6] & 0x0F) | 0x50  # version 5
    h[8] = (h[8] & 0x3F) | 0x80  # RFC 4122 variant
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


Allows = Callable[[str, Sequence[Any]], bool]  # (id, row) → whether one recipe gives this id


def _column(ctx: _Context, part: str) -> Callable[[Sequence[Any]], object]:
    i, names = ctx.pos[part], _ENUM_VALUES.get((ctx.table, part))
    if names is None:
        return lambda row: row[i]
    return lambda row: names.get(row[i], row[i])


def _allows(recipe: Derived | str, ctx: _Context) -> Allows:
    """One recipe, compiled for a table of one package."""
    if recipe == SELF:
        return lambda rid, _row: rid == ctx.sender
    if recipe == RANDOM:
        return lambda rid, _row: _is_random(rid)
    assert isinstance(recipe, Derived)
    if _row_free(recipe):
        ids: list[set[str]] = []  # computed at the first row that needs them

        def allowed(rid: str, _row: Sequence[Any]) -> bool:
            if not ids:
                ids.append(_expected(recipe, None, ctx))
            return rid in ids[0]

        return allowed
    if any(p == MEASURE or p.startswith("@") for p in recipe.parts):
        return lambda rid, row: rid in _expected(recipe, row, ctx)
    getters = [(lambda _row: ctx.sender) if p == SENDER else _column(ctx, p) for p in recipe.parts]
    prefix = recipe.prefix
    return lambda rid, row: rid == _derive(prefix, *[g(row) for g in getters])


def check_ids(
    table: str,
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    sender: str,
    own: Candidates,
    measures: Measures = (),
) -> None:
    """Each row's id is one its recipes allow for this sender."""
    ctx = _Context(table, {n: i for i, n in enumerate(names)}, sender, own, measures)
    recipes = [_allows(r, ctx) for r in OWNERSHIP[table].ids]
    id_pos = ctx.pos["id"]
    if OWNERSHIP[table].ids == (RANDOM,):  # most rows: one pattern test each, no call
        derived = _DERIVED.fullmatch
        rows = [row for row in rows if type(row[id_pos]) is not str or derived(row[id_pos])]
    first = recipes[0]
    for row in rows:
        rid = row[id_pos]
        if first(rid, row) or any(allows(rid, row) for allows in recipes[1:]):
            continue
        raise OwnershipViolation(
            f"таблица {_title(table)}, запись {rid}: такой идентификатор может создать только "
            "другая организация (он вычисляется из её кода и ключевых полей записи)"
        )


def check_references(
    table: str,
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    sender: str,
    own_ids: Candidates,
    owners: OwnerLookup,
) -> None:
    """Every `Points.OWN` reference points at a row the sender owns (in the package or here)."""
    pos = {n: i for i, n in enumerate(names)}
    for ref in OWNERSHIP[table].references:
        if ref.points is not Points.OWN:
            continue
        wanted = {row[pos[ref.column]] for row in rows if row[pos[ref.column]] is not None}
        wanted -= set(own_ids.get(ref.table, ()))
        if not wanted:
            continue
        stored = owners(ref.table, sorted(wanted))
        foreign = sorted(rid for rid in wanted if stored.get(rid, sender) != sender)
        if foreign:
            raise OwnershipViolation(
                f"таблица {_title(table)}, поле {ref.column}: ссылка на запись другой "
                f"организации (таблица {_title(ref.table)}, запись {foreign[0]}); строки "
                "организации могут ссылаться только на её собственные строки"
            )


def check_site_role(names: Sequence[str], rows: Sequence[Sequence[Any]], role: Role) -> None:
    """A site's own row says what it is: a school cannot present itself as a district."""
    pos = list(names).index("role")
    if any(row[pos] not in (role.name, role.value) for row in rows):
        raise OwnershipViolation(
            f"таблица {_title('site')}: организация указала в своей записи другой вид "
            "(школа или управление), чем тот, с которым она подтверждена"
        )


def check_package(
    rows: PackageRows,
    sender: str,
    sender_role: Role,
    owners: OwnerLookup | None,
    measures: Measures = (),
    *,
    ids: bool = True,
) -> None:
    """Apply the ownership table to a whole package (rows already checked to be the sender's).

    Raises `OwnershipViolation` on the first row that breaks a rule; nothing has been written.
    `measures` are the (factor, title) pairs of the risk-factor catalogues known here. The rules
    that need no database (writer, ids) run when `ids`, the references when `owners` is given:
    the package reader checks the first while it reads (`read.prepare_package`), the engine the
    rest in its transaction.
    """
    own_ids: dict[str, set[str]] = {}
    for table, (names, items) in rows.items():
        id_pos = list(names).index("id")
        own_ids[table] = {r[id_pos] for r in items}
    for table, (names, items) in rows.items():
        if ids:
            check_writer(table, sender_role)
            check_ids(table, names, items, sender, own_ids, measures)
            if table == "site" and "role" in names:
                check_site_role(names, items, sender_role)
        if owners is not None:
            check_references(table, names, items, sender, own_ids, owners)
