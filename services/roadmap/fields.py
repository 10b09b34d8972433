"""What a user edits in a roadmap item or occurrence, and the checks every edit goes through."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from models.roadmap import ItemStatus
from services.core.errors import Invalid
from services.roadmap.queries import RoadmapItemRead

MAX_TITLE = 2000


@dataclass(frozen=True, slots=True)
class ItemFields:
    """What a user edits in an item (dates are derived from `deadline_text`).

    The status, completion date, evidence and comment belong to one occurrence of the item:
    `occurrence_id` names it (`RoadmapItemRead.current` when read with `of`). On a new item they
    go to its first occurrence.
    """

    title: str
    deadline_text: str = ""
    responsible: str = ""
    participants: str = ""
    expected_result: str = ""
    report_form: str = ""
    number: str = ""
    risk_factor_code: str | None = None
    status: ItemStatus = ItemStatus.PLANNED
    completion_date: date | None = None
    evidence: str = ""
    comment: str = ""
    occurrence_id: str | None = None

    @classmethod
    def of(cls, item: RoadmapItemRead) -> ItemFields:
        current = item.current
        values = {f.name: getattr(item, f.name) for f in fields(cls) if f.name != "occurrence_id"}
        return cls(**values, occurrence_id=current.id if current else None)

    def changed(self, **changes: object) -> ItemFields:
        return replace(self, **changes)  # type: ignore[arg-type]


def validated(values: ItemFields) -> ItemFields:
    """The fields with the title trimmed and a done item dated; `Invalid` when they cannot be."""
    title = values.title.strip()
    if not title:
        raise Invalid("Укажите название мероприятия.")
    if len(title) > MAX_TITLE:
        raise Invalid(f"Название мероприятия длиннее {MAX_TITLE} знаков — сократите его.")
    completion = values.completion_date
    if values.status is ItemStatus.DONE and completion is None:
        completion = date.today()
    if completion is not None and completion > date.today():
        raise Invalid("Дата выполнения не может быть позже сегодняшнего дня.")
    return replace(values, title=title, completion_date=completion)


OCCURRENCE_FIELDS = ("status", "completion_date", "evidence", "comment")


def item_values(values: ItemFields) -> dict[str, Any]:
    """The plan fields as keyword arguments of a `RoadmapItem`."""
    skip = {*OCCURRENCE_FIELDS, "occurrence_id"}
    return {f.name: getattr(values, f.name) for f in fields(values) if f.name not in skip}


@dataclass(frozen=True, slots=True)
class OccurrenceFields:
    """What a user records on one occurrence; `of` reads it back for «Отменить»."""

    status: ItemStatus = ItemStatus.PLANNED
    completion_date: date | None = None
    evidence: str = ""
    comment: str = ""

    @classmethod
    def of(cls, occurrence: object) -> OccurrenceFields:
        return cls(**{name: getattr(occurrence, name) for name in OCCURRENCE_FIELDS})

    @classmethod
    def of_item(cls, values: ItemFields) -> OccurrenceFields:
        return cls(**{name: getattr(values, name) for name in OCCURRENCE_FIELDS})

    def changed(self, **changes: object) -> OccurrenceFields:
        return replace(self, **changes)  # type: ignore[arg-type]


def validated_occurrence(values: OccurrenceFields) -> OccurrenceFields:
    """A done occurrence dated (today when no date is given); `Invalid` for a future date."""
    completion = values.completion_date
    if values.status is ItemStatus.DONE and completion is None:
        completion = date.today()
    if completion is not None and completion > date.today():
        raise Invalid("Дата выполнения не может быть позже сегодняшнего дня.")
    return replace(values, completion_date=completion)
