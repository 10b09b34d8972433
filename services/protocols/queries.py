"""Reading protocols inside a caller's session: the list, one protocol whole, the checks."""

from __future__ import annotations

from collections import Counter

from sqlmodel import Session, col, select

from models import Site
from models.protocol import Protocol, ProtocolAgendaItem, ProtocolDecision
from models.roadmap import RoadmapItem
from services.core.errors import Invalid, NotFound
from services.protocols.dto import (
    AgendaItemRead,
    DecisionRead,
    ProtocolDocument,
    ProtocolRead,
    ProtocolRow,
)


def organisation_names(s: Session) -> dict[str, str]:
    """Short (else full) names of the known sites, by id."""
    return {site.id: site.short_name or site.full_name for site in s.exec(select(Site)).all()}


def protocol_rows(s: Session, me: str) -> list[ProtocolRow]:
    """Every live protocol here: this site's own and those received from others."""
    protocols = s.exec(select(Protocol).where(col(Protocol.deleted).is_(False))).all()
    decisions = s.exec(
        select(ProtocolDecision).where(col(ProtocolDecision.deleted).is_(False))
    ).all()
    live = live_items_of(s, [d.roadmap_item_id for d in decisions if d.roadmap_item_id])
    total, linked, unclear = Counter[str](), Counter[str](), Counter[str]()
    for d in decisions:
        total[d.protocol_id] += 1
        linked[d.protocol_id] += d.roadmap_item_id in live
        unclear[d.protocol_id] += not d.deadline_understood
    names = organisation_names(s)
    rows = [
        ProtocolRow(
            id=p.id,
            meeting_date=p.meeting_date,
            number=p.number,
            kind=p.kind,
            title=p.title,
            organisation=names.get(p.owner, "—"),
            own=p.owner == me,
            decisions=total[p.id],
            in_roadmap=linked[p.id],
            unclear=unclear[p.id],
        )
        for p in protocols
    ]
    return sorted(rows, key=lambda r: (r.meeting_date, r.number, r.id), reverse=True)


def live_items_of(s: Session, item_ids: list[str]) -> set[str]:
    """Which of the roadmap items are live (a decision's item may have been deleted since)."""
    if not item_ids:
        return set()
    rows = s.exec(
        select(RoadmapItem.id).where(
            col(RoadmapItem.id).in_(item_ids), col(RoadmapItem.deleted).is_(False)
        )
    ).all()
    return set(rows)


def live_protocol(s: Session, protocol_id: str) -> Protocol:
    protocol = s.get(Protocol, protocol_id)
    if protocol is None or protocol.deleted:
        raise NotFound("Протокол не найден — возможно, его удалили. Обновите список.")
    return protocol


def own_protocol(s: Session, protocol_id: str, me: str) -> Protocol:
    protocol = live_protocol(s, protocol_id)
    if protocol.owner != me:
        raise Invalid("Это протокол другой организации: его можно посмотреть и напечатать, "
                      "но изменить нельзя.")  # fmt: skip
    return protocol


def children(
    s: Session, protocol_id: str
) -> tuple[list[ProtocolAgendaItem], list[ProtocolDecision]]:
    """Live agenda items and decisions of a protocol, each in its order."""
    agenda = s.exec(
        select(ProtocolAgendaItem)
        .where(
            ProtocolAgendaItem.protocol_id == protocol_id,
            col(ProtocolAgendaItem.deleted).is_(False),
        )
        .order_by(col(ProtocolAgendaItem.position), col(ProtocolAgendaItem.id))
    ).all()
    decisions = s.exec(
        select(ProtocolDecision)
        .where(
            ProtocolDecision.protocol_id == protocol_id,
            col(ProtocolDecision.deleted).is_(False),
        )
        .order_by(col(ProtocolDecision.position), col(ProtocolDecision.id))
    ).all()
    return list(agenda), list(decisions)


def protocol_document(s: Session, protocol_id: str, me: str) -> ProtocolDocument:
    protocol = live_protocol(s, protocol_id)
    agenda, decisions = children(s, protocol_id)
    live = live_items_of(s, [d.roadmap_item_id for d in decisions if d.roadmap_item_id])
    reads = [DecisionRead.model_validate(d) for d in decisions]
    for d in reads:  # shown as not in the roadmap once its item was deleted there
        if d.roadmap_item_id not in live:
            d.roadmap_item_id = None
    return ProtocolDocument(
        protocol=ProtocolRead.model_validate(protocol),
        organisation=_full_name(s, protocol.owner),
        own=protocol.owner == me,
        agenda=tuple(AgendaItemRead.model_validate(a) for a in agenda),
        decisions=tuple(reads),
    )


def _full_name(s: Session, site_id: str) -> str:
    site = s.get(Site, site_id)
    return site.full_name if site is not None else ""


def find_protocol(rows: list[ProtocolRow], key: str) -> str:
    """A protocol id from its id, the start of it (8 characters or more) or its number."""
    key = key.strip()
    if any(r.id == key for r in rows):
        return key
    found = [r for r in rows if len(key) >= 8 and r.id.startswith(key)]
    found = found or [r for r in rows if r.number and r.number.strip() == key.lstrip("№ ")]
    if len(found) == 1:
        return found[0].id
    if not found:
        raise NotFound(f"Протокол «{key}» не найден. Список протоколов: report protocol "
                       "--out ФАЙЛ.pdf без --id.")  # fmt: skip
    raise Invalid(f"Под «{key}» подходят несколько протоколов — укажите id.")
