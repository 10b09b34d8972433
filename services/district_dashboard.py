"""The district's consolidated dashboard («Сводка», issue 9): one line per school.

Every figure comes from the areas that own it — roadmap execution from `services.roadmap`, risk
levels from `services.audit.risk_profile`, indicators from `services.indicators.compute_indicators`
with the district's thresholds (the same call the school's own «Обзор» makes), teacher coverage
from `services.staff`. Nothing is recomputed here; the district value of an indicator is the
pooled ratio (Σ numerators ÷ Σ denominators) of the schools' own ratios.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from models import Peer, PeerStatus, Role, SchoolStatus, Site, SyncState, stable_id
from models.audit import RiskLevel
from models.catalogue import CatalogueVersion
from services.audit import risk_profile
from services.db import Database
from services.indicators import (
    KEY_INDICATORS,
    IndicatorValue,
    ThresholdRead,
    applicable_threshold,
    compute_indicators,
    load_thresholds,
)
from services.ratio import Ratio
from services.roadmap import execution_ratio, overdue_items
from services.staff import staff_coverage

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

    def __init__(self, db: Database) -> None:
        self._db = db
        self._memo = FiguresMemo()

    def summary(self, year: int, as_of: date) -> DistrictSummary:
        """One `SchoolSummary` per live school site, sorted by name, for results `year`.

        A school's figures are reused while no new package of it has been applied.
        """
        with self._db.session(stamp=False) as s:
            return build_summary(s, year, as_of, self._memo)

    def years(self) -> list[int]:
        """The results years present in this database (newest first)."""
        from models.results import Progression, VprResult

        with self._db.session() as s:
            found: set[int] = set()
            for table in (VprResult, Progression):
                stmt = select(table.year).where(col(table.deleted).is_(False)).distinct()
                found.update(int(y) for y in s.exec(stmt))
            return sorted(found, reverse=True)


def build_summary(
    session: Session, year: int, as_of: date, memo: FiguresMemo | None = None
) -> DistrictSummary:
    thresholds = load_thresholds(session, year)
    sites = session.exec(
        select(Site).where(Site.role == Role.SCHOOL, col(Site.deleted).is_(False))
    ).all()
    statuses = {
        st.id: st
        for st in session.exec(select(SchoolStatus).where(col(SchoolStatus.deleted).is_(False)))
    }
    revoked = {
        p.site_id for p in session.exec(select(Peer).where(Peer.status == PeerStatus.REVOKED))
    }
    versions = {st.peer_site_id: st.last_hash for st in session.exec(select(SyncState))}
    memo = memo or FiguresMemo()
    base = (year, as_of, tuple(thresholds), _catalogue_version(session))
    titles: dict[str, str] = {}
    schools: list[SchoolSummary] = []
    for site in sites:
        version = versions.get(site.id)
        key = (site.id, version, *base) if version else None
        figures = memo.get(key) or _figures(session, site.id, year, as_of, thresholds)
        memo.put(key, figures)
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

    def get(self, key: tuple[Any, ...] | None) -> _Figures | None:
        return None if key is None else self._items.get(key)

    def put(self, key: tuple[Any, ...] | None, figures: _Figures) -> None:
        if key is None:
            return
        if len(self._items) >= self.LIMIT:
            self._items.clear()
        self._items[key] = figures


def _catalogue_version(session: Session) -> int:
    stmt = select(CatalogueVersion.version).where(col(CatalogueVersion.deleted).is_(False))
    return max((int(v) for v in session.exec(stmt)), default=0)


def _figures(
    session: Session, owner: str, year: int, as_of: date, thresholds: Sequence[ThresholdRead]
) -> _Figures:
    values = compute_indicators(session, owner, year, thresholds, as_of=as_of)
    flagged = tuple(v.key for v in values if v.flagged)
    persistent = tuple(v.key for v in values if v.flagged and _was_flagged(v, thresholds, year))
    key = tuple(v for code in KEY_INDICATORS for v in values if v.code == code and not v.subject)
    titles: dict[str, str] = {}
    risk_year, risks = _risks(session, owner, year, titles)
    # ROADMAP_EXEC and TEACHER_PK are execution_ratio / staff_coverage on `as_of` already.
    by_code = {v.code: v.ratio for v in key}
    return _Figures(
        execution=by_code.get("ROADMAP_EXEC") or execution_ratio(session, owner, as_of),
        overdue=len(overdue_items(session, owner, as_of)),
        risk_year=risk_year,
        risks=risks,
        titles=titles,
        indicators=key,
        pk_3y=by_code.get("TEACHER_PK") or staff_coverage(session, owner, as_of).pk_3y,
        flagged=flagged,
        persistent=persistent,
    )


def _school(
    site: Site, f: _Figures, statuses: dict[str, SchoolStatus], revoked: set[str]
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
        flags=_flags(statuses.get(stable_id("status", site.id))),
        revoked=site.id in revoked,
    )


def _was_flagged(value: IndicatorValue, thresholds: Sequence[ThresholdRead], year: int) -> bool:
    """The previous year's value (from the same computation) met last year's threshold."""
    if value.previous is None:
        return False
    threshold = applicable_threshold(thresholds, value.key, year - 1)
    return threshold is not None and threshold.holds(value.previous.value)


def _risks(
    session: Session, owner: str, year: int, titles: dict[str, str]
) -> tuple[int | None, dict[str, RiskLevel] | None]:
    """The audit of `year`, else the latest earlier one; (None, None) when there is none."""
    profile = risk_profile(session, owner, year) or risk_profile(session, owner, None)
    if profile is None or profile.year > year:
        return None, None
    titles.update(profile.titles)
    return int(profile.year), dict(profile.levels)


def _flags(status: SchoolStatus | None) -> SchoolFlags:
    if status is None:
        return SchoolFlags()
    return SchoolFlags(
        low_results=status.is_low_results,
        adverse_context=status.is_adverse_context,
        plus500=status.is_500plus,
        curator=status.curator_name,
    )
