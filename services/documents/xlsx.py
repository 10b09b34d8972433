"""Shared Excel machinery (DESIGN §8): styled headers, frozen panes, dropdowns, atomic save.

Every workbook Опора writes (entry templates, exports, the district's consolidated workbook) is
built with these helpers, and every workbook it reads back goes through `read_table`, which
reports each problem with its sheet, row and column in Russian.
"""

from __future__ import annotations

import math
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from services.core.errors import AppError, Invalid, StorageError
from services.core.files import disk_full_text, give_normal_mode, is_disk_full
from services.documents.limits import check_container

LISTS_SHEET = "Списки"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 and password-protected workbooks
HEADER_FILL = PatternFill("solid", start_color="DCE6F1", end_color="DCE6F1")
HEADER_FONT = Font(bold=True)
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MAX_ROWS = 20_000  # rows read from one sheet; more is refused, naming the count
MAX_NUMBER = 10_000_000  # no count or score in a school's or district's table comes near
# Text Excel turns into a formula (or a DDE call) when the cell is edited or pasted elsewhere.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell; longer text would not open
LANDSCAPE_WIDTH = 110  # characters of column width beyond which a sheet prints landscape
LINE_HEIGHT, MAX_ROW_HEIGHT = 15.0, 409.0  # points; 409 is Excel's maximum row height


@dataclass(frozen=True, slots=True)
class XlsxColumn:
    """One column of a sheet: its header, width (characters) and optional dropdown choices."""

    header: str
    width: float = 16
    choices: tuple[str, ...] = ()
    wrap: bool = True
    number_format: str = ""


def new_workbook() -> Workbook:
    """An empty workbook without the default sheet."""
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    return wb


def add_table_sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[XlsxColumn],
    rows: Iterable[Sequence[Any]] = (),
    *,
    validation_rows: int = 500,
    landscape: bool | None = None,
) -> Worksheet:
    """A sheet with a styled, frozen header row, the given rows and dropdowns where declared.

    Numbers stay numbers (pass int/float/date values, not text); text is always written as text
    (`write_cell`). Dropdown lists live on a hidden «Списки» sheet so the arrow is shown
    (DESIGN §8: never `showDropDown=True`). The sheet prints with its header on every page, fit
    to the page width, landscape when wide (`landscape=None`) or as asked.
    """
    ws: Worksheet = wb.create_sheet(title=title[:31])
    for col, spec in enumerate(columns, start=1):
        cell = write_cell(ws, 1, col, spec.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = spec.width
    fit_row_height(ws, 1, [c.header for c in columns], columns)
    count = 0
    for count, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            cell = write_cell(ws, count + 1, col, value)
            cell.border = BORDER
            spec = columns[col - 1] if col <= len(columns) else XlsxColumn("")
            cell.alignment = Alignment(wrap_text=spec.wrap, vertical="top")
            if spec.number_format:
                cell.number_format = spec.number_format
        fit_row_height(ws, count + 1, values, columns)
    ws.freeze_panes = "A2"
    wide = sum(c.width for c in columns) > LANDSCAPE_WIDTH
    set_print_layout(ws, landscape=wide if landscape is None else landscape, title_rows="1:1")
    last = max(count + 1, validation_rows + 1)
    for col, spec in enumerate(columns, start=1):
        if spec.choices:
            _add_dropdown(wb, ws, col, spec, last)
    return ws


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Put `value` into a cell: the one way Опора writes a cell (a test checks every writer).

    Text is stored as text, never as a formula or an error code, whatever it starts with: a
    school's comment «=HYPERLINK(…)» must reach the methodist's Excel as the words she typed.
    Text Excel would reinterpret on editing (leading =, +, -, @, tab, CR) also gets the quote
    prefix; characters XML cannot carry become «�» instead of failing the whole export.
    """
    cell = ws.cell(row=row, column=column)
    assert isinstance(cell, Cell)  # Опора merges no cells it writes into
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:MAX_CELL_TEXT]
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_LEADS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def fit_row_height(
    ws: Worksheet, row: int, values: Sequence[Any], columns: Sequence[XlsxColumn]
) -> None:
    """Make a row tall enough for its wrapped text (Excel and LibreOffice do not on opening)."""
    lines = 1
    for col, value in enumerate(values):
        if value is None or col >= len(columns) or not columns[col].wrap:
            continue
        per_line = max(int(columns[col].width * 1.1), 1)
        text_lines = str(value).split("\n")
        lines = max(lines, sum(-(-max(len(t), 1) // per_line) for t in text_lines))
    if lines > 1:
        ws.row_dimensions[row].height = min(LINE_HEIGHT * lines + 3, MAX_ROW_HEIGHT)


def set_print_layout(ws: Worksheet, *, landscape: bool, title_rows: str | None = None) -> None:
    """A4, fit to the page width (as many pages down as needed), header rows on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if title_rows:
        ws.print_title_rows = title_rows


def add_text_sheet(
    wb: Workbook, title: str, lines: Iterable[str], *, width: float = 110
) -> Worksheet:
    """A sheet of plain lines (instructions, legends), one per row, written as text."""
    ws: Worksheet = wb.create_sheet(title=title[:31])
    ws.column_dimensions["A"].width = width
    column = (XlsxColumn("", width),)
    for n, line in enumerate(lines, start=1):
        write_cell(ws, n, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
        fit_row_height(ws, n, [line], column)
    set_print_layout(ws, landscape=False)
    return ws


def _add_dropdown(wb: Workbook, ws: Worksheet, col: int, spec: XlsxColumn, last_row: int) -> None:
    lists = wb[LISTS_SHEET] if LISTS_SHEET in wb.sheetnames else wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_col = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
    letter = get_column_letter(list_col)
    write_cell(lists, 1, list_col, spec.header)
    for i, choice in enumerate(spec.choices, start=2):
        write_cell(lists, i, list_col, choice)
    ref = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(spec.choices) + 1}"
    dv = DataValidation(type="list", formula1=ref, allow_blank=True, showDropDown=False)
    dv.error = "Выберите значение из списка."
    dv.errorTitle = "Недопустимое значение"
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    col_letter = get_column_letter(col)
    dv.add(f"{col_letter}2:{col_letter}{last_row}")


def save_workbook(wb: Workbook, out: Path) -> None:
    """Write atomically: a temporary file in the same folder, fsync, then rename.

    The file gets the user's normal mode, like any file they save (mkstemp's is 0600).
    """
    out = Path(out).absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".opora-", suffix=".xlsx", dir=out.parent)
    except OSError as exc:
        raise _write_error(out, exc) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            wb.save(fh)
            fh.flush()
            os.fsync(fh.fileno())
        give_normal_mode(tmp)
        tmp.replace(out)
    except OSError as exc:
        size = tmp.stat().st_size if tmp.exists() else None
        tmp.unlink(missing_ok=True)
        raise _write_error(out, exc, size) from exc


def _write_error(out: Path, exc: OSError, written: int | None = None) -> StorageError:
    if is_disk_full(exc):
        # What was written before the disk filled is a lower bound of what the file needs.
        return StorageError(disk_full_text(out.parent, written, f"Не удалось записать файл {out}"))
    return StorageError(
        f"Не удалось записать файл {out}: {exc.strerror or exc}. "
        "Проверьте, что папка существует и в неё можно записывать, или выберите другую папку."
    )


@dataclass(frozen=True, slots=True)
class CellError:
    """A problem found in an imported workbook, located for the user."""

    sheet: str
    row: int
    column: str  # header text of the column (or its letter when the header is missing)
    message: str

    def text(self) -> str:
        return f"Лист «{self.sheet}», строка {self.row}, столбец «{self.column}»: {self.message}"


@dataclass(slots=True)
class SheetRows:
    """Rows of one sheet read by header: `rows` are (row number, {header: value})."""

    sheet: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def open_workbook(path: Path) -> Any:
    """Open an .xlsx for reading, refusing what is not one with a clear message.

    The caps of `limits.check_container` are checked first, so a «bomb» is never opened. The
    sheets are parsed lazily while rows are read: wrap the reading in `damage_guard`.
    """
    path = Path(path)
    if not path.is_file():
        raise Invalid(f"Файл {path} не найден. Проверьте путь к файлу.")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        raise Invalid(
            f"Файл {path.name} — книга в старом формате Excel 97–2003 (.xls) или защищённая "
            "паролем. Снимите пароль и сохраните таблицу как «Книга Excel (.xlsx)»."
        )
    if head.startswith(b"PK\x03\x04") and not zipfile.is_zipfile(path):
        raise Invalid(
            f"Файл {path.name} повреждён: он обрывается, конец архива не найден (файл скопирован "
            "или скачан не до конца). Возьмите исходный файл ещё раз."
        )
    if not zipfile.is_zipfile(path):
        raise Invalid(
            f"Файл {path.name} — не книга Excel (.xlsx). "
            "Сохраните таблицу в формате «Книга Excel (.xlsx)» и повторите."
        )
    check_container(path)
    with damage_guard(path):
        with zipfile.ZipFile(path) as zf:
            if "xl/workbook.xml" not in zf.namelist():
                raise Invalid(
                    f"Файл {path.name} — архив, но не книга Excel: в нём нет описания книги "
                    "(xl/workbook.xml). Возможно, это документ Word или другой файл с "
                    "расширением .xlsx."
                )
        return load_workbook(path, read_only=True, data_only=True)


@contextmanager
def damage_guard(path: Path) -> Iterator[None]:
    """Turn a parser's failure while reading `path` into a message naming the kind of damage.

    Only wrap reading (nothing is written inside), so any failure here comes from the file.
    """
    try:
        yield
    except AppError:
        raise
    except Exception as exc:  # openpyxl raises many unrelated types for damaged files
        raise Invalid(_damage_text(Path(path).name, exc)) from exc


def _damage_text(name: str, exc: Exception) -> str:
    # openpyxl wraps the parser's error in a ValueError of its own: name the original one.
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for cause in chain:
        text = _known_damage(name, cause)
        if text:
            return text
    return (
        f"Книга {name} не читается: {type(exc).__name__}: {exc}. "
        "Откройте файл в Excel или LibreOffice, сохраните его заново как .xlsx и повторите."
    )


def _known_damage(name: str, exc: BaseException) -> str | None:
    again = "Откройте файл в Excel или LibreOffice, сохраните его заново как .xlsx и повторите."
    if isinstance(exc, MemoryError):
        return f"Книга {name} не помещается в память компьютера. Разделите её на несколько файлов."
    if isinstance(exc, DefusedXmlException):
        return (
            f"Книга {name} содержит запрещённые конструкции XML (объявления DTD или внешние "
            "сущности), которых в книгах Excel не бывает. Опора такой файл не читает."
        )
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        return f"Файл {name} повреждён: часть архива не распаковывается ({exc}). {again}"
    if isinstance(exc, ParseError) or type(exc).__name__ in {"XMLSyntaxError", "ParseError"}:
        return f"В книге {name} испорчена разметка XML одного из листов ({exc}). {again}"
    if isinstance(exc, KeyError):
        return f"В книге {name} не хватает обязательной части ({exc}). {again}"
    return None


def read_table(wb: Any, sheet: str, required: Sequence[str]) -> SheetRows:
    """Read a sheet whose first row holds headers; blank rows are skipped.

    Raises `Invalid` naming the sheet and the missing headers when the layout is not ours.
    """
    if sheet not in wb.sheetnames:
        raise Invalid(
            f"В книге нет листа «{sheet}». Возьмите шаблон из Опоры "
            "(«Документы» → шаблон) и заполните его."
        )
    ws = wb[sheet]
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, None) or ()
    headers = [str(h).strip() if h is not None else "" for h in header_row]
    missing = [h for h in required if h not in headers]
    if missing:
        names = ", ".join(f"«{m}»" for m in missing)
        raise Invalid(
            f"На листе «{sheet}» нет столбцов {names}. "
            "Не меняйте заголовки шаблона и повторите импорт."
        )
    result = SheetRows(sheet=sheet, headers=headers)
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise too_many_rows(sheet, number, rows, MAX_ROWS)
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {h: values[i] if i < len(values) else None for i, h in enumerate(headers) if h}
        result.rows.append((number, row))
    return result


def too_many_rows(sheet: str, seen: int, rest: Iterator[Any], cap: int) -> Invalid:
    """The refusal of a sheet longer than `cap`, counting the rows not yet read (streamed)."""
    total = seen + sum(1 for _ in rest)
    return Invalid(
        f"На листе «{sheet}» {group(total)} строк, а Опора читает с одного листа не больше "
        f"{group(cap)} строк (предел, чтобы хватило памяти компьютера). Ничего не "
        "импортировано. Разделите таблицу на несколько листов или файлов и повторите."
    )


def group(n: int) -> str:
    """20000 → «20 000» (digits grouped as in Russian texts)."""
    return f"{n:,}".replace(",", "\u00a0")


def out_of_range(value: Any) -> str:
    """The message for a number no count or score can be («1e300», «9223372036854775808»)."""
    return f"«{value}» — слишком большое число (допустимо не больше {group(MAX_NUMBER)})"


def cell_text(value: Any) -> str:
    """A cell value as trimmed text ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_int(value: Any, sheet: str, row: int, column: str, errors: list[CellError]) -> int | None:
    """A whole non-negative number, or None when empty; a bad value is added to `errors`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        errors.append(CellError(sheet, row, column, f"«{value}» — не число"))
        return None
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        errors.append(CellError(sheet, row, column, out_of_range(value)))
        return None
    if not number.is_integer():
        errors.append(CellError(sheet, row, column, f"«{value}» — нужно целое число"))
        return None
    if number < 0:
        errors.append(CellError(sheet, row, column, "число не может быть отрицательным"))
        return None
    return int(number)
