"""The roadmap in Excel: the entry template and the export (DESIGN §8).

Both are read back by the intake pipeline (`services.intake`), like any other table of measures:
a row with text in one cell only is a section, and the export's columns are the intake's fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from services.documents.xlsx import (
    XlsxColumn,
    add_table_sheet,
    add_text_sheet,
    new_workbook,
    save_workbook,
)
from services.roadmap.printing import occurrence_when, section_heading, section_number
from services.roadmap.queries import STATUS_TITLES, OccurrenceRead, RoadmapItemRead, SectionRead
from services.roadmap.sections import group_by_section
from services.roadmap.service import ItemFields

if TYPE_CHECKING:
    from services.roadmap.monitoring import PeriodReport

SHEET = "Дорожная карта"
# One row per occurrence (a year of a yearly item, each event of a multi-date one): the plan's
# wording beside the real dates of that occurrence, so Excel filters and sorts by date. It is a
# second sheet with other columns: the import reads the first sheet's table, as before.
BY_DATE_SHEET = "По срокам"
BY_DATE: tuple[tuple[str, float, str], ...] = (
    ("Раздел", 30, ""),
    ("№ п/п", 8, ""),
    ("Мероприятие", 55, ""),
    ("Срок по плану", 22, ""),
    ("Срок", 16, ""),
    ("Начало", 12, "DD.MM.YYYY"),
    ("Окончание", 12, "DD.MM.YYYY"),
    ("Ответственные", 28, ""),
    ("Отметка о выполнении", 20, ""),
    ("Просрочено", 12, ""),
    ("Дата выполнения", 14, "DD.MM.YYYY"),
    ("Подтверждающие материалы", 30, ""),
    ("Комментарий", 24, ""),
)

# field -> the header Опора writes (the import reads any wording: `services.intake`)
FIELDS: dict[str, str] = {
    "number": "№ п/п",
    "title": "Мероприятие",
    "deadline_text": "Сроки исполнения",
    "responsible": "Ответственные",
    "participants": "Участники",
    "expected_result": "Ожидаемый результат",
    "report_form": "Форма отчёта",
    "risk_factor_code": "Фактор риска",
    "status": "Отметка о выполнении",
    "completion_date": "Дата выполнения",
    "evidence": "Подтверждающие материалы",
    "comment": "Комментарий",
}
WIDTHS = {"number": 8, "title": 60, "deadline_text": 20, "responsible": 30, "participants": 24,
          "expected_result": 30, "report_form": 18, "risk_factor_code": 10, "status": 20,
          "completion_date": 14, "evidence": 30, "comment": 24}  # fmt: skip


# The export carries, beside each deadline's wording, the dates the program understood, as real
# date cells (to sort and filter by in Excel, and to check what was understood). The import
# recomputes them from the wording, so they never disagree with it.
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
            FIELDS[name] if name in FIELDS else UNDERSTOOD[name],
            WIDTHS.get(name, 14),
            choices=tuple(STATUS_TITLES.values()) if name == "status" else (),
            number_format="DD.MM.YYYY" if name.endswith("_date") else "",
        )
        for name in _export_order(understood)
    ]


def write_roadmap_xlsx(
    out: Path,
    sections: list[SectionRead],
    items: list[RoadmapItemRead],
    as_of: date | None = None,
) -> None:
    """The roadmap as a workbook that the import reads back unchanged, and a sheet by date."""
    width = len(_export_order(True))
    rows: list[list[Any]] = []
    for group in group_by_section(sections, items):
        if group.section is not None:
            rows.append(["", section_heading(group)] + [""] * (width - 2))
        rows += [_item_row(i) for i in group.items]
    wb = new_workbook()
    ws = add_table_sheet(wb, SHEET, _columns(True), rows, validation_rows=max(500, len(rows) + 200))
    from openpyxl.styles import Font

    for r, row in enumerate(rows, start=2):
        if not row[0] and row[1] and not any(row[2:]):
            ws.cell(row=r, column=2).font = Font(bold=True)
    pairs = [(g, i, o) for g in group_by_section(sections, items) for i in g.items
             for o in i.occurrences]  # fmt: skip
    _add_by_date(wb, BY_DATE_SHEET, [_by_date_row(g, i, o, as_of) for g, i, o in pairs])
    save_workbook(wb, out)


def write_period_xlsx(out: Path, sections: list[SectionRead], report: PeriodReport) -> None:
    """The monitoring of a period: a row per occurrence due in it, the figures on a sheet."""
    wb = new_workbook()
    due = _period_rows(sections, report.due, report.as_of)
    _add_by_date(wb, "Срок в периоде", due)
    if report.done_elsewhere:
        _add_by_date(wb, "Сделано, срок вне", _period_rows(sections, report.done_elsewhere, None))
    p = report.period
    add_text_sheet(wb, "Итоги", (f"Мониторинг за {p.title} ({p.dates})", report.summary()))
    save_workbook(wb, out)


def _period_rows(sections: list[SectionRead], rows: Sequence[Any], as_of: date | None) -> list[Any]:
    chosen = {(r.item.id, r.occurrence.id) for r in rows}
    items = list({r.item.id: r.item for r in rows}.values())
    return [
        _by_date_row(g, i, o, as_of)
        for g in group_by_section(sections, items)
        for i in g.items
        for o in i.occurrences
        if (i.id, o.id) in chosen
    ]


def _add_by_date(wb: Any, title: str, rows: list[list[Any]]) -> None:
    columns = [XlsxColumn(h, w, number_format=f) for h, w, f in BY_DATE]
    ws = add_table_sheet(wb, title, columns, rows, validation_rows=0)
    ws.auto_filter.ref = ws.dimensions  # the filter arrows on every header cell


def _by_date_row(
    group: Any, item: RoadmapItemRead, occ: OccurrenceRead, as_of: date | None
) -> list[Any]:
    section = f"{section_number(group)} {group.section.title}" if group.section else ""
    late = "просрочено" if as_of is not None and occ.is_overdue(as_of) else ""
    return [section, item.number, item.title, item.deadline_text, occurrence_when(occ),
            occ.start_date or occ.end_date or "", occ.end_date or "", item.responsible,
            STATUS_TITLES[occ.status], late, occ.completion_date or "", occ.evidence,
            occ.comment]  # fmt: skip


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
            "5. Не меняйте заголовки столбцов. Загрузка: «Дорожная карта» → «Загрузить из файла…»"
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
