"""PDF «Результаты и показатели» (DESIGN §8): indicators with targets and flags, charts, tables.

Takes the `ResultsReport` DTO (the same numbers as the screen and the Excel export).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from services.core.formatting import NO_DATA
from services.core.progress import Progress
from services.documents.fonts import SANS
from services.documents.pdf import (
    Styles,
    build_pdf,
    content_width,
    esc,
    grid_table,
    make_styles,
    signature_line,
)
from services.results.rules import EXAM_TITLES, LEVEL_TITLES, ResultsReport

FLAG_BG = colors.HexColor("#F8D7D3")
OFF_TARGET_BG = colors.HexColor("#FFF1C2")
MARK_COLOURS = ("#C0392B", "#E6A23C", "#67A8DD", "#2E7D32")
SERIES_COLOURS = ("#C0392B", "#67A8DD", "#2E7D32")


def _pct(value: float | None) -> str:
    return NO_DATA if value is None else f"{value:.1f}".replace(".", ",")


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}".replace(".", ",")


def _change(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}".replace(".", ",")


def _mark(v: Any) -> str:
    notes = []
    if v.flagged and v.threshold is not None:
        notes.append(f"порог {v.threshold.text()}")
    if v.off_target:
        notes.append("цель не достигнута")
    return "; ".join(notes)


def indicator_table(st: Styles, values: Sequence[Any], width: float) -> Flowable:
    """Whole-school indicators: value (numerator of denominator), last year, target, flag."""
    head = ["№", "Показатель", "Значение, %", "Из чего", "Прошлый год, %", "Изм., п. п.",
            "Цель, %", "Отметка"]  # fmt: skip
    rows: list[list[Any]] = [[Paragraph(h, st.cell_bold) for h in head]]
    style: list[tuple[Any, ...]] = []
    for n, v in enumerate(values, start=1):
        previous = v.previous.value if v.previous is not None else None
        # without a value, why (the screen's «Из чего» says the same)
        detail = v.ratio.detail() if v.ratio.value is not None else (v.note or "—")
        cells = [_pct(v.ratio.value), detail, _pct(previous), _change(v.change), _num(v.target)]
        rows.append(
            [str(n), Paragraph(esc(v.name), st.cell)]
            + [Paragraph(esc(c), st.cell_center) for c in cells]
            + [Paragraph(esc(_mark(v)), st.cell)]
        )
        if v.flagged:
            style.append(("BACKGROUND", (0, n), (-1, n), FLAG_BG))
        elif v.off_target:
            style.append(("BACKGROUND", (0, n), (-1, n), OFF_TARGET_BG))
    fixed = [8 * mm, 0.0, 19 * mm, 19 * mm, 19 * mm, 15 * mm, 13 * mm, 26 * mm]
    fixed[1] = width - sum(fixed)
    return grid_table(rows, fixed, extra_style=style)


def subject_table(st: Styles, values: Sequence[Any], width: float) -> Flowable | None:
    """ВПР per subject: «2», успеваемость, качество and the change of «2» from last year."""
    by_subject: dict[str, dict[str, Any]] = {}
    for v in values:
        if v.subject is not None and v.code in ("VPR_FAIL", "VPR_PASS", "VPR_QUALITY"):
            by_subject.setdefault(v.subject, {})[v.code] = v
    if not by_subject:
        return None
    head = ["Предмет", "«2», %", "Успеваемость, %", "Качество, %", "«2» год назад, %",
            "Динамика «2», п. п."]  # fmt: skip
    rows: list[list[Any]] = [[Paragraph(h, st.cell_bold) for h in head]]
    style: list[tuple[Any, ...]] = []
    for n, (subject, codes) in enumerate(sorted(by_subject.items()), start=1):
        fail = codes["VPR_FAIL"]
        previous = fail.previous.value if fail.previous is not None else None
        rows.append([
            Paragraph(esc(subject), st.cell), _pct(fail.ratio.value),
            _pct(codes["VPR_PASS"].ratio.value), _pct(codes["VPR_QUALITY"].ratio.value),
            _pct(previous), _change(fail.change),
        ])  # fmt: skip
        if fail.change is not None and fail.change >= 10:
            style.append(("BACKGROUND", (5, n), (5, n), FLAG_BG))  # ФИОКО: +10 p.p. is negative
    widths = [width - 5 * 24 * mm] + [24 * mm] * 5
    return grid_table(rows, widths, extra_style=style)


def _font(chart: Any) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = SANS
        axis.labels.fontSize = 8


def marks_chart(report: ResultsReport, width: float) -> Drawing | None:
    """Stacked bars: shares of «2»–«5» per ВПР subject in the year (as in ВПР reports)."""
    totals: dict[str, list[int]] = {}
    for e in report.vpr:
        if e.class_label and any(
            o.grade == e.grade and o.subject == e.subject and not o.class_label for o in report.vpr
        ):
            continue
        acc = totals.setdefault(e.subject, [0, 0, 0, 0, 0])
        for i, n in enumerate((e.participants, e.n2, e.n3, e.n4, e.n5)):
            acc[i] += n
    subjects = [s for s in sorted(totals) if totals[s][0] > 0]
    if not subjects:
        return None
    height = 40 + 16 * len(subjects)
    d = Drawing(width, height + 30)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 110, 30, width - 130, height
    chart.data = [[100.0 * totals[s][k] / totals[s][0] for s in subjects] for k in range(1, 5)]
    chart.categoryAxis.categoryNames = subjects
    chart.categoryAxis.style = "stacked"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    for k, colour in enumerate(MARK_COLOURS):
        chart.bars[k].fillColor = colors.HexColor(colour)
        chart.bars[k].strokeColor = colors.white
    _font(chart)
    d.add(chart)
    _legend(d, ["«2»", "«3»", "«4»", "«5»"], MARK_COLOURS, 110, 12)
    return d


def dynamics_chart(report: ResultsReport, width: float) -> Drawing | None:
    """Grouped bars over the years: ВПР «2», успеваемость and качество for the whole school."""
    codes = ("VPR_FAIL", "VPR_PASS", "VPR_QUALITY")
    points = [dict(report.history.get(code, [])) for code in codes]
    years = sorted(y for y in points[0] if any(p.get(y) is not None for p in points))
    if not years:
        return None
    d = Drawing(width, 190)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 40, width - 60, 130
    chart.data = [[p.get(y) or 0.0 for y in years] for p in points]
    chart.categoryAxis.categoryNames = [str(y) for y in years]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.barLabelFormat = "%.0f"
    chart.barLabels.fontName = SANS
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    for k, colour in enumerate(SERIES_COLOURS):
        chart.bars[k].fillColor = colors.HexColor(colour)
    _font(chart)
    d.add(chart)
    _legend(d, ["Доля «2», %", "Успеваемость, %", "Качество, %"], SERIES_COLOURS, 40, 12)
    return d


def _legend(d: Drawing, names: Sequence[str], palette: Sequence[str], x: float, y: float) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = SANS
    legend.fontSize = 8
    legend.dx = legend.dy = 8
    legend.deltax = 95
    legend.colorNamePairs = [(colors.HexColor(c), n) for c, n in zip(palette, names, strict=True)]
    d.add(legend)


def entry_tables(st: Styles, report: ResultsReport, width: float) -> list[Flowable]:
    """The counts behind the indicators: ВПР, ГИА, progression."""
    story: list[Flowable] = []
    if report.vpr:
        head = ["Кл.", "Предмет", "Участ.", "«2»", "«3»", "«4»", "«5»", "Пониз.", "Подтв.",
                "Повыс."]  # fmt: skip
        rows: list[list[Any]] = [[Paragraph(h, st.cell_bold) for h in head]]
        for e in report.vpr:
            objectivity = [_num(x) if x is not None else "—"
                           for x in (e.lowered, e.confirmed, e.raised)]  # fmt: skip
            rows.append([e.class_label or str(e.grade), Paragraph(esc(e.subject), st.cell),
                         e.participants, e.n2, e.n3, e.n4, e.n5, *objectivity])  # fmt: skip
        widths = [12 * mm, 0.0] + [14 * mm] * 8
        widths[1] = width - sum(widths)
        story.append(KeepTogether([Paragraph("ВПР: количество отметок", st.heading),
                                   grid_table(rows, widths)]))  # fmt: skip
    if report.gia:
        head = ["Экзамен", "Предмет", "Участников", "Ниже минимума / «2»", "Средний балл",
                "80–100 баллов"]  # fmt: skip
        rows = [[Paragraph(h, st.cell_bold) for h in head]]
        for g in report.gia:
            rows.append([EXAM_TITLES[g.exam], Paragraph(esc(g.subject), st.cell), g.participants,
                         g.below_min, _num(g.mean_score), g.high_scorers])  # fmt: skip
        widths = [18 * mm, 0.0, 22 * mm, 28 * mm, 22 * mm, 22 * mm]
        widths[1] = width - sum(widths)
        story.append(KeepTogether([Paragraph("ОГЭ и ЕГЭ", st.heading), grid_table(rows, widths)]))
    if report.progression:
        head = ["Уровень", "Обуч.", "Повт. обуч.", "Усл. перев.", "Вып. 9", "Атт. 9", "Вып. 11",
                "Атт. 11", "Медали"]  # fmt: skip
        rows = [[Paragraph(h, st.cell_bold) for h in head]]
        for p in report.progression:
            rows.append([LEVEL_TITLES.get(p.level, p.level), p.pupils, p.repeaters,
                         p.conditionally_promoted, p.graduates_9, p.certificates_9,
                         p.graduates_11, p.certificates_11, p.medals])  # fmt: skip
        widths = [0.0] + [16 * mm] * 8
        widths[0] = width - sum(widths)
        story.append(KeepTogether([Paragraph("Перевод и выпуск", st.heading),
                                   grid_table(rows, widths)]))  # fmt: skip
    return story


def write_results_pdf(
    out: Path, report: ResultsReport, fonts_dir: Path, *, progress: Progress | None = None
) -> int:
    """Render the results summary of `report.year`; returns the page count."""
    st = make_styles(fonts_dir)
    width = content_width(False)
    overall = [v for v in report.indicators if v.subject is None]
    story: list[Flowable] = [
        Paragraph("Результаты и показатели", st.title),
        Paragraph(esc(report.school), st.title),
        Paragraph(f"за {report.year} год", st.title),
        Spacer(1, 6),
        Paragraph(
            "Значение показателя — доля в процентах; «из чего» — числитель и знаменатель. "
            "Цветом отмечены показатели выше (ниже) порога управления образования и "
            "не достигшие цели школы.",
            st.small,
        ),
        Paragraph("Показатели", st.heading),
        indicator_table(st, overall, width),
    ]
    charts = [
        ("Динамика результатов ВПР (вся школа)", dynamics_chart(report, width)),
        (
            f"Распределение отметок ВПР по предметам, {report.year} г., %",
            marks_chart(report, width),
        ),
    ]
    for caption, chart in charts:
        if chart is not None:
            story.append(KeepTogether([Paragraph(caption, st.heading), chart]))
    table = subject_table(st, report.indicators, width)
    if table is not None:
        story.append(KeepTogether([Paragraph("ВПР по предметам", st.heading), table]))
    story += entry_tables(st, report, width)
    story += [Spacer(1, 18), signature_line(st, report.director_position or "Директор",
                                            report.director_name)]  # fmt: skip
    return build_pdf(
        out, story, fonts_dir=fonts_dir, title=f"Результаты и показатели за {report.year} год",
        progress=progress,
    )  # fmt: skip
