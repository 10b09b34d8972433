"""Report `district-summary`: dashboard = PDF text = xlsx cells = the school's own indicators."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from services.app import Services
from services.core.formatting import plural
from services.core.progress import NullProgress
from services.core.ratio import Ratio
from services.district.summary import PERSISTENT_TEXT, SHORT_NAMES, pct
from services.district.summary_pdf import TABLE_CODES
from services.documents.registry import DocOptions, get_spec
from services.indicators.compute import as_of_for
from tests.conftest import BOTH_ENGINES
from tests.services.district_support import YEAR, craft

pytestmark = BOTH_ENGINES


def _render(services: Services, out: Path) -> None:
    spec = get_spec("district-summary", services.site.profile().role, out)
    spec.render(services, out, DocOptions(year=YEAR), NullProgress())


def test_workbook_cells_equal_the_dashboard_and_the_school(
    district: Services, tmp_path: Path
) -> None:
    craft(district)
    out = tmp_path / "summary.xlsx"
    _render(district, out)
    summary = district.dashboard.summary(YEAR, as_of_for(YEAR))
    wb = load_workbook(out)
    ws = wb["Показатели"]
    header = [c.value for c in ws[1]]
    for row, school in enumerate(summary.schools, start=2):
        assert ws.cell(row=row, column=1).value == school.name
        own = district.results.indicators(YEAR, owner=school.site_id, as_of=as_of_for(YEAR))
        for v in own:
            if v.subject is not None or SHORT_NAMES.get(v.code) not in header:
                continue
            cell = ws.cell(row=row, column=header.index(SHORT_NAMES[v.code]) + 1)
            if v.ratio.value is None:
                assert cell.value is None
            else:
                assert cell.value == pytest.approx(v.ratio.value / 100)
                assert cell.number_format == "0.0%"
    district_row = len(summary.schools) + 2
    assert ws.cell(row=district_row, column=1).value == "По району"
    fail = ws.cell(row=district_row, column=header.index(SHORT_NAMES["VPR_FAIL"]) + 1).value
    assert fail == pytest.approx((12 + 3 + 9) / (40 + 50 + 30))
    assert summary.district_value("VPR_FAIL") == Ratio(12 + 3 + 9, 40 + 50 + 30)
    marks = {r[0].value: r[8].value for r in wb["Школы"].iter_rows(min_row=2)}
    assert [n for n, m in marks.items() if m == PERSISTENT_TEXT] == [
        s.name for s in summary.persistently_low
    ]
    assert all(len(wb[name]._charts) == 1 for name in ("Дорожные карты", "Кадры", "Район"))  # type: ignore[attr-defined]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_pdf_text_equals_the_dashboard(district: Services, tmp_path: Path) -> None:
    c = craft(district)
    out = tmp_path / "summary.pdf"
    _render(district, out)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Аналитическая справка" in text
    summary = district.dashboard.summary(YEAR, as_of_for(YEAR))
    lines = text.splitlines()
    for school in summary.schools:
        own = {
            v.code: v
            for v in district.results.indicators(YEAR, owner=school.site_id)
            if v.subject is None
        }
        row = next(line for line in lines if school.name in line)
        cells = row.split(school.name, 1)[1].split()
        cells = cells[len(school.flags.labels()) :]  # the status column («ШНОР»)
        expected = [pct(school.execution), str(school.overdue)]
        expected += [pct(own[code].ratio) for code in TABLE_CODES]
        expected.append(pct(own["TEACHER_PK"].ratio))
        assert cells[: len(expected)] == expected
    low = next(s for s in summary.schools if s.site_id == c.low)
    flat = " ".join(text.split())
    assert f"{low.name} — ВПР «2»: 25,0 % → 30,0 %" in flat
    assert PERSISTENT_TEXT in flat


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_pdf_counts_agree_in_case_and_every_flag_is_named(
    district: Services, tmp_path: Path
) -> None:
    craft(district)
    out = tmp_path / "summary.pdf"
    _render(district, out)
    flat = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split()
    )
    summary = district.dashboard.summary(YEAR, as_of_for(YEAR))
    low = len(summary.persistently_low)
    assert f"Школ в мониторинге: {len(summary.schools)}." in flat
    assert f"— {plural(low, 'школа', 'школы', 'школ')}." in flat
    assert "школ — с устойчиво" not in flat  # «2 школ» was printed for two schools
    flagged = [s for s in summary.schools if s.flagged]
    assert flagged and flat.count("ниже порога:") == len(flagged)
    assert "Светлой заливкой отмечен показатель" in flat  # the colours are explained
