"""Every importer takes every row or refuses the file naming the count and the cap.

Also: a bomb is refused before it is opened, each kind of damage gets its own message, and a
number no count can be is located by sheet, row and column.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from services.app import Services
from services.core.errors import Invalid
from services.documents.limits import Caps, check_container
from services.documents.spreadsheets import ImportMode, XlsxRejected, import_xlsx
from services.documents.xlsx import MAX_ROWS

VPR_HEADER = ["Год", "Класс", "Буква класса", "Предмет", "Участников", "«2»", "«3»", "«4»", "«5»"]


def _vpr_book(path: Path, rows: int, value: Callable[[int], object] = lambda n: 4) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("ВПР")
    ws.append(VPR_HEADER)
    for n in range(rows):
        ws.append([2025, 5, f"А{n}", "Математика", value(n), 1, 1, 1, 1])
    wb.save(path)
    return path


def _roadmap_book(path: Path, rows: int) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Дорожная карта")
    ws.append(["№ п/п", "Мероприятие", "Сроки исполнения"])
    for n in range(rows):
        ws.append([str(n + 1), f"Мероприятие {n}", "В течение года"])
    wb.save(path)
    return path


def test_results_take_every_row_past_the_old_cap(school: Services, tmp_path: Path) -> None:
    book = _vpr_book(tmp_path / "r.xlsx", 5_001)
    summary = import_xlsx(school, "results", book, ImportMode.APPEND)
    assert "ВПР — 5001" in summary
    assert len(school.results.vpr(2025)) == 5_001


@pytest.mark.parametrize(
    ("kind", "build", "cap"),
    # The roadmap intake takes every row of a table (its input is bounded by the container caps).
    [("results", _vpr_book, MAX_ROWS)],
)
def test_a_sheet_just_over_the_cap_is_refused_naming_both(
    school: Services, tmp_path: Path, kind: str, build: Callable[[Path, int], Path], cap: int
) -> None:
    book = build(tmp_path / f"{kind}.xlsx", cap)  # cap data rows + the header row
    with pytest.raises(Invalid) as info:
        import_xlsx(school, kind, book, ImportMode.APPEND)
    text = str(info.value)
    assert f"{cap + 1:,}".replace(",", "\u00a0") in text
    assert f"{cap:,}".replace(",", "\u00a0") in text
    assert "Ничего не импортировано" in text
    assert school.results.vpr(2025) == []


@pytest.mark.parametrize("raw", [1e300, 2**63, "1e300", "-1e300", "9223372036854775808"])
def test_out_of_range_numbers_are_located(school: Services, tmp_path: Path, raw: object) -> None:
    book = _vpr_book(tmp_path / "big.xlsx", 3, value=lambda n: raw if n == 1 else 4)
    with pytest.raises(XlsxRejected) as info:
        import_xlsx(school, "results", book, ImportMode.APPEND)
    located = [e for e in info.value.errors if "слишком большое" in e.message]
    assert [(e.sheet, e.row, e.column) for e in located] == [("ВПР", 3, "Участников")]


def _bomb(path: Path, size: int) -> Path:
    """A valid-looking workbook whose one sheet expands to `size` bytes of blank space."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * size)
    return path


def test_caps_each_named(tmp_path: Path) -> None:
    caps = Caps(file_size=10_000, members=5, member_size=50_000, total_size=60_000, ratio=20,
                ratio_floor=1_000)  # fmt: skip
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK" + b"x" * 20_000)
    with pytest.raises(Invalid, match="слишком велик"):
        check_container(big, caps)
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as zf:
        for n in range(6):
            zf.writestr(f"m{n}", "x")
    with pytest.raises(Invalid, match="6 частей"):
        check_container(many, caps)
    with pytest.raises(Invalid, match="сжата в"):
        check_container(_bomb(tmp_path / "ratio.xlsx", 40_000), caps)
    with pytest.raises(Invalid, match="на часть"):
        check_container(
            _bomb(tmp_path / "member.xlsx", 55_000), Caps(member_size=50_000, ratio=10**9)
        )
    csv = tmp_path / "t.csv"
    csv.write_bytes(b"a;b\n" * 10)
    check_container(csv, caps)  # small flat files pass


def test_every_importer_refuses_a_bomb(school: Services, tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.xlsx", 300 * 1024 * 1024)
    assert bomb.stat().st_size < 1024 * 1024
    for kind in ("results", "roadmap"):
        with pytest.raises(Invalid, match=r"бомб|распаковки"):
            import_xlsx(school, kind, bomb, ImportMode.APPEND)


def test_damage_gets_its_own_message(school: Services, tmp_path: Path) -> None:
    good = _vpr_book(tmp_path / "good.xlsx", 2)
    cases: dict[str, bytes] = {}
    cases["не книга Excel (.xlsx)"] = b"just text"
    cases["старом формате"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    data = good.read_bytes()
    cases["повреждён"] = data[: len(data) // 2]
    word = tmp_path / "word.xlsx"
    with zipfile.ZipFile(word, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    cases["нет описания книги"] = word.read_bytes()
    dtd = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(dtd, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + body[38:]
            dst.writestr(item, body)
    cases["запрещённые конструкции XML"] = dtd.read_bytes()
    for expected, content in cases.items():
        path = tmp_path / "case.xlsx"
        path.write_bytes(content)
        with pytest.raises(Invalid) as info:
            import_xlsx(school, "results", path, ImportMode.APPEND)
        assert expected in str(info.value), (expected, str(info.value))
