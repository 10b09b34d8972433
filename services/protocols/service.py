"""«Протоколы»: entering, listing, deleting protocols and turning decisions into roadmap items.

A school and the district use the same service on their own protocols; protocols received from
others (the district's in its bulletin, a school's in its package) are listed and printed, never
edited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from models import new_id
from models.protocol import Protocol, ProtocolAgendaItem, ProtocolDecision
from models.roadmap import RoadmapItem, RoadmapSection
from services.core.db import Database
from services.core.errors import Invalid, NotFound
from services.core.formatting import date_short
from services.protocols.deadline import find_wording, read_deadline, without_deadline
from services.protocols.dto import (
    DECISIONS_SECTION,
    AgendaFields,
    DecisionFields,
    ProtocolDocument,
    ProtocolFields,
    ProtocolRow,
    RoadmapLink,
    SaveResult,
)
from services.protocols.fields import checked
from services.protocols.queries import (
    children,
    find_protocol,
    own_protocol,
    protocol_document,
    protocol_rows,
)
from services.roadmap.deadlines import parse_deadline
from services.roadmap.queries import ItemDraft, append_items, current_roadmap
from services.site.profile import own_site_id

_HEADING = ("meeting_date", "number", "kind", "title", "place", "chair", "secretary",
            "attendees", "decisions_intro")  # fmt: skip


class ProtocolService:
    """Use cases of the «Протоколы» screen and of `report protocol`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def protocols(self) -> list[ProtocolRow]:
        """Own and received protocols, the newest first."""
        with self._db.session(stamp=False) as s:
            return protocol_rows(s, own_site_id(s))

    def document(self, protocol_id: str) -> ProtocolDocument:
        with self._db.session(stamp=False) as s:
            return protocol_document(s, protocol_id, own_site_id(s))

    def find(self, key: str) -> str:
        """A protocol id from an id, its first 8+ characters or the protocol's number."""
        return find_protocol(self.protocols(), key)

    def save(self, values: ProtocolFields, protocol_id: str | None = None) -> SaveResult:
        """Create (no id) or update a protocol with its agenda and decisions, in one step.

        Rows keep their ids (a decision keeps its roadmap link); rows left out become tombstones.
        The result lists the decisions whose deadline wording was not understood: they are stored
        as written, with no due date.
        """
        values = checked(values)
        with self._db.session() as s:
            me = own_site_id(s)
            if protocol_id is None:
                protocol = Protocol(owner=me, meeting_date=values.meeting_date)
                for name, value in _heading(values).items():
                    setattr(protocol, name, value)
                s.add(protocol)
                s.flush()
            else:
                protocol = own_protocol(s, protocol_id, me)
                for name, value in _heading(values).items():
                    if getattr(protocol, name) != value:
                        setattr(protocol, name, value)
            old_agenda, old_decisions = children(s, protocol.id)
            agenda = _sync_agenda(s, protocol, values.agenda, old_agenda)
            warnings = _sync_decisions(s, protocol, values.decisions, old_decisions, agenda)
            return SaveResult(protocol.id, tuple(warnings))

    def delete(self, protocol_id: str) -> list[str]:
        """Tombstone the protocol, its agenda and decisions; the rows' ids (for «Отменить»)."""
        with self._db.session() as s:
            protocol = own_protocol(s, protocol_id, own_site_id(s))
            agenda, decisions = children(s, protocol_id)
            rows: list[Protocol | ProtocolAgendaItem | ProtocolDecision] = [
                protocol,
                *agenda,
                *decisions,
            ]
            for row in rows:
                row.deleted = True
                s.add(row)
            return [row.id for row in rows]

    def restore(self, row_ids: Sequence[str]) -> None:
        """Bring back what `delete` tombstoned (its returned ids)."""
        with self._db.session() as s:
            me = own_site_id(s)
            for table in (Protocol, ProtocolAgendaItem, ProtocolDecision):
                for row_id in row_ids:
                    row = s.get(table, row_id)
                    if row is not None and row.owner == me and row.deleted:
                        row.deleted = False
                        s.add(row)

    def roadmap_sections(self) -> list[str]:
        """Section titles of the current roadmap, «Решения протоколов» first."""
        with self._db.session(stamp=False) as s:
            roadmap = current_roadmap(s, own_site_id(s), date.today())
            titles = section_titles(s, roadmap.id) if roadmap is not None else []
            return [DECISIONS_SECTION, *(t for t in titles if t != DECISIONS_SECTION)]

    def add_to_roadmap(
        self, decision_id: str, section: str = DECISIONS_SECTION, on: date | None = None
    ) -> RoadmapLink:
        """Make the decision an item of the current roadmap (in `section`) and link them."""
        if not section.strip():
            raise Invalid("Укажите раздел дорожной карты.")
        with self._db.session() as s:
            me = own_site_id(s)
            decision = s.get(ProtocolDecision, decision_id)
            if decision is None or decision.deleted:
                raise NotFound("Решение не найдено — возможно, протокол изменили. Обновите.")
            own_protocol(s, decision.protocol_id, me)
            if _linked_item(s, decision) is not None:
                raise Invalid("Это решение уже добавлено в дорожную карту.")
            wording = _roadmap_wording(decision)
            title = without_deadline(decision.text, decision.deadline_text)
            item_id = roadmap_item_from_decision(
                s, me, section.strip(), title, wording, decision.responsible, on or date.today()
            )
            decision.roadmap_item_id = item_id
            s.add(decision)
            return RoadmapLink(decision.id, item_id, section.strip(), wording)


def roadmap_item_from_decision(
    s: Session, owner: str, section: str, title: str, deadline_text: str, responsible: str, on: date
) -> str:
    """The one call into the roadmap area: add an item to the current roadmap; its id."""
    draft = ItemDraft(
        id=new_id(), title=title, deadline_text=deadline_text, responsible=responsible
    )
    append_items(s, owner, section, [draft], on)
    s.flush()  # the item exists before the decision's reference to it is written
    return draft.id


def _roadmap_wording(decision: ProtocolDecision) -> str:
    """The decision's wording; with its date added when the roadmap's reader cannot read it."""
    wording = decision.deadline_text
    if decision.due_date is None or not wording:
        return wording
    probe = parse_deadline(wording, date(2020, 9, 1), date(2021, 8, 31))
    if probe.understood:
        return wording
    return f"{wording} (до {date_short(decision.due_date)})"


def _linked_item(s: Session, decision: ProtocolDecision) -> RoadmapItem | None:
    if decision.roadmap_item_id is None:
        return None
    item = s.get(RoadmapItem, decision.roadmap_item_id)
    return item if item is not None and not item.deleted else None


def _heading(values: ProtocolFields) -> dict[str, object]:
    return {name: getattr(values, name) for name in _HEADING}


def _sync_agenda(
    s: Session,
    protocol: Protocol,
    items: Sequence[AgendaFields],
    old: list[ProtocolAgendaItem],
) -> list[ProtocolAgendaItem]:
    """Write the agenda in order, reusing rows by id; the rows, in order."""
    by_id = {row.id: row for row in old}
    result: list[ProtocolAgendaItem] = []
    for position, item in enumerate(items):
        row = by_id.pop(item.id, None) if item.id else None
        if row is None:
            row = ProtocolAgendaItem(owner=protocol.owner, protocol_id=protocol.id, title="")
        for name, value in (("position", position), ("title", item.title),
                            ("speaker", item.speaker), ("heard", item.heard),
                            ("spoke", item.spoke)):  # fmt: skip
            if getattr(row, name) != value:
                setattr(row, name, value)
        s.add(row)
        result.append(row)
    for gone in by_id.values():
        gone.deleted = True
        s.add(gone)
    s.flush()
    return result


def _sync_decisions(
    s: Session,
    protocol: Protocol,
    items: Sequence[DecisionFields],
    old: list[ProtocolDecision],
    agenda: list[ProtocolAgendaItem],
) -> list[str]:
    by_id = {row.id: row for row in old}
    warnings: list[str] = []
    for position, item in enumerate(items):
        row = by_id.pop(item.id, None) if item.id else None
        if row is None:
            row = ProtocolDecision(owner=protocol.owner, protocol_id=protocol.id, text="")
        wording = item.deadline_text or find_wording(item.text)
        deadline = read_deadline(wording, protocol.meeting_date)
        agenda_id = agenda[item.agenda_number - 1].id if item.agenda_number else None
        values = {
            "position": position,
            "text": item.text,
            "responsible": item.responsible,
            "deadline_text": deadline.wording,
            "due_date": deadline.due,
            "deadline_understood": deadline.understood,
            "agenda_item_id": agenda_id,
        }
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
        s.add(row)
        if not deadline.understood:
            warnings.append(
                f"Решение № {position + 1}: срок «{deadline.wording}» не распознан — сохранён "
                "как написан, без даты; исправьте его, если нужно."
            )
        elif deadline.due is not None and deadline.due < protocol.meeting_date:
            warnings.append(f"Решение № {position + 1}: срок {date_short(deadline.due)} раньше "
                            "даты протокола — проверьте год.")  # fmt: skip
    for gone in by_id.values():
        gone.deleted = True
        s.add(gone)
    return warnings


def section_titles(s: Session, roadmap_id: str) -> list[str]:
    rows = s.exec(
        select(RoadmapSection)
        .where(RoadmapSection.roadmap_id == roadmap_id, col(RoadmapSection.deleted).is_(False))
        .order_by(col(RoadmapSection.position))
    ).all()
    return [r.title for r in rows]


__all__ = ["ProtocolService", "roadmap_item_from_decision"]
