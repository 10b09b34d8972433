"""Editing a roadmap: roadmaps, sections, items, statuses, the «Корзина», execution figures.

The same service edits a school's roadmap and the district's municipal one: every row belongs to
this installation's own site (owner), so a district never edits a school's plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeVar

from sqlmodel import Session, col, select

from models.roadmap import ItemStatus, Roadmap, RoadmapBase, RoadmapItem, RoadmapSection
from services.core.db import Database
from services.core.errors import Invalid, NotFound
from services.roadmap.execution import Execution, SectionExecution, execution_figures
from services.roadmap.fields import ItemFields, item_values, validated
from services.roadmap.queries import (
    RoadmapItemRead,
    RoadmapRead,
    SectionRead,
    apply_deadline,
    current_roadmap,
    ensure_roadmap,
    ensure_section,
    live_items,
)
from services.site.profile import own_site_id

Row = TypeVar("Row", RoadmapItem, RoadmapSection)


class RoadmapService:
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
                    apply_deadline(item, roadmap)
            return roadmap.id

    # sections -------------------------------------------------------------------------

    def sections(self, roadmap_id: str) -> list[SectionRead]:
        with self._db.session(stamp=False) as s:
            return [SectionRead.model_validate(x) for x in self._sections(s, roadmap_id)]

    def add_section(self, roadmap_id: str, title: str) -> str:
        if not title.strip():
            raise Invalid("Укажите название раздела.")
        with self._db.session() as s:
            roadmap = self._roadmap(s, roadmap_id)
            section = RoadmapSection(
                owner=roadmap.owner,
                roadmap_id=roadmap.id,
                title=title.strip(),
                position=len(self._sections(s, roadmap_id)),
            )
            s.add(section)
            s.flush()
            return section.id

    def rename_section(self, section_id: str, title: str) -> None:
        if not title.strip():
            raise Invalid("Укажите название раздела.")
        with self._db.session() as s:
            self._own(s, RoadmapSection, section_id).title = title.strip()

    def move_section(self, section_id: str, delta: int) -> None:
        with self._db.session() as s:
            section = self._own(s, RoadmapSection, section_id)
            ordered = self._sections(s, section.roadmap_id)
            _move(ordered, section, delta)

    def delete_section(self, section_id: str) -> list[str]:
        """Tombstone a section and its items; returns the item ids (for «Отменить»)."""
        with self._db.session() as s:
            section = self._own(s, RoadmapSection, section_id)
            section.deleted = True
            items = [i for i in live_items(s, section.roadmap_id) if i.section_id == section.id]
            for item in items:
                item.deleted = True
            return [i.id for i in items]

    def restore_section(self, section_id: str, item_ids: Sequence[str] = ()) -> None:
        with self._db.session() as s:
            section = s.get(RoadmapSection, section_id)
            if section is None or section.owner != own_site_id(s):
                raise NotFound("Раздел не найден.")
            section.deleted = False
            for item_id in item_ids:
                item = s.get(RoadmapItem, item_id)
                if item is not None:
                    item.deleted = False

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
            return [RoadmapItemRead.model_validate(i) for i in rows]

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
            apply_deadline(item, roadmap)
            s.add(item)
            s.flush()
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
                apply_deadline(item, self._roadmap(s, item.roadmap_id))

    def move_item(self, item_id: str, delta: int) -> None:
        with self._db.session() as s:
            item = self._own(s, RoadmapItem, item_id)
            _move(self._siblings(s, item.roadmap_id, item.section_id), item, delta)

    def set_status(
        self, item_ids: Iterable[str], status: ItemStatus, completion: date | None = None
    ) -> int:
        """Bulk status change; «Выполнено» without a date takes today's date."""
        if status is ItemStatus.DONE and completion is None:
            completion = date.today()
        if completion is not None and completion > date.today():
            raise Invalid("Дата выполнения не может быть позже сегодняшнего дня.")
        changed = 0
        with self._db.session() as s:
            for item_id in item_ids:
                item = self._own(s, RoadmapItem, item_id)
                if item.status is not status:
                    item.status = status
                    item.completion_date = completion if status is ItemStatus.DONE else None
                    changed += 1
        return changed

    def delete_items(self, item_ids: Iterable[str]) -> int:
        with self._db.session() as s:
            items = [self._own(s, RoadmapItem, i) for i in item_ids]
            for item in items:
                item.deleted = True
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
                if section is not None and section.deleted:
                    section.deleted = False
                item.deleted = False
                restored += 1
            return restored

    def import_items(
        self,
        blocks: Sequence[tuple[str, Sequence[ItemFields]]],
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
        `title` names a new, replaced or empty roadmap. Returns the roadmap id and the number
        of items added.
        """
        checked = [(title, [validated(v) for v in values]) for title, values in blocks]
        with self._db.session() as s:
            roadmap = ensure_roadmap(s, own_site_id(s), on)
            if replace:
                for row in [*live_items(s, roadmap.id), *self._sections(s, roadmap.id)]:
                    row.deleted = True
                s.flush()
            kept = live_items(s, roadmap.id)
            if period and (roadmap.period_start, roadmap.period_end) != period:
                roadmap.period_start, roadmap.period_end = period
                for item in kept:  # their dates follow the new period, as in `save_roadmap`
                    apply_deadline(item, roadmap)
            if title and not kept:
                roadmap.title = title
            added = 0
            for heading, values in checked:
                section = ensure_section(s, roadmap, heading) if heading else None
                siblings = self._siblings(s, roadmap.id, section.id if section else None)
                for offset, value in enumerate(values):
                    item = RoadmapItem(
                        owner=roadmap.owner,
                        roadmap_id=roadmap.id,
                        section_id=section.id if section else None,
                        position=len(siblings) + offset,
                        **item_values(value),
                    )
                    if not item.number:
                        item.number = self._next_number(
                            s, roadmap.id, item.section_id, item.position
                        )
                    apply_deadline(item, roadmap)
                    s.add(item)
                    added += 1
                s.flush()
            return roadmap.id, added

    # figures --------------------------------------------------------------------------

    def execution(self, roadmap_id: str, as_of: date | None = None) -> Execution:
        on = as_of or date.today()
        with self._db.session(stamp=False) as s:
            end = self._roadmap(s, roadmap_id).period_end
            sections = [SectionRead.model_validate(x) for x in self._sections(s, roadmap_id)]
            items = [RoadmapItemRead.model_validate(i) for i in live_items(s, roadmap_id)]
        return execution_figures(sections, items, on, end)

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
        index = next((n for n, x in enumerate(sections) if x.id == section_id), 0)
        return f"{index + 1}.{pos + 1}."


def _move(ordered: list[Row], row: Row, delta: int) -> None:
    index = next(n for n, x in enumerate(ordered) if x.id == row.id)
    target = max(0, min(len(ordered) - 1, index + delta))
    if target == index:
        return
    ordered.insert(target, ordered.pop(index))
    for position, x in enumerate(ordered):
        if x.position != position:
            x.position = position


__all__ = ["Execution", "ItemFields", "RoadmapService", "SectionExecution", "ensure_section"]
