"""Results workbooks: the entry template and the export of what the «Результаты» screen shows.

`report results-template` writes the template; `report results --out X.xlsx` the export.

Both use the same four sheets (ВПР, ГИА, Переводы, Итоги года по классам), so an export can be
imported back; the export adds the «Показатели» sheet. Computed cells (the percentages of the
year's assessment) are written as values, never as formulas: a reader that does not compute
formulas would see them empty. Report functions take DTOs and a path, never a session.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from services.documents.xlsx import (
    LISTS_SHEET,
    XlsxColumn,
    add_table_sheet,
    add_text_sheet,
    new_workbook,
    save_workbook,
)
from services.results.rules import (
    EXAM_TITLES,
    FIELD_TITLES,
    GIA_SUBJECTS,
    LEVEL_TITLES,
    OPTIONAL_COUNTS,
    VPR_GRADES,
    VPR_SUBJECTS,
    AssessmentEntry,
    GiaEntry,
    ProgressionEntry,
    ResultsReport,
    VprEntry,
)

ROWS = 300
VPR_SHEET, GIA_SHEET, PROGRESSION_SHEET = "ВПР", "ГИА", "Переводы"
ASSESSMENT_SHEET = "Итоги года по классам"
INDICATORS_SHEET, HELP_SHEET = "Показатели", "Инструкция"
VPR_COLS = ("year", "grade", "class_label", "subject", "participants", "n2", "n3", "n4", "n5",
            "lowered", "confirmed", "raised")  # fmt: skip
GIA_COLS = ("year", "exam", "subject", "participants", "below_min", "mean_score", "high_scorers")
PROGRESSION_COLS = ("year", "level", "pupils", "repeaters", "conditionally_promoted", "graduates_9",
                    "certificates_9", "graduates_11", "certificates_11", "medals",
                    *OPTIONAL_COUNTS)  # fmt: skip
ASSESSMENT_COLS = ("year", "grade", "class_label", "subject", "pupils", "achieved", "quality")
# Computed from the counts by Опора (values): titles of the two columns after ASSESSMENT_COLS.
SHARE_TITLES = ("Успеваемость, %", "Качество знаний, %")
CHOICES = {
    "grade": tuple(str(g) for g in VPR_GRADES),
    "exam": tuple(EXAM_TITLES.values()),
    "level": tuple(LEVEL_TITLES.values()),
}
WIDTHS = {"subject": 24, "level": 16, "year": 8, "grade": 8, "class_label": 10, "exam": 10,
          "pupils": 15}  # fmt: skip
HELP = (
    "Шаблон для ввода результатов школы (только количества, без фамилий обучающихся).",
    "Лист «ВПР»: одна строка на класс (параллель) и предмет; «Буква класса» — если данные по "
    "отдельному классу. Отметки «2»–«5» в сумме равны числу участников; понизили + "
    "подтвердили + повысили — тоже (или оставьте эти три ячейки пустыми).",
    "Лист «ГИА»: одна строка на экзамен и предмет. Ниже минимума — для ЕГЭ, «2» — для ОГЭ.",
    "Лист «Переводы»: по уровням образования или одной строкой «Вся школа». Столбцы от "
    "«Допущены к ГИА-9» до «Награждены знаком» нужны для показателей управления; пустая "
    "ячейка значит «не введено» (не 0).",
    "Лист «Итоги года по классам»: одна строка на класс (параллель или класс с буквой) и "
    "предмет: обучающихся, успевают (без «2») и на «4» и «5» на конец года. Успеваемость и "
    "качество знаний в процентах Опора вычисляет сама; при загрузке они сверяются с количествами.",
    "Загрузка: «Результаты» → «Загрузить из Excel» или команда "
    "python main.py import-xlsx results ФАЙЛ.xlsx. Отчёты ФИС ОКО «Статистика по отметкам» и "
    "«Сравнение отметок с отметками по журналу» можно загружать как есть.",
)


def _columns(
    names: Sequence[str], subjects: tuple[str, ...], grades: tuple[str, ...] = CHOICES["grade"]
) -> list[XlsxColumn]:
    cols = []
    for name in names:
        choices = subjects if name == "subject" else CHOICES.get(name, ())
        if name == "grade":
            choices = grades
        cols.append(XlsxColumn(FIELD_TITLES[name], WIDTHS.get(name, 13), choices=choices))
    return cols


def _vpr_row(e: VprEntry) -> list[Any]:
    return [e.year, e.grade, e.class_label or None, e.subject, e.participants, e.n2, e.n3, e.n4,
            e.n5, e.lowered, e.confirmed, e.raised]  # fmt: skip


def _gia_row(e: GiaEntry) -> list[Any]:
    return [e.year, EXAM_TITLES[e.exam], e.subject, e.participants, e.below_min, e.mean_score,
            e.high_scorers]  # fmt: skip


def _progression_row(e: ProgressionEntry) -> list[Any]:
    return [e.year, LEVEL_TITLES.get(e.level, e.level), e.pupils, e.repeaters,
            e.conditionally_promoted, e.graduates_9, e.certificates_9, e.graduates_11,
            e.certificates_11, e.medals, *(getattr(e, n) for n in OPTIONAL_COUNTS)]  # fmt: skip


def share(part: int, whole: int) -> float | None:
    """A percentage to one decimal, as the sheet shows it (None: nobody to count)."""
    return round(100 * part / whole, 1) if whole > 0 else None


def _assessment_row(e: AssessmentEntry) -> list[Any]:
    return [e.year, e.grade, e.class_label or None, e.subject, e.pupils, e.achieved, e.quality,
            share(e.achieved, e.pupils), share(e.quality, e.pupils)]  # fmt: skip


def _numbers(ws: Worksheet, first_col: int, last_col: int, rows: int, *, whole: bool) -> None:
    """Numeric validation: whole numbers ≥ 0 (or 0–100 for a mean score)."""
    dv = DataValidation(
        type="whole" if whole else "decimal",
        operator="between",
        formula1="0",
        formula2="100000" if whole else "100",
        allow_blank=True,
    )
    dv.error = "Введите число не меньше 0." if whole else "Введите число от 0 до 100."
    dv.errorTitle = "Недопустимое значение"
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(f"{get_column_letter(first_col)}2:{get_column_letter(last_col)}{rows + 1}")


def _year_validation(ws: Worksheet, rows: int) -> None:
    dv = DataValidation(type="whole", operator="between", formula1="2010", formula2="2100")
    dv.error = "Год — число от 2010 до 2100."
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(f"A2:A{rows + 1}")


def add_entry_sheets(
    wb: Workbook,
    vpr: Sequence[VprEntry],
    gia: Sequence[GiaEntry],
    progression: Sequence[ProgressionEntry],
    assessment: Sequence[AssessmentEntry] = (),
) -> None:
    """The four entry sheets with dropdowns (hidden «Списки») and numeric validation."""
    sheets = (
        (VPR_SHEET, VPR_COLS, VPR_SUBJECTS, [_vpr_row(e) for e in vpr], [(5, 12, True)]),
        (GIA_SHEET, GIA_COLS, GIA_SUBJECTS, [_gia_row(e) for e in gia],
         [(4, 5, True), (6, 6, False), (7, 7, True)]),
        (PROGRESSION_SHEET, PROGRESSION_COLS, (), [_progression_row(e) for e in progression],
         [(3, len(PROGRESSION_COLS), True)]),
        (ASSESSMENT_SHEET, ASSESSMENT_COLS, (), [_assessment_row(e) for e in assessment],
         [(5, 7, True)]),
    )  # fmt: skip
    for title, names, subjects, rows, numeric in sheets:
        columns = _columns(names, subjects)
        if title == ASSESSMENT_SHEET:  # grades 1–11; any subject the school teaches
            columns = _columns(names, subjects, tuple(str(g) for g in range(1, 12)))
            columns += [XlsxColumn(t, 15, number_format="0.0") for t in SHARE_TITLES]
        ws = add_table_sheet(wb, title, columns, rows, validation_rows=ROWS)
        last = max(len(rows), ROWS)
        for first, end, whole in numeric:
            _numbers(ws, first, end, last, whole=whole)
        _year_validation(ws, last)
    if LISTS_SHEET in wb.sheetnames:  # the hidden list sheet goes last
        wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LISTS_SHEET))


def write_results_template(
    out: Path,
    vpr: Sequence[VprEntry] = (),
    gia: Sequence[GiaEntry] = (),
    progression: Sequence[ProgressionEntry] = (),
    assessment: Sequence[AssessmentEntry] = (),
) -> None:
    """The entry template, pre-filled with the given rows (empty when none)."""
    wb = new_workbook()
    add_text_sheet(wb, HELP_SHEET, HELP)
    add_entry_sheets(wb, vpr, gia, progression, assessment)
    wb.active = 1
    save_workbook(wb, out)


INDICATOR_COLUMNS = (
    XlsxColumn("Показатель", 50),
    XlsxColumn("Предмет", 18),
    XlsxColumn("Значение, %", 12, number_format="0.0"),
    XlsxColumn("Числитель", 11),
    XlsxColumn("Знаменатель", 12),
    XlsxColumn("Прошлый год, %", 12, number_format="0.0"),
    XlsxColumn("Изменение, п. п.", 12, number_format="+0.0;-0.0;0.0"),
    XlsxColumn("Базовое значение", 12),
    XlsxColumn("Цель", 10),
    XlsxColumn("Порог управления", 14),
    XlsxColumn("Отметка", 22),
)


def indicator_row(v: Any) -> list[Any]:
    """One line of the «Показатели» sheet (an `IndicatorValue`); «нет данных» stays text."""
    value = v.ratio.value
    previous = v.previous.value if v.previous is not None else None
    return [
        v.name,
        v.subject or "",
        round(value, 1) if value is not None else (v.note or "нет данных"),
        v.ratio.numerator if value is not None else None,
        v.ratio.denominator if value is not None else None,
        round(previous, 1) if previous is not None else None,
        round(v.change, 1) if v.change is not None else None,
        v.baseline,
        v.target,
        v.threshold.text() if v.threshold is not None else "",
        status_text(v),
    ]


def status_text(v: Any) -> str:
    """«выше порога», «не достигнута цель» — what needs attention (empty when nothing)."""
    notes = []
    if v.flagged:
        notes.append("отмечено по порогу")
    if v.off_target:
        notes.append("цель не достигнута")
    return ", ".join(notes)


def write_results_export(out: Path, report: ResultsReport) -> None:
    """What the «Результаты» screen shows for a year: indicators first, then the entry sheets."""
    wb = new_workbook()
    add_table_sheet(
        wb, INDICATORS_SHEET, INDICATOR_COLUMNS, [indicator_row(v) for v in report.indicators]
    )
    add_entry_sheets(wb, report.vpr, report.gia, report.progression, report.assessment)
    save_workbook(wb, out)
