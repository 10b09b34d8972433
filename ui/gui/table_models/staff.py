"""Column specs of «Педагоги и ИППР»: teachers, deficits and development activities."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QColor

from services.core.formatting import date_short
from services.staff import (
    AREA_TITLES,
    FORM_TITLES,
    SOURCE_TITLES,
    STATUS_TITLES,
    ActivityRead,
    DeficitRead,
    TeacherRead,
)
from ui.gui.table_models.row_model import Column

OVERDUE = QColor("#f8d7da")


def _d(value: date | None) -> str:
    return date_short(value) if value else ""


def teacher_columns(name_of: Callable[[str], str]) -> list[Column[TeacherRead]]:
    """`name_of(id)` gives the mentor's name (the screen keeps the map)."""
    return [
        Column("ФИО", lambda t: t.full_name),
        Column("Должность", lambda t: t.position),
        Column("Предметы", lambda t: t.subjects),
        Column("Категория", lambda t: t.category),
        Column("Стаж", lambda t: t.experience_years),
        Column("Мол. спец.", lambda t: "да" if t.is_young_specialist else ""),
        Column("Наставник", lambda t: name_of(t.mentor_id or "")),
    ]


def deficit_columns() -> list[Column[DeficitRead]]:
    return [
        Column("Область", lambda d: AREA_TITLES[d.area]),
        Column("Дефицит", lambda d: d.description),
        Column("Источник", lambda d: SOURCE_TITLES[d.source]),
    ]


def activity_columns() -> list[Column[ActivityRead]]:
    return [
        Column("Форма", lambda a: FORM_TITLES[a.form]),
        Column("Мероприятие", lambda a: a.title),
        Column("Часы", lambda a: f"{a.hours:g}" if a.hours else ""),
        Column("Сроки", activity_period),
        Column("Статус", activity_status),
        Column("Удостоверение", lambda a: a.certificate_number),
    ]


def activity_background(a: ActivityRead) -> QColor | None:
    return OVERDUE if a.is_overdue(date.today()) else None


def activity_period(a: ActivityRead) -> str:
    if a.deadline_not_understood:
        return f"срок не распознан: {a.deadline_text}"
    if a.start_date and a.end_date and a.start_date != a.end_date:
        return f"{_d(a.start_date)} – {_d(a.end_date)}"
    return _d(a.end_date or a.start_date)


def activity_status(a: ActivityRead) -> str:
    if a.is_overdue(date.today()):
        return "Просрочено"
    text = STATUS_TITLES[a.status]
    return f"{text} {_d(a.completion_date)}".strip()
