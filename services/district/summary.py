"""The district's consolidated dashboard («Сводка»): one line per school.

Every figure comes from the areas that own it — roadmap execution from
`services.roadmap.queries`, risk levels from `services.audit.levels.risk_profiles`, indicators
from `services.indicators.compute.compute_indicators` with the district's thresholds (the same
call the school's own «Обзор» makes), teacher coverage from `services.staff.queries`. All
schools are read at once: `load_inputs` and `risk_profiles` run a few
GROUP BY queries for every school (the very loaders a single school's call runs with one owner),
then `compute_indicators` computes each school from its part. Nothing is recomputed here; the
district value of an indicator is the pooled ratio (Σ numerators ÷ Σ denominators) of the
schools' own ratios.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from models import PeerStatus, Role
from models.audit import RiskLevel
from services.audit.levels import RiskProfile, risk_profiles
from services.core.db import Database
from services.core.ratio import Ratio
from services.core.sql_select import rows
from services.indicators.catalogue import district_definitions
from services.indicators.compute import (
    KEY_INDICATORS,
    SUBJECT_SEPARATOR,
    IndicatorInputs,
    IndicatorValue,
    compute_indicators,
    load_inputs,
)
from services.indicators.thresholds import ThresholdRead, applicable_threshold, load_thresholds

LEVEL_ORDER = (RiskLevel.NONE, RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH)
LEVEL_TEXT = {
    RiskLevel.NONE: "нет",
    RiskLevel.LOW: "низкий",
    RiskLevel.MEDIUM: "средний",
    RiskLevel.HIGH: "высокий",
}

LEVEL_LETTER = {RiskLevel.NONE: "—", RiskLevel.LOW: "Н", RiskLevel.MEDIUM: "С", RiskLevel.HIGH: "В"}
# Short column titles of the key indicators (tables of the screen, the PDF and the workbook).
SHORT_NAMES = {
    "ROADMAP_EXEC": "Исполнение ДК",
    "CERT_9_11": "Аттестаты 9, 11",
    "REPEATERS": "Оставлены на 2-й год",
    "VPR_FAIL": "ВПР «2»",
    "VPR_QUALITY": "ВПР качество",
    "VPR_OBJECTIVITY": "ВПР объективн.",
    "GIA_BELOW_MIN": "ГИА ниже мин.",
    "TEACHER_PK": "ПК за 3 года",
    "TEACHER_ACTIVE": "Активные формы",
}
PERSISTENT_TEXT = "устойчиво низкие результаты"


def pct(ratio: Ratio | None) -> str:
    """«12,5» (percent without the sign, for tables whose header says %) or «—»."""
    value = None if ratio is None else ratio.value
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


@dataclass(frozen=True, slots=True)
class SchoolFlags:
    """The district's status of a school (SchoolStatus), or all False when none is set."""

    low_results: bool = False
    adverse_context: bool = False
    plus500: bool = False
    curator: str = ""

    def labels(self) -> list[str]:
        names = [(self.low_results, "ШНОР"), (self.adverse_context, "ШНСУ"), (self.plus500, "500+")]
        return [text for on, text in names if on]


NO_FLAGS = SchoolFlags()


@dataclass(frozen=True, slots=True)
class SchoolSummary:
    site_id: str
    name: str
    code: str
    execution: Ratio
    overdue: int
    risk_year: int | None
    risks: dict[str, RiskLevel] | None  # None: the school has no audit
    indicators: tuple[IndicatorValue, ...]  # key indicators (whole-school values), in order
    pk_3y: Ratio
    flagged: tuple[str, ...]  # indicator keys flagged this year (incl. per-subject)
    persistent: tuple[str, ...]  # flagged this year and the previous one
    flags: SchoolFlags
    revoked: bool

    @property
    def persistently_low(self) -> bool:
        return bool(self.persistent)

    def indicator(self, code: str) -> IndicatorValue | None:
        return next((v for v in self.indicators if v.code == code), None)

    def risk(self, factor: str) -> RiskLevel | None:
        return None if self.risks is None else self.risks.get(factor)


@dataclass(frozen=True, slots=True)
class DistrictSummary:
    year: int
    as_of: date
    schools: tuple[SchoolSummary, ...]
    factors: tuple[tuple[str, str], ...]  # (code, title) of every factor seen, in code order
    indicator_names: tuple[tuple[str, str, str], ...]  # (code, name, better) of key indicators
    thresholds: tuple[ThresholdRead, ...] = field(default=())

    def district_value(self, code: str, previous: bool = False) -> Ratio:
        """The pooled ratio of an indicator over all schools (Σ num ÷ Σ den)."""
        num = den = 0.0
        for school in self.schools:
            v = school.indicator(code)
            ratio = None if v is None else (v.previous if previous else v.ratio)
            if ratio is not None and ratio.denominator > 0:
                num += ratio.numerator
                den += ratio.denominator
        return Ratio(num, den)

    def threshold_of(self, code: str) -> ThresholdRead | None:
        return applicable_threshold(self.thresholds, code, self.year)

    @property
    def persistently_low(self) -> list[SchoolSummary]:
        return [s for s in self.schools if s.persistently_low]

    def risk_counts(self, factor: str) -> dict[RiskLevel, int]:
        counts = dict.fromkeys(LEVEL_ORDER, 0)
        for s in self.schools:
            level = s.risk(factor)
            if level is not None:
                counts[level] += 1
        return counts


class DashboardService:
    """Read-only consolidated figures of every school known at the district."""

    def __init__(self, db: Database, catalogues_dir: Path) -> None:
        self._db = db
        self._catalogues_dir = catalogues_dir  # the shipped indicator and risk catalogues
        self._memo = FiguresMemo()

    def summary(self, year: int, as_of: date) -> DistrictSummary:
        """One `SchoolSummary` per live school site, sorted by name, for results `year`.

        A school's figures are reused while no new package of it has been applied.
        """
        with self._db.session(stamp=False) as s, collector_paused():
            return build_summary(s, year, as_of, self._catalogues_dir, self._memo)

    def forget(self, owners: Collection[str] = ()) -> None:
        """Drop the cached figures of `owners` (none: of every school).

        Another staff member changed them on the server (`services.core.notify`).
        """
        self._memo.forget(owners)

    def years(self) -> list[int]:
        """The results years present in this database (newest first)."""
        from models.results import Progression, VprResult

        with self._db.session() as s:
            found: set[int] = set()
            for table in (VprResult, Progression):
                stmt = select(table.year).where(col(table.deleted).is_(False)).distinct()
                found.update(int(y) for y in s.exec(stmt))
            return sorted(found, reverse=True)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the summary is computed (restored afterwards).

    Reading every school allocates tens of thousands of short-lived row tuples and creates no
    reference cycles; without this the collector runs ~80 passes (one over every object of the
    program) during one cold summary — a quarter of its time. Memory is freed by reference
    counting as usual; a later pass collects whatever cycles other code left.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_summary(
    session: Session,
    year: int,
    as_of: date,
    catalogues_dir: Path,
    memo: FiguresMemo | None = None,
) -> DistrictSummary:
    thresholds = load_thresholds(session, year)
    sites = [_Site(*row) for row in rows(session, SCHOOL_SITES, (Role.SCHOOL.name,))]
    statuses = _statuses(session)
    revoked = {site_id for (site_id,) in rows(session, REVOKED, (PeerStatus.REVOKED.name,))}
    versions = dict(rows(session, LAST_PACKAGES))
    memo = memo or FiguresMemo()
    base = (year, as_of, tuple(thresholds), _catalogue_version(session), _definitions(session))
    keys = {site.id: _memo_key(site.id, versions.get(site.id), base) for site in sites}
    known = {site.id: found for site in sites if (found := memo.get(keys[site.id])) is not None}
    missing = [site.id for site in sites if site.id not in known]
    if missing:
        # Every school at once when nothing is reused (no owner list: plain GROUP BY scans).
        owners = None if len(missing) == len(sites) else missing
        computed = _figures_many(session, owners, missing, year, as_of, thresholds, catalogues_dir)
        for owner, figures in computed.items():
            memo.put(keys[owner], figures)
        known.update(computed)
    titles: dict[str, str] = {}
    schools: list[SchoolSummary] = []
    for site in sites:
        figures = known[site.id]
        titles.update(figures.titles)
        schools.append(_school(site, figures, statuses, revoked))
    schools.sort(key=lambda x: (x.name.casefold(), x.site_id))
    first = schools[0].indicators if schools else ()
    return DistrictSummary(
        year=year,
        as_of=as_of,
        schools=tuple(schools),
        factors=tuple(sorted(titles.items())),
        indicator_names=tuple((v.code, v.name, v.better) for v in first),
        thresholds=tuple(thresholds),
    )


@dataclass(frozen=True, slots=True)
class _Site:
    id: str
    short_name: str
    full_name: str
    code: str


# What the summary reads besides the schools' figures (plain SQL on the DB-API cursor).
SCHOOL_SITES = "SELECT id, short_name, full_name, code FROM site WHERE role = ? AND deleted = 0"
STATUSES = (
    "SELECT school_id, is_low_results, is_adverse_context, is_500plus "
    "FROM school_status WHERE deleted = 0"
)
CURATORS = (
    "SELECT school_id, name FROM school_curator WHERE deleted = 0 ORDER BY school_id, position, id"
)
REVOKED = "SELECT site_id FROM peer WHERE status = ?"
LAST_PACKAGES = "SELECT peer_site_id, last_hash FROM sync_state"
CATALOGUE_VERSION = "SELECT MAX(version) FROM catalogue_version WHERE deleted = 0"
# Any change of the district's own indicators changes this (rows are stamped on every change).
DEFINITIONS_STATE = "SELECT COUNT(*), MAX(hlc) FROM indicator_definition"


@dataclass(frozen=True, slots=True)
class _Figures:
    """What is computed from one school's own rows (cached while its packages do not change)."""

    execution: Ratio
    overdue: int
    risk_year: int | None
    risks: dict[str, RiskLevel] | None
    titles: dict[str, str]
    indicators: tuple[IndicatorValue, ...]
    pk_3y: Ratio
    flagged: tuple[str, ...]
    persistent: tuple[str, ...]


class FiguresMemo:
    """Per-school figures keyed by the hash of the school's last imported package.

    At the district a school's rows change only when one of its packages is applied, which
    changes `SyncState.last_hash`; thresholds, the catalogue version, year and date are in the
    key too. Schools without a SyncState (rows not from a package) are never cached.
    """

    LIMIT = 10_000

    def __init__(self) -> None:
        self._items: dict[tuple[Any, ...], _Figures] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...] | None) -> _Figures | None:
        return None if key is None else self._items.get(key)

    def put(self, key: tuple[Any, ...] | None, figures: _Figures) -> None:
        if key is None:
            return
        with self._lock:
            if len(self._items) >= self.LIMIT:
                self._items.clear()
            self._items[key] = figures

    def forget(self, owners: Collection[str]) -> None:
        """Called from the GUI thread while a summary may run in a task: under the lock."""
        with self._lock:
            if not owners:
                self._items.clear()
                return
            for key in [k for k in self._items if k[0] in owners]:
                del self._items[key]


def _catalogue_version(session: Session) -> int:
    return int(rows(session, CATALOGUE_VERSION)[0][0] or 0)


def _definitions(session: Session) -> tuple[Any, ...]:
    return tuple(rows(session, DEFINITIONS_STATE)[0])


def _memo_key(owner: str, version: str | None, base: tuple[Any, ...]) -> tuple[Any, ...] | None:
    return (owner, version, *base) if version else None


def _figures_many(
    session: Session,
    owners: Collection[str] | None,
    wanted: Sequence[str],
    year: int,
    as_of: date,
    thresholds: Sequence[ThresholdRead],
    catalogues_dir: Path,
) -> dict[str, _Figures]:
    """The figures of the `wanted` schools, read for `owners` (None: all) in a few queries."""
    # Only what the dashboard shows or flags: the key indicators, the district's own ones and
    # those with thresholds.
    keys = [t.indicator_code.split(SUBJECT_SEPARATOR) for t in thresholds]
    shown = (*KEY_INDICATORS, *(d.code for d in district_definitions(session, set(KEY_INDICATORS))))
    only = {*shown, *(key[0] for key in keys)}
    by_subject = {key[0] for key in keys if len(key) > 1}
    inputs = load_inputs(
        session,
        owners,
        year,
        catalogues_dir=catalogues_dir,
        as_of=as_of,
        only=only,
        by_subject=by_subject,
    )
    profiles = risk_profiles(
        session, owners, year, catalogues_dir=catalogues_dir, latest_otherwise=True
    )
    return {
        owner: _figures(
            session, owner, inputs, thresholds, profiles.get(owner), catalogues_dir, shown
        )
        for owner in wanted
    }


def _figures(
    session: Session,
    owner: str,
    inputs: IndicatorInputs,
    thresholds: Sequence[ThresholdRead],
    profile: RiskProfile | None,
    catalogues_dir: Path,
    shown: Sequence[str] = KEY_INDICATORS,
) -> _Figures:
    year = inputs.year
    values = compute_indicators(
        session,
        owner,
        year,
        thresholds,
        catalogues_dir=catalogues_dir,
        as_of=inputs.as_of,
        inputs=inputs,
    )
    flagged = tuple(v.key for v in values if v.flagged)
    persistent = tuple(v.key for v in values if v.flagged and _was_flagged(v, thresholds, year))
    by_code = {v.code: v for v in values if v.subject is None}
    key = tuple(by_code[code] for code in shown if code in by_code)
    titles: dict[str, str] = {}
    if profile is not None and profile.year > year:  # only a later audit: none for `year`
        profile = None
    if profile is not None:
        titles.update(profile.titles)
    school = inputs.data.school(owner)
    # ROADMAP_EXEC and TEACHER_PK are the roadmap's and staff's figures on `as_of` already.
    execution = by_code["ROADMAP_EXEC"].ratio if "ROADMAP_EXEC" in by_code else None
    pk_3y = by_code["TEACHER_PK"].ratio if "TEACHER_PK" in by_code else None
    return _Figures(
        execution=execution or school.roadmap.execution,
        overdue=school.roadmap.overdue,
        risk_year=None if profile is None else int(profile.year),
        risks=None if profile is None else dict(profile.levels),
        titles=titles,
        indicators=key,
        pk_3y=pk_3y or school.staff.pk_3y,
        flagged=flagged,
        persistent=persistent,
    )


def _statuses(session: Session) -> dict[str, SchoolFlags]:
    """The district's flags and curators («Петрова О. И., Иванов И. И.») of each school, by id."""
    curators: dict[str, list[str]] = {}
    for school_id, name in rows(session, CURATORS):
        curators.setdefault(school_id, []).append(name)
    flags = {
        school_id: SchoolFlags(bool(low), bool(adverse), bool(plus500))
        for school_id, low, adverse, plus500 in rows(session, STATUSES)
    }
    for school_id, names in curators.items():
        found = flags.get(school_id, NO_FLAGS)
        flags[school_id] = replace(found, curator=", ".join(names))
    return flags


def _school(
    site: _Site, f: _Figures, statuses: dict[str, SchoolFlags], revoked: set[str]
) -> SchoolSummary:
    return SchoolSummary(
        site_id=site.id,
        name=site.short_name or site.full_name,
        code=site.code,
        execution=f.execution,
        overdue=f.overdue,
        risk_year=f.risk_year,
        risks=f.risks,
        indicators=f.indicators,
        pk_3y=f.pk_3y,
        flagged=f.flagged,
        persistent=f.persistent,
        flags=statuses.get(site.id) or NO_FLAGS,
        revoked=site.id in revoked,
    )


def _was_flagged(value: IndicatorValue, thresholds: Sequence[ThresholdRead], year: int) -> bool:
    """The previous year's value (from the same computation) met last year's threshold."""
    if value.previous is None:
        return False
    threshold = applicable_threshold(thresholds, value.key, year - 1)
    return threshold is not None and threshold.holds(value.previous.value)
