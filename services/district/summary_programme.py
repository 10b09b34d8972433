"""The справка's part on the municipal programme: its data, staffing and the schools' curators.

Printed after the figures: the programme page of the district's current roadmap (period, goal,
tasks, mechanisms, coordinator, «Кадровое обеспечение») and a table of every school's curators.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph

from services.district.curators import Curator
from services.documents.pdf import Styles, esc, grid_table
from services.roadmap.programme import Programme
from services.roadmap.programme_pdf import programme_fields, staff_table

CURATOR_COLUMNS = (("№ п/п", 12), ("Школа", 90), ("Куратор", 60), ("Должность, организация", 90),
                   ("Контакты", 50))  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProgrammePart:
    """What the part prints: the municipal programme (None: none yet) and curators by school."""

    programme: Programme | None
    curators: Sequence[tuple[str, Sequence[Curator]]]  # (school name, its curators), by name


def programme_part(
    st: Styles, part: ProgrammePart | None, width: float, number: int
) -> list[Flowable]:
    if part is None:
        return []
    story: list[Flowable] = [
        PageBreak(),
        Paragraph(f"{number}. Муниципальная программа", st.heading),
    ]
    p = part.programme
    if p is None:
        story.append(Paragraph("Муниципальная программа (дорожная карта) не создана.", st.body))
    else:
        story.append(Paragraph(esc(p.roadmap.title), st.body))
        story += programme_fields(p, st)
        story += staff_table(p, st, width)
    story.append(Paragraph(f"{number + 1}. Кураторы школ", st.heading))
    return story + _curators(st, part.curators, width)


def _curators(
    st: Styles, curators: Sequence[tuple[str, Sequence[Curator]]], width: float
) -> list[Flowable]:
    named = [(school, list(found)) for school, found in curators if found]
    if not named:
        return [Paragraph("Кураторы школ не назначены.", st.body)]
    scale = width / (sum(w for _, w in CURATOR_COLUMNS) * mm)
    widths = [w * mm * scale for _, w in CURATOR_COLUMNS]
    rows: list[list[object]] = [
        [Paragraph(f"<b>{esc(h)}</b>", st.cell_center) for h, _ in CURATOR_COLUMNS]
    ]
    spans: list[tuple[object, ...]] = []
    for n, (school, found) in enumerate(named, start=1):
        first = len(rows)
        for c in found:
            where = ", ".join(x for x in (c.job_title, c.org) if x)
            rows.append([Paragraph(esc(t), st.cell) for t in (f"{n}.", school, c.name, where,
                                                               c.contact)])  # fmt: skip
        if len(found) > 1:  # the school's number and name once, beside all its curators
            last = len(rows) - 1
            spans += [("SPAN", (0, first), (0, last)), ("SPAN", (1, first), (1, last))]
    return [grid_table(rows, widths, extra_style=spans)]
