"""The справка's tables carry the district's own indicators (seed 001's municipal ones)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from services.app import Services
from services.core.progress import NullProgress
from services.district.definitions import DefinitionDraft
from services.district.thresholds import ThresholdDraft
from services.documents.registry import DocOptions, get_spec
from tests.conftest import BOTH_ENGINES
from tests.services.indicators.seed001 import SEED_001, YEAR, add_two_schools

pytestmark = BOTH_ENGINES

# counts the district defines besides seed 001 (school A: 18 graduates of grade 11, 40 of 9):
# seven indicators, more than one table of the landscape page holds
GRADUATES = DefinitionDraft("MUN_GRADUATES_11", "Выпускники 11 классов", "graduates_11", "чел.")
GRADUATES_9 = DefinitionDraft("MUN_GRADUATES_9", "Выпускники 9 классов", "graduates_9", "чел.")


def _district_with_seed_001(district: Services) -> None:
    for draft in (*SEED_001, GRADUATES, GRADUATES_9):
        district.thresholds.save_definition(draft)
    with district.db.session() as s:
        add_two_schools(s)
    district.thresholds.save(ThresholdDraft(YEAR, "MUN_GIA9_NO_FAIL", "<", 80.0))  # flags B


def _render(services: Services, out: Path) -> None:
    spec = get_spec("district-summary", services.site.profile().role, out)
    spec.render(services, out, DocOptions(year=YEAR), NullProgress())


def test_the_pdf_has_a_table_of_the_district_indicators(district: Services, tmp_path: Path) -> None:
    _district_with_seed_001(district)
    out = tmp_path / "spravka.pdf"
    _render(district, out)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    start = text.find("Показатели, установленные районом")
    assert start > 0, "no table of the district's indicators"
    part = text[start : text.index("Светлой заливкой", start)]
    assert "Доля выпускников 9 классов, успешно (без двоек) сдавших все экзамены" in part
    assert "Выпускники 11 классов, чел." in part and "Выпускники 9 классов, чел." in part
    # by code: BADGE, GIA9_NO_FAIL, GRADUATES_11, GRADUATES_9 | MEDAL, NO_CERT_11, VPR_CONFIRMED
    # (seven: two tables of four and three); school A: 4/5, 34/39, 18, 40 | 3/4, 1/18, 125/159;
    # school B: 1/2, 15/20, 10, 20 | 0/0, 0/10, 58/85
    assert "СШ № 15 50,0 75,0 10 20 2 СШ № 3 80,0 87,2 18 40" in part
    assert "СШ № 15 — 0,0 68,2 2 СШ № 3 75,0 5,6 78,6 По району 75,0 3,6 75,0" in part


def test_the_workbook_has_the_district_indicators_as_numbers_in_their_unit(
    district: Services, tmp_path: Path
) -> None:
    _district_with_seed_001(district)
    out = tmp_path / "spravka.xlsx"
    _render(district, out)
    ws = load_workbook(out)["Показатели"]
    header = [c.value for c in ws[1]]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    share = header.index(f"{SEED_001[0].name}, %")
    cell = rows["СШ № 3"][share]
    assert cell.value == pytest.approx(125 / 159, abs=1e-6)
    assert cell.number_format == "0.0%"  # as the shipped indicators' cells
    count = rows["СШ № 3"][header.index("Выпускники 11 классов, чел.")]
    assert (cell.data_type, count.value, count.number_format) == ("n", 18, "0")
    assert rows["СШ № 15"][header.index(f"{SEED_001[4].name}, %")].value is None  # 0 ÷ 0
