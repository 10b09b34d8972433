"""District `demo` then `report district-summary` (pdf and xlsx) in real subprocesses."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from services.district.demo import SCHOOLS
from tests.e2e.cli_support import run_cli as run


@pytest.mark.slow
def test_district_demo_then_summary_reports(tmp_path: Path) -> None:
    data = tmp_path / "data"
    init = run(
        data,
        "init",
        "--role",
        "district",
        "--name",
        "Управление образования Кольского района",
        "--code",
        "5105000001",
    )
    assert init.returncode == 0, init.stderr
    demo = run(data, "demo")
    assert demo.returncode == 0, demo.stderr
    assert "7 школ Кольского района" in demo.stdout
    pdf, xlsx = tmp_path / "справка.pdf", tmp_path / "сводка.xlsx"
    for out in (pdf, xlsx):
        done = run(data, "report", "district-summary", "--out", str(out))
        assert done.returncode == 0, done.stderr
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    assert "Аналитическая справка" in text
    assert "1. МОУ Зверосовхозская СОШ — ВПР «2»" in text
    assert all(school.short_name in text for school in SCHOOLS)
    wb = load_workbook(xlsx)
    names = [str(row[0]) for row in wb["Школы"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert sorted(names) == sorted(school.short_name for school in SCHOOLS)
    wrong = run(data, "report", "district-summary", "--out", str(tmp_path / "x.docx"))
    assert wrong.returncode == 1 and "Ошибка" in wrong.stderr
