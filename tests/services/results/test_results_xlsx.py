"""Results template round trip, located template errors, the export and the PDF."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from models import Role
from services.app import Services
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, get_spec
from services.documents.spreadsheets import ImportMode, XlsxRejected, import_xlsx
from services.documents.xlsx import LISTS_SHEET
from services.results.demo import demo_years
from services.results.rules import AssessmentEntry, VprEntry
from services.results.xlsx import ASSESSMENT_SHEET, write_results_template


def _render(services: Services, kind: str, out: Path, year: int | None = None) -> Path:
    spec = get_spec(kind, Role.SCHOOL, out)
    spec.render(services, out, DocOptions(year=year), NullProgress())
    return out


@pytest.fixture
def demo(school: Services) -> Services:
    school.results.fill_demo(Role.SCHOOL)
    return school


def test_template_layout(school: Services, tmp_path: Path) -> None:
    out = _render(school, "results-template", tmp_path / "t.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames[:5] == ["Инструкция", "ВПР", "ГИА", "Переводы", "Итоги года по классам"]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    vpr = wb["ВПР"]
    assert vpr.freeze_panes == "A2"
    assert [c.value for c in vpr[1]][:6] == ["Год", "Класс", "Буква класса", "Предмет",
                                             "Участников", "«2»"]  # fmt: skip
    kinds = {dv.type for dv in vpr.data_validations.dataValidation}
    assert {"list", "whole"} <= kinds
    lists = [dv for dv in vpr.data_validations.dataValidation if dv.type == "list"]
    assert all(not dv.showDropDown for dv in lists)  # the arrow stays visible
    assert any(LISTS_SHEET in (dv.formula1 or "") for dv in lists)
    gia_kinds = {dv.type for dv in wb["ГИА"].data_validations.dataValidation}
    assert "decimal" in gia_kinds  # mean score 0–100


def test_template_round_trip(demo: Services, file_services: Services, tmp_path: Path) -> None:
    year = demo_years(date.today())[-1]
    out = _render(demo, "results-template", tmp_path / "t.xlsx", year)
    # a second, empty school imports the filled template and gets the same rows
    other = file_services
    other.site.initialize(Role.SCHOOL, "МОУ Другая СОШ", "5105099999")
    assert "добавлено строк: 40" in import_xlsx(other, "results", out)
    for kind in ("vpr", "gia", "progression", "assessment"):
        mine = [replace(e, id="") for e in getattr(demo.results, kind)(year)]
        theirs = [replace(e, id="") for e in getattr(other.results, kind)(year)]
        assert theirs == mine


def test_template_errors_are_located_and_nothing_written(school: Services, tmp_path: Path) -> None:
    good = VprEntry(2025, 5, "Математика", 20, 2, 8, 7, 3)
    out = tmp_path / "t.xlsx"
    write_results_template(out, [good])
    wb = load_workbook(out)
    ws = wb["ВПР"]
    ws.append([2025, "6", None, "Русский язык", 20, 2, 8, 7, 4])  # row 3: 21 marks for 20
    ws.append([2025, "7", None, "История", "двадцать", 2, 8, 7, 3])  # row 4: text
    ws.append([2025, "8", None, "Биология", 10, 2, 8, 0, 0, 1, 8])  # row 5: 2 of 3 objectivity
    wb["Переводы"].append([2025, "Вся школа", 100, 2, 1, 20, 21])  # certificates > graduates
    wb.save(out)
    with pytest.raises(XlsxRejected) as err:
        import_xlsx(school, "results", out)
    located = {(e.sheet, e.row, e.column) for e in err.value.errors}
    assert ("ВПР", 3, "Участников") in located
    assert ("ВПР", 4, "Участников") in located
    assert ("ВПР", 5, "Повысили") in located
    assert ("Переводы", 2, "Аттестаты 9 кл.") in located
    assert "Ничего не импортировано" in str(err.value)
    assert school.results.years() == []


def test_replace_mode_removes_rows_missing_from_the_file(school: Services, tmp_path: Path) -> None:
    a = VprEntry(2025, 5, "Математика", 20, 2, 8, 7, 3)
    b = VprEntry(2025, 6, "Математика", 10, 1, 4, 4, 1)
    both, one = tmp_path / "both.xlsx", tmp_path / "one.xlsx"
    write_results_template(both, [a, b])
    write_results_template(one, [a])
    import_xlsx(school, "results", both)
    import_xlsx(school, "results", one)  # append: keeps b
    assert len(school.results.vpr(2025)) == 2
    summary = import_xlsx(school, "results", one, ImportMode.REPLACE)
    assert "удалено: 1" in summary
    assert [e.grade for e in school.results.vpr(2025)] == [5]


def test_export_shows_the_screen_numbers(demo: Services, tmp_path: Path) -> None:
    year = demo.results.years()[0]
    out = _render(demo, "results", tmp_path / "r.xlsx", year)
    wb = load_workbook(out)
    assert wb.sheetnames[:4] == ["Показатели", "ВПР", "ГИА", "Переводы"]
    ws = wb["Показатели"]
    values = demo.results.indicators(year)
    assert ws.max_row == len(values) + 1
    for row, v in zip(ws.iter_rows(min_row=2, values_only=True), values, strict=True):
        assert row[0] == v.name
        expected = v.ratio.value
        assert row[2] == ("нет данных" if expected is None else round(expected, 1))
    # the export is a valid template: importing it back changes nothing
    before = demo.db.change_count
    assert "добавлено строк: 0, изменено: 0" in import_xlsx(demo, "results", out)
    assert demo.db.change_count == before


def test_results_pdf(demo: Services, school: Services, tmp_path: Path) -> None:
    from services.results.pdf import write_results_pdf

    report = demo.results.report()
    pages = write_results_pdf(tmp_path / "r.pdf", report, demo.paths.fonts_dir)
    assert pages >= 2
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    out = _render(demo, "results", tmp_path / "cli.pdf")
    assert out.stat().st_size > 10_000


def test_results_pdf_without_data(school: Services, tmp_path: Path) -> None:
    out = _render(school, "results", tmp_path / "empty.pdf", 2025)
    assert out.read_bytes().startswith(b"%PDF")


def test_municipal_inputs_left_blank_in_the_template_stay_not_entered(
    school: Services, tmp_path: Path
) -> None:
    from services.results.rules import ProgressionEntry

    out = tmp_path / "t.xlsx"
    entry = ProgressionEntry(2025, "all", 300, graduates_9=30, certificates_9=29,
                             gia9_admitted=29, gia9_no_fail=26)  # fmt: skip
    write_results_template(out, progression=[entry])
    headers = [c.value for c in load_workbook(out)["Переводы"][1]]
    assert "ГИА-9 без «2» по всем экзаменам" in headers and "Награждены знаком" in headers
    import_xlsx(school, "results", out)
    [stored] = school.results.progression(2025)
    assert (stored.gia9_admitted, stored.gia9_no_fail) == (29, 26)
    assert stored.badge_claimants is None and stored.medal_claimants is None


def _assessment(services: Services, year: int) -> list[AssessmentEntry]:
    return [replace(e, id="") for e in services.results.assessment(year) if e.period == "year"]


def test_the_years_assessment_sheet_round_trips(
    demo: Services, file_services: Services, tmp_path: Path
) -> None:
    """«Итоги года по классам»: counts, then percentages as values (no formula to lose)."""
    year = demo.results.years()[0]
    demo.results.save_assessment(AssessmentEntry(year, 7, "Физика", 25, 24, 11, class_label="Б"))
    demo.results.save_assessment(AssessmentEntry(year, 5, "Физика", 0, 0, 0))
    mine = _assessment(demo, year)
    assert len(mine) == 12
    for kind in ("results", "results-template"):
        out = _render(demo, kind, tmp_path / f"{kind}.xlsx", year)
        ws = load_workbook(out)[ASSESSMENT_SHEET]
        assert [c.value for c in ws[1]] == ["Год", "Класс", "Буква класса", "Предмет",
                                            "Обучающихся", "Успевают (без «2»)", "На «4» и «5»",
                                            "Успеваемость, %", "Качество знаний, %"]  # fmt: skip
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        assert len(rows) == len(mine)
        assert (year, 7, "Б", "Физика", 25, 24, 11, 96.0, 44.0) in rows
        assert (year, 5, None, "Физика", 0, 0, 0, None, None) in rows  # no pupils: no share
        assert not any(isinstance(v, str) and v.startswith("=") for r in rows for v in r)
        other = file_services
        if not other.site.is_initialized():
            other.site.initialize(Role.SCHOOL, "МОУ Другая СОШ", "5105099999")
        summary = import_xlsx(other, "results", out, ImportMode.REPLACE)
        assert "итоги года по классам — 12" in summary
        assert _assessment(other, year) == mine


def test_the_years_assessment_keeps_term_rows_on_replace(school: Services, tmp_path: Path) -> None:
    """The sheet holds the year's rows only: a replacing import leaves the terms' rows alone."""
    term = AssessmentEntry(2025, 5, "Математика", 20, 19, 8, period="term1")
    school.results.save_assessment(term)
    out = tmp_path / "t.xlsx"
    write_results_template(out, assessment=[AssessmentEntry(2025, 5, "Математика", 20, 18, 9)])
    import_xlsx(school, "results", out, ImportMode.REPLACE)
    periods = sorted(e.period for e in school.results.assessment(2025))
    assert periods == ["term1", "year"]


def test_an_inconsistent_assessment_row_is_refused_by_its_row(
    school: Services, tmp_path: Path
) -> None:
    out = tmp_path / "t.xlsx"
    write_results_template(out, assessment=[AssessmentEntry(2025, 5, "Математика", 20, 18, 9)])
    wb = load_workbook(out)
    ws = wb[ASSESSMENT_SHEET]
    ws.append([2025, 6, "А", "Русский язык", 20, 21, 9])  # row 3: 21 succeed of 20
    ws.append([2025, 7, None, "История", 20, 18, 9, 50])  # row 4: a percentage that is not 90
    wb.save(out)
    with pytest.raises(XlsxRejected) as err:
        import_xlsx(school, "results", out)
    located = {(e.sheet, e.row, e.column): e.message for e in err.value.errors}
    assert "больше, чем обучающихся" in located[(ASSESSMENT_SHEET, 3, "Успевают (без «2»)")]
    assert "90" in located[(ASSESSMENT_SHEET, 4, "Успеваемость, %")]
    assert school.results.assessment(2025) == []
