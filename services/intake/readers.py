"""Reading tables out of Word, Excel, LibreOffice and CSV files, as plain text grids.

Every reader gives `SourceTable`s: rows of cell texts on the table's grid. A cell merged across
columns keeps its text in its first column and leaves the others empty; a cell merged down keeps
its text in every row it covers; a cell of several paragraphs is one text with line breaks. Word's
paragraphs above a table come with it (`lead`), as sheets' title rows do (they are rows).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException

from services.core.errors import Invalid
from services.documents.limits import check_container

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
FORMATS = (".docx", *SPREADSHEETS, ".csv")
_SAVE_AS = (
    "Откройте файл в Word и выберите «Файл → Сохранить как», тип «Документ Word (*.docx)» "
    "(таблицу — «Книга Excel (*.xlsx)» в Excel); в LibreOffice — «Файл → Сохранить как», тип "
    "«Word 2007–365 (.docx)» или «Excel 2007–365 (.xlsx)». Затем загрузите сохранённый файл."
)
_OLD_FORMATS = {
    ".doc": "Файл .doc (старый формат Word) Опора не читает.",
    ".rtf": "Файл .rtf Опора не читает.",
    ".pdf": "Из PDF таблицу надёжно не извлечь: Опора его не читает. Лучше всего загрузите "
    "исходный файл Word или Excel, из которого сделан PDF. Если его нет: в Word 2013 и новее "
    "выберите «Файл → Открыть» и откройте PDF — Word преобразует его в документ (проверьте "
    "таблицу: ячейки при этом могут съехать), затем «Файл → Сохранить как», тип «Документ Word "
    "(*.docx)». LibreOffice открывает PDF как рисунок (в Draw), таблицу из него так не получить.",
}


def old_format_text(suffix: str) -> str:
    """Why a .doc, .rtf or .pdf is not read, and how to save it as .docx or .xlsx."""
    if suffix.lower() == ".pdf":
        return _OLD_FORMATS[".pdf"]
    return f"{_OLD_FORMATS.get(suffix.lower(), '')} {_SAVE_AS}".strip()


@dataclass(slots=True)
class SourceTable:
    label: str  # «таблица 2», «лист «План»»
    rows: list[list[str]]
    lead: list[str] = field(default_factory=list)  # paragraphs between the previous table and it
    formulas_without_value: list[str] = field(default_factory=list)  # cell references


def read_tables(path: Path) -> list[SourceTable]:
    """Every table of the file; raises `Invalid` with what to do for a format it cannot read.

    The last files read are kept (keyed by path, size and modification time), so the preview
    dialog re-maps a file read once in the background without reading it again on the GUI
    thread. Callers must not change the tables they get.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return _read_tables(path)
    return _cached(path.resolve(), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=2)
def _cached(path: Path, _size: int, _mtime: int) -> list[SourceTable]:
    return _read_tables(path)


def _read_tables(path: Path) -> list[SourceTable]:
    suffix = path.suffix.lower()
    if suffix in _OLD_FORMATS:
        raise Invalid(old_format_text(suffix))
    if suffix not in FORMATS:
        raise Invalid(
            f"Файл {path.name}: формат не поддерживается. Загрузите таблицу в формате "
            ".docx, .xlsx, .xlsm, .xls, .ods или .csv."
        )
    if not path.is_file():
        raise Invalid(f"Файл {path} не найден.")
    check_container(path)  # size, zip entries, expanded sizes and ratio: before any reading
    from python_calamine import CalamineError, PasswordError, XmlError, ZipError

    try:
        if suffix == ".docx":
            return _read_docx(path)
        if suffix == ".csv":
            return [_read_csv(path)]
        return _read_sheets(path)
    except DefusedXmlException as exc:
        raise Invalid(
            f"Файл {path.name} содержит в XML объявления DTD или сущностей, которых в настоящих "
            "документах Word и Excel не бывает, и поэтому не читается. Откройте его в Word, "
            f"Excel или LibreOffice и сохраните заново. {_SAVE_AS}"
        ) from exc
    except PasswordError as exc:
        raise Invalid(
            f"Файл {path.name} защищён паролем, и Опора не может его прочитать. Откройте его, "
            "снимите пароль («Файл → Сведения → Защита») и сохраните заново."
        ) from exc
    except (zipfile.BadZipFile, ZipError, zlib.error, EOFError, NotImplementedError) as exc:
        raise Invalid(
            f"Файл {path.name} повреждён: сжатые части внутри него не распаковываются "
            f"({exc.__class__.__name__}). Если файл копировали с флешки или из почты, скопируйте "
            f"его заново; иначе откройте его в Word, Excel или LibreOffice и сохраните заново. "
            f"{_SAVE_AS}"
        ) from exc
    except (XmlError, SyntaxError) as exc:  # ElementTree.ParseError is a SyntaxError
        raise Invalid(
            f"Файл {path.name} повреждён: разметка внутри него не читается "
            f"({exc.__class__.__name__}). Откройте его в Word, Excel или LibreOffice и сохраните "
            f"заново. {_SAVE_AS}"
        ) from exc
    except (CalamineError, KeyError, ValueError, OSError, UnicodeError) as exc:
        raise Invalid(
            f"Файл {path.name} не удалось прочитать как {suffix}: он повреждён или сохранён в "
            f"другом формате ({exc.__class__.__name__}). {_SAVE_AS}"
        ) from exc


# Word ------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _document_part(book: zipfile.ZipFile) -> str:
    """The main part's name, from the package relationships (word/document.xml as a rule)."""
    from defusedxml import ElementTree

    try:
        rels = ElementTree.fromstring(book.read("_rels/.rels"))
    except KeyError:  # no package relationships: the conventional name
        return "word/document.xml"
    for rel in rels.iter(f"{_RELS}Relationship"):
        if rel.get("Type") == _OFFICE_DOCUMENT:
            return rel.get("Target", "word/document.xml").lstrip("/")
    return "word/document.xml"


def _read_docx(path: Path) -> list[SourceTable]:
    # The standard library's parser, not python-docx: reading needs only the XML, and
    # python-docx with lxml costs a third of a second of start-up and 16 MB in the package.
    # defusedxml refuses any DTD, entity declaration or external reference.
    from defusedxml import ElementTree

    with zipfile.ZipFile(path) as book:
        root = ElementTree.fromstring(book.read(_document_part(book)))
    body = root.find(f"{_W}body")
    if body is None:
        raise ValueError("no document body")
    tables: list[SourceTable] = []
    lead: list[str] = []
    for child in body:
        if child.tag == f"{_W}p":
            text = _text(child)
            if text:
                lead.append(text)
        elif child.tag == f"{_W}tbl":
            tables.append(SourceTable(f"таблица {len(tables) + 1}", _docx_rows(child), lead))
            lead = []
    return tables


def _text(element: Any) -> str:
    """A paragraph's or a cell's text; a cell's paragraphs are joined by line breaks."""
    if element.tag == f"{_W}p":
        return "".join(t.text or "" for t in element.iter(f"{_W}t")).strip()
    paragraphs = [_text(p) for p in element.iter(f"{_W}p")]
    return "\n".join(p for p in paragraphs if p).strip()


def _docx_rows(tbl: Any) -> list[list[str]]:
    """Rows on the grid, walking each row's cells once (`table.cell()` is quadratic)."""
    rows: list[list[str]] = []
    above: dict[int, str] = {}  # text of the cell a vertical merge continues, by grid column
    for tr in tbl.iterfind(f"{_W}tr"):
        row: list[str] = []
        for tc in tr.iterfind(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, merge = 1, None
            if props is not None:
                grid = props.find(f"{_W}gridSpan")
                span = int(grid.get(f"{_W}val", "1")) if grid is not None else 1
                vmerge = props.find(f"{_W}vMerge")
                merge = None if vmerge is None else vmerge.get(f"{_W}val", "continue")
            column = len(row)
            text = above.get(column, "") if merge == "continue" else _text(tc)
            if merge != "continue":
                above[column] = text
            row += [text] + [""] * (span - 1)
        rows.append(row)
    return rows


# Spreadsheets ----------------------------------------------------------------------------------


def _read_sheets(path: Path) -> list[SourceTable]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.CalamineError as exc:  # not a workbook, or a damaged one
        raise ValueError(str(exc)) from exc
    missing = _formulas_without_value(path)
    tables: list[SourceTable] = []
    for meta in book.sheets_metadata:
        if str(meta.visible).lower().endswith("hidden"):
            continue
        sheet = book.get_sheet_by_name(meta.name)
        rows = [[_cell(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
        for merged in sheet.merged_cell_ranges or ():
            (r0, c0), (r1, _c1) = merged
            for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
                if c0 < len(rows[r]) and not rows[r][c0] and c0 < len(rows[r0]):
                    rows[r][c0] = rows[r0][c0]
        table = SourceTable(f"лист «{meta.name}»", rows)
        table.formulas_without_value = missing.get(meta.name, [])
        tables.append(table)
    return tables


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y") if value.time() == time() else str(value)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    return str(value).strip()


_SHEET_REF = re.compile(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"')
_REL = re.compile(r"<Relationship\b[^>]*>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_EMPTY_FORMULA = re.compile(
    r'<c r="([A-Z]+\d+)"[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)
_ODS_TABLE = re.compile(r'<table:table table:name="([^"]+)"')
_ODS_EMPTY_FORMULA = re.compile(
    r"<table:table-cell[^>]*table:formula=\"[^\"]*\"(?![^>]*office:value)"
)


def _formulas_without_value(path: Path) -> dict[str, list[str]]:
    """Cells holding a formula with no stored result, per sheet (the reader sees them empty)."""
    try:
        with zipfile.ZipFile(path) as z:
            if path.suffix.lower() == ".ods":
                return _ods_formulas(z.read("content.xml").decode("utf-8", "replace"))
            book = z.read("xl/workbook.xml").decode("utf-8", "replace")
            rels: dict[str, str] = {}
            for tag in _REL.findall(z.read("xl/_rels/workbook.xml.rels").decode("utf-8")):
                attrs = dict(_ATTR.findall(tag))
                rels[attrs.get("Id", "")] = attrs.get("Target", "")
            found: dict[str, list[str]] = {}
            for name, rid in _SHEET_REF.findall(book):
                target = rels.get(rid, "").lstrip("/")
                member = target if target.startswith("xl/") else f"xl/{target}"
                xml = z.read(member).decode("utf-8", "replace")
                cells = _EMPTY_FORMULA.findall(xml)
                if cells:
                    found[name] = cells
            return found
    except (zipfile.BadZipFile, KeyError):
        return {}  # .xls, or a part missing: calamine reports what it can read


def _ods_formulas(content: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    parts = _ODS_TABLE.split(content)
    for name, body in zip(parts[1::2], parts[2::2], strict=False):
        count = len(_ODS_EMPTY_FORMULA.findall(body))
        if count:
            found[name] = [f"{count} ячеек"]
    return found


# CSV -------------------------------------------------------------------------------------------


def _read_csv(path: Path) -> SourceTable:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251")
    sample = text[:20_000]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    if sample.count("\t") > max(sample.count(";"), sample.count(",")):
        delimiter = "\t"
    rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return SourceTable("таблица", rows)
