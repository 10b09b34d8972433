"""An item's occurrences: generated from its deadline wording, kept through every regeneration.

`planned_periods` (services.roadmap.recurrence) says which dates the wording plans inside the
roadmap's period; `regenerate` makes the item's occurrence rows match them:

* an occurrence due on a date that is still planned keeps its row (the id is derived from the
  item and the due date, `models.roadmap.occurrence_id`), with everything recorded on it;
* a one-off item whose deadline moved gets the row of its new date, and what was recorded on the
  old one moves there (the old row becomes a tombstone), so its status survives the new date;
* an occurrence no longer planned is tombstoned when nothing was recorded on it, and otherwise
  stays, flagged `outside_period` (a period change never drops recorded work).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.roadmap import (
    ItemStatus,
    Roadmap,
    RoadmapItem,
    RoadmapOccurrence,
    occurrence_id,
)
from services.roadmap.recurrence import Planned, planned_periods

RECORDED = ("status", "completion_date", "evidence", "comment")


def recorded(occ: RoadmapOccurrence) -> bool:
    """Whether anyone recorded something on the occurrence (then it is never dropped)."""
    return bool(
        occ.status is not ItemStatus.PLANNED
        or occ.completion_date
        or occ.evidence.strip()
        or occ.comment.strip()
    )


def item_occurrences(session: Session, item_id: str) -> list[RoadmapOccurrence]:
    """The live occurrences of an item, in order."""
    return list(
        session.exec(
            select(RoadmapOccurrence)
            .where(RoadmapOccurrence.item_id == item_id, col(RoadmapOccurrence.deleted).is_(False))
            .order_by(col(RoadmapOccurrence.position), col(RoadmapOccurrence.id))
        ).all()
    )


def regenerate(session: Session, item: RoadmapItem, roadmap: Roadmap) -> list[RoadmapOccurrence]:
    """Derive the item's dates and occurrences from its wording inside the roadmap's period."""
    plan = planned_periods(item.deadline_text, roadmap.period_start, roadmap.period_end)
    item.deadline_understood = plan.understood
    item.start_date, item.end_date = plan.start, plan.end
    return _match(session, item, plan.periods, item_occurrences(session, item.id))


def _match(
    session: Session,
    item: RoadmapItem,
    periods: Sequence[Planned],
    existing: list[RoadmapOccurrence],
) -> list[RoadmapOccurrence]:
    by_id = {o.id: o for o in existing}
    wanted = [occurrence_id(item.id, p.end, p.seq) for p in periods]
    moved = len(periods) == 1 and len(existing) == 1 and wanted[0] not in by_id
    kept: list[RoadmapOccurrence] = []
    for position, (row_id, period) in enumerate(zip(wanted, periods, strict=True)):
        occ = by_id.pop(row_id, None) or _revived(session, row_id)
        if occ is None:
            occ = RoadmapOccurrence(id=row_id, owner=item.owner, item_id=item.id,
                                    roadmap_id=item.roadmap_id)  # fmt: skip
            session.add(occ)
        _set(occ, position, period)
        kept.append(occ)
    if moved:  # a one-off item whose deadline moved: what it recorded moves with it
        old = by_id.pop(existing[0].id)
        for name in RECORDED:
            _set_if(kept[0], name, getattr(old, name))
        old.deleted = True
    for position, occ in enumerate(sorted(by_id.values(), key=_order), len(kept)):
        if recorded(occ):
            _set_if(occ, "outside_period", True)
            _set_if(occ, "position", position)
            kept.append(occ)
        else:
            occ.deleted = True
    return kept


def _order(occ: RoadmapOccurrence) -> tuple[str, int]:
    return (occ.end_date.isoformat() if occ.end_date else "", occ.position)


def _revived(session: Session, row_id: str) -> RoadmapOccurrence | None:
    """A tombstoned occurrence of the same date comes back (its id is taken for good)."""
    occ = session.get(RoadmapOccurrence, row_id)
    if occ is not None and occ.deleted:
        occ.deleted = False
    return occ


def _set(occ: RoadmapOccurrence, position: int, period: Planned) -> None:
    _set_if(occ, "position", position)
    _set_if(occ, "label", period.label)
    _set_if(occ, "start_date", period.start)
    _set_if(occ, "end_date", period.end)
    _set_if(occ, "outside_period", False)
    _set_if(occ, "seq", period.seq)


def _set_if(occ: RoadmapOccurrence, name: str, value: object) -> None:
    """Assign only a change, so an unchanged row gets no new version to send."""
    if getattr(occ, name) != value:
        setattr(occ, name, value)
