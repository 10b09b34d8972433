"""0013: the ВПР covering index carries the grade; its downgrade restores the old one."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from tests.services.migration_support import database_at, migrate

ROW = (
    "INSERT INTO vpr_result (year, grade, class_label, subject, participants, n2, n3, n4, n5, "
    "id, owner, hlc, deleted) VALUES (2025, 4, '', 'Математика', 20, 2, 8, 6, 4, 'v1', 's1', '', 0)"
)


def _index_columns(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [r[2] for r in conn.execute("PRAGMA index_info(ix_vpr_result_sums)")]


def test_the_index_gains_the_grade_and_loses_it_again_with_the_rows_kept(tmp_path: Path) -> None:
    path = tmp_path / "opora.sqlite3"
    database_at(path, "0012", ROW)
    assert "grade" not in _index_columns(path)

    migrate(path, "0013")
    assert _index_columns(path)[:4] == ["year", "owner", "deleted", "grade"]

    migrate(path, "0012", down=True)
    assert "grade" not in _index_columns(path)
    assert _index_columns(path)[:3] == ["year", "owner", "deleted"]
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT grade, participants FROM vpr_result").fetchall() == [(4, 20)]
