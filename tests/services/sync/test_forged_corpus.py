"""A corpus of signed forgeries generated from the ownership table and the model's foreign keys.

One package per (table, reference, foreign owner), one per district-only table, one per derived
id taken from another school, each signed with school B's real, enrolled key. Every one must be
refused, and the synced tables must read exactly the same before and after.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from models import new_id, stable_id
from services.packages.types import Record
from services.sync.ownership import (
    MEASURE,
    OWNERSHIP,
    RANDOM,
    SELF,
    SENDER,
    Derived,
    Points,
    Writer,
)
from services.sync.rows import TABLE_ORDER
from tests.services.forge_support import World, foreign_rows, make_world, record
from tests.services.sync_support import synced


class Forger:
    """Rows of school B, valid in every column, with their own parents built as needed."""

    def __init__(self, sender: str) -> None:
        self.sender = sender
        self.rows: dict[str, Record] = {}  # table → the one own row of it in this package

    def own(self, table: str, **fields: Any) -> Record:
        if table in self.rows and not fields:
            return self.rows[table]
        rule = OWNERSHIP[table]
        row = record(table, self.sender, "", **fields).row
        for ref in rule.references:
            if ref.column in fields or ref.points is not Points.OWN:
                continue
            nullable = row[ref.column] is None
            row[ref.column] = None if nullable else self.own(ref.table).row["id"]
        row["id"] = self.id_for(table, row, self.sender)
        rec = Record(table, row)
        if not fields:
            self.rows[table] = rec
        return rec

    def id_for(
        self,
        table: str,
        row: dict[str, Any],
        site: str,
        audit: str = "",
        recipe: Derived | str | None = None,
    ) -> str:
        """The id a recipe (the table's first) gives this row when `site` sends it."""
        recipe = recipe or OWNERSHIP[table].ids[0]
        if recipe == RANDOM:
            return new_id()
        if recipe == SELF:
            return site
        assert isinstance(recipe, Derived)
        parts: list[object] = []
        for part in recipe.parts:
            if part == SENDER:
                parts.append(site)
            elif part == MEASURE:
                parts += ["R01", "x"]
            elif part.startswith("@"):
                parts.append(audit or self.own(part[1:]).row["id"])
            else:
                parts.append(row[part])
        return stable_id(recipe.prefix, *parts)

    def package(self, extra: Record) -> list[Record]:
        records = [*(r for r in self.rows.values() if r is not extra), extra]
        return sorted(records, key=lambda r: TABLE_ORDER.index(r.table))


def corpus(world: World, stored: dict[str, dict[str, str]]) -> dict[str, list[Record]]:
    """name → records of every forgery the ownership table says must be refused."""
    b, a = world.b_id, world.a_id
    out: dict[str, list[Record]] = {}
    for table, rule in OWNERSHIP.items():
        if rule.writer is Writer.DISTRICT:
            f = Forger(b)
            fields = {r.column: a for r in rule.references if r.table == "site"}
            out[f"{table}: district only"] = f.package(f.own(table, **fields))
            continue
        for ref in rule.references:
            for owner, rows in stored.items():
                if ref.table in rows:
                    f = Forger(b)
                    row = f.own(table, **{ref.column: rows[ref.table]})
                    out[f"{table}.{ref.column} → {owner}"] = f.package(row)
        for n, recipe in enumerate(rule.ids):
            if isinstance(recipe, Derived) and {SENDER, "@self_audit"} & set(recipe.parts):
                f = Forger(b)
                row = f.own(table, id="")
                audit = stable_id("audit", a, 2025)
                row.row["id"] = f.id_for(table, row.row, a, audit, recipe)
                out[f"{table}: id of school A by recipe {n}"] = f.package(row)
    out["site: row of school A"] = [record("site", b, a, role="school")]
    out["site: a school as a district"] = [record("site", b, b, role="district")]
    return out


@pytest.fixture(scope="module")
def world(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(template_db, tmp_path_factory.mktemp("corpus"))


def test_every_generated_forgery_is_refused_and_nothing_changes(world: World) -> None:
    district = world.district()
    a1 = world.honest(world.a, "a1")
    assert district.sync.import_files([a1], dry_run=False)[0].verdict == "applied"
    stored = {
        "school A": foreign_rows(district, world.a_id),
        "district": foreign_rows(district, world.district_id),
    }
    forged = corpus(world, stored)
    # every reference of every school table, at each foreign owner that has such a row
    refs = [
        (t, r.column)
        for t, rule in OWNERSHIP.items()
        for r in rule.references
        if r.points is Points.OWN and rule.writer is not Writer.DISTRICT
    ]
    assert all(any(n.startswith(f"{t}.{c} → ") for n in forged) for t, c in refs)
    paths = {name: world.forge(f"c{i}", recs) for i, (name, recs) in enumerate(forged.items())}
    before = synced(district.db)
    reports = district.sync.import_files(list(paths.values()), dry_run=False)
    verdicts = {name: (rep.verdict, rep.code) for name, rep in zip(paths, reports, strict=True)}
    wrong = {
        n: (v, reports[list(paths).index(n)].reason)
        for n, v in verdicts.items()
        if v != ("refused", "scope")
    }
    assert not wrong, wrong
    assert synced(district.db) == before
    district.db.close()
