"""What a user edits in a roadmap item, and the checks every edit and import goes through."""

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
    """What a user edits in an item (dates are derived from `deadline_text`)."""

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

    @classmethod
    def of(cls, item: RoadmapItemRead) -> ItemFields:
        return cls(**{f.name: getattr(item, f.name) for f in fields(cls)})

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


def item_values(values: ItemFields) -> dict[str, Any]:
    """The fields as keyword arguments of a `RoadmapItem`."""
    return {f.name: getattr(values, f.name) for f in fields(values)}
