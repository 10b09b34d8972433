"""`demo` then `report ippr` in real subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.conftest import REPO


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("OPORA_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


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
