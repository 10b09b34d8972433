"""The roadmap in Excel: the entry template and the export (DESIGN §8).

Both are read back by the intake pipeline (`services.intake`), like any other table of measures:
a row with text in one cell only is a section, and the export's columns are the intake's fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from services.documents.xlsx import (
    XlsxColumn,
    add_table_sheet,
    add_text_sheet,
    new_workbook,
    save_workbook,
)
from services.roadmap.queries import STATUS_TITLES, RoadmapItemRead, SectionRead
from services.roadmap.sections import group_by_section
from services.roadmap.service import ItemFields

SHEET = "Дорожная карта"

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
