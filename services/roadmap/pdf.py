"""The printed roadmap (DESIGN §8): landscape A4, approval blocks, the plan table by sections.

The monitoring variant (for the twice-yearly report) replaces the planning columns with status,
completion date and evidence, and prints the execution % of every section and overall.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from services.core.formatting import date_long, date_short
from services.core.progress import Progress
from services.core.russian import position_with_organisation
from services.documents.pdf import (
    AdoptionNote,
    AgreementBlock,
    ApprovalBlock,
    Styles,
    approval_header,
    build_pdf,
    content_width,
    esc,
    grid_table,
    make_styles,
    signature_line,
)
from services.roadmap.monitoring import PeriodReport
from services.roadmap.printing import occurrences_line, section_heading
from services.roadmap.programme import Programme
from services.roadmap.programme_pdf import programme_page
from services.roadmap.queries import STATUS_TITLES, RoadmapItemRead, RoadmapRead, SectionRead
from services.roadmap.sections import group_by_section
from services.roadmap.service import Execution


@dataclass(frozen=True, slots=True)
class RoadmapPrint:
    """Everything the printout shows; built by the document renderer from the services."""

    roadmap: RoadmapRead
    sections: list[SectionRead]
    items: list[RoadmapItemRead]
    org_name: str
    director_position: str
    director_name: str
    execution: Execution
    monitoring: bool = False
    org_short: str = ""
    period: PeriodReport | None = None  # monitoring of one period (`--period`)
    programme: Programme | None = None  # mechanisms, coordinator, staffing (model v2)


PLAN_COLUMNS = (
    ("№ п/п", 13),
    ("Мероприятие", 72),
    ("Срок", 27),
    ("Ответственные", 42),
    ("Участники", 32),
    ("Ожидаемый результат", 38),
    ("Форма отчёта", 28),
)
MONITORING_COLUMNS = (
    ("№ п/п", 13),
    ("Мероприятие", 86),
    ("Срок", 27),
    ("Ответственные", 40),
    ("Отметка о выполнении", 28),
    ("Дата выполнения", 25),
    ("Подтверждающие материалы", 43),
)


def write_roadmap_pdf(
    out: Path, doc: RoadmapPrint, fonts_dir: Path, progress: Progress | None = None
) -> int:
    """Render the roadmap (or its monitoring report) into `out`; returns the page count."""
    st = make_styles(fonts_dir)
    width = content_width(True)
    story: list[Flowable] = [_header(doc, st, width), Spacer(1, 8)]
    story += _title(doc, st)
    if doc.period is not None:
        from services.roadmap.monitoring_pdf import period_story

        story += period_story(doc.period, doc.sections, st, width)
    else:
        story += programme_page(doc.programme, st, width)
        story.append(_table(doc, st, width))
    story += [Spacer(1, 14), signature_line(st, doc.director_position or "Директор",
                                            doc.director_name)]  # fmt: skip
    title = doc.roadmap.title + (" — мониторинг" if doc.monitoring else "")
    if doc.period is not None:
        title += f" за {doc.period.period.title}"
    return build_pdf(
        out, story, fonts_dir=fonts_dir, title=title, is_landscape=True, progress=progress
    )


def _header(doc: RoadmapPrint, st: Styles, width: float) -> Flowable:
    r = doc.roadmap
    position = r.approve_position or doc.director_position or "Директор"
    full, short = (r.approve_org, "") if r.approve_org else (doc.org_name, doc.org_short)
    approve = ApprovalBlock(position_with_organisation(position, full, short),
                            r.approve_name or doc.director_name, r.approve_date)  # fmt: skip
    agree = AgreementBlock(r.agree_position, r.agree_name, r.agree_date) if r.agree_name else None
    adopted = (
        AdoptionNote(r.adopted_body, r.adopted_protocol, r.adopted_date) if r.adopted_body else None
    )
    return approval_header(st, width, approve, agree, adopted)


def _title(doc: RoadmapPrint, st: Styles) -> list[Flowable]:
    r = doc.roadmap
    period = f"на период с {date_long(r.period_start)} по {date_long(r.period_end)}"
    parts: list[Flowable] = [
        Paragraph(esc(r.title), st.title),
        Paragraph(esc(doc.org_name), st.title),
        Paragraph(period, st.title),
        Spacer(1, 6),
    ]
    if doc.period is not None:
        p = doc.period
        heading = f"Мониторинг выполнения за {esc(p.period.title)} ({p.period.dates})"
        parts.append(Paragraph(f"{heading} на {date_long(p.as_of)}", st.title))
        parts.append(Paragraph(esc(p.summary()), st.body))
        return [*parts, Spacer(1, 6)]
    if doc.monitoring:
        ex = doc.execution
        parts.append(
            Paragraph(
                f"Мониторинг выполнения на {date_long(ex.as_of)}: выполнено "
                f"{ex.overall.text()} мероприятий, срок которых наступил "
                f"({ex.overall.detail()}); просрочено: {ex.overdue}.",
                st.body,
            )
        )
        return [*parts, Spacer(1, 6)]
    for label, text in (
        ("Цель", r.goal),
        ("Задачи", r.tasks),
        ("Ожидаемые результаты", r.expected_results),
    ):
        if text.strip():
            parts.append(Paragraph(f"<b>{label}:</b> {esc(text)}", st.body))
    return [*parts, Spacer(1, 6)]


def _table(doc: RoadmapPrint, st: Styles, width: float) -> Flowable:
    columns = MONITORING_COLUMNS if doc.monitoring else PLAN_COLUMNS
    scale = width / (sum(w for _, w in columns) * mm)
    widths = [w * mm * scale for _, w in columns]
    rows: list[list[object]] = [[Paragraph(f"<b>{esc(h)}</b>", st.cell_center) for h, _ in columns]]
    section_rows: list[int] = []
    ratios = {x.section_id: x for x in doc.execution.sections}
    extra: list[tuple[object, ...]] = []
    for group in group_by_section(doc.sections, doc.items):
        if group.section is not None:
            text = esc(section_heading(group))
            if group.section.level > 1:  # a subsection: indented, in italics
                text = f"&nbsp;&nbsp;&nbsp;&nbsp;<i>{text}</i>"
            if doc.monitoring and group.section.id in ratios and group.items:
                ratio = ratios[group.section.id].ratio
                text += f" — выполнено {ratio.text()} ({ratio.detail()})"
            section_rows.append(len(rows))
            rows.append([Paragraph(f"<b>{text}</b>", st.cell)] + [""] * (len(columns) - 1))
        for item in group.items:
            if item.is_overdue(doc.execution.as_of, doc.roadmap.period_end) and doc.monitoring:
                extra.append(
                    ("BACKGROUND", (4, len(rows)), (4, len(rows)), colors.HexColor("#F8D7D7"))
                )
            rows.append(_row(item, doc, st))
    if len(rows) == 1:
        rows.append([Paragraph("Мероприятий пока нет.", st.cell)] + [""] * (len(columns) - 1))
        section_rows.append(1)
    return grid_table(rows, widths, section_rows=section_rows, extra_style=extra)


def _row(item: RoadmapItemRead, doc: RoadmapPrint, st: Styles) -> list[object]:
    def p(text: str) -> Paragraph:
        return Paragraph(esc(text).replace("\n", "<br/>"), st.cell)

    deadline = item.deadline_text or "—"
    as_of = doc.execution.as_of
    several = len(item.occurrences) > 1
    if doc.monitoring:
        if several:  # one line per date: «август 2022 — выполнено 30.08.2022; …»
            status = occurrences_line(item, as_of).replace("; ", "\n")
            done, evidence = "", "\n".join(o.evidence for o in item.occurrences if o.evidence)
        else:
            occ = item.current
            status = STATUS_TITLES[item.status] + (
                " (просрочено)" if occ is not None and occ.is_overdue(as_of) else "")  # fmt: skip
            done = date_short(item.completion_date) if item.completion_date else ""
            evidence = item.evidence
        cells = [item.number, item.title, deadline, item.responsible, status, done, evidence]
    else:
        title = item.title
        if several:  # in the wide column: «Сроки: август 2024 — выполнено 28.08.2024; …»
            title += "\nСроки: " + occurrences_line(item)
        cells = [
            item.number,
            title,
            deadline,
            item.responsible,
            item.participants,
            item.expected_result,
            item.report_form,
        ]
    return [p(c) for c in cells]


def as_of_default(roadmap: RoadmapRead, today: date) -> date:
    """Monitoring is as of today, or the period end for a finished roadmap."""
    return min(today, roadmap.period_end)
