"""Recording what was done on occurrences: the part of `RoadmapService` that edits them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session

from models.roadmap import ItemStatus, RoadmapItem, RoadmapOccurrence
from services.core.actor import note_actor
from services.core.db import Database
from services.core.errors import Invalid, NotFound
from services.roadmap.fields import ItemFields, OccurrenceFields, validated_occurrence
from services.roadmap.occurrences import item_occurrences
from services.roadmap.queries import CLOSED, OccurrenceRead
from services.site.profile import own_site_id


class OccurrenceEditing:
    """Status, completion date, evidence and comment of occurrences, one or many at a time."""

    _db: Database

    def set_status(
        self, item_ids: Iterable[str], status: ItemStatus, completion: date | None = None
    ) -> int:
        """Bulk status change of each item's current occurrence.

        The current one is `RoadmapItemRead.current`'s: the first one still open, else the last.
        «Выполнено» without a date takes today's date.
        """
        with self._db.session() as s:
            targets: list[str] = []
            for item_id in item_ids:
                self._own_item(s, item_id)
                occurrences = item_occurrences(s, item_id)
                open_ = [o for o in occurrences if o.status not in CLOSED]
                current = open_[0] if open_ else (occurrences[-1] if occurrences else None)
                if current is not None:
                    targets.append(current.id)
        return self.set_occurrence_status(targets, status, completion)

    # occurrences ----------------------------------------------------------------------

    def occurrence(self, occurrence_id: str) -> OccurrenceRead:
        with self._db.session(stamp=False) as s:
            occ = s.get(RoadmapOccurrence, occurrence_id)
            if occ is None or occ.deleted:
                raise NotFound("Срок мероприятия не найден — обновите экран.")
            return OccurrenceRead.model_validate(occ)

    def set_occurrence_status(
        self, occurrence_ids: Iterable[str], status: ItemStatus, completion: date | None = None
    ) -> int:
        """Bulk status change of occurrences; returns how many changed.

        «Выполнено» without a date takes today's date; any other status clears the date.
        """
        values = validated_occurrence(OccurrenceFields(status, completion))
        changed = 0
        with self._db.session() as s:
            for occurrence_id in occurrence_ids:
                occ = self._own_occurrence(s, occurrence_id)
                if occ.status is not status:
                    record(occ, OccurrenceFields.of(occ).changed(
                        status=status,
                        completion_date=values.completion_date if status is ItemStatus.DONE
                        else None,
                    ))  # fmt: skip
                    note_actor(s, "roadmap_occurrence", occ.id)
                    changed += 1
        return changed

    def update_occurrence(self, occurrence_id: str, values: OccurrenceFields) -> None:
        """Record status, completion date, evidence and comment of one occurrence.

        «Отменить» passes `OccurrenceFields.of(the occurrence as read before)` back.
        """
        checked = validated_occurrence(values)
        with self._db.session() as s:
            record(self._own_occurrence(s, occurrence_id), checked)
            note_actor(s, "roadmap_occurrence", occurrence_id)

    @staticmethod
    def _own_occurrence(s: Session, occurrence_id: str) -> RoadmapOccurrence:
        occ = s.get(RoadmapOccurrence, occurrence_id)
        if occ is None or occ.deleted:
            raise NotFound("Запись не найдена — возможно, её уже удалили. Обновите экран.")
        if occ.owner != own_site_id(s):
            raise Invalid("Эта запись принадлежит другой организации; изменить её нельзя.")
        return occ

    @staticmethod
    def _own_item(s: Session, item_id: str) -> RoadmapItem:
        item = s.get(RoadmapItem, item_id)
        if item is None or item.deleted:
            raise NotFound("Запись не найдена — возможно, её уже удалили. Обновите экран.")
        if item.owner != own_site_id(s):
            raise Invalid("Эта запись принадлежит другой организации; изменить её нельзя.")
        return item


def record(occ: RoadmapOccurrence, values: OccurrenceFields) -> None:
    """Assign what changed only, so an unchanged occurrence gets no new version to send."""
    for name in ("status", "completion_date", "evidence", "comment"):
        value = getattr(values, name)
        if getattr(occ, name) != value:
            setattr(occ, name, value)


def record_first(s: Session, item: RoadmapItem, values: ItemFields) -> None:
    """What a new (or imported) item's fields record goes to its first occurrence."""
    recorded = OccurrenceFields.of_item(values)
    if recorded != OccurrenceFields():
        occurrences = item_occurrences(s, item.id)
        if occurrences:
            record(occurrences[0], recorded)
    s.flush()
