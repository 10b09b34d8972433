"""How results entries map to their tables: kinds, checks, upserts and import batches.

Rows have deterministic ids from their natural keys; only fields that differ are written, so
saving or importing unchanged data changes nothing (no new `hlc`, no change counted).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlmodel import Session, col, select

from models.base import stable_id
from models.results import AssessmentResult, GiaResult, IndicatorTarget, Progression, VprResult
from services.core.errors import Invalid
from services.indicators.catalogue import IndicatorDef
from services.results.rules import (
    ASSESSMENT_PERIODS,
    AssessmentEntry,
    GiaEntry,
    Problems,
    ProgressionEntry,
    TargetEntry,
    VprEntry,
    check_assessment,
    check_gia,
    check_progression,
    check_target,
    check_vpr,
)

E = TypeVar("E", VprEntry, GiaEntry, ProgressionEntry, TargetEntry, AssessmentEntry)
PERIOD_ORDER = {p: i for i, p in enumerate(ASSESSMENT_PERIODS)}
LEVEL_ORDER = {"all": 0, "1-4": 1, "5-9": 2, "10-11": 3}


@dataclass(frozen=True)
class Kind(Generic[E]):
    """How one entry type maps to its table."""

    title: str
    table: type[Any]
    entry: type[E]
    key: Callable[[str, E], str]
    sort: Callable[[E], Any]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(self.entry) if f.name != "id")


def target_check(e: TargetEntry, catalogue: Iterable[IndicatorDef]) -> Problems:
    """The problems of a target for an indicator of `catalogue` (its unit bounds the value)."""
    defs = {d.code: d for d in catalogue}
    known = defs.get(e.indicator_code.split("|", 1)[0])
    return check_target(e, set(defs), known.unit if known else "%")


VPR: Kind[VprEntry] = Kind(
    "ВПР",
    VprResult,
    VprEntry,
    lambda o, e: stable_id("vpr", o, e.year, e.grade, e.class_label, e.subject),
    lambda e: (e.grade, e.class_label, e.subject),
)
GIA: Kind[GiaEntry] = Kind(
    "ГИА",
    GiaResult,
    GiaEntry,
    lambda o, e: stable_id("gia", o, e.year, e.exam, e.subject),
    lambda e: (e.exam, e.subject),
)
PROGRESSION: Kind[ProgressionEntry] = Kind(
    "Переводы и выпуск",
    Progression,
    ProgressionEntry,
    lambda o, e: stable_id("progression", o, e.year, e.level),
    lambda e: LEVEL_ORDER.get(e.level, 9),
)
TARGETS: Kind[TargetEntry] = Kind(
    "Целевые значения",
    IndicatorTarget,
    TargetEntry,
    lambda o, e: stable_id("target", o, e.indicator_code, e.year),
    lambda e: e.indicator_code,
)
ASSESSMENT: Kind[AssessmentEntry] = Kind(
    "Успеваемость и качество знаний",
    AssessmentResult,
    AssessmentEntry,
    lambda o, e: stable_id("assessment", o, e.year, e.period, e.grade, e.class_label, e.subject),
    lambda e: (PERIOD_ORDER.get(e.period, 9), e.grade, e.class_label, e.subject),
)
CHECKS: dict[type[Any], Callable[[Any], Problems]] = {
    VprEntry: check_vpr,
    GiaEntry: check_gia,
    ProgressionEntry: check_progression,
    AssessmentEntry: check_assessment,
}  # a target is checked against the catalogue: `target_check`


@dataclass(slots=True)
class ResultsBatch:
    """Entries read from a workbook, applied together (see `ResultsService.apply_batch`)."""

    vpr: list[VprEntry] = field(default_factory=list)
    gia: list[GiaEntry] = field(default_factory=list)
    progression: list[ProgressionEntry] = field(default_factory=list)
    assessment: list[AssessmentEntry] = field(default_factory=list)  # the year's (period "year")

    def is_empty(self) -> bool:
        return not (self.vpr or self.gia or self.progression or self.assessment)


@dataclass(slots=True)
class BatchCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def text(self) -> str:
        return (
            f"добавлено строк: {self.new}, изменено: {self.updated}, "
            f"без изменений: {self.unchanged}, удалено: {self.deleted}"
        )


def entry_of(kind: Kind[E], row: Any) -> E:
    return kind.entry(**{name: getattr(row, name) for name in kind.fields}, id=row.id)


def upsert(s: Session, kind: Kind[E], owner: str, row_id: str, entry: E) -> Any:
    return _write(s, kind, owner, row_id, entry, s.get(kind.table, row_id))


def _write(s: Session, kind: Kind[E], owner: str, row_id: str, entry: E, row: Any | None) -> Any:
    """Create the row (when `row` is None) or change only the fields that differ."""
    values = {name: getattr(entry, name) for name in kind.fields}
    if row is None:
        row = kind.table(id=row_id, owner=owner, **values)
        s.add(row)
    else:
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
        if row.deleted:
            row.deleted = False
    return row


def apply_kind(
    s: Session, kind: Kind[Any], owner: str, entries: Iterable[Any], counts: BatchCounts
) -> set[str]:
    entries = list(entries)
    ids: set[str] = set()
    years = {e.year for e in entries}
    stored = {
        r.id: r
        for r in s.exec(
            select(kind.table)
            .where(kind.table.owner == owner)
            .where(col(kind.table.year).in_(years))
        )
    }  # one query instead of a lookup (and an autoflush) per row
    for entry in entries:
        row_id = kind.key(owner, entry)
        if row_id in ids:
            raise Invalid(f"{kind.title}: строка за {entry.year} год повторяется в файле.")
        ids.add(row_id)
        row = stored.get(row_id)
        if row is None or row.deleted:
            counts.new += 1
        elif any(getattr(row, n) != getattr(entry, n) for n in kind.fields):
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        _write(s, kind, owner, row_id, entry, row)
    return ids


def tombstone_others(
    s: Session,
    kind: Kind[Any],
    owner: str,
    years: set[int],
    keep: set[str],
    only: Callable[[Any], bool] = lambda _row: True,
) -> int:
    """Delete the `years`' rows of `kind` not in `keep` (of those `only` accepts)."""
    rows = s.exec(
        select(kind.table)
        .where(kind.table.owner == owner)
        .where(col(kind.table.year).in_(years))
        .where(col(kind.table.deleted).is_(False))
    ).all()
    gone = [r for r in rows if r.id not in keep and only(r)]
    for r in gone:
        r.deleted = True
    return len(gone)
