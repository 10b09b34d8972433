"""`demo` then `report ippr` in real subprocesses."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.e2e.cli_support import run_cli as run


@pytest.mark.slow
def test_demo_then_ippr_reports(tmp_path: Path) -> None:
    data = tmp_path / "data"
    init = run(data, "init", "--role", "school", "--name", "МОУ Тестовая СОШ", "--code", "1")
    assert init.returncode == 0, init.stderr
    demo = run(data, "demo")
    assert demo.returncode == 0, demo.stderr
    assert "Педагоги: 15" in demo.stdout
    one = run(data, "report", "ippr", "--teacher", "Белова", "--out", str(tmp_path / "one.pdf"))
    assert one.returncode == 0, one.stderr
    assert (tmp_path / "one.pdf").read_bytes().startswith(b"%PDF")
    everything = run(data, "report", "ippr", "--out", str(tmp_path / "all.pdf"))
    assert everything.returncode == 0, everything.stderr
    assert (tmp_path / "all.pdf").stat().st_size > (tmp_path / "one.pdf").stat().st_size
    table = run(data, "report", "ippr", "--out", str(tmp_path / "all.xlsx"))
    assert table.returncode == 0, table.stderr
    rows = list(openpyxl.load_workbook(tmp_path / "all.xlsx").worksheets[0].iter_rows(min_row=2))
    assert len(rows) > 30
    missing = run(data, "report", "ippr", "--teacher", "Нетакого", "--out", str(tmp_path / "x.pdf"))
    assert missing.returncode == 1
    assert "не найден" in missing.stderr + missing.stdout
    assert not (tmp_path / "x.pdf").exists()
