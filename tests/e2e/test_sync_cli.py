"""End to end in subprocesses: `import` (dry run, JSON, a bad file among good ones) and `enroll`
on real signed, encrypted packages from the synthetic region generator."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from tests.bench.region import build_region
from tests.e2e.cli_support import run_cli as run


def count(data: Path, table: str) -> int:
    with closing(sqlite3.connect(data / "opora.sqlite3")) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.mark.slow
def test_import_many_files_dry_run_json_and_a_bad_file(tmp_path: Path) -> None:
    region = build_region(tmp_path, 2)
    data = region.district_dir
    bad = tmp_path / "broken.opora"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    preview = run(data, "import", *map(str, region.packages), "--dry-run")
    assert preview.returncode == 0, preview.stderr
    assert "пробный прогон" in preview.stdout
    assert count(data, "teacher") == 0 and count(data, "import_log") == 0
    result = run(
        data, "import", str(region.packages[0]), str(bad), str(region.packages[1]), "--json"
    )
    assert result.returncode == 1, result.stderr
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["verdict"] for r in reports] == ["applied", "refused", "applied"]
    assert reports[1]["reason"] and reports[1]["file"].endswith("broken.opora")
    for rep in (reports[0], reports[2]):
        totals = {t: sum(c.values()) for t, c in rep["counts"].items()}
        assert totals == {t: n for t, n in rep["manifest_counts"].items() if n}
    assert count(data, "teacher") == 60
    assert sum(sum(sum(c.values()) for c in r["counts"].values()) for r in reports) == region.rows
    again = run(data, "import", str(tmp_path / "packages"))
    assert again.returncode == 0, again.stderr
    lines = [ln for ln in again.stdout.splitlines() if not ln.startswith("  Отчёт:")]
    assert len(lines) == 2 and all("уже импортирован, ничего не изменено" in ln for ln in lines)
    # the printed import report of the first file repeats the engine's figures
    out = tmp_path / "import.pdf"
    printed = run(data, "report", "import", "--log-id", reports[0]["log_id"], "--out", str(out))
    assert printed.returncode == 0, printed.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                              text=True).stdout  # fmt: skip
        assert "принят" in text and region.cards[0].fingerprint in text
        total = sum(reports[0]["manifest_counts"].values())
        assert re.search(rf"Всего\s+{total}\s+0\s+0\s+0\s+0\s+{total}", text), text
    missing = run(data, "report", "import", "--log-id", "нет-такой", "--out", str(out))
    assert missing.returncode == 1 and "не найдена" in missing.stderr


@pytest.mark.slow
def test_unknown_school_waits_in_quarantine_until_enrolled(tmp_path: Path) -> None:
    region = build_region(tmp_path, 1, enroll=False)
    data, pkg, card = region.district_dir, region.packages[0], region.cards[0]
    first = run(data, "import", str(pkg))
    assert first.returncode == 1, first.stderr  # a person has to act
    assert "карантин" in first.stdout and card.fingerprint not in first.stdout
    assert count(data, "teacher") == 0 and count(data, "quarantine") == 1
    wrong = run(data, "enroll", str(pkg), "--confirm", "0000 0000 0000 0000")
    assert wrong.returncode == 1 and "не совпадает" in wrong.stderr + wrong.stdout
    assert count(data, "teacher") == 0
    with closing(sqlite3.connect(data / "opora.sqlite3")) as conn:
        assert conn.execute("SELECT count(*) FROM peer WHERE status='TRUSTED'").fetchone()[0] == 0
    ok = run(data, "enroll", str(pkg), "--confirm", card.fingerprint.lower())
    assert ok.returncode == 0, ok.stderr
    assert "принят" in ok.stdout
    assert count(data, "teacher") == 30
