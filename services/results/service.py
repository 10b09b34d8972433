"""Results of the school (DESIGN §4): ВПР, ГИА, progression and indicator targets.

Aggregate counts only — no pupil data. Each row has a deterministic id from its natural key
(year, grade, class, subject…), so entering or importing the same row twice updates one row, and
re-importing an unchanged file changes nothing. Every save is checked by `results_rules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from models.base import Role
from models.results import AssessmentResult, GiaResult, IndicatorTarget, Progression, VprResult
from models.site import Site
from services.core.db import Database
from services.core.errors import Conflict, Invalid, NotFound
from services.indicators.catalogue import catalogue
from services.indicators.compute import IndicatorValue, compute_indicators
from services.indicators.thresholds import load_thresholds
from services.overview import OverviewData, overview
from services.results.demo import (
    DEMO_TARGETS,
    assessment_entries,
    demo_years,
    gia_entries,
    progression_entries,
    vpr_entries,
)
from services.results.percentages import VprShares, vpr_from_shares
from services.results.rules import (
    AssessmentEntry,
    GiaEntry,
    Problems,
    ProgressionEntry,
    ResultsReport,
    TargetEntry,
    VprEntry,
    problems_text,
)
from services.results.store import (
    ASSESSMENT,
    CHECKS,
    GIA,
    PROGRESSION,
    TARGETS,
    VPR,
    BatchCounts,
    E,
    Kind,
    ResultsBatch,
    apply_kind,
    entry_of,
    target_check,
    tombstone_others,
    upsert,
)
from services.site.profile import own_site_id


class ResultsService:
    """Use cases of the «Результаты» screen, the results import and the printouts."""

    def __init__(self, db: Database, catalogues_dir: Path) -> None:
        self._db = db
        self._catalogues_dir = catalogues_dir  # the shipped indicator and risk catalogues

    # -- reading -----------------------------------------------------------------------------

    def years(self) -> list[int]:
        """Years that have any results or targets, newest first."""
        with self._db.session() as s:
            owner = own_site_id(s)
            found: set[int] = set()
            for table in (VprResult, GiaResult, Progression, AssessmentResult, IndicatorTarget):
                stmt = select(table.year).where(table.owner == owner)
                stmt = stmt.where(col(table.deleted).is_(False)).distinct()
                found.update(int(y) for y in s.exec(stmt))
        return sorted(found, reverse=True)

    def vpr(self, year: int) -> list[VprEntry]:
        return self._list(VPR, year)

    def gia(self, year: int) -> list[GiaEntry]:
        return self._list(GIA, year)

    def progression(self, year: int) -> list[ProgressionEntry]:
        return self._list(PROGRESSION, year)

    def targets(self, year: int) -> list[TargetEntry]:
        return self._list(TARGETS, year)

    def assessment(self, year: int) -> list[AssessmentEntry]:
        return self._list(ASSESSMENT, year)

    def indicators(
        self, year: int, owner: str | None = None, as_of: date | None = None
    ) -> list[IndicatorValue]:
        """The indicators of this school (or of `owner`) for `year`, flagged by thresholds."""
        with self._db.session() as s:
            thresholds = load_thresholds(s, year)
            owner = owner or own_site_id(s)
            return compute_indicators(
                s, owner, year, thresholds, catalogues_dir=self._catalogues_dir, as_of=as_of
            )

    def history(self, year: int, span: int = 4) -> dict[str, list[tuple[int, float | None]]]:
        """Each indicator's value over the `span` years up to `year` (for dynamics charts)."""
        result: dict[str, list[tuple[int, float | None]]] = {}
        with self._db.session() as s:
            owner = own_site_id(s)
            thresholds = load_thresholds(s, year)
            for y in range(year - span + 1, year + 1):
                for v in compute_indicators(
                    s, owner, y, thresholds, catalogues_dir=self._catalogues_dir
                ):
                    result.setdefault(v.key, []).append((y, v.ratio.value))
        return result

    def report(self, year: int | None = None) -> ResultsReport:
        """The data of the results printout and export for `year` (default: the latest)."""
        if year is None:
            years = self.years()
            year = years[0] if years else date.today().year
        with self._db.session() as s:
            site = s.get(Site, own_site_id(s))
            school = site.full_name if site else ""
            director = (site.director_name, site.director_position) if site else ("", "")
        return ResultsReport(
            school=school,
            director_name=director[0],
            director_position=director[1],
            year=year,
            vpr=tuple(self.vpr(year)),
            gia=tuple(self.gia(year)),
            progression=tuple(self.progression(year)),
            indicators=tuple(self.indicators(year)),
            history=self.history(year),
            assessment=tuple(e for e in self.assessment(year) if e.period == "year"),
        )

    def overview(self, as_of: date | None = None) -> OverviewData:
        """The «Обзор» of this school: the latest results year, roadmap, risks, teachers."""
        as_of = as_of or date.today()
        years = self.years()
        with self._db.session() as s:
            return overview(s, years[0] if years else as_of.year, as_of, self._catalogues_dir)

    def _list(self, kind: Kind[E], year: int) -> list[E]:
        with self._db.session() as s:
            owner = own_site_id(s)
            rows = s.exec(
                select(kind.table)
                .where(kind.table.owner == owner)
                .where(kind.table.year == year)
                .where(col(kind.table.deleted).is_(False))
            ).all()
            entries = [entry_of(kind, r) for r in rows]
        return sorted(entries, key=kind.sort)

    # -- editing ----------------------------------------------------------------------------

    def save_vpr(self, entry: VprEntry) -> VprEntry:
        return self._save(VPR, entry)

    def save_gia(self, entry: GiaEntry) -> GiaEntry:
        return self._save(GIA, entry)

    def save_progression(self, entry: ProgressionEntry) -> ProgressionEntry:
        return self._save(PROGRESSION, entry)

    def save_target(self, entry: TargetEntry) -> TargetEntry:
        return self._save(TARGETS, entry)

    def save_assessment(self, entry: AssessmentEntry) -> AssessmentEntry:
        return self._save(ASSESSMENT, entry)

    def delete_assessment(self, row_id: str) -> None:
        self._delete(ASSESSMENT, row_id)

    @staticmethod
    def vpr_from_shares(shares: VprShares) -> VprEntry:
        """The counts a row of percentages stands for (to show before `save_vpr`); `Invalid`."""
        return vpr_from_shares(shares)

    def delete_vpr(self, row_id: str) -> None:
        self._delete(VPR, row_id)

    def delete_gia(self, row_id: str) -> None:
        self._delete(GIA, row_id)

    def delete_progression(self, row_id: str) -> None:
        self._delete(PROGRESSION, row_id)

    def delete_target(self, row_id: str) -> None:
        self._delete(TARGETS, row_id)

    def _save(self, kind: Kind[E], entry: E) -> E:
        """Insert or update one entry; an edit that changes its key moves the row."""
        problems = self._check(kind, entry)
        if problems:
            raise Invalid(problems_text(problems))
        with self._db.session() as s:
            owner = own_site_id(s)
            new_id = kind.key(owner, entry)
            existing = s.get(kind.table, new_id)
            if existing is not None and not existing.deleted and entry.id != new_id:
                raise Conflict(
                    f"{kind.title}: такая строка за {entry.year} год уже есть. "
                    "Исправьте существующую строку вместо добавления новой."
                )
            if entry.id and entry.id != new_id:
                self._tombstone(s, kind, entry.id, owner)
            row = upsert(s, kind, owner, new_id, entry)
            return entry_of(kind, row)

    def _check(self, kind: Kind[E], entry: E) -> Problems:
        if isinstance(entry, TargetEntry):  # against the catalogue in force (district's too)
            with self._db.session(stamp=False) as s:
                defs = catalogue(s, self._catalogues_dir)
            return target_check(entry, defs)
        return CHECKS[kind.entry](entry)

    def _delete(self, kind: Kind[E], row_id: str) -> None:
        with self._db.session() as s:
            self._tombstone(s, kind, row_id, own_site_id(s))

    @staticmethod
    def _tombstone(s: Session, kind: Kind[E], row_id: str, owner: str) -> None:
        row = s.get(kind.table, row_id)
        if row is None or row.deleted or row.owner != owner:
            raise NotFound(f"{kind.title}: строка не найдена — возможно, она уже удалена.")
        row.deleted = True

    # -- demo -------------------------------------------------------------------------------

    def fill_demo(self, role: Role) -> str:
        """Three consistent years of results and the latest year's targets (school only)."""
        if role is not Role.SCHOOL:
            return "Результаты: у управления образования собственных результатов нет."
        years = demo_years(date.today())
        batch = ResultsBatch(vpr_entries(years), gia_entries(years), progression_entries(years))
        counts = self.apply_batch(batch)
        for entry in assessment_entries(years[-1]):
            self.save_assessment(entry)
        first = {v.key: v.ratio.value for v in self.indicators(years[0])}
        for key, target in DEMO_TARGETS.items():
            base = first.get(key)
            baseline = None if base is None else round(base, 1)
            self.save_target(TargetEntry(years[-1], key, baseline, target))
        return (
            f"Результаты: ВПР, ОГЭ и ЕГЭ, переводы и выпуск за {years[0]}–{years[-1]} годы "
            f"({counts.new} строк) и целевые значения показателей."
        )

    # -- import ------------------------------------------------------------------------------

    def apply_batch(self, batch: ResultsBatch, *, replace: bool = False) -> BatchCounts:
        """Write the entries of an imported workbook in one transaction.

        Unchanged rows are not touched. With `replace`, rows of the same kind and year that
        the workbook does not contain are deleted (tombstoned).
        """
        groups: list[tuple[Kind[Any], Sequence[Any]]] = [
            (VPR, batch.vpr),
            (GIA, batch.gia),
            (PROGRESSION, batch.progression),
            (ASSESSMENT, batch.assessment),
        ]
        for kind, entries in groups:
            for entry in entries:
                problems = self._check(kind, entry)
                if problems:
                    raise Invalid(problems_text(problems))
        counts = BatchCounts()
        with self._db.session() as s:
            owner = own_site_id(s)
            for kind, entries in groups:
                ids = apply_kind(s, kind, owner, entries, counts)
                if replace and entries:
                    years = {e.year for e in entries}
                    # A workbook holds the year's assessment only: the terms' rows stay.
                    only = _year_period if kind is ASSESSMENT else _any_row
                    counts.deleted += tombstone_others(s, kind, owner, years, ids, only)
        return counts


def _year_period(row: Any) -> bool:
    return bool(row.period == "year")


def _any_row(_row: Any) -> bool:
    return True


__all__ = [
    "GIA",
    "PROGRESSION",
    "TARGETS",
    "VPR",
    "BatchCounts",
    "GiaEntry",
    "ProgressionEntry",
    "ResultsBatch",
    "ResultsService",
    "TargetEntry",
    "VprEntry",
]
