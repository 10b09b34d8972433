"""The ВПР keys found by the dashboard's ВПР statement are those a DISTINCT of their own gives.

The district formulas test their conditions once per distinct (grade, class, subject); the
dashboard takes these keys from its ВПР statement (GROUPING SETS on PostgreSQL) instead of a
scan of their own, so the two must agree on odd rows too, and so must the formula sums.
"""

from __future__ import annotations

from typing import Any

import pytest

from models.results import VprResult
from services.core.db import Database
from services.core.sql_select import as_json
from services.indicators.expr import parse
from services.results.data import load_year_data_many
from services.results.formula_data import DISTINCT_KEYS, load_formula_inputs
from tests.conftest import BOTH_ENGINES
from tests.services.indicators.seed001 import SEED_001

YEAR = 2025
# (owner, year, grade, class, subject, confirmed, deleted)
ROWS: tuple[tuple[str, int, int, str, str, int | None, bool], ...] = (
    ("a", YEAR, 4, "", "Русский язык", 3, False),  # a whole-grade row …
    ("a", YEAR, 4, "А", "Русский язык", 2, False),  # … and a class row of the same grade
    ("a", YEAR, 5, "Б", "История", None, False),  # a count not entered
    ("a", YEAR - 1, 6, "", "Русский язык", 4, False),  # last year
    ("b", YEAR, 4, "В", "Математика", 1, False),  # another school's key
    ("b", YEAR, 7, "", "Физика", 5, True),  # deleted: not a key
    ("b", YEAR - 3, 8, "", "Химия", 5, False),  # a year not read: not a key
)


@pytest.fixture
def vpr(db: Database) -> Database:
    with db.session() as s:
        for owner, year, grade, label, subject, confirmed, deleted in ROWS:
            s.add(VprResult(owner=owner, year=year, grade=grade, class_label=label,
                            subject=subject, participants=10, confirmed=confirmed,
                            deleted=deleted))  # fmt: skip
    return db


@BOTH_ENGINES
@pytest.mark.parametrize("subjects", [True, False])
@pytest.mark.parametrize("owners", [None, ["a"], ["b", "c"], []])
def test_the_statement_finds_the_distinct_keys(
    vpr: Database, subjects: bool, owners: list[str] | None
) -> None:
    years = [YEAR, YEAR - 1]
    keys: set[tuple[Any, ...]] = set()
    with vpr.session() as s:
        with_keys = load_year_data_many(s, owners, years, subjects=subjects, vpr_keys=keys)
        plain = load_year_data_many(s, owners, years, subjects=subjects)
        distinct = DISTINCT_KEYS["vpr"].run(s, owners, as_json(years))
    assert keys == {tuple(k) for k in distinct}
    assert with_keys == plain  # the sums are unchanged
    if owners is None:
        assert (4, "А", "Русский язык") in keys and (7, "", "Физика") not in keys


@BOTH_ENGINES
@pytest.mark.parametrize("owners", [None, ["a"]])
def test_formula_sums_are_the_same_with_the_found_keys(
    vpr: Database, owners: list[str] | None
) -> None:
    formula = [parse(SEED_001[0].formula), parse('sum(vpr.confirmed where class = "А")')]
    years = [YEAR, YEAR - 1]
    keys: set[tuple[Any, ...]] = set()
    with vpr.session() as s:
        load_year_data_many(s, owners, years, subjects=False, vpr_keys=keys)
        found = load_formula_inputs(s, owners, years, formula, {"vpr": keys})
        read_here = load_formula_inputs(s, owners, years, formula)
    assert found == read_here
    assert found  # the rows were read
