"""0008: district indicators, the assessment table and progression inputs, on a 0004 database."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from models import Progression
from services.core.db import Database, known_revisions
from services.packages.types import Record
from services.sync.merge import RECORD_MIGRATIONS, migrate_records, package_schema
from tests.services.migration_support import database_at


def _database_at_0004(path: Path) -> None:
    database_at(
        path,
        "0004",
        "INSERT INTO progression (year, level, pupils, repeaters, conditionally_promoted, "
        "graduates_9, certificates_9, graduates_11, certificates_11, medals, id, owner, hlc, "
        "deleted) VALUES (2024, 'all', 300, 2, 3, 25, 24, 12, 12, 2, 'p1', 's1', '', 0)",
    )


def test_a_0004_database_upgrades_and_old_rows_have_the_new_inputs_not_entered(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0004(path)
    db = Database.open(path)
    try:
        assert db.revision() == known_revisions()[-1]
        with db.session() as s:
            row = s.exec(select(Progression)).one()
            assert (row.graduates_9, row.medals) == (25, 2)
            assert row.gia9_no_fail is None and row.medal_claimants is None
            tables = {
                r[0] for r in s.connection().exec_driver_sql("SELECT name FROM sqlite_master")
            }
            assert {"indicator_definition", "assessment_result"} <= tables
    finally:
        db.close()


def test_packages_are_stamped_0008_and_old_progression_records_gain_the_new_columns() -> None:
    known = known_revisions()[: known_revisions().index("0008") + 1]
    assert package_schema(known) == "0008"  # a v1 reader refuses it as newer
    old = Record("progression", {"id": "p1", "graduates_9": 25, "medals": 2})
    other = Record("vpr_result", {"id": "v1"})
    upgraded = migrate_records([old, other], "0004", known)
    assert upgraded[0].row["gia9_no_fail"] is None
    assert upgraded[0].row["badge_recipients"] is None
    assert upgraded[0].row["graduates_9"] == 25
    assert upgraded[1] == other
    assert RECORD_MIGRATIONS["0004"] is not RECORD_MIGRATIONS["0001"]
