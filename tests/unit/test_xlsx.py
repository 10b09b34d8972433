"""Shared Excel helpers: dropdowns from a hidden list sheet, atomic save, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from services.core.errors import Invalid
from services.documents.xlsx import (
    CellError,
    XlsxColumn,
    add_table_sheet,
    cell_int,
    new_workbook,
    open_workbook,
    read_table,
    save_workbook,
)


def _write(tmp_path: Path) -> Path:
    wb = new_workbook()
    cols = [XlsxColumn("Название", 30), XlsxColumn("Статус", 14, choices=("да", "нет"))]
    add_table_sheet(wb, "Данные", cols, [("Первая", "да"), ("Вторая", "нет")])
    out = tmp_path / "t.xlsx"
    save_workbook(wb, out)
    return out


def test_written_sheet_has_frozen_header_and_visible_dropdown(tmp_path: Path) -> None:
    out = _write(tmp_path)
    wb = load_workbook(out)
    ws = wb["Данные"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert wb["Списки"].sheet_state == "hidden"
    (dv,) = ws.data_validations.dataValidation
    assert dv.showDropDown is False
    assert "Списки" in dv.formula1
    assert [c.value for c in wb["Списки"]["A"]] == ["Статус", "да", "нет"]
    assert not list(tmp_path.glob(".opora-*"))


def test_read_back_by_header_skips_blank_rows(tmp_path: Path) -> None:
    table = read_table(open_workbook(_write(tmp_path)), "Данные", ["Название"])
    assert [(n, r["Название"]) for n, r in table.rows] == [(2, "Первая"), (3, "Вторая")]


def test_wrong_files_are_refused_in_russian(tmp_path: Path) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_text("not excel", encoding="utf-8")
    with pytest.raises(Invalid, match="не книга Excel"):
        open_workbook(bad)
    with pytest.raises(Invalid, match="нет столбцов «Срок»"):
        read_table(open_workbook(_write(tmp_path)), "Данные", ["Срок"])
    with pytest.raises(Invalid, match="нет листа"):
        read_table(open_workbook(_write(tmp_path)), "Другой", [])


def test_cell_int_locates_errors() -> None:
    errors: list[CellError] = []
    assert cell_int("12", "Л", 3, "Всего", errors) == 12
    assert cell_int(None, "Л", 3, "Всего", errors) is None
    assert cell_int("abc", "Л", 4, "Всего", errors) is None
    assert cell_int(-1, "Л", 5, "Всего", errors) is None
    assert cell_int(2.5, "Л", 6, "Всего", errors) is None
    assert [e.row for e in errors] == [4, 5, 6]
    assert errors[0].text() == "Лист «Л», строка 4, столбец «Всего»: «abc» — не число"
