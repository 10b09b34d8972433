"""How a printed or exported roadmap writes a section heading and an item's occurrences."""

from __future__ import annotations

from datetime import date

from services.core.formatting import date_short
from services.roadmap.queries import STATUS_TITLES, OccurrenceRead, RoadmapItemRead
from services.roadmap.sections import SectionGroup


def section_number(group: SectionGroup) -> str:
    """«I.», «1.», «1.2.» as the plan numbers it, else the section's place («3.»)."""
    if group.section is None:
        return ""
    number = group.section.number.strip() or str(group.number)
    return number if number.endswith(".") else number + "."


def section_heading(group: SectionGroup) -> str:
    """«I. Механизмы реализации (задача раздела)» — the task in parentheses, as plans write it."""
    if group.section is None:
        return "Без раздела"
    text = f"{section_number(group)} {group.section.title}"
    return text + (f" ({group.section.task})" if group.section.task else "")


def occurrence_when(occ: OccurrenceRead) -> str:
    """«август 2023» (or the dates when the plan gave no label)."""
    if occ.label:
        return occ.label
    if occ.end_date is None:
        return "без срока"
    if occ.start_date and occ.start_date != occ.end_date:
        return f"{date_short(occ.start_date)} – {date_short(occ.end_date)}"
    return f"до {date_short(occ.end_date)}"


def occurrence_status(occ: OccurrenceRead, *, overdue: bool = False) -> str:
    text = STATUS_TITLES[occ.status].lower()
    if occ.completion_date:
        text += f" {date_short(occ.completion_date)}"
    return text + (", просрочено" if overdue else "")


def occurrences_line(item: RoadmapItemRead, as_of: date | None = None) -> str:
    """«2022 — выполнено 30.08.2022; 2023 — запланировано» for an item with several dates."""
    parts = []
    for occ in item.occurrences:
        late = as_of is not None and occ.is_overdue(as_of)
        parts.append(f"{occurrence_when(occ)} — {occurrence_status(occ, overdue=late)}")
    return "; ".join(parts)
