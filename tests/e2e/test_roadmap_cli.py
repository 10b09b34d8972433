"""The roadmap from the command line: demo, print, export, template and import-xlsx."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.e2e.cli_support import run_cli as _run


@pytest.mark.slow
def test_print_export_and_import_back(tmp_path: Path) -> None:
    data = tmp_path / "d"
    assert _run(data, "init", "--role", "school", "--name", "МОУ Лодейнинская СОШ",
                "--code", "4701").returncode == 0  # fmt: skip
    assert _run(data, "demo").returncode == 0
    for name, extra in (("rm.pdf", ()), ("mon.pdf", ("--monitoring",)), ("rm.xlsx", ())):
        result = _run(data, "report", "roadmap", "--out", str(tmp_path / name), *extra)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / name).stat().st_size > 3000
    refused = _run(data, "import-xlsx", "roadmap", str(tmp_path / "rm.xlsx"))
    assert refused.returncode == 1
    assert "--append" in refused.stderr and "--replace" in refused.stderr
    with closing(sqlite3.connect(data / "opora.sqlite3")) as conn:
        (items,) = conn.execute("SELECT count(*) FROM roadmap_item WHERE NOT deleted").fetchone()
    assert items >= 21  # the demo roadmap, plus the anti-risk measures of the demo audit
    replaced = _run(data, "import-xlsx", "roadmap", str(tmp_path / "rm.xlsx"), "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert f"Загружено в дорожную карту: {items} меропри" in replaced.stdout
    bad = tmp_path / "bad.xlsx"
    bad.write_text("x", encoding="utf-8")
    result = _run(data, "import-xlsx", "roadmap", str(bad), "--append")
    assert result.returncode == 1 and "не удалось прочитать как .xlsx" in result.stderr


@pytest.mark.slow
def test_monitoring_by_period_and_a_wrong_period(tmp_path: Path) -> None:
    from datetime import date

    data = tmp_path / "d"
    assert _run(data, "init", "--role", "school", "--name", "МОУ Лодейнинская СОШ",
                "--code", "4701").returncode == 0  # fmt: skip
    assert _run(data, "demo").returncode == 0
    year = str(date.today().year)
    for name in ("m.pdf", "m.xlsx"):
        out = tmp_path / name
        result = _run(
            data, "report", "roadmap", "--monitoring", "--period", year, "--out", str(out)
        )
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 3000
    wrong = _run(data, "report", "roadmap", "--monitoring", "--period", "2025-H3",
                 "--out", str(tmp_path / "x.pdf"))  # fmt: skip
    assert wrong.returncode == 2
    assert "Период «2025-H3» не понят" in wrong.stderr and "2025/26" in wrong.stderr
    alone = _run(data, "report", "roadmap", "--period", year, "--out", str(tmp_path / "y.pdf"))
    assert alone.returncode == 2 and "--monitoring" in alone.stderr
    outside = _run(data, "report", "roadmap", "--monitoring", "--period", "2001",
                   "--out", str(tmp_path / "z.pdf"))  # fmt: skip
    assert outside.returncode == 1 and "не пересекается" in outside.stderr
    assert not any((tmp_path / n).exists() for n in ("x.pdf", "y.pdf", "z.pdf"))
