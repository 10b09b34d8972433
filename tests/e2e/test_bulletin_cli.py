"""End to end in subprocesses: a school's package enrolled at the district, then `export` in the
district role writes the bulletin, and the school imports it (comments and status arrive)."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.e2e.cli_support import run_cli as run


def _ok(data: Path, *args: str) -> str:
    result = run(data, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.slow
def test_bulletin_round_trip_through_the_command_line(tmp_path: Path) -> None:
    district, school, stick = tmp_path / "district", tmp_path / "school", tmp_path / "stick"
    stick.mkdir()
    _ok(district, "init", "--role", "district", "--name", "Управление образования", "--code", "51")
    _ok(district, "card", "--out", str(tmp_path / "district.card"))
    _ok(school, "init", "--role", "school", "--name", "МОУ Лодейнинская СОШ", "--code", "5105",
        "--district-card", str(tmp_path / "district.card"))  # fmt: skip
    exported = _ok(school, "export", "--out", str(stick))
    fingerprint = re.search(r"Отпечаток ключа школы: (.+)", exported)
    assert fingerprint is not None
    [package] = stick.glob("*.opora")
    _ok(district, "enroll", str(package), "--confirm", fingerprint.group(1))
    with closing(sqlite3.connect(district / "opora.sqlite3")) as conn:
        school_id = conn.execute("SELECT id FROM site WHERE lower(role) = 'school'").fetchone()[0]
        district_id = conn.execute("SELECT id FROM site WHERE lower(role) = 'district'").fetchone()[
            0
        ]
        conn.execute(
            "INSERT INTO district_comment (id, owner, hlc, deleted, school_id, target_table, "
            "target_id, text, author, created_on, resolved) VALUES ('c1', ?, "
            "'1760000000000.00000.dev1', 0, ?, 'site', ?, 'Пришлите справку.', '', "
            "'2026-11-20', 0)",
            (district_id, school_id, school_id),
        )
        conn.commit()
    out = tmp_path / "bulletins"
    out.mkdir()
    said = _ok(district, "export", "--out", str(out))
    assert "рассылка № 1 сохранена" in said and "комментариев 1" in said
    [bulletin] = out.glob("opora-bulletin-*.opora")
    verified = _ok(school, "verify", str(bulletin))
    assert "Управление образования" in verified
    imported = _ok(school, "import", str(bulletin))
    assert "принят" in imported
    with closing(sqlite3.connect(school / "opora.sqlite3")) as conn:
        assert conn.execute("SELECT text FROM district_comment").fetchall() == [
            ("Пришлите справку.",)
        ]
    again = _ok(school, "import", str(bulletin))
    assert "уже импортирован" in again
