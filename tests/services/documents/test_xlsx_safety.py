"""Every Excel file Опора writes keeps hostile text as text: no formula ever carries it.

Free-text columns of a demo installation are overwritten with values Excel would run as a
formula (or a DDE call); every xlsx document kind is then written and its sheet XML inspected.
"""

from __future__ import annotations

import ast
import json
import re
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from openpyxl import load_workbook

from models import Role
from services.app import Services
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, get_spec
from tests.conftest import REPO

HOSTILE = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid/x","Нажмите")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+cmd|' /C calc'!A0",
    "\r=1+cmd|' /C calc'!A0",
    "#N/A",
)
COLUMNS = {
    "site": ("full_name", "short_name"),
    "roadmap_section": ("title", "task"),
    "roadmap_item": ("title", "responsible", "deadline_text"),
    "roadmap_occurrence": ("evidence", "comment"),
    "teacher": ("full_name", "position", "subjects"),
    "development_activity": ("title", "provider", "expected_result"),
    "professional_deficit": ("description",),
    "peer": ("name",),
}


def _poison(db_file: Path | None, services: Services) -> None:
    """Overwrite free text with the hostile values, rotating through them."""
    if db_file is None:
        raw = services.db.engine.raw_connection()
        conn = raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
    else:
        conn = sqlite3.connect(db_file)
    n = 0
    for table, columns in COLUMNS.items():
        ids = [r[0] for r in conn.execute(f"SELECT rowid FROM {table}")]
        for rowid in ids:
            for column in columns:
                value = HOSTILE[n % len(HOSTILE)]
                n += 1
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (value, rowid))
    for log_id, report in list(conn.execute("SELECT id, report FROM import_log")):
        data = json.loads(report)
        data["sender_name"], data["reason"] = HOSTILE[0], HOSTILE[1]
        conn.execute("UPDATE import_log SET report = ? WHERE id = ?", (json.dumps(data), log_id))
    conn.commit()
    if db_file is not None:
        conn.close()


def _sheets(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {
            n: zf.read(n).decode("utf-8")
            for n in zf.namelist()
            if n.startswith("xl/worksheets/sheet")
        }


def _check(path: Path) -> int:
    """No formula in any sheet; return how many cells hold hostile text (as text)."""
    for name, xml in _sheets(path).items():
        assert not re.search(r"<(\w+:)?f[ >]", xml), f"{path.name}:{name} holds a formula"
    found = 0
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "cmd|" in cell.value:
                    assert cell.data_type == "s"
                    found += 1
    return found


def _render(services: Services, kind: str, out: Path, options: DocOptions) -> None:
    spec = get_spec(kind, services.site.profile().role, out)
    spec.render(services, out, options, NullProgress())


SCHOOL_KINDS = ("roadmap", "roadmap-template", "ippr", "results", "results-template")


def test_school_workbooks_never_carry_a_formula(school: Services, tmp_path: Path) -> None:
    school.demo.fill()
    _poison(None, school)
    hostile_cells = 0
    for kind in SCHOOL_KINDS:
        out = tmp_path / f"{kind}.xlsx"
        _render(school, kind, out, DocOptions())
        hostile_cells += _check(out)
    assert hostile_cells > 20  # the roadmap and the plans carried the hostile text


@pytest.mark.slow
def test_district_workbooks_never_carry_a_formula(file_services: Services, tmp_path: Path) -> None:
    file_services.site.initialize(Role.DISTRICT, "Управление образования", "5105000001")
    file_services.demo.fill()
    assert file_services.db.db_path is not None
    _poison(file_services.db.db_path, file_services)
    found = 0
    for kind, options in (("district-summary", DocOptions()), ("import", DocOptions())):
        out = tmp_path / f"{kind}.xlsx"
        _render(file_services, kind, out, options)
        found += _check(out)
    assert found >= 2  # school names and the import log's sender


def test_hostile_text_round_trips_as_typed(tmp_path: Path) -> None:
    from services.documents.xlsx import XlsxColumn, add_table_sheet, new_workbook, save_workbook

    wb = new_workbook()
    rows = [[v, 1] for v in HOSTILE] + [["bell\x07 and nul\x00", 2]]
    add_table_sheet(wb, "Лист", [XlsxColumn("Текст"), XlsxColumn("Число")], rows)
    out = tmp_path / "t.xlsx"
    save_workbook(wb, out)
    _check(out)
    ws = load_workbook(out)["Лист"]
    values = [ws.cell(row=r, column=1).value for r in range(2, len(HOSTILE) + 2)]
    assert values == list(HOSTILE)
    assert ws.cell(row=2, column=1).quotePrefix
    assert ws.cell(row=len(HOSTILE) + 2, column=1).value == "bell\ufffd and nul\ufffd"
    assert ws.cell(row=2, column=2).data_type == "n"  # numbers stay numbers


def _cell_writes(tree: ast.AST) -> list[int]:
    """Lines that put a value into a cell other than through `write_cell`."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        if name == "cell" and (len(node.args) > 2 or any(k.arg == "value" for k in node.keywords)):
            lines.append(node.lineno)
        if (
            name == "append"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id
            in {
                "ws",
                "sheet",
                "worksheet",
            }
        ):
            lines.append(node.lineno)
    return lines


def test_every_writer_goes_through_the_one_helper() -> None:
    offenders = []
    for path in (REPO / "services").rglob("*.py"):
        if path == REPO / "services" / "documents" / "xlsx.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "openpyxl" not in text and ".cell(" not in text:
            continue
        offenders += [f"{path.relative_to(REPO)}:{n}" for n in _cell_writes(ast.parse(text))]
        if re.search(r"\.value\s*=(?!=)", text):
            offenders.append(f"{path.relative_to(REPO)}: assigns cell.value")
    assert offenders == []


@pytest.mark.parametrize("landscape", [True, False])
def test_sheets_print_fit_to_width_with_the_header(tmp_path: Path, landscape: bool) -> None:
    from services.documents.xlsx import XlsxColumn, add_table_sheet, new_workbook, save_workbook

    wb = new_workbook()
    width = 60 if landscape else 20
    long = "слово " * 40
    add_table_sheet(wb, "Лист", [XlsxColumn("А", width), XlsxColumn("Б", width)], [[long, "x"]])
    out = tmp_path / "p.xlsx"
    save_workbook(wb, out)
    ws = load_workbook(out)["Лист"]
    assert ws.page_setup.orientation == ("landscape" if landscape else "portrait")
    setup = ws.sheet_properties.pageSetUpPr
    assert setup is not None and setup.fitToPage
    assert ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$1:$1"
    assert ws.row_dimensions[2].height is not None and ws.row_dimensions[2].height > 15


def test_saved_workbook_has_the_users_normal_mode(tmp_path: Path) -> None:
    import os

    from services.documents.xlsx import new_workbook, save_workbook, write_cell

    wb = new_workbook()
    write_cell(wb.create_sheet("Лист"), 1, 1, "x")
    out = tmp_path / "m.xlsx"
    old = os.umask(0o022)
    try:
        save_workbook(wb, out)
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644
    with closing(zipfile.ZipFile(out)) as zf:
        assert zf.testzip() is None
