"""Results from the command line end to end: demo, template, import, PDF and Excel (DESIGN §10)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from services.results.demo import demo_years
from tests.e2e.cli_support import run_cli as run

YEAR = str(demo_years(date.today())[-1])


@pytest.mark.slow
def test_results_commands(tmp_path: Path) -> None:
    demo, fresh = tmp_path / "demo", tmp_path / "fresh"
    assert run(demo, "init", "--role", "school", "--name", "МОУ Лодейнинская СОШ",
               "--code", "5105012345").returncode == 0  # fmt: skip
    assert run(demo, "demo").returncode == 0
    template = tmp_path / "t.xlsx"
    out = run(demo, "report", "results-template", "--out", str(template), "--year", YEAR)
    assert out.returncode == 0, out.stderr
    assert {"ВПР", "Итоги года по классам"} <= set(load_workbook(template).sheetnames)

    assert run(fresh, "init", "--role", "school", "--name", "МОУ Другая СОШ",
               "--code", "5105099999").returncode == 0  # fmt: skip
    first = run(fresh, "import-xlsx", "results", str(template))
    assert first.returncode == 0, first.stderr
    assert "итоги года по классам — 10 строк; добавлено строк: 40" in first.stdout
    again = run(fresh, "import-xlsx", "results", str(template))
    assert "добавлено строк: 0, изменено: 0, без изменений: 40" in again.stdout

    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    assert run(fresh, "report", "results", "--year", YEAR, "--out", str(pdf)).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert run(fresh, "report", "results", "--year", YEAR, "--out", str(xlsx)).returncode == 0
    assert load_workbook(xlsx).sheetnames[0] == "Показатели"

    wb = load_workbook(template)
    wb["ВПР"]["E2"] = 999
    wb.save(template)
    bad = run(fresh, "import-xlsx", "results", str(template))
    assert bad.returncode == 1
    assert "Лист «ВПР», строка 2, столбец «Участников»" in bad.stderr
    assert "Ничего не импортировано" in bad.stderr
