"""The set-based statements' SQLite dialect, rewritten for PostgreSQL, gives SQLite's answers."""

from __future__ import annotations

import json

import pytest

from models.results import VprResult
from services.core.db import Database
from services.core.sql_postgres import rewrite
from services.core.sql_select import for_postgres, rows
from tests.conftest import BOTH_ENGINES


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        ("SUM(status = 'DONE')", "SUM(CAST((status = 'DONE') AS integer))"),
        ("MAX(t.is_young_specialist)", "MAX(CAST((t.is_young_specialist) AS integer))"),
        ("SUM(coalesce(x.pk0, 0))", "SUM(coalesce(x.pk0, 0))"),
        ("MIN(CASE WHEN a IS NULL THEN b END)", "MIN(CASE WHEN a IS NULL THEN b END)"),
        ("iif(a IN (1, 2), NULL, b)", "CASE WHEN a IN (1, 2) THEN NULL ELSE b END"),
        ("printf('%03d', t.grade)", "lpad(CAST(t.grade AS text), 3, '0')"),
        ("char(31)", "chr(31)"),
        ("json_array(t.a, t.b)", "CAST(json_build_array(t.a, t.b) AS text)"),
        ("json_group_array(audit_id)", "CAST(json_agg(audit_id) AS text)"),
        ("(a = 1 AND b < 2) AS pk0", "CAST((a = 1 AND b < 2) AS integer) AS pk0"),
        ("(SELECT 1 FROM x WHERE a = 1) AS q", "(SELECT 1 FROM x WHERE a = 1) AS q"),
        ("FROM (SELECT a FROM x) GROUP BY a", "FROM (SELECT a FROM x) AS _subquery1 GROUP BY a"),
        ("FROM (SELECT a FROM x) q", "FROM (SELECT a FROM x) q"),
        ("MIN(a || char(31))", 'MIN((a || chr(31)) COLLATE "C")'),
        ("SUM(a = ')(')", "SUM(CAST((a = ')(') AS integer))"),  # quoted text is not SQL
    ],
)
def test_rewrites(sqlite: str, postgres: str) -> None:
    assert rewrite(sqlite) == postgres


def test_flags_and_marks() -> None:
    sql = "SELECT a FROM t WHERE t.deleted = 0 AND resolved = 1 AND n2 = 0 AND b = :b AND c = ?"
    assert for_postgres(sql) == (
        "SELECT a FROM t WHERE t.deleted = false AND resolved = true AND n2 = 0 "
        "AND b = %(b)s AND c = %s"
    )


def test_an_unknown_printf_format_is_refused() -> None:
    with pytest.raises(ValueError, match="printf"):
        rewrite("printf('%.2f', x)")


SAME = (
    "SELECT iif(grade > 1, 'many', 'one'), printf('%03d', grade), "
    "'k' || char(31) || json_array(grade, subject), SUM(grade > 1), MAX(deleted), "
    "SUM(deleted = 0), json_group_array(participants) "
    "FROM (SELECT grade, subject, deleted, participants FROM vpr_result) "
    "GROUP BY grade, subject ORDER BY grade"
)


@BOTH_ENGINES
def test_the_same_rows_on_both_engines(db: Database) -> None:
    """Each rewrite gives the value SQLite gives (JSON compared as JSON)."""
    with db.session() as s:
        for grade, participants, deleted in ((1, 10, False), (2, 20, True), (2, 21, False),
                                             (7, 5, False)):  # fmt: skip
            s.add(VprResult(owner="a", year=2025, grade=grade, subject="Математика",
                            class_label=str(participants), participants=participants,
                            deleted=deleted))  # fmt: skip
        found = [
            (*r[:2], r[2].split("\x1f")[0], json.loads(r[2].split("\x1f")[1]), *r[3:6],
             sorted(json.loads(r[6])))
            for r in rows(s, SAME)
        ]  # fmt: skip
    m = "Математика"
    assert found == [
        ("one", "001", "k", [1, m], 0, 0, 1, [10]),
        ("many", "002", "k", [2, m], 2, 1, 1, [20, 21]),
        ("many", "007", "k", [7, m], 1, 0, 1, [5]),
    ]


def test_a_json_list_is_one_array_on_postgres() -> None:
    """Unpacked once and tested as a filter, not hash-joined with every row."""
    sql = "SELECT a FROM t WHERE year + 0 IN (SELECT value FROM json_each(?)) AND t.owner IN " + (
        "(SELECT value FROM json_each(:owners))"
    )
    assert for_postgres(sql) == (
        "SELECT a FROM t WHERE year + 0 = ANY (ARRAY(SELECT CAST(value AS integer) FROM "
        "json_array_elements_text(CAST(%s AS json)) AS value)) AND t.owner = ANY (ARRAY("
        "SELECT value FROM json_array_elements_text(CAST(%(owners)s AS json)) AS value))"
    )


@BOTH_ENGINES
@pytest.mark.parametrize(
    ("years", "owners", "expected"),
    [
        ([2025, 2024], ["a", "b"], [("a", 2024, 1), ("a", 2025, 2), ("b", 2025, 1)]),
        ([2025], ["b", "c"], [("b", 2025, 1)]),
        ([], ["a"], []),
        ([2024, 2025], [], []),
    ],
)
def test_json_lists_give_the_same_rows(
    db: Database, years: list[int], owners: list[str], expected: list[tuple[object, ...]]
) -> None:
    with db.session() as s:
        for owner, year, grade in (("a", 2025, 1), ("a", 2025, 2), ("a", 2024, 1),
                                   ("b", 2025, 1), ("c", 2023, 1)):  # fmt: skip
            s.add(VprResult(owner=owner, year=year, grade=grade, subject="Математика",
                             participants=1))  # fmt: skip
        found = rows(
            s,
            "SELECT owner, year, COUNT(*) FROM vpr_result WHERE year + 0 IN "
            "(SELECT value FROM json_each(?)) AND owner IN (SELECT value FROM json_each(?)) "
            "GROUP BY owner, year ORDER BY owner, year",
            (json.dumps(years), json.dumps(owners)),
        )
    assert [tuple(r) for r in found] == expected
