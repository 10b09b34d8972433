"""Editing a roadmap: roadmaps, sections, items, occurrences, the «Корзина», execution figures.

The same service edits a school's roadmap and the district's municipal one: every row belongs to
this installation's own site (owner), so a district never edits a school's plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeVar

from sqlmodel import Session, col, select

from models.roadmap import (
    Roadmap,
    RoadmapBase,
    RoadmapItem,
    RoadmapOccurrence,
    RoadmapSection,
)
from services.core.db import Database
from services.core.errors import Invalid, NotFound
from services.roadmap.execution import Execution, SectionExecution, execution_figures
from services.roadmap.fields import (
    ItemFields,
    OccurrenceFields,
    item_values,
    validated,
)
from services.roadmap.importing import Heading, store_blocks
from services.roadmap.occurrence_service import OccurrenceEditing, record, record_first
from services.roadmap.occurrences import item_occurrences
from services.roadmap.queries import (
    RoadmapItemRead,
    RoadmapRead,
    SectionRead,
    apply_deadline,
    current_roadmap,
    ensure_roadmap,
    ensure_section,
    item_reads,
    live_items,
)
from services.roadmap.tree import section_tree
from services.site.profile import own_site_id

Row = TypeVar("Row", RoadmapItem, RoadmapSection, RoadmapOccurrence)


class RoadmapService(OccurrenceEditing):
    """Use cases of the «Дорожная карта» screen and of the roadmap printouts."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # roadmaps -------------------------------------------------------------------------

    def roadmaps(self) -> list[RoadmapRead]:
        with self._db.session(stamp=False) as s:
            owner = own_site_id(s)
            rows = s.exec(
                select(Roadmap)
                .where(Roadmap.owner == owner, col(Roadmap.deleted).is_(False))
                .order_by(col(Roadmap.period_start).desc())
            ).all()
            return [RoadmapRead.model_validate(r) for r in rows]

    def current(self, on: date | None = None) -> RoadmapRead | None:
        with self._db.session(stamp=False) as s:
            roadmap = current_roadmap(s, own_site_id(s), on or date.today())
            return RoadmapRead.model_validate(roadmap) if roadmap else None

    def get(self, roadmap_id: str) -> RoadmapRead:
        with self._db.session(stamp=False) as s:
            return RoadmapRead.model_validate(self._roadmap(s, roadmap_id))

    def save_roadmap(self, values: RoadmapBase, roadmap_id: str | None = None) -> str:
        """Create (no id) or update a roadmap's heading; item dates follow a new period."""
        if not values.title.strip():
            raise Invalid("Укажите название дорожной карты.")
        if values.period_end < values.period_start:
            raise Invalid("Конец периода раньше его начала — проверьте даты периода.")
        with self._db.session() as s:
            if roadmap_id is None:
                roadmap = Roadmap(owner=own_site_id(s), **values.model_dump())
                s.add(roadmap)
                s.flush()
                return roadmap.id
            roadmap = self._roadmap(s, roadmap_id)
            period_changed = (roadmap.period_start, roadmap.period_end) != (
                values.period_start,
                values.period_end,
            )
            for name, value in values.model_dump().items():
                setattr(roadmap, name, value)
            if period_changed:
                for item in live_items(s, roadmap.id):
                    apply_deadline(s, item, roadmap)
            return roadmap.id

    # sections -------------------------------------------------------------------------

    def sections(self, roadmap_id: str) -> list[SectionRead]:
        """Live sections in plan order: each section followed by its subsections (`level`)."""
        with self._db.session(stamp=False) as s:
            return section_tree(self._sections(s, roadmap_id))

    def add_section(
        self,
        roadmap_id: str,
        title: str,
        *,
        parent_id: str | None = None,
        number: str = "",
        task: str = "",
    ) -> str:
        """A new section at the end of its parent's (or the top level's) sections."""
        if not title.strip():
            raise Invalid("Укажите название раздела.")
        with self._db.session() as s:
            roadmap = self._roadmap(s, roadmap_id)
            if parent_id is not None:
                self._own(s, RoadmapSection, parent_id)
            siblings = [x for x in self._sections(s, roadmap_id) if x.parent_id == parent_id]
            section = RoadmapSection(
                owner=roadmap.owner,
                roadmap_id=roadmap.id,
                parent_id=parent_id,
                title=title.strip(),
                number=number.strip(),
                task=task.strip(),
                position=len(siblings),
            )
            s.add(section)
            s.flush()
            return section.id

    def update_section(self, section_id: str, *, number: str, title: str, task: str) -> None:
        """Change a section's number, title and task (the undo passes the old ones back)."""
        if not title.strip():
            raise Invalid("Укажите название раздела.")
        with self._db.session() as s:
            section = self._own(s, RoadmapSection, section_id)
            for name, value in (("number", number), ("title", title), ("task", task)):
                if getattr(section, name) != value.strip():
                    setattr(section, name, value.strip())

    def rename_section(self, section_id: str, title: str) -> None:
        if not title.strip():
            raise Invalid("Укажите название раздела.")
        with self._db.session() as s:
            self._own(s, RoadmapSection, section_id).title = title.strip()

    def move_section(self, section_id: str, delta: int) -> None:
        with self._db.session() as s:
            section = self._own(s, RoadmapSection, section_id)
            ordered = [
                x for x in self._sections(s, section.roadmap_id) if x.parent_id == section.parent_id
            ]
            _move(ordered, section, delta)

    def delete_section(self, section_id: str) -> list[str]:
        """Tombstone a section, its subsections and their items.

        Returns the ids of the subsections and items (for «Отменить», which passes them to
        `restore_section`).
        """
        with self._db.session() as s:
            section = self._own(s, RoadmapSection, section_id)
            inside = _descendants(self._sections(s, section.roadmap_id), section.id)
            gone = {section.id, *(x.id for x in inside)}
            for row in (section, *inside):
                row.deleted = True
            items = [i for i in live_items(s, section.roadmap_id) if i.section_id in gone]
            for item in items:
                _delete_item(s, item)
            return [x.id for x in inside] + [i.id for i in items]

    def restore_section(self, section_id: str, item_ids: Sequence[str] = ()) -> None:
        """Bring back a section and the subsections and items `delete_section` returned."""
        with self._db.session() as s:
            section = s.get(RoadmapSection, section_id)
            if section is None or section.owner != own_site_id(s):
                raise NotFound("Раздел не найден.")
            section.deleted = False
            for row_id in item_ids:
                sub = s.get(RoadmapSection, row_id)
                if sub is not None:
                    sub.deleted = False
                    continue
                item = s.get(RoadmapItem, row_id)
                if item is not None:
                    self._restore_item(s, item)

    # items ----------------------------------------------------------------------------

    def district_comments(self) -> dict[str, list[str]]:
        """Open comments of the district on roadmap items (brought by its bulletin), by item."""
        from services.district.schools import comments_in

        with self._db.session(stamp=False) as s:
            found: dict[str, list[str]] = {}
            for c in comments_in(s):
                if c.target_table == "roadmap_item" and not c.resolved:
                    found.setdefault(c.target_id, []).append(c.text)
            return found

    def items(self, roadmap_id: str) -> list[RoadmapItemRead]:
        """Live items in print order: by section position, then item position."""
        with self._db.session(stamp=False) as s:
            order = {x.id: x.position for x in self._sections(s, roadmap_id)}
            rows = live_items(s, roadmap_id)
            rows.sort(key=lambda i: (order.get(i.section_id or "", -1), i.position))
            return item_reads(s, rows)

    def trash(self, roadmap_id: str) -> list[RoadmapItemRead]:
        """Deleted items of the roadmap («Корзина»), restorable."""
        with self._db.session(stamp=False) as s:
            rows = s.exec(
                select(RoadmapItem).where(
                    RoadmapItem.roadmap_id == roadmap_id, col(RoadmapItem.deleted).is_(True)
                )
            ).all()
            return [RoadmapItemRead.model_validate(i) for i in rows]

    def add_item(
        self, roadmap_id: str, section_id: str | None, values: ItemFields, *, at: int | None = None
    ) -> str:
        values = validated(values)
        with self._db.session() as s:
            roadmap = self._roadmap(s, roadmap_id)
            if section_id is not None:
                self._own(s, RoadmapSection, section_id)
            siblings = self._siblings(s, roadmap_id, section_id)
            position = len(siblings) if at is None else max(0, min(at, len(siblings)))
            for sibling in siblings[position:]:
                sibling.position += 1
            item = RoadmapItem(
                owner=roadmap.owner,
                roadmap_id=roadmap.id,
                section_id=section_id,
                position=position,
                **item_values(values),
            )
            if not item.number:
                item.number = self._next_number(s, roadmap_id, section_id, position)
            apply_deadline(s, item, roadmap)
            record_first(s, item, values)
            return item.id

    def update_item(self, item_id: str, values: ItemFields) -> None:
        values = validated(values)
        with self._db.session() as s:
            item = self._own(s, RoadmapItem, item_id)
            text_changed = item.deadline_text != values.deadline_text
            for name, value in item_values(values).items():
                if getattr(item, name) != value:
                    setattr(item, name, value)
            if text_changed:
                apply_deadline(s, item, self._roadmap(s, item.roadmap_id))
            occurrences = item_occurrences(s, item.id)
            target = next((o for o in occurrences if o.id == values.occurrence_id), None)
            if target is None and values.occurrence_id is None and len(occurrences) == 1:
                target = occurrences[0]
            if target is not None:
                record(target, OccurrenceFields.of_item(values))

    def move_item(self, item_id: str, delta: int) -> None:
        with self._db.session() as s:
            item = self._own(s, RoadmapItem, item_id)
            _move(self._siblings(s, item.roadmap_id, item.section_id), item, delta)

    def delete_items(self, item_ids: Iterable[str]) -> int:
        with self._db.session() as s:
            items = [self._own(s, RoadmapItem, i) for i in item_ids]
            for item in items:
                _delete_item(s, item)
            return len(items)

    def restore_items(self, item_ids: Iterable[str]) -> int:
        with self._db.session() as s:
            owner = own_site_id(s)
            restored = 0
            for item_id in item_ids:
                item = s.get(RoadmapItem, item_id)
                if item is None or item.owner != owner:
                    raise NotFound("Мероприятие не найдено — возможно, оно уже удалено.")
                section = s.get(RoadmapSection, item.section_id) if item.section_id else None
                while section is not None and section.deleted:
                    section.deleted = False
                    parent = section.parent_id
                    section = s.get(RoadmapSection, parent) if parent else None
                self._restore_item(s, item)
                restored += 1
            return restored

    def _restore_item(self, s: Session, item: RoadmapItem) -> None:
        """Undelete an item and its occurrences, then regenerate them for today's period."""
        item.deleted = False
        for occ in s.exec(select(RoadmapOccurrence).where(RoadmapOccurrence.item_id == item.id)):
            occ.deleted = False
        apply_deadline(s, item, self._roadmap(s, item.roadmap_id))

    def import_items(
        self,
        blocks: Sequence[tuple[Heading, Sequence[ItemFields]]],
        *,
        replace: bool,
        on: date,
        period: tuple[date, date] | None = None,
        title: str = "",
    ) -> tuple[str, int]:
        """Put imported sections and items into the current roadmap in one transaction.

        With `replace`, the roadmap's live sections and items become tombstones first (they stay
        restorable from the «Корзина»). `period` (the one the import's preview read the file
        in) becomes the roadmap's period, the dates of items already there following it;
        `title` names a new, replaced or empty roadmap. A block's heading is a title (a top
        section, merged with one of the same title), a `SectionSpec` (nested under the block
        its `parent` indexes) or None (no section). Returns the roadmap id and the number of
        items added.
        """
        checked = [(title, [validated(v) for v in values]) for title, values in blocks]
        with self._db.session() as s:
            roadmap = ensure_roadmap(s, own_site_id(s), on)
            if replace:
                for item in live_items(s, roadmap.id):
                    _delete_item(s, item)
                for section in self._sections(s, roadmap.id):
                    section.deleted = True
                s.flush()
            kept = live_items(s, roadmap.id)
            if period and (roadmap.period_start, roadmap.period_end) != period:
                roadmap.period_start, roadmap.period_end = period
                for item in kept:  # their dates follow the new period, as in `save_roadmap`
                    apply_deadline(s, item, roadmap)
            if title and not kept:
                roadmap.title = title
            return roadmap.id, store_blocks(s, roadmap, checked)

    # figures --------------------------------------------------------------------------

    def execution(self, roadmap_id: str, as_of: date | None = None) -> Execution:
        on = as_of or date.today()
        with self._db.session(stamp=False) as s:
            end = self._roadmap(s, roadmap_id).period_end
            sections = self._sections(s, roadmap_id)
            items = item_reads(s, live_items(s, roadmap_id))
        return execution_figures(section_tree(sections), items, on, end)

    # helpers --------------------------------------------------------------------------

    @staticmethod
    def _roadmap(s: Session, roadmap_id: str) -> Roadmap:
        roadmap = s.get(Roadmap, roadmap_id)
        if roadmap is None or roadmap.deleted:
            raise NotFound("Дорожная карта не найдена.")
        return roadmap

    @staticmethod
    def _own(s: Session, table: type[Row], row_id: str) -> Row:
        row = s.get(table, row_id)
        if row is None or row.deleted:
            raise NotFound("Запись не найдена — возможно, её уже удалили. Обновите экран.")
        if row.owner != own_site_id(s):
            raise Invalid("Эта запись принадлежит другой организации; изменить её нельзя.")
        return row

    @staticmethod
    def _sections(s: Session, roadmap_id: str) -> list[RoadmapSection]:
        return list(
            s.exec(
                select(RoadmapSection)
                .where(
                    RoadmapSection.roadmap_id == roadmap_id,
                    col(RoadmapSection.deleted).is_(False),
                )
                .order_by(col(RoadmapSection.position), col(RoadmapSection.id))
            ).all()
        )

    @staticmethod
    def _siblings(s: Session, roadmap_id: str, section_id: str | None) -> list[RoadmapItem]:
        items = [i for i in live_items(s, roadmap_id) if i.section_id == section_id]
        return sorted(items, key=lambda i: (i.position, i.id))

    def _next_number(self, s: Session, roadmap_id: str, section_id: str | None, pos: int) -> str:
        if section_id is None:
            return f"{pos + 1}."
        sections = self._sections(s, roadmap_id)
        section = next((x for x in sections if x.id == section_id), None)
        if section is not None and section.number:
            return f"{section.number.rstrip('.')}.{pos + 1}."
        top = [x for x in sections if x.parent_id is None]
        index = next((n for n, x in enumerate(top) if x.id == section_id), 0)
        return f"{index + 1}.{pos + 1}."


def _delete_item(s: Session, item: RoadmapItem) -> None:
    """Tombstone an item with its occurrences (the counts read occurrences alone)."""
    item.deleted = True
    for occ in item_occurrences(s, item.id):
        occ.deleted = True


def _descendants(sections: Sequence[RoadmapSection], parent_id: str) -> list[RoadmapSection]:
    children = [x for x in sections if x.parent_id == parent_id]
    return children + [d for c in children for d in _descendants(sections, c.id)]


def _move(ordered: list[Row], row: Row, delta: int) -> None:
    index = next(n for n, x in enumerate(ordered) if x.id == row.id)
    target = max(0, min(len(ordered) - 1, index + delta))
    if target == index:
        return
    ordered.insert(target, ordered.pop(index))
    for position, x in enumerate(ordered):
        if x.position != position:
            x.position = position


__all__ = [
    "Execution",
    "ItemFields",
    "OccurrenceFields",
    "RoadmapService",
    "SectionExecution",
    "ensure_section",
]
