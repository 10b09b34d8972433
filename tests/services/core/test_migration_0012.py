"""0012: the import log keeps each package's Опора version and schema in columns."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from tests.services.migration_support import migrate


def test_an_older_log_entry_gets_its_schema_from_its_report(tmp_path: Path) -> None:
    path = tmp_path / "opora.sqlite3"
    migrate(path, "0011")
    with closing(sqlite3.connect(path)) as conn:
        insert = (
            "INSERT INTO import_log (id, package_sha256, package_id, sender_id, seq, outcome, "
            "report, created_at) VALUES (?, 'ab', 'p', 's', 1, 'APPLIED', ?, '2026-01-01')"
        )
        conn.execute(insert, ("a", json.dumps({"schema": "0006", "file": "x.opora"})))
        conn.execute(insert, ("b", "not json"))
        conn.commit()
    migrate(path, "0012")
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(
            "SELECT id, app_version, schema_revision FROM import_log ORDER BY id"
        ).fetchall()
    assert rows == [("a", "", "0006"), ("b", "", "")]
    migrate(path, "0011", down=True)
    with closing(sqlite3.connect(path)) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(import_log)")}
        assert conn.execute("SELECT count(*) FROM import_log").fetchone()[0] == 2
    assert not {"app_version", "schema_revision"} & columns
