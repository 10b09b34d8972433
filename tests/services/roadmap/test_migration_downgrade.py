"""`alembic downgrade 0004` on a database holding v2 roadmap data, then upgrade again."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

from services.core.db import head_revision, preflight
from tests.conftest import FIXTURES
from tests.services.migration_support import migrate

_ITEM = "bcb1a9ee-9147-43c8-9a51-7cb1bd23d83f"  # «Организационно-методическая деятельность»
_SECTION = "7d7f8b1d-6217-411d-873f-1e7f49b4dd5c"
_PAST = (date.today() - timedelta(days=30)).isoformat()
_FUTURE = (date.today() + timedelta(days=300)).isoformat()


def _counts(conn: sqlite3.Connection) -> tuple[int, ...]:
    tables = ("roadmap", "roadmap_section", "roadmap_item")
    return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)


def _add_v2_data(conn: sqlite3.Connection) -> None:
    """A subsection holding the item, and two more dated occurrences of it."""
    conn.execute(
        "INSERT INTO roadmap_section (id, owner, hlc, deleted, roadmap_id, position, title, "
        "parent_id, number, task) SELECT 'sub', owner, hlc, 0, roadmap_id, 0, 'Совещания', "
        "id, '1.1.', 'Задача' FROM roadmap_section WHERE id = ?",
        (_SECTION,),
    )
    conn.execute("UPDATE roadmap_item SET section_id = 'sub' WHERE id = ?", (_ITEM,))
    insert = (
        "INSERT INTO roadmap_occurrence (id, owner, hlc, deleted, item_id, roadmap_id, position, "
        "label, start_date, end_date, status, completion_date, evidence, comment, "
        "outside_period, seq) SELECT ?, owner, hlc, 0, id, roadmap_id, ?, ?, ?, ?, ?, ?, ?, '', "
        "0, 0 FROM roadmap_item WHERE id = ?"
    )
    conn.execute(insert, ("o2", 1, "прошлое", _PAST, _PAST, "PARTIAL", _PAST, "Протокол", _ITEM))
    conn.execute(insert, ("o3", 2, "будущее", _FUTURE, _FUTURE, "PLANNED", None, "", _ITEM))
    conn.commit()


def test_a_v2_database_with_data_downgrades_to_0004_and_upgrades_again(tmp_path: Path) -> None:
    path = tmp_path / "opora.sqlite3"
    shutil.copy(FIXTURES / "db_rev0004_demo.sqlite3", path)
    with closing(sqlite3.connect(path)) as conn:
        before = _counts(conn)
        v1_start = conn.execute("SELECT start_date FROM roadmap_item WHERE id = ?", (_ITEM,))
        first_start = v1_start.fetchone()[0]
    migrate(path, "head")
    with closing(sqlite3.connect(path)) as conn:
        _add_v2_data(conn)

    migrate(path, "0004", down=True)

    assert preflight(path) == "0004"
    with closing(sqlite3.connect(path)) as conn:
        assert _counts(conn) == (before[0], before[1] + 1, before[2])
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "roadmap_occurrence" not in tables
        item = conn.execute(
            "SELECT start_date, end_date, status, completion_date, evidence FROM roadmap_item "
            "WHERE id = ?",
            (_ITEM,),
        ).fetchone()
        # earliest start, latest due date; the latest occurrence due by today speaks for it
        assert item[:4] == (first_start, _FUTURE, "PARTIAL", _PAST)
        assert item[4].startswith("Протокол") and "Приказ" in item[4]
        sub = conn.execute("SELECT title, position FROM roadmap_section WHERE id = 'sub'")
        assert sub.fetchone() == ("1.1. Совещания", 1)  # right after its parent
        section_columns = {r[1] for r in conn.execute("PRAGMA table_info(roadmap_section)")}
        assert not {"parent_id", "number", "task"} & section_columns

    migrate(path, "head")
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            head_revision()
        )
        assert _counts(conn)[2] == before[2]
        occurrences = conn.execute("SELECT count(*) FROM roadmap_occurrence").fetchone()[0]
        assert occurrences == before[2]  # one per v1 item again
