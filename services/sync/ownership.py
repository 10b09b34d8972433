"""Who may write each synced table, how its ids are made, and whose rows it may point at.

DESIGN §7: a signed package from an enrolled site may change only that site's own rows. This
table is the one declaration of that rule; `check_package` applies it to a whole package before
its first write, and a test fails if a synced table or any of its `*_id` columns is missing here.

- `Writer.OWN`: any site, for rows it owns (a school's roadmap, the district's own roadmap).
- `Writer.SCHOOL`: only a school, for its own rows (audits, teachers, results).
- `Writer.DISTRICT`: only the district (status, thresholds, comments, catalogues). Their id
  recipes leave out the owner (a status is keyed on the school), so a school may not send them.
- An id is random (`RANDOM`: any id but the text of a UUIDv5) or derived: UUIDv5 of a natural
  key (`Derived`) whose parts are the sender's own site id (`SENDER`), a column of the row, an
  own row of the package (`@table`) or a catalogue measure (`MEASURE`). The engine
  recomputes a derived id from the sender and refuses a mismatch, so no site can take ids that
  belong to another and the order in which packages arrive never decides who owns a row.
- A reference points at the sender's own rows (`Points.OWN`) or at any row (`Points.ANY`, for
  district-written rows: a comment may point at any school's row).

Row values arrive as the import binds them (`services.sync.bind`): an enum column holds the
member's name, and the recipes use its value, as the code that made the id did.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Enum as SqlEnum

from models import SYNC_TABLES, Role
from models.base import OPORA_NAMESPACE
from services.core.tables import table_title


class Writer(StrEnum):
    OWN = "own"
    SCHOOL = "school"
    DISTRICT = "district"


class Points(StrEnum):
    OWN = "own"
    ANY = "any"


SENDER = "<sender>"  # a part of a derived id: the site id of the package's signer
# Two parts of a derived id: the factor code and title of a measure of a risk-factor catalogue
# known here. An anti-risk measure keeps its id when the school edits its title or factor.
MEASURE = "<measure>"
# The most ids a row-independent recipe may expand to in one package (own audits × measures): a
# real school has a few audits and the catalogue a few dozen measures.
MAX_EXPANSION = 100_000


@dataclass(frozen=True, slots=True)
class Derived:
    """id = stable_id(prefix, *parts); a part is SENDER, MEASURE, a column, or "@table".

    "@table" stands for the id of any row of that table the package carries (the sender's own).
    """

    prefix: str
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reference:
    column: str
    table: str  # the table it points at; "" when another column names it (`target_table`)
    points: Points
    table_column: str = ""  # the column that names the target table, for generic references


RANDOM = "random"
SELF = "self"  # the site's own row: id == owner == sender


@dataclass(frozen=True, slots=True)
class TableRule:
    table: str
    writer: Writer
    ids: tuple[Derived | str, ...]  # the accepted recipes: RANDOM, SELF or Derived(...)
    references: tuple[Reference, ...] = ()
    free: tuple[str, ...] = ()  # `*_id` columns that are not references, with the reason below


def _own(column: str, table: str) -> Reference:
    return Reference(column, table, Points.OWN)


OWNERSHIP: dict[str, TableRule] = {
    rule.table: rule
    for rule in (
        # A site sends only its own row. `parent_id` is the district it names as its own;
        # the district's registry comes from enrolment, not from this column.
        TableRule("site", Writer.OWN, (SELF,), free=("parent_id",)),
        TableRule(
            "school_status",
            Writer.DISTRICT,
            (Derived("status", ("school_id",)),),
            (Reference("school_id", "site", Points.ANY),),
        ),
        TableRule(
            "catalogue_version", Writer.DISTRICT, (Derived("catalogue", ("kind", "version")),)
        ),
        TableRule(
            "threshold", Writer.DISTRICT, (RANDOM, Derived("threshold", ("indicator_code", "year")))
        ),
        TableRule("roadmap", Writer.OWN, (RANDOM,)),
        TableRule("roadmap_section", Writer.OWN, (RANDOM,), (_own("roadmap_id", "roadmap"),)),
        TableRule(
            "roadmap_item",
            Writer.OWN,
            # Anti-risk measures of a self-audit: stable_id("audit-measure", audit, factor, title)
            # of a measure of the catalogue, whatever the school made of its title and factor.
            (
                RANDOM,
                Derived("audit-measure", ("@self_audit", "risk_factor_code", "title")),
                Derived("audit-measure", ("@self_audit", MEASURE)),
            ),
            (_own("roadmap_id", "roadmap"), _own("section_id", "roadmap_section")),
        ),
        TableRule("self_audit", Writer.SCHOOL, (Derived("audit", (SENDER, "year")),)),
        TableRule(
            "audit_answer",
            Writer.SCHOOL,
            (Derived("answer", ("audit_id", "criterion_code")),),
            (_own("audit_id", "self_audit"),),
        ),
        TableRule(
            "risk_assessment",
            Writer.SCHOOL,
            (Derived("assessment", ("audit_id", "factor_code")),),
            (_own("audit_id", "self_audit"),),
        ),
        TableRule("teacher", Writer.SCHOOL, (RANDOM,), (_own("mentor_id", "teacher"),)),
        TableRule("development_plan", Writer.SCHOOL, (RANDOM,), (_own("teacher_id", "teacher"),)),
        TableRule(
            "professional_deficit",
            Writer.SCHOOL,
            (RANDOM,),
            (_own("plan_id", "development_plan"),),
        ),
        TableRule(
            "development_activity",
            Writer.SCHOOL,
            (RANDOM,),
            (_own("plan_id", "development_plan"), _own("deficit_id", "professional_deficit")),
        ),
        TableRule(
            "vpr_result",
            Writer.SCHOOL,
            (Derived("vpr", (SENDER, "year", "grade", "class_label", "subject")),),
        ),
        TableRule(
            "gia_result", Writer.SCHOOL, (Derived("gia", (SENDER, "year", "exam", "subject")),)
        ),
        TableRule(
            "progression", Writer.SCHOOL, (Derived("progression", (SENDER, "year", "level")),)
        ),
        TableRule(
            "indicator_target",
            Writer.SCHOOL,
            (Derived("target", (SENDER, "indicator_code", "year")),),
        ),
        TableRule(
            "district_comment",
            Writer.DISTRICT,
            (RANDOM,),
            (
                Reference("school_id", "site", Points.ANY),
                Reference("target_id", "", Points.ANY, table_column="target_table"),
            ),
        ),
    )
}


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
