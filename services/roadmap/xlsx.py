"""The roadmap in Excel: the entry template, the export, and reading either back (DESIGN §8).

Reading also accepts a table pasted from Word: the header row is found among the first rows by
its wording («№ п/п», «Мероприятие», «Сроки исполнения», «Ответственные», «Результат», …, in any
order), and a row with text in one cell only is a section («1. Организационно-методическая
деятельность»). The whole file is checked first; any error rejects it with every problem located.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from models.roadmap import ItemStatus
from services.documents.xlsx import (
    CellError,
    XlsxColumn,
    add_table_sheet,
    add_text_sheet,
    cell_text,
    damage_guard,
    new_workbook,
    open_workbook,
    save_workbook,
    too_many_rows,
)
from services.roadmap.queries import STATUS_TITLES, RoadmapItemRead, SectionRead
from services.roadmap.sections import group_by_section
from services.roadmap.service import ItemFields

SHEET = "Дорожная карта"
HEADER_SCAN_ROWS = 15
MAX_ROWS = 10_000

# field -> (header written by Опора, accepted header wordings after normalisation)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "number": ("№ п/п", ("№ п/п", "№", "n п/п", "номер", "№ пп")),
    "title": (
        "Мероприятие",
        (
            "мероприятие",
            "мероприятия",
            "наименование мероприятия",
            "содержание",
            "содержание деятельности",
            "наименование мероприятий",
            "содержание мероприятия",
        ),
    ),
    "deadline_text": (
        "Сроки исполнения",
        (
            "сроки исполнения",
            "срок исполнения",
            "срок",
            "сроки",
            "сроки реализации",
            "срок реализации",
            "сроки проведения",
            "дата проведения",
        ),
    ),
    "responsible": (
        "Ответственные",
        (
            "ответственные",
            "ответственный",
            "ответственный исполнитель",
            "исполнители",
            "исполнитель",
            "ответственные исполнители",
        ),
    ),
    "participants": ("Участники", ("участники",)),
    "expected_result": (
        "Ожидаемый результат",
        (
            "ожидаемый результат",
            "ожидаемые результаты",
            "результат",
            "результаты",
            "планируемый результат",
        ),
    ),
    "report_form": (
        "Форма отчёта",
        ("форма отчета", "форма отчетности", "форма представления результата", "отчет"),
    ),
    "risk_factor_code": ("Фактор риска", ("фактор риска", "код фактора риска")),
    "status": ("Отметка о выполнении", ("отметка о выполнении", "статус", "выполнение")),
    "completion_date": ("Дата выполнения", ("дата выполнения", "фактическая дата")),
    "evidence": (
        "Подтверждающие материалы",
        ("подтверждающие материалы", "подтверждение", "ссылка на материалы"),
    ),
    "comment": ("Комментарий", ("комментарий", "примечание", "примечания")),
}
WIDTHS = {"number": 8, "title": 60, "deadline_text": 20, "responsible": 30, "participants": 24,
          "expected_result": 30, "report_form": 18, "risk_factor_code": 10, "status": 20,
          "completion_date": 14, "evidence": 30, "comment": 24}  # fmt: skip
STATUS_BY_TEXT = {title.lower(): status for status, title in STATUS_TITLES.items()} | {
    "да": ItemStatus.DONE,
    "выполнено": ItemStatus.DONE,
    "не выполнено": ItemStatus.PLANNED,
    "в работе": ItemStatus.IN_PROGRESS,
    "": ItemStatus.PLANNED,
}


@dataclass(slots=True)
class ParsedSection:
    title: str
    items: list[ItemFields] = field(default_factory=list)


@dataclass(slots=True)
class ParsedRoadmap:
    sections: list[ParsedSection]  # the first may have an empty title: items before any section

    @property
    def item_count(self) -> int:
        return sum(len(s.items) for s in self.sections)


# The export carries, beside each deadline's wording, the dates the program understood, as real
# date cells (to sort and filter by in Excel, and to check what was understood). Reading the file
# back recomputes them from the wording, so they never disagree with it.
UNDERSTOOD = {"start_date": "Начало (как понято)", "end_date": "Окончание (как понято)"}


def _export_order(understood: bool) -> list[str]:
    names = list(FIELDS)
    if understood:
        at = names.index("deadline_text") + 1
        names[at:at] = list(UNDERSTOOD)
    return names


def _columns(understood: bool = False) -> list[XlsxColumn]:
    return [
        XlsxColumn(
            FIELDS[name][0] if name in FIELDS else UNDERSTOOD[name],
            WIDTHS.get(name, 14),
            choices=tuple(STATUS_TITLES.values()) if name == "status" else (),
            number_format="DD.MM.YYYY" if name.endswith("_date") else "",
        )
        for name in _export_order(understood)
    ]


def write_roadmap_xlsx(
    out: Path, sections: list[SectionRead], items: list[RoadmapItemRead]
) -> None:
    """The roadmap as a workbook that the import reads back unchanged."""
    width = len(_export_order(True))
    rows: list[list[Any]] = []
    for group in group_by_section(sections, items):
        if group.section is not None:
            rows.append(["", f"{group.number}. {group.section.title}"] + [""] * (width - 2))
        rows += [_item_row(i) for i in group.items]
    wb = new_workbook()
    ws = add_table_sheet(wb, SHEET, _columns(True), rows, validation_rows=max(500, len(rows) + 200))
    from openpyxl.styles import Font

    for r, row in enumerate(rows, start=2):
        if not row[0] and row[1] and not any(row[2:]):
            ws.cell(row=r, column=2).font = Font(bold=True)
    save_workbook(wb, out)


def write_roadmap_template(out: Path) -> None:
    """An empty entry workbook with an example section row and an instruction sheet."""
    wb = new_workbook()
    example = [["", "1. Организационно-методическая деятельность"] + [""] * (len(FIELDS) - 2)]
    add_table_sheet(wb, SHEET, _columns(), example)
    add_text_sheet(
        wb,
        "Инструкция",
        (
            "Как заполнить шаблон дорожной карты",
            "1. Строка, в которой заполнена только одна ячейка, — название раздела.",
            "2. Каждое мероприятие — отдельная строка; обязателен столбец «Мероприятие».",
            "3. Сроки пишите как в плане: «Декабрь 2026», «Февраль-март», «В течение года», "
            "«до 01.09.2027».",
            "4. «Отметка о выполнении» — из списка; «Дата выполнения» — дата ДД.ММ.ГГГГ.",
            "5. Не меняйте заголовки столбцов. Загрузка: «Дорожная карта» → «Загрузить из Excel»"
            " или команда import-xlsx roadmap.",
        ),
    )
    save_workbook(wb, out)


def _item_row(item: RoadmapItemRead) -> list[Any]:
    values = ItemFields.of(item)
    row: list[Any] = []
    for name in _export_order(True):
        value: Any
        if name in UNDERSTOOD:  # a wording not understood has no dates: the cells stay empty
            value = getattr(item, name) if item.deadline_understood else None
        elif name == "status":
            value = STATUS_TITLES[values.status]
        else:
            value = getattr(values, name)
        row.append(value if value is not None else "")
    return row


def _norm(text: Any) -> str:
    s = cell_text(text).lower().replace("ё", "е").replace("\n", " ")
    s = re.sub(r"[.:;,*]+$", "", re.sub(r"\s+", " ", s)).strip()
    return s


def _match_header(cells: tuple[Any, ...]) -> dict[int, str] | None:
    found: dict[int, str] = {}
    for col, cell in enumerate(cells):
        text = _norm(cell)
        for name, (_, words) in FIELDS.items():
            if name not in found.values() and text in words:
                found[col] = name
                break
    return found if "title" in found.values() else None


def read_roadmap_xlsx(path: Path) -> ParsedRoadmap:
    """Parse a roadmap workbook; raises `XlsxRejected` (every error located) or `Invalid`."""
    with damage_guard(path):
        return _read_workbook(path, open_workbook(path))


def _read_workbook(path: Path, wb: Any) -> ParsedRoadmap:
    from services.documents.spreadsheets import XlsxRejected

    errors: list[CellError] = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows = ws.iter_rows(values_only=True)
        for number, cells in enumerate(rows, start=1):
            if number > HEADER_SCAN_ROWS:
                break
            header = _match_header(tuple(cells or ()))
            if header is not None:
                parsed = _read_rows(ws.title, header, rows, number, errors)
                if errors:
                    raise XlsxRejected(errors)
                if parsed.item_count == 0:
                    from services.core.errors import Invalid

                    raise Invalid(
                        f"На листе «{ws.title}» нет ни одного мероприятия. "
                        "Заполните строки под заголовком и повторите."
                    )
                return parsed
    from services.core.errors import Invalid

    raise Invalid(
        f"В книге {Path(path).name} не найдена таблица мероприятий: нет столбца "
        "«Мероприятие» в первых строках листа. Возьмите шаблон из Опоры или подпишите столбцы "
        "(«№ п/п», «Мероприятие», «Сроки исполнения», «Ответственные», …)."
    )


def _read_rows(
    sheet: str, header: dict[int, str], rows: Any, header_row: int, errors: list[CellError]
) -> ParsedRoadmap:
    titles = {name: FIELDS[name][0] for name in FIELDS}
    sections = [ParsedSection("")]
    for number, cells in enumerate(rows, start=header_row + 1):
        if number > MAX_ROWS:
            raise too_many_rows(sheet, number, rows, MAX_ROWS)
        values = {name: (cells[col] if col < len(cells) else None) for col, name in header.items()}
        filled = [cell_text(c) for c in (cells or ()) if cell_text(c)]
        if not filled:
            continue
        lone = len(filled) == 1 and not cell_text(values.get("number"))
        if lone or _is_section(values, filled):
            sections.append(ParsedSection(re.sub(r"^\d+(\.\d+)*\.?\s*", "", filled[-1])))
            continue
        item = _item(sheet, number, values, titles, errors)
        if item is not None:
            sections[-1].items.append(item)
    return ParsedRoadmap([s for s in sections if s.title or s.items])


def _is_section(values: dict[str, Any], filled: list[str]) -> bool:
    """«1. Раздел» with the number in the first column and nothing but a title."""
    if len(filled) != 2:
        return False
    number, title = cell_text(values.get("number")), cell_text(values.get("title"))
    others = [cell_text(v) for k, v in values.items() if k not in ("number", "title")]
    return bool(re.fullmatch(r"\d+\.?", number)) and bool(title) and not any(others)


def _item(
    sheet: str, row: int, values: dict[str, Any], titles: dict[str, str], errors: list[CellError]
) -> ItemFields | None:
    def err(name: str, message: str) -> None:
        errors.append(CellError(sheet, row, titles[name], message))

    text = {k: cell_text(v) for k, v in values.items() if k not in ("completion_date",)}
    if not text.get("title"):
        err("title", "не указано мероприятие")
        return None
    if len(text["title"]) > 2000:
        err("title", "текст длиннее 2000 знаков")
        return None
    if len(text.get("deadline_text", "")) > 300:
        err("deadline_text", "срок длиннее 300 знаков")
        return None
    status = STATUS_BY_TEXT.get(text.get("status", "").lower())
    if status is None:
        allowed = ", ".join(f"«{t}»" for t in STATUS_TITLES.values())
        err("status", f"«{text['status']}» — выберите из списка: {allowed}")
        return None
    completion = _date(values.get("completion_date"))
    if completion is False:
        err("completion_date", f"«{values.get('completion_date')}» — не дата (нужно ДД.ММ.ГГГГ)")
        return None
    if isinstance(completion, date) and completion > date.today():
        err("completion_date", "дата выполнения в будущем")
        return None
    return ItemFields(
        title=text["title"],
        deadline_text=text.get("deadline_text", ""),
        responsible=text.get("responsible", ""),
        participants=text.get("participants", ""),
        expected_result=text.get("expected_result", ""),
        report_form=text.get("report_form", ""),
        number=text.get("number", "")[:20],
        risk_factor_code=text.get("risk_factor_code") or None,
        status=status,
        completion_date=completion if isinstance(completion, date) else None,
        evidence=text.get("evidence", ""),
        comment=text.get("comment", ""),
    )


def _date(value: Any) -> date | bool | None:
    """A cell as a date (Excel date or «05.06.2025» text); None when empty; False when bad."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*(г\.?)?\s*", str(value))
    if not match:
        return False
    try:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return False
