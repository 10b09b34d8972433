"""The table body of the monitoring of one period: what was due in it, then what else was done."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from services.core.formatting import date_short
from services.documents.pdf import Styles, esc, grid_table
from services.roadmap.monitoring import PeriodReport, PeriodRow
from services.roadmap.printing import occurrence_when, section_heading
from services.roadmap.queries import STATUS_TITLES, SectionRead
from services.roadmap.sections import group_by_section

COLUMNS = (
    ("№ п/п", 13),
    ("Мероприятие", 76),
    ("Срок по плану", 30),
    ("Срок в периоде", 26),
    ("Ответственные", 36),
    ("Отметка о выполнении", 30),
    ("Дата выполнения", 26),
    ("Подтверждающие материалы", 40),
)
LATE = colors.HexColor("#F8D7D7")


def period_story(
    report: PeriodReport, sections: Sequence[SectionRead], st: Styles, width: float
) -> list[Flowable]:
    """The due-in-period table, and the occurrences done in the period but due outside it."""
    story: list[Flowable] = [_table(report.due, sections, st, width, "В периоде сроков нет.")]
    if report.done_elsewhere:
        story += [
            Spacer(1, 10),
            Paragraph("<b>Выполнено в периоде, срок — вне периода</b>", st.body),
            Spacer(1, 4),
            _table(report.done_elsewhere, sections, st, width, ""),
        ]
    return story


def _table(
    rows_in: Sequence[PeriodRow],
    sections: Sequence[SectionRead],
    st: Styles,
    width: float,
    empty: str,
) -> Flowable:
    scale = width / (sum(w for _, w in COLUMNS) * mm)
    widths = [w * mm * scale for _, w in COLUMNS]
    rows: list[list[object]] = [[Paragraph(f"<b>{esc(h)}</b>", st.cell_center) for h, _ in COLUMNS]]
    section_rows: list[int] = []
    extra: list[tuple[object, ...]] = []
    by_item: dict[str, list[PeriodRow]] = {}
    for row in rows_in:
        by_item.setdefault(row.item.id, []).append(row)
    items = list({r.item.id: r.item for r in rows_in}.values())
    keep = _with_ancestors(sections, {i.section_id for i in items})
    for group in group_by_section(sections, items):
        if not group.items and (group.section is None or group.section.id not in keep):
            continue
        if group.section is not None:
            section_rows.append(len(rows))
            rows.append([Paragraph(f"<b>{esc(section_heading(group))}</b>", st.cell)]
                        + [""] * (len(COLUMNS) - 1))  # fmt: skip
        for item in group.items:
            for row in by_item[item.id]:
                if row.overdue:
                    extra.append(("BACKGROUND", (5, len(rows)), (5, len(rows)), LATE))
                rows.append(_cells(row, st))
    if len(rows) == 1 and empty:
        rows.append([Paragraph(esc(empty), st.cell)] + [""] * (len(COLUMNS) - 1))
        section_rows.append(1)
    return grid_table(rows, widths, section_rows=section_rows, extra_style=extra)


def _with_ancestors(sections: Sequence[SectionRead], ids: set[str | None]) -> set[str]:
    """The sections holding a printed item, and their parents: «I. …» heads «1. …»."""
    parents = {s.id: s.parent_id for s in sections}
    keep: set[str] = set()
    for sid in ids:
        node = sid
        while node is not None and node in parents and node not in keep:
            keep.add(node)
            node = parents[node]
    return keep


def _cells(row: PeriodRow, st: Styles) -> list[object]:
    occ, item = row.occurrence, row.item
    status = STATUS_TITLES[occ.status] + (" (просрочено)" if row.overdue else "")
    if occ.outside_period:
        status += " (вне периода карты)"
    done = date_short(occ.completion_date) if occ.completion_date else ""
    when = occurrence_when(occ)
    if occ.end_date is not None and occ.label:
        when += f"\nдо {date_short(occ.end_date)}"
    cells = [item.number, item.title, item.deadline_text or "—", when, item.responsible,
             status, done, occ.evidence]  # fmt: skip
    return [Paragraph(esc(c).replace("\n", "<br/>"), st.cell) for c in cells]
