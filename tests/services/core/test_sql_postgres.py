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
