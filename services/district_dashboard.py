"""The district's consolidated dashboard («Сводка», issue 9): one line per school.

Every figure comes from the areas that own it — roadmap execution from `services.roadmap`, risk
levels from `services.audit.risk_profile`, indicators from `services.indicators.compute_indicators`
with the district's thresholds (the same call the school's own «Обзор» makes), teacher coverage
from `services.staff`. Nothing is recomputed here; the district value of an indicator is the
pooled ratio (Σ numerators ÷ Σ denominators) of the schools' own ratios.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from models import Peer, PeerStatus, Role, SchoolStatus, Site, stable_id
from models.audit import RiskLevel
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


def _producer(module: str, name: str) -> Callable[..., Any] | None:
    """A function of an area that may not be part of this build yet (audit, issue 4)."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None


class DashboardService:
    """Read-only consolidated figures of every school known at the district."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def summary(self, year: int, as_of: date) -> DistrictSummary:
        """One `SchoolSummary` per live school site, sorted by name, for results `year`."""
        with self._db.session() as s:
            return build_summary(s, year, as_of)

    def years(self) -> list[int]:
        """The results years present in this database (newest first)."""
        from models.results import Progression, VprResult

        with self._db.session() as s:
            found: set[int] = set()
            for table in (VprResult, Progression):
                stmt = select(table.year).where(col(table.deleted).is_(False)).distinct()
                found.update(int(y) for y in s.exec(stmt))
            return sorted(found, reverse=True)


def build_summary(session: Session, year: int, as_of: date) -> DistrictSummary:
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
    risk_profile = _producer("services.audit", "risk_profile")
    titles: dict[str, str] = {}
    schools = [
        _school(session, site, year, as_of, thresholds, statuses, revoked, risk_profile, titles)
        for site in sites
    ]
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


def _school(
    session: Session,
    site: Site,
    year: int,
    as_of: date,
    thresholds: Sequence[ThresholdRead],
    statuses: dict[str, SchoolStatus],
    revoked: set[str],
    risk_profile: Callable[..., Any] | None,
    titles: dict[str, str],
) -> SchoolSummary:
    owner = site.id
    values = compute_indicators(session, owner, year, thresholds, as_of=as_of)
    flagged = tuple(v.key for v in values if v.flagged)
    persistent = tuple(v.key for v in values if v.flagged and _was_flagged(v, thresholds, year))
    key = tuple(v for code in KEY_INDICATORS for v in values if v.code == code and not v.subject)
    risk_year, risks = _risks(session, owner, year, risk_profile, titles)
    # ROADMAP_EXEC and TEACHER_PK are execution_ratio / staff_coverage on `as_of` already.
    by_code = {v.code: v.ratio for v in key}
    execution = by_code.get("ROADMAP_EXEC") or execution_ratio(session, owner, as_of)
    pk_3y = by_code.get("TEACHER_PK") or staff_coverage(session, owner, as_of).pk_3y
    return SchoolSummary(
        site_id=owner,
        name=site.short_name or site.full_name,
        code=site.code,
        execution=execution,
        overdue=len(overdue_items(session, owner, as_of)),
        risk_year=risk_year,
        risks=risks,
        indicators=key,
        pk_3y=pk_3y,
        flagged=flagged,
        persistent=persistent,
        flags=_flags(statuses.get(stable_id("status", owner))),
        revoked=owner in revoked,
    )


def _was_flagged(value: IndicatorValue, thresholds: Sequence[ThresholdRead], year: int) -> bool:
    """The previous year's value (from the same computation) met last year's threshold."""
    if value.previous is None:
        return False
    threshold = applicable_threshold(thresholds, value.key, year - 1)
    return threshold is not None and threshold.holds(value.previous.value)


def _risks(
    session: Session,
    owner: str,
    year: int,
    risk_profile: Callable[..., Any] | None,
    titles: dict[str, str],
) -> tuple[int | None, dict[str, RiskLevel] | None]:
    """The audit of `year`, else the latest earlier one; (None, None) when there is none."""
    if risk_profile is None:
        return None, None
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
