"""The programme page: period, goal, tasks, mechanisms, coordinator and «Кадровое обеспечение».

Printed on the roadmap's title page (after its goal and tasks, which the title already carries)
and in full in the district's справка for the municipal programme.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from services.core.formatting import date_long
from services.documents.pdf import Styles, esc, grid_table
from services.roadmap.programme import Programme

STAFF_COLUMNS = (
    ("№ п/п", 12),
    ("ФИО специалиста", 40),
    ("Место работы, должность", 62),
    ("Функции специалиста в рамках реализации программы", 80),
    ("Курируемое направление", 70),
)
STAFF_TITLE = "Кадровое обеспечение реализации программы"


def period_text(start: date, end: date) -> str:
    """«2021–2024 годы», «2022 год», «2024/2025 учебный год», else «с 1 февраля … по …»."""
    whole_years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    if whole_years and start.year == end.year:
        return f"{start.year} год"
    if whole_years:
        return f"{start.year}–{end.year} годы"
    school_year = (start.month, start.day, end.month, end.day) == (9, 1, 8, 31)
    if school_year and end.year == start.year + 1:
        return f"{start.year}/{end.year} учебный год"
    if school_year:
        return f"{start.year}/{start.year + 1}–{end.year - 1}/{end.year} учебные годы"
    return f"с {date_long(start)} по {date_long(end)}"


def has_programme_data(p: Programme) -> bool:
    r = p.roadmap
    return bool(r.mechanisms.strip() or r.coordinator.strip() or p.staff)


def programme_page(p: Programme | None, st: Styles, width: float) -> list[Flowable]:
    """The hook of the roadmap printout: what the title does not print yet, when there is any."""
    if p is None or not has_programme_data(p):
        return []
    return [*programme_fields(p, st, with_goal=False), *staff_table(p, st, width), Spacer(1, 8)]


def programme_fields(p: Programme, st: Styles, *, with_goal: bool = True) -> list[Flowable]:
    r = p.roadmap
    fields = [("Сроки реализации", period_text(r.period_start, r.period_end))]
    if with_goal:
        fields += [("Цель", r.goal), ("Задачи", r.tasks)]
    fields += [("Механизмы реализации", r.mechanisms), ("Координатор", r.coordinator)]
    return [
        Paragraph(f"<b>{label}:</b> {esc(text)}", st.body) for label, text in fields if text.strip()
    ]


def staff_table(p: Programme, st: Styles, width: float) -> list[Flowable]:
    if not p.staff:
        return []
    scale = width / (sum(w for _, w in STAFF_COLUMNS) * mm)
    widths = [w * mm * scale for _, w in STAFF_COLUMNS]
    header = [Paragraph(f"<b>{esc(h)}</b>", st.cell_center) for h, _ in STAFF_COLUMNS]
    rows: list[list[object]] = [header]
    for n, row in enumerate(p.staff, start=1):
        cells = (f"{n}.", row.person, row.job_title, row.role, p.curated(row))
        rows.append([Paragraph(esc(c), st.cell) for c in cells])
    return [Spacer(1, 4), Paragraph(STAFF_TITLE, st.heading), grid_table(rows, widths)]
