"""Import of ФИС ОКО reports (DOMAIN §3.1) built here with openpyxl in their varied layouts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from services.app import Services
from services.core.errors import Invalid
from services.documents.spreadsheets import XlsxRejected, import_xlsx
from services.results.fisoko import classify, find_grade, find_subject
from tests.conftest import FIXTURES


def _active(wb: Workbook) -> Worksheet:
    ws = wb.active
    assert isinstance(ws, Worksheet)
    return ws


def _save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def _rows(ws: Any, start: int, rows: list[list[Any]]) -> None:
    for r, values in enumerate(rows, start=start):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)


def stats_report(
    path: Path, *, school: list[Any] | None = None, extra: tuple[list[Any], ...] = ()
) -> Path:
    """«Статистика по отметкам» as ФИС ОКО prints it: title block, merged two-row header, %."""
    wb = Workbook()
    ws = _active(wb)
    ws.title = "Статистика по отметкам"
    ws["A1"] = "Всероссийские проверочные работы 2025 (5 класс)"
    ws["A2"] = "Дата формирования: 15.05.2025"
    ws["A3"] = "Предмет: Математика"
    ws["A5"], ws["B5"], ws["C5"], ws["D5"] = (
        "ОО",
        "Кол-во ОО",
        "Кол-во уч.",
        "Распределение групп баллов в %",
    )
    ws.merge_cells("A5:A6")
    ws.merge_cells("B5:B6")
    ws.merge_cells("C5:C6")
    ws.merge_cells("D5:G5")
    _rows(ws, 6, [[None, None, None, "2", "3", "4", "5"]])
    _rows(ws, 7, [
        ["Вся выборка", 35000, 1200000, 15.2, 40.1, 32.3, 12.4],
        ["Мурманская обл.", 100, 9000, 14.0, 41.0, 33.0, 12.0],
        ["Кольский муниципальный район", 12, 800, 18.5, 40.0, 30.0, 11.5],
        school or ["(sch513021) МОУ Лодейнинская СОШ", None, 25, 12, 40, 32, 16],
        ["5А", None, 13, 15.38, 38.46, 30.77, 15.38],
        ["5 «Б»", None, 12, 8.33, 41.67, 33.33, 16.67],
        *extra,
    ])  # fmt: skip
    return _save(wb, path)


def comparison_report(path: Path, counts: tuple[int, int, int, int] = (5, 18, 2, 25)) -> Path:
    """«Сравнение отметок с отметками по журналу» with the full row labels of DOMAIN §3.1."""
    wb = Workbook()
    ws = _active(wb)
    ws.title = "Сравнение отметок"
    ws["A1"] = "Сравнение отметок с отметками по журналу"
    ws["A2"] = "ВПР 2025. Математика, 5 класс. sch513021"
    _rows(ws, 4, [
        ["Группы участников", "Кол-во участников", "%"],
        ["Понизили (Отметка < Отметка по журналу)", counts[0], 20.0],
        ["Подтвердили (Отметка = Отметке по журналу)", counts[1], 72.0],
        ["Повысили (Отметка > Отметка по журналу)", counts[2], 8.0],
        ["Всего", counts[3], 100],
    ])  # fmt: skip
    return _save(wb, path)


def reordered_counts(path: Path, rows: list[list[Any]] | None = None) -> Path:
    """Another wording: counts (not %) stored as text, columns reversed, login in its own column."""
    wb = Workbook()
    ws = _active(wb)
    ws.title = "Рус. яз. 6 кл ВПР-2025"
    _rows(ws, 1, [
        ["Статистика по отметкам"],
        [],
        ["Логин ОО", "Наименование", "Отм. «5»", "Отм. «4»", "Отм. «3»", "Отм. «2»",
         "Количество участников"],
        ["sch513021", "МОУ Лодейнинская СОШ", "1", "4", "9", "6", "20"],
        *(rows or []),
    ])  # fmt: skip
    return _save(wb, path)


def test_header_classification() -> None:
    assert classify("Кол-во уч.") == "participants"
    assert classify("Количество участников") == "participants"
    assert classify("Отм. «2»") == "n2"
    assert classify("5") == "n5"
    assert classify("Группы участников") == "group"
    assert classify("Подтвердили (Отметка = Отметке по журналу)") == "confirmed"
    assert classify("Распределение групп баллов в %") is None
    assert classify("Кол-во ОО") is None
    assert find_subject("Рус. яз. 6 кл") == "Русский язык"
    assert find_subject("Статистика по отметкам") is None
    assert find_grade("ВПР 2025 (5 класс)") == 5
    assert find_grade("Рус. яз. 6 кл ВПР") == 6


def test_stats_report_with_merged_header_and_percentages(school: Services, tmp_path: Path) -> None:
    summary = import_xlsx(school, "results", stats_report(tmp_path / "s.xlsx"))
    assert "ВПР — 3" in summary
    rows = {(e.class_label, e.subject): e for e in school.results.vpr(2025)}
    whole = rows[("", "Математика")]
    assert (whole.grade, whole.participants, whole.n2, whole.n3, whole.n4, whole.n5) == (
        5, 25, 3, 10, 8, 4,
    )  # fmt: skip
    assert (rows[("5А", "Математика")].n2, rows[("5А", "Математика")].n5) == (2, 2)
    assert rows[("5Б", "Математика")].participants == 12
    # the region and municipality rows are not the school's and are not imported
    assert len(rows) == 3


def test_comparison_report_completes_the_stats(school: Services, tmp_path: Path) -> None:
    import_xlsx(school, "results", stats_report(tmp_path / "s.xlsx"))
    import_xlsx(school, "results", comparison_report(tmp_path / "c.xlsx"))
    whole = next(e for e in school.results.vpr(2025) if not e.class_label)
    assert (whole.lowered, whole.confirmed, whole.raised) == (5, 18, 2)
    objectivity = {v.key: v for v in school.results.indicators(2025)}["VPR_OBJECTIVITY"]
    assert objectivity.ratio.detail() == "18 из 25"


def test_comparison_without_stats_is_refused(school: Services, tmp_path: Path) -> None:
    with pytest.raises(XlsxRejected, match="нет статистики по отметкам"):
        import_xlsx(school, "results", comparison_report(tmp_path / "c.xlsx"))


def test_comparison_total_not_adding_up(school: Services, tmp_path: Path) -> None:
    import_xlsx(school, "results", stats_report(tmp_path / "s.xlsx"))
    before = school.db.change_count
    with pytest.raises(XlsxRejected) as err:
        import_xlsx(school, "results", comparison_report(tmp_path / "c.xlsx", (5, 18, 3, 25)))
    assert len(err.value.errors) == 1
    e = err.value.errors[0]
    assert (e.sheet, e.row, e.column) == ("Сравнение отметок", 8, "Кол-во участников")
    assert "«Всего» (25) не равно сумме" in e.message
    assert school.db.change_count == before


def test_reordered_counts_stored_as_text(school: Services, tmp_path: Path) -> None:
    import_xlsx(school, "results", reordered_counts(tmp_path / "r.xlsx"))
    [e] = school.results.vpr(2025)
    assert (e.subject, e.grade, e.participants, e.n2, e.n3, e.n4, e.n5) == (
        "Русский язык", 6, 20, 6, 9, 4, 1,
    )  # fmt: skip


def test_counts_not_adding_up_and_text_in_numbers(school: Services, tmp_path: Path) -> None:
    path = reordered_counts(tmp_path / "r.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = _active(wb)
    ws["G4"] = "21"  # participants ≠ 1 + 4 + 9 + 6
    wb.save(path)
    with pytest.raises(XlsxRejected) as err:
        import_xlsx(school, "results", path)
    [e] = err.value.errors
    assert (e.row, e.column) == (4, "Количество участников")
    assert "сумма отметок «2»–«5» (20) не равна числу участников (21)" in e.message
    ws["G4"] = "двадцать"
    wb.save(path)
    with pytest.raises(XlsxRejected) as err:
        import_xlsx(school, "results", path)
    assert "«двадцать» — не число" in err.value.errors[0].text()
    assert school.results.years() == []


def test_percentages_not_adding_up(school: Services, tmp_path: Path) -> None:
    path = stats_report(
        tmp_path / "s.xlsx", school=["sch513021 МОУ Лодейнинская СОШ", None, 25, 12, 40, 20, 16]
    )
    with pytest.raises(XlsxRejected, match="в сумме дают 88"):
        import_xlsx(school, "results", path)
    assert school.results.years() == []


def test_several_schools_in_one_report(school: Services, tmp_path: Path) -> None:
    path = stats_report(
        tmp_path / "s.xlsx", extra=(["sch513099 МОУ Другая СОШ", None, 10, 10, 40, 40, 10],)
    )
    with pytest.raises(XlsxRejected, match="несколько школ"):
        import_xlsx(school, "results", path)


def test_hidden_sheets_are_not_read(school: Services, tmp_path: Path) -> None:
    path = reordered_counts(tmp_path / "r.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    hidden = wb.copy_worksheet(_active(wb))
    hidden.title = "Старые данные"
    hidden["G4"] = "999"  # would be an error if it were read
    hidden.sheet_state = "hidden"
    wb.save(path)
    summary = import_xlsx(school, "results", path)
    assert "Скрытые листы не читались: «Старые данные»" in summary
    assert [e.participants for e in school.results.vpr(2025)] == [20]
    _active(wb).sheet_state = "hidden"
    wb.active = 1
    hidden.sheet_state = "visible"
    wb.save(path)
    with pytest.raises(XlsxRejected):
        import_xlsx(school, "results", path)


def test_workbook_from_another_program(school: Services, tmp_path: Path) -> None:
    wb = Workbook()
    _rows(_active(wb), 1, [["Фамилия", "Имя", "Телефон"], ["Иванов", "Пётр", "123"]])
    with pytest.raises(Invalid, match="не найдено таблиц результатов") as err:
        import_xlsx(school, "results", _save(wb, tmp_path / "x.xlsx"))
    assert "пропущен" in str(err.value)
    text = tmp_path / "t.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(Invalid, match="не книга Excel"):
        import_xlsx(school, "results", text)
    assert school.results.years() == []


def test_missing_subject_is_located(school: Services, tmp_path: Path) -> None:
    wb = Workbook()
    ws = _active(wb)
    ws.title = "Лист1"
    _rows(ws, 1, [["Кол-во уч.", "2", "3", "4", "5"], [10, 1, 4, 4, 1]])
    with pytest.raises(XlsxRejected) as err:
        import_xlsx(school, "results", _save(wb, tmp_path / "x.xlsx"))
    messages = " ".join(e.text() for e in err.value.errors)
    assert "Лист «Лист1», строка 1" in messages
    assert "не найден предмет" in messages and "не найден класс" in messages


def test_reimport_changes_nothing(school: Services, tmp_path: Path) -> None:
    stats = stats_report(tmp_path / "s.xlsx")
    comparison = comparison_report(tmp_path / "c.xlsx")
    import_xlsx(school, "results", stats)
    import_xlsx(school, "results", comparison)
    before = (school.db.change_count, school.results.vpr(2025))
    assert "без изменений: 3" in import_xlsx(school, "results", stats)
    import_xlsx(school, "results", comparison)
    assert (school.db.change_count, school.results.vpr(2025)) == before


def test_stored_sample_reports(school: Services) -> None:
    """The sample files in tests/fixtures/results (for trying the import by hand) stay valid."""
    folder = FIXTURES / "results"
    for name in (
        "fisoko_statistika_matematika_5.xlsx",
        "fisoko_sravnenie_matematika_5.xlsx",
        "fisoko_statistika_rus_6_text_numbers.xlsx",
    ):
        import_xlsx(school, "results", folder / name)
    rows = {(e.grade, e.class_label, e.subject): e for e in school.results.vpr(2025)}
    assert rows[(5, "", "Математика")].confirmed == 18
    assert rows[(6, "", "Русский язык")].participants == 20
    assert len(rows) == 4
