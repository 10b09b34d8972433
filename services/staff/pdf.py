"""The printed ИППР (landscape A4, one plan per page group) and the xlsx of all activities."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
ACTIVITY_WIDTHS_MM = (8, 42, 50, 25, 24, 36, 28, 30, 24)


def _period(a: ActivityRead) -> str:
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
    rows = [
        ("Педагог", teacher.full_name),
        ("Должность", teacher.position),
        ("Предметы", teacher.subjects or "—"),
        ("Категория", teacher.category or "без категории"),
        ("Стаж", f"{teacher.experience_years} лет" if teacher.experience_years is not None else ""),
        ("Наставник", doc.mentor or "—"),
        ("Период реализации", period),
    ]
    half = (len(rows) + 1) // 2
    pairs = [(rows[i], rows[i + half] if i + half < len(rows) else ("", "")) for i in range(half)]
    info = Table(
        [
            [Paragraph(esc(k1), st.cell_bold), Paragraph(esc(v1), st.cell),
             Paragraph(esc(k2), st.cell_bold), Paragraph(esc(v2), st.cell)]
            for (k1, v1), (k2, v2) in pairs
        ],
        colWidths=[45 * mm, width / 2 - 45 * mm, 50 * mm, width / 2 - 50 * mm],
        hAlign="LEFT",
    )  # fmt: skip
    tight = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]
    info.setStyle(TableStyle(tight))
    story: list[Flowable] = [
        approval_header(st, width, approve),
        Spacer(1, 3 * mm),
        Paragraph(TITLE, st.title),
        Paragraph(esc(doc.school), st.title),
        Spacer(1, 3 * mm),
        info,
    ]
    if plan.goals:
        story.append(Paragraph(f"<b>Цели и задачи:</b> {esc(plan.goals)}", st.body))
    return story


def _deficits(doc: PlanDocument, st: Styles, width: float) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("1. Профессиональные дефициты", st.heading)]
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
    story: list[Flowable] = [Paragraph("2. План мероприятий", st.heading)]
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
    scale = width / (sum(ACTIVITY_WIDTHS_MM) * mm)
    return [*story, grid_table(rows, [w * mm * scale for w in ACTIVITY_WIDTHS_MM])]


def _signatures(doc: PlanDocument, st: Styles) -> list[Flowable]:
    story: list[Flowable] = [Spacer(1, 4 * mm)]
    if doc.plan.reflection:
        story.append(Paragraph(f"<b>Итоги и рефлексия:</b> {esc(doc.plan.reflection)}", st.body))
        story.append(Spacer(1, 3 * mm))
    lines = [("Педагог", doc.teacher.full_name)]
    lines.append(("Наставник", doc.mentor) if doc.mentor else ("Наставник (куратор)", ""))
    for label, name in lines:
        who = esc(initials_surname(name)) if name else "________________"
        story.append(Paragraph(f"{label} _______________ {who}  «___» ________ 20__ г.", st.body))
    return story


def plan_story(doc: PlanDocument, st: Styles) -> list[Flowable]:
    width = content_width(True)
    return [
        *_header(doc, st, width),
        *_deficits(doc, st, width),
        *_activities(doc, st, width),
        *_signatures(doc, st),
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
