"""Peak memory of the importers on xlsx «bombs»: `python -m tests.bench.xlsx_bomb_bench`.

Each file is imported in a fresh subprocess; its peak RSS (getrusage, ru_maxrss) is printed
with the outcome. The bar is 300 MB: a bomb is refused by its zip directory before it is opened.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

CHILD = r"""
import resource, sys
from pathlib import Path
from services.app import build_services
from services.core.config import AppPaths
from services.core.db import Database
from services.documents.spreadsheets import ImportMode, import_xlsx
from services.core.errors import AppError
from models import Role
root = Path(sys.argv[1])
db = Database.open(None)
services = build_services(db, AppPaths(resources_dir=Path("resources"), data_dir=root))
services.site.initialize(Role.SCHOOL, "Школа для замера", "5105012345")
try:
    import_xlsx(services, sys.argv[3], Path(sys.argv[2]), ImportMode.APPEND)
    outcome = "imported"
except AppError as exc:
    outcome = "refused: " + str(exc).splitlines()[0][:90]
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, outcome)
"""

SHEET_HEAD = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
ROW = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"


def _book(path: Path, sheet: bytes | None = None, members: int = 0) -> Path:
    """A workbook skeleton with a custom first sheet (streamed) and extra members."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        if sheet is not None:
            zf.writestr("xl/worksheets/sheet1.xml", sheet)
        for n in range(members):
            zf.writestr(f"xl/media/{n}.bin", b"")
    return path


def _streamed(path: Path, head: bytes, chunk: bytes, count: int, tail: bytes) -> Path:
    """A workbook whose sheet is `count` chunks, written in pieces (the bench stays small:
    a child's peak RSS counts its parent's, which it inherits at fork)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(head)
            for _ in range(count):
                fh.write(chunk)
            fh.write(tail)
    return path


def _real_with_entities(path: Path) -> Path:
    """A real workbook whose sheet declares nested entities (a «billion laughs»)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Год", "Класс"])  # type: ignore[union-attr]
    plain = path.with_name("plain.xlsx")
    wb.save(plain)
    laughs = (
        b'<!DOCTYPE w [<!ENTITY a "'
        + b"a" * 1000
        + b'">'
        + b"".join(
            f'<!ENTITY {c} "{("&" + p + ";") * 10}">'.encode()
            for p, c in zip("abcdefg", "bcdefgh", strict=True)
        )
        + b"]>"
    )
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                if body.startswith(b"<?xml"):
                    body = body[body.index(b"?>") + 2 :]
                body = laughs + body.replace("Год".encode(), b"&h;")
            dst.writestr(item, body)
    return path


def corpus(root: Path) -> dict[str, Path]:
    tail = b"</sheetData></worksheet>"
    return {
        "2 GB of rows": _streamed(root / "rows.xlsx", SHEET_HEAD, ROW * 1000, 2000, tail),
        "1 GB of spaces": _streamed(root / "spaces.xlsx", b"", b" " * 2**20, 1024, b""),
        "100 000 members": _book(root / "members.xlsx", b"", members=100_000),
        "entity expansion": _real_with_entities(root / "entities.xlsx"),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, path in corpus(root).items():
            for kind in ("results", "roadmap"):
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, str(root), str(path), kind],
                    capture_output=True, text=True, check=False,
                )  # fmt: skip
                size = path.stat().st_size / 1_048_576
                line = done.stdout.strip() or done.stderr.strip().splitlines()[-1]
                print(f"{name:<18} {size:6.1f} MB on disk  {kind:<8} peak RSS {line}")  # noqa: T201


if __name__ == "__main__":
    main()
