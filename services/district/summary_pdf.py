"""PDF «Аналитическая справка» of the district (DESIGN §8).

Built from the `DistrictSummary` DTO only, so every figure equals the «Сводка» screen and the
consolidated workbook. Landscape A4: summary, per-school table, persistently low schools, risk
heatmap, charts, roadmap execution and teacher coverage by school.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from services.core.formatting import date_long, plural
from services.core.progress import Progress
from services.district.summary import (
    LEVEL_LETTER,
    LEVEL_TEXT,
    PERSISTENT_TEXT,
    SHORT_NAMES,
    DistrictSummary,
    SchoolSummary,
    pct,
)
from services.district.summary_custom import district_tables
from services.district.summary_programme import ProgrammePart, programme_part
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
from services.indicators.compute import SUBJECT_SEPARATOR

FLAG_BG = colors.HexColor("#F8D7D3")
PERSISTENT_BG = colors.HexColor("#F4B6AE")
LEVEL_BG = {"В": "#E57373", "С": "#FFD54F", "Н": "#C5E1A5", "—": "#F2F2F2"}
MAX_BARS = 30  # schools per chart (the lowest ones when the district is larger)
MAX_CHART_HEIGHT = 380.0  # points: a chart and its heading fit on one landscape page
TABLE_CODES = (
    "CERT_9_11",
    "REPEATERS",
    "VPR_FAIL",
    "VPR_QUALITY",
    "VPR_OBJECTIVITY",
    "GIA_BELOW_MIN",
)


@dataclass(frozen=True, slots=True)
class Signer:
    org_name: str
    position: str
    name: str


def write_summary_pdf(
    out: Path,
    summary: DistrictSummary,
    signer: Signer,
    fonts_dir: Path,
    progress: Progress,
    programme: ProgrammePart | None = None,
) -> int:
    st = make_styles(fonts_dir)
    st = replace(st, heading=ParagraphStyle("heading_next", parent=st.heading, keepWithNext=1))
    width = content_width(True)
    story: list[Flowable] = [*_heading(st, summary, signer), *_overview(st, summary)]
    story += [Paragraph("1. Показатели школ", st.heading), _school_table(st, summary, width)]
    story += district_tables(st, summary, width, (FLAG_BG, PERSISTENT_BG))
    story.append(Paragraph(esc(LEGEND), st.small))
    story += _persistent(st, summary)
    story += _heatmap(st, summary, width)
    story += _charts(st, summary, width)
    story += _execution(st, summary, width)
    story += _coverage(st, summary, width)
    story += programme_part(st, programme, width, number=7)
    story += [Spacer(1, 10 * mm), signature_line(st, signer.position, signer.name)]
    return build_pdf(
        out,
        story,
        fonts_dir=fonts_dir,
        title="Аналитическая справка",
        is_landscape=True,
        progress=progress,
    )


def _heading(st: Styles, summary: DistrictSummary, signer: Signer) -> list[Flowable]:
    return [
        Paragraph("Аналитическая справка", st.title),
        Paragraph(
            esc(
                f"о результатах мониторинга школ с низкими образовательными результатами "
                f"за {summary.year} год"
            ),
            st.title,
        ),
        Paragraph(esc(signer.org_name), st.title),
        Paragraph(esc(f"Данные по состоянию на {date_long(summary.as_of)}"), st.small),
        Spacer(1, 4 * mm),
    ]


def _overview(st: Styles, summary: DistrictSummary) -> list[Flowable]:
    n = len(summary.schools)
    flagged = sum(1 for s in summary.schools if s.flagged)
    low = len(summary.persistently_low)
    no_audit = sum(1 for s in summary.schools if s.risks is None)
    revoked = sum(1 for s in summary.schools if s.revoked)
    lines = [
        f"Школ в мониторинге: {n}. Пороговые значения района не выполнены хотя бы по одному "
        f"показателю в {plural(flagged, 'школе', 'школах', 'школах')}; с устойчиво низкими "
        f"результатами (два года подряд) — {plural(low, 'школа', 'школы', 'школ')}.",
        f"Исполнение дорожных карт по району: {pct(summary.district_value('ROADMAP_EXEC'))} %; "
        f"доля «2» по ВПР: {pct(summary.district_value('VPR_FAIL'))} % (год назад "
        f"{pct(summary.district_value('VPR_FAIL', previous=True))} %).",
        f"Без самообследования: {plural(no_audit, 'школа', 'школы', 'школ')}; отозванных "
        f"ключей: {revoked}.",
    ]
    return [Paragraph(esc(line), st.body) for line in lines]


LEGEND = (
    "Светлой заливкой отмечен показатель, не достигший порогового значения района в этом году, "
    "тёмной — не достигший его два года подряд. «Отметка» называет все такие показатели школы, "
    "в том числе по предметам, которых нет в таблице."
)


def _short(key: str, names: dict[str, str]) -> str:
    """A flagged indicator key (a code, or a code and a subject) as the table names it."""
    code, _, subject = key.partition(SUBJECT_SEPARATOR)
    name = SHORT_NAMES.get(code) or names.get(code, code)
    return f"{name} ({subject})" if subject else name


def _school_table(st: Styles, summary: DistrictSummary, width: float) -> Flowable:
    head = [
        "№",
        "Школа",
        "Статус",
        "ДК, %",
        "Просроч.",
        *(SHORT_NAMES[c] + ", %" for c in TABLE_CODES),
        "ПК, %",
        "Отметка",
    ]
    small = ParagraphStyle("head8", parent=st.cell_bold, fontSize=8, leading=9.5)
    rows: list[list[Any]] = [[Paragraph(esc(h), small) for h in head]]
    style: list[tuple[Any, ...]] = []
    names = {code: name for code, name, _better in summary.indicator_names}
    for n, s in enumerate(summary.schools, start=1):
        cells = [pct(v.ratio) if (v := s.indicator(c)) else "—" for c in TABLE_CODES]
        mark = PERSISTENT_TEXT if s.persistently_low else ""
        if s.flagged:
            mark = (
                mark + "; ниже порога: " + ", ".join(_short(k, names) for k in s.flagged)
            ).lstrip("; ")
        if s.revoked:
            mark = (mark + "; ключ отозван").lstrip("; ")
        rows.append(
            [
                str(n),
                Paragraph(esc(s.name), st.cell),
                ", ".join(s.flags.labels()),
                pct(s.execution),
                str(s.overdue),
                *cells,
                pct(s.pk_3y),
                Paragraph(esc(mark), st.cell),
            ]
        )
        columns = {"ROADMAP_EXEC": 3, "TEACHER_PK": 5 + len(TABLE_CODES)}
        columns.update({code: k for k, code in enumerate(TABLE_CODES, start=5)})
        for code, k in columns.items():
            if code in s.flagged:
                bg = PERSISTENT_BG if code in s.persistent else FLAG_BG
                style.append(("BACKGROUND", (k, n), (k, n), bg))
    fixed = [8 * mm, 0.0, 14 * mm, 13 * mm, 17 * mm] + [20 * mm] * len(TABLE_CODES)
    fixed += [13 * mm, 32 * mm]
    fixed[1] = width - sum(fixed)
    style.append(("ALIGN", (2, 1), (-2, -1), "CENTER"))
    return grid_table(rows, fixed, extra_style=style)


def _persistent(st: Styles, summary: DistrictSummary) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("2. Школы с устойчиво низкими результатами", st.heading)]
    low = summary.persistently_low
    if not low:
        return [*story, Paragraph("Таких школ нет.", st.body)]
    for n, s in enumerate(low, start=1):
        parts = []
        for key in s.persistent:
            v = next((x for x in s.indicators if x.key == key), None)
            title = SHORT_NAMES.get(key, key) if v is None else SHORT_NAMES.get(v.code, v.name)
            now = pct(v.ratio) if v else "—"
            before = pct(v.previous) if v else "—"
            parts.append(f"{title}: {before} % → {now} %")
        story.append(Paragraph(esc(f"{n}. {s.name} — " + "; ".join(parts)), st.body))
    return story


def _heatmap(st: Styles, summary: DistrictSummary, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        PageBreak(),
        Paragraph("3. Профили рисков (самообследование)", st.heading),
    ]
    if not summary.factors:
        return [*story, Paragraph("Нет данных самообследования ни одной школы.", st.body)]
    codes = [code for code, _t in summary.factors]
    head = ["Школа", "Год", *codes]
    rows: list[list[Any]] = [[Paragraph(esc(h), st.cell_bold) for h in head]]
    style: list[tuple[Any, ...]] = [("ALIGN", (1, 1), (-1, -1), "CENTER")]
    for n, s in enumerate(summary.schools, start=1):
        if s.risks is None:
            rows.append([Paragraph(esc(s.name), st.cell), "нет самообследования"])
            style.append(("SPAN", (1, n), (-1, n)))
            continue
        letters = [LEVEL_LETTER[lvl] if (lvl := s.risk(c)) else "" for c in codes]
        rows.append([Paragraph(esc(s.name), st.cell), str(s.risk_year), *letters])
        for k, letter in enumerate(letters, start=2):
            if letter:
                style.append(("BACKGROUND", (k, n), (k, n), colors.HexColor(LEVEL_BG[letter])))
    cell = min(16 * mm, (width - 80 * mm) / max(len(codes), 1))
    widths = [width - 14 * mm - cell * len(codes), 14 * mm] + [cell] * len(codes)
    legend = "; ".join(f"{c} — {t}" for c, t in summary.factors)
    levels = ", ".join(f"«{LEVEL_LETTER[lvl]}» — {text}" for lvl, text in LEVEL_TEXT.items())
    return [
        *story,
        grid_table(rows, widths, extra_style=style),
        Paragraph(esc(f"Уровни риска: {levels}. Факторы: {legend}."), st.small),
    ]


def _charts(st: Styles, summary: DistrictSummary, width: float) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), Paragraph("4. Показатели района", st.heading)]
    codes = [c for c, _n, _b in summary.indicator_names]
    now = [summary.district_value(c).value or 0.0 for c in codes]
    before = [summary.district_value(c, previous=True).value or 0.0 for c in codes]
    names = [SHORT_NAMES.get(c, c) for c in codes]
    story.append(
        _bars(
            names,
            [before, now],
            width,
            ("#9DB7D5", "#2F5F98"),
            (f"{summary.year - 1} г.", f"{summary.year} г."),
        )
    )
    fail = _worst(summary.schools, "VPR_FAIL", reverse=True)
    if fail:
        title = "Доля «2» по ВПР по школам, %" + _shown(len(summary.schools), "наибольшей")
        story.append(KeepTogether([
            Paragraph(esc(title), st.heading),
            _bars([s.name for s, _v in fail], [[v for _s, v in fail]], width, ("#C0392B",), ()),
        ]))  # fmt: skip
    return story


def _shown(total: int, which: str) -> str:
    return f" (показаны {MAX_BARS} школ с {which} долей)" if total > MAX_BARS else ""


def _worst(schools: Sequence[SchoolSummary], code: str, reverse: bool) -> list[Any]:
    pairs = [(s, v.ratio.value) for s in schools if (v := s.indicator(code))]
    known = [(s, x) for s, x in pairs if x is not None]
    known.sort(key=lambda p: p[1], reverse=reverse)
    return known[:MAX_BARS]


def _bars(
    names: Sequence[str],
    data: Sequence[Sequence[float]],
    width: float,
    palette: Sequence[str],
    legend: Sequence[str],
) -> Drawing:
    per = 6 + 7 * len(data)
    height = min(per * len(names) + 10, MAX_CHART_HEIGHT)
    width -= 2 * mm
    d = Drawing(width, height + 40)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 190, 30, width - 230, height
    chart.data = [list(reversed(series)) for series in data]
    chart.categoryAxis.categoryNames = [n[:45] for n in reversed(names)]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 10
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = SANS
    chart.barLabels.fontSize = 6
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    for k, colour in enumerate(palette):
        chart.bars[k].fillColor = colors.HexColor(colour)
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = SANS
        axis.labels.fontSize = 7
    d.add(chart)
    if legend:
        box = Legend()
        box.x, box.y, box.alignment, box.columnMaximum = 190, 12, "right", 1
        box.fontName, box.fontSize, box.deltax = SANS, 8, 60
        box.colorNamePairs = [(colors.HexColor(c), n) for c, n in zip(palette, legend, strict=True)]
        d.add(box)
    return d


def _execution(st: Styles, summary: DistrictSummary, width: float) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), Paragraph("5. Исполнение дорожных карт", st.heading)]
    ranked = sorted(
        summary.schools, key=lambda s: (s.execution.value is None, s.execution.value or 0.0, s.name)
    )
    head = ["№", "Школа", "Исполнено", "Исполнение, %", "Просрочено мероприятий"]
    rows: list[list[Any]] = [[Paragraph(esc(h), st.cell_bold) for h in head]]
    for n, s in enumerate(ranked, start=1):
        rows.append(
            [
                str(n),
                Paragraph(esc(s.name), st.cell),
                s.execution.detail(),
                pct(s.execution),
                str(s.overdue),
            ]
        )
    widths = [8 * mm, width - 98 * mm, 30 * mm, 28 * mm, 32 * mm]
    story.append(grid_table(rows, widths, extra_style=[("ALIGN", (2, 1), (-1, -1), "CENTER")]))
    known = [(s, s.execution.value) for s in ranked if s.execution.value is not None]
    if known:
        shown = known[:MAX_BARS]
        story.append(
            KeepTogether(
                [
                    Paragraph(
                        esc(
                            "Исполнение дорожных карт по школам, %"
                            + _shown(len(known), "наименьшей")
                        ),
                        st.heading,
                    ),
                    _bars(
                        [s.name for s, _v in shown],
                        [[v or 0.0 for _s, v in shown]],
                        width,
                        ("#2E7D32",),
                        (),
                    ),
                ]
            )
        )
    return story


def _coverage(st: Styles, summary: DistrictSummary, width: float) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("6. Кадровые условия", st.heading)]
    head = ["№", "Школа", "ПК за 3 года", "ПК за 3 года, %", "Активные формы, %"]
    rows: list[list[Any]] = [[Paragraph(esc(h), st.cell_bold) for h in head]]
    for n, s in enumerate(summary.schools, start=1):
        active = s.indicator("TEACHER_ACTIVE")
        rows.append(
            [
                str(n),
                Paragraph(esc(s.name), st.cell),
                s.pk_3y.detail(),
                pct(s.pk_3y),
                pct(active.ratio) if active else "—",
            ]
        )
    rows.append(
        [
            "",
            Paragraph("По району", st.cell_bold),
            summary.district_value("TEACHER_PK").detail(),
            pct(summary.district_value("TEACHER_PK")),
            pct(summary.district_value("TEACHER_ACTIVE")),
        ]
    )
    widths = [8 * mm, width - 98 * mm, 30 * mm, 28 * mm, 32 * mm]
    story.append(grid_table(rows, widths, extra_style=[("ALIGN", (2, 1), (-1, -1), "CENTER")]))
    return story
