"""`demo` then `report audit-blank` and `report audit --year Y` in real subprocesses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.e2e.cli_support import run_cli as run


@pytest.mark.slow
def test_demo_then_audit_reports(tmp_path: Path) -> None:
    data = tmp_path / "data"
    init = run(data, "init", "--role", "school", "--name", "МОУ Тестовая СОШ", "--code", "1")
    assert init.returncode == 0, init.stderr
    demo = run(data, "demo")
    assert demo.returncode == 0, demo.stderr
    this_year = date.today().year
    assert f"Самоаудит по факторам риска за {this_year - 1} и {this_year} годы" in demo.stdout
    blank = run(data, "report", "audit-blank", "--out", str(tmp_path / "blank.pdf"))
    assert blank.returncode == 0, blank.stderr
    last = tmp_path / "last.pdf"
    filled = run(data, "report", "audit", "--year", str(this_year - 1), "--out", str(last))
    assert filled.returncode == 0, filled.stderr
    text = " ".join(p.extract_text() or "" for p in PdfReader(last).pages)
    assert f"за {this_year - 1} год" in text
    missing = run(data, "report", "audit", "--year", "1999", "--out", str(tmp_path / "x.pdf"))
    assert missing.returncode == 1 and "Самоаудита за 1999 год нет" in missing.stderr
    assert not (tmp_path / "x.pdf").exists()
