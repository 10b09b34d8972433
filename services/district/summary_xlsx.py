"""The district's consolidated workbook (DESIGN §8, issue 9 part 7): a sheet per area.

Built from the `DistrictSummary` DTO only (the numbers of the «Сводка» screen and the PDF).
Shares are stored as numbers (fractions) with a percent format; charts are native openpyxl ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from services.core.ratio import Ratio
from services.district.summary import (
    LEVEL_TEXT,
    PERSISTENT_TEXT,
    SHORT_NAMES,
    DistrictSummary,
)
from services.district.summary_custom import DistrictColumn, district_columns
from services.documents.xlsx import (
    XlsxColumn,
    add_table_sheet,
    new_workbook,
    save_workbook,
    write_cell,
)

PERCENT = "0.0%"
FLAG_FILL = PatternFill("solid", start_color="F8D7D3", end_color="F8D7D3")
PERSISTENT_FILL = PatternFill("solid", start_color="F4B6AE", end_color="F4B6AE")
LEVEL_FILLS = {
    level: PatternFill("solid", start_color=colour, end_color=colour)
    for level, colour in zip(LEVEL_TEXT, ("F2F2F2", "C5E1A5", "FFD54F", "E57373"), strict=True)
}
SHEETS = ("Школы", "Показатели", "Прошлый год", "Риски", "Дорожные карты", "Кадры", "Район")


def share(ratio: Ratio | None) -> float | None:
    """A ratio as a fraction for a percent-formatted cell; None (empty cell) without data."""
    value = None if ratio is None else ratio.value
    return None if value is None else round(value / 100.0, 6)


def write_summary_xlsx(out: Path, summary: DistrictSummary) -> None:
    wb = new_workbook()
    _schools(wb, summary)
    _indicators(wb, summary, previous=False)
    _indicators(wb, summary, previous=True)
    _risks(wb, summary)
    _roadmaps(wb, summary)
    _staff(wb, summary)
    _district(wb, summary)
    save_workbook(wb, out)


def _schools(wb: Any, summary: DistrictSummary) -> None:
    columns = [
        XlsxColumn("Школа", 45),
        XlsxColumn("Код", 14),
        XlsxColumn("ШНОР", 8),
        XlsxColumn("ШНСУ", 8),
        XlsxColumn("500+", 8),
        XlsxColumn("Кураторы", 25),
        XlsxColumn("Ключ отозван", 10),
        XlsxColumn("Показатели ниже порога", 30),
        XlsxColumn("Отметка", 28),
    ]
    rows = [
        [
            s.name,
            s.code,
            _yes(s.flags.low_results),
            _yes(s.flags.adverse_context),
            _yes(s.flags.plus500),
            s.flags.curator,
            _yes(s.revoked),
            ", ".join(s.flagged),
            PERSISTENT_TEXT if s.persistently_low else "",
        ]
        for s in summary.schools
    ]
    add_table_sheet(wb, SHEETS[0], columns, rows)


def _yes(flag: bool) -> str:
    return "да" if flag else ""


def _indicators(wb: Any, summary: DistrictSummary, previous: bool) -> None:
    # the district's own indicators are named in full and keep their unit (a count is a count)
    own = {c.code: c for c in district_columns(summary)}
    codes = [c for c, _n, _b in summary.indicator_names]
    columns = [XlsxColumn("Школа", 45)]
    columns += [
        XlsxColumn(own[c].header, 24, number_format=own[c].number_format)
        if c in own
        else XlsxColumn(SHORT_NAMES.get(c, c), 14, number_format=PERCENT)
        for c in codes
    ]
    rows: list[list[Any]] = []
    for s in summary.schools:
        values = [s.indicator(c) for c in codes]
        rows.append(
            [s.name]
            + [
                _cell(c, None if v is None else (v.previous if previous else v.ratio), own)
                for c, v in zip(codes, values, strict=True)
            ]
        )
    rows.append(["По району"] + [_cell(c, summary.district_value(c, previous), own) for c in codes])
    ws = add_table_sheet(wb, SHEETS[2 if previous else 1], columns, rows)
    if not previous:
        _mark_flags(ws, summary, codes)


def _cell(code: str, ratio: Ratio | None, own: dict[str, DistrictColumn]) -> float | None:
    return own[code].number(ratio) if code in own else share(ratio)


def _mark_flags(ws: Worksheet, summary: DistrictSummary, codes: list[str]) -> None:
    for r, s in enumerate(summary.schools, start=2):
        for c, code in enumerate(codes, start=2):
            if code in s.flagged:
                fill = PERSISTENT_FILL if code in s.persistent else FLAG_FILL
                ws.cell(row=r, column=c).fill = fill


def _risks(wb: Any, summary: DistrictSummary) -> None:
    codes = [c for c, _t in summary.factors]
    columns = [XlsxColumn("Школа", 45), XlsxColumn("Год самообследования", 14)]
    columns += [XlsxColumn(c, 10) for c in codes]
    rows: list[list[Any]] = []
    for s in summary.schools:
        if s.risks is None:
            rows.append([s.name, "нет самообследования"])
            continue
        rows.append(
            [s.name, s.risk_year] + [LEVEL_TEXT[lvl] if (lvl := s.risk(c)) else "" for c in codes]
        )
    ws = add_table_sheet(wb, SHEETS[3], columns, rows)
    for r, s in enumerate(summary.schools, start=2):
        for c, code in enumerate(codes, start=3):
            level = s.risk(code)
            if level is not None:
                ws.cell(row=r, column=c).fill = LEVEL_FILLS[level]
    write_cell(ws, len(rows) + 3, 1, "Факторы риска:")
    for n, (code, title) in enumerate(summary.factors, start=len(rows) + 4):
        write_cell(ws, n, 1, f"{code} — {title}")


def _roadmaps(wb: Any, summary: DistrictSummary) -> None:
    columns = [
        XlsxColumn("Школа", 45),
        XlsxColumn("Выполнено", 12),
        XlsxColumn("Наступил срок", 12),
        XlsxColumn("Исполнение", 12, number_format=PERCENT),
        XlsxColumn("Просрочено", 12),
    ]
    rows = [
        [
            s.name,
            _int(s.execution.numerator),
            _int(s.execution.denominator),
            share(s.execution),
            s.overdue,
        ]
        for s in summary.schools
    ]
    ws = add_table_sheet(wb, SHEETS[4], columns, rows)
    _chart(ws, "Исполнение дорожных карт", 4, len(rows), "H2")


def _staff(wb: Any, summary: DistrictSummary) -> None:
    columns = [
        XlsxColumn("Школа", 45),
        XlsxColumn("Педагогов", 12),
        XlsxColumn("ПК за 3 года", 12),
        XlsxColumn("ПК за 3 года, доля", 12, number_format=PERCENT),
        XlsxColumn("Активные формы, доля", 14, number_format=PERCENT),
    ]
    rows: list[list[Any]] = []
    for s in summary.schools:
        active = s.indicator("TEACHER_ACTIVE")
        rows.append(
            [
                s.name,
                _int(s.pk_3y.denominator),
                _int(s.pk_3y.numerator),
                share(s.pk_3y),
                share(active.ratio if active else None),
            ]
        )
    ws = add_table_sheet(wb, SHEETS[5], columns, rows)
    _chart(ws, "Повышение квалификации за 3 года", 4, len(rows), "H2")


def _district(wb: Any, summary: DistrictSummary) -> None:
    columns = [
        XlsxColumn("Показатель", 50),
        XlsxColumn(f"{summary.year - 1} г.", 12, number_format=PERCENT),
        XlsxColumn(f"{summary.year} г.", 12, number_format=PERCENT),
        XlsxColumn("Школ ниже порога", 12),
        XlsxColumn("Порог", 10),
    ]
    rows: list[list[Any]] = []
    for code, name, _better in summary.indicator_names:
        threshold = summary.threshold_of(code)
        flagged = sum(1 for s in summary.schools if code in s.flagged)
        rows.append(
            [
                name,
                share(summary.district_value(code, previous=True)),
                share(summary.district_value(code)),
                flagged,
                threshold.text() if threshold else "",
            ]
        )
    ws = add_table_sheet(wb, SHEETS[6], columns, rows)
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Показатели района"
    chart.y_axis.number_format = "0%"
    data = Reference(ws, min_col=2, max_col=3, min_row=1, max_row=len(rows) + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(rows) + 1))
    chart.height, chart.width = 12, 22
    ws.add_chart(chart, "G2")


def _chart(ws: Worksheet, title: str, col: int, count: int, anchor: str) -> None:
    if count == 0:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.legend = None
    chart.y_axis.number_format = "0%"
    chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=count + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=count + 1))
    chart.height, chart.width = max(8.0, min(0.5 * count, 60.0)), 18
    ws.add_chart(chart, anchor)


def _int(x: float) -> int:
    return int(x)
