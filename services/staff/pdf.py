"""The printed ИППР (landscape A4, one plan per page group) and the xlsx of all activities."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from services.core.formatting import date_long, date_short, initials_surname
from services.core.progress import Progress
from services.core.russian import position_with_organisation
from services.documents.pdf import (
    ApprovalBlock,
    Styles,
    approval_header,
    build_pdf,
    content_width,
    esc,
    grid_table,
    make_styles,
)
from services.staff.queries import (
    AREA_TITLES,
    FORM_TITLES,
    SOURCE_TITLES,
    STATUS_TITLES,
    ActivityRead,
)
from services.staff.service import PlanDocument

TITLE = "ИНДИВИДУАЛЬНЫЙ ПЛАН ПРОФЕССИОНАЛЬНОГО РАЗВИТИЯ ПЕДАГОГА"
ACTIVITY_HEADER = (
    "№",
    "Дефицит / задача",
    "Мероприятие",
    "Форма",
    "Сроки",
    "Ожидаемый результат / продукт",
    "Форма отчётности",
    "Отметка о выполнении",
    "Рефлексия",
)
# Wider for the texts that wrap (deficit, activity), narrower for short ones: fewer lines a row.
ACTIVITY_WIDTHS_MM = (8, 56, 56, 24, 22, 34, 26, 28, 23)


def _heading(st: Styles) -> ParagraphStyle:
    """The section heading with less space above: a plan should fit on one landscape page."""
    return ParagraphStyle("ippr_heading", parent=st.heading, spaceBefore=4, spaceAfter=2)


def _period(a: ActivityRead) -> str:
    """The dates, or the plan's wording when it has none, printed as is (so is the roadmap's)."""
    if a.deadline_not_understood:
        return a.deadline_text
    if a.start_date and a.end_date and a.start_date != a.end_date:
        return f"{date_short(a.start_date)} – {date_short(a.end_date)}"
    return date_short(a.end_date or a.start_date)


def _done_mark(a: ActivityRead) -> str:
    parts = [STATUS_TITLES[a.status]]
    if a.completion_date:
        parts.append(date_short(a.completion_date))
    if a.certificate_number:
        parts.append(f"удост. № {a.certificate_number}")
    return ", ".join(parts)


def _header(doc: PlanDocument, st: Styles, width: float) -> list[Flowable]:
    plan, teacher = doc.plan, doc.teacher
    approve = ApprovalBlock(
        position=position_with_organisation(
            plan.approve_position or doc.director_position, doc.school
        ),
        name=plan.approve_name or doc.director_name,
        day=plan.approve_date,
    )
    # the header of an official plan writes its period in words; table cells stay numeric
    period = f"с {date_long(plan.period_start)} по {date_long(plan.period_end)}"
    years = f"{teacher.experience_years} лет" if teacher.experience_years is not None else ""
    category = teacher.category or "без категории"
    rows = [
        ("Педагог", teacher.full_name),
        ("Должность", teacher.position),
        ("Период реализации", period),
        ("Предметы", teacher.subjects or "—"),
        ("Категория, стаж", ", ".join(x for x in (category, years) if x)),
        ("Наставник", doc.mentor or "—"),
    ]
    info = _info_table(rows, st, width)
    story: list[Flowable] = [
        approval_header(st, width, approve),
        Spacer(1, 2 * mm),
        Paragraph(TITLE, st.title),
        Paragraph(esc(doc.school), st.title),
        info,
    ]
    if plan.goals:
        story.append(Paragraph(f"<b>Цели и задачи:</b> {esc(plan.goals)}", st.body))
    return story


def _info_table(rows: list[tuple[str, str]], st: Styles, width: float) -> Table:
    """The teacher's data three pairs to a row: a plan should fit on one landscape page."""
    per_row = 3
    labels = (22 * mm, 35 * mm, 38 * mm)
    rest = width - sum(labels)
    values = [rest * 0.3, rest * 0.3, rest * 0.4]  # the period is the longest value
    grid = []
    for start in range(0, len(rows), per_row):
        chunk = rows[start : start + per_row] + [("", "")] * (per_row - len(rows[start:][:per_row]))
        grid.append([Paragraph(esc(x), s) for k, v in chunk
                     for x, s in ((k, st.cell_bold), (v, st.cell))])  # fmt: skip
    widths = [w for pair in zip(labels, values, strict=True) for w in pair]
    info = Table(grid, colWidths=widths, hAlign="LEFT")
    info.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]))  # fmt: skip
    return info


def _deficits(doc: PlanDocument, st: Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("1. Профессиональные дефициты", _heading(st))]
    if not doc.deficits:
        return [*story, Paragraph("Дефициты не указаны.", st.body)]
    rows: list[list[Any]] = [
        [Paragraph(h, st.cell_bold) for h in ("№", "Область", "Дефицит", "Источник")]
    ]
    for n, d in enumerate(doc.deficits, start=1):
        rows.append(
            [
                Paragraph(str(n), st.cell_center),
                Paragraph(esc(AREA_TITLES[d.area]), st.cell),
                Paragraph(esc(d.description), st.cell),
                Paragraph(esc(SOURCE_TITLES[d.source]), st.cell),
            ]
        )
    return [*story, grid_table(rows, [8 * mm, 50 * mm, width - 108 * mm, 50 * mm])]


def _activities(doc: PlanDocument, st: Styles, width: float) -> list[Flowable]:
    """The activities table; its last row carries the signatures, never split from the rows.

    A plan used to spill its last row and the signatures onto a second page: the signatures
    then stood under a lone row, away from the plan they sign.
    """
    story: list[Flowable] = [Paragraph("2. План мероприятий", _heading(st))]
    deficit_text = {d.id: d.description for d in doc.deficits}
    rows: list[list[Any]] = [[Paragraph(h, st.cell_bold) for h in ACTIVITY_HEADER]]
    for n, a in enumerate(doc.activities, start=1):
        what = esc(a.title)
        extra = ", ".join(x for x in (a.provider, f"{a.hours:g} ч" if a.hours else "") if x)
        if extra:
            what += f"<br/><font size=8>{esc(extra)}</font>"
        cells = [
            str(n),
            esc(deficit_text.get(a.deficit_id or "", "")),
            what,
            esc(FORM_TITLES[a.form]),
            esc(_period(a)),
            esc(a.expected_result),
            esc(a.report_form),
            esc(_done_mark(a)),
            "",
        ]
        rows.append([Paragraph(c, st.cell) for c in cells])
    if not doc.activities:
        rows.append([Paragraph("Мероприятия не запланированы.", st.cell)] + [""] * 8)
    last = len(rows) - 1
    rows.append([_signatures(doc, st, width)] + [""] * 8)
    tail = (1, last) if last - 1 <= 1 else (last - 1, last)  # the last two rows, not the header
    style = [
        ("SPAN", (0, last + 1), (-1, last + 1)),
        ("NOSPLIT", (0, tail[0]), (-1, last + 1)),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, last + 1), (-1, last + 1), 0),
    ]
    scale = width / (sum(ACTIVITY_WIDTHS_MM) * mm)
    widths = [w * mm * scale for w in ACTIVITY_WIDTHS_MM]
    return [*story, grid_table(rows, widths, extra_style=style, plain_tail=1)]


def _signatures(doc: PlanDocument, st: Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = [Spacer(1, 3 * mm)]
    if doc.plan.reflection:
        story.append(Paragraph(f"<b>Итоги и рефлексия:</b> {esc(doc.plan.reflection)}", st.body))
        story.append(Spacer(1, 2 * mm))
    lines = [("Педагог", doc.teacher.full_name)]
    lines.append(("Наставник", doc.mentor) if doc.mentor else ("Наставник (куратор)", ""))
    cells = []
    for label, name in lines:
        who = esc(initials_surname(name)) if name else "__________"
        cells.append(Paragraph(f"{label} ___________ {who}  «___» ________ 20__ г.", st.body))
    side_by_side = Table([cells], colWidths=[width * 0.47, width * 0.53], hAlign="LEFT")
    side_by_side.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    story.append(side_by_side)
    return story


def plan_story(doc: PlanDocument, st: Styles) -> list[Flowable]:
    width = content_width(True)
    return [
        *_header(doc, st, width),
        *_deficits(doc, st, width),
        *_activities(doc, st, width),  # the signatures are its last row
    ]


def write_ippr_pdf(
    out: Path, docs: Sequence[PlanDocument], fonts_dir: Path, progress: Progress | None = None
) -> int:
    """One or many plans in one PDF, each starting on a new page; returns the page count."""
    st = make_styles(fonts_dir)
    story: list[Flowable] = []
    for n, doc in enumerate(docs):
        if n:
            story.append(PageBreak())
        story += plan_story(doc, st)
    title = "ИППР" if len(docs) != 1 else f"ИППР — {docs[0].teacher.full_name}"
    return build_pdf(
        out, story, fonts_dir=fonts_dir, title=title, is_landscape=True, progress=progress
    )
