"""0009: the deadline wording of an ИППР activity, on a 0008 database and in 0008 packages."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command

from services.core.db import Database, alembic_config, known_revisions, make_engine
from services.packages.types import Record
from services.sync.merge import migrate_records, package_schema
from tests.services.migration_support import database_at


def _database_at_0008(path: Path) -> None:
    database_at(
        path,
        "0008",
        "INSERT INTO teacher (full_name, position, subjects, category, is_young_specialist, "
        "id, owner, hlc, deleted) VALUES ('Иванова И. П.', '', '', '', 0, 't1', 's1', '', 0)",
        "INSERT INTO development_plan (teacher_id, period_start, period_end, goals, "
        "reflection, approve_position, approve_name, id, owner, hlc, deleted) VALUES "
        "('t1', '2024-09-01', '2025-08-31', '', '', '', '', 'p1', 's1', '', 0)",
        "INSERT INTO development_activity (plan_id, form, title, provider, expected_result, "
        "report_form, status, certificate_number, id, owner, hlc, deleted) VALUES "
        "('p1', 'COURSE', 'Курсы ПК', 'ИРО', '', '', 'PLANNED', '', 'a1', 's1', '', 0)",
    )


def _columns(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [r[1] for r in conn.execute("PRAGMA table_info(development_activity)")]


def test_a_0008_database_upgrades_and_keeps_its_activities_with_an_empty_wording(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0008(path)
    assert "deadline_text" not in _columns(path)
    db = Database.open(path)
    try:
        assert db.revision() == known_revisions()[-1]
        with db.session(stamp=False) as s:
            rows = s.connection().exec_driver_sql(
                "SELECT id, title, provider, deadline_text FROM development_activity"
            )
            assert [tuple(r) for r in rows] == [("a1", "Курсы ПК", "ИРО", "")]
    finally:
        db.close()


def test_the_downgrade_drops_the_wording_and_keeps_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0008(path)
    engine = make_engine(path)
    try:
        command.upgrade(alembic_config(engine), "0009")
        assert "deadline_text" in _columns(path)
        command.downgrade(alembic_config(engine), "0008")
    finally:
        engine.dispose()
    assert "deadline_text" not in _columns(path)
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT title FROM development_activity").fetchall() == [("Курсы ПК",)]


def test_packages_are_stamped_0009_and_0008_activities_gain_an_empty_wording() -> None:
    """A 0008 school's package reads here; a 0008 program refuses ours as newer (0009)."""
    known = known_revisions()
    assert package_schema(known) == "0009"
    old = Record("development_activity", {"id": "a1", "title": "Курсы ПК"})
    typed = Record("development_activity", {"id": "a2", "title": "ШМО", "deadline_text": "март"})
    other = Record("teacher", {"id": "t1"})
    upgraded = migrate_records([old, typed, other], "0008", known)
    assert upgraded[0].row == {"id": "a1", "title": "Курсы ПК", "deadline_text": ""}
    assert upgraded[1].row["deadline_text"] == "март"
    assert upgraded[2] == other
