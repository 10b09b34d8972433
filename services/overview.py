"""What the school's «Обзор» screen shows: roadmap, risk profile, indicators, teachers.

Roadmap execution, the risk profile and teacher coverage come from their areas' functions
(`services.roadmap.queries`, `services.audit.levels`, `services.staff.queries`); an area
not present in this build shows as «нет данных» rather than failing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from models.audit import RiskLevel
from services.core.ratio import Ratio
from services.indicators.compute import IndicatorValue, compute_indicators
from services.indicators.thresholds import load_thresholds
from services.site.profile import own_site_id

NO_RATIO = Ratio(0, 0)
MAX_OVERDUE = 5


@dataclass(frozen=True, slots=True)
class OverdueItem:
    title: str
    deadline: str


@dataclass(frozen=True, slots=True)
class RiskLine:
    code: str
    title: str
    level: RiskLevel


@dataclass(frozen=True, slots=True)
class CoverageLine:
    title: str
    ratio: Ratio


@dataclass(frozen=True, slots=True)
class OverviewData:
    as_of: date
    year: int
    execution: Ratio
    overdue_total: int
    overdue: tuple[OverdueItem, ...]
    risk_year: int | None
    risks: tuple[RiskLine, ...]  # factors at medium or high risk, high first
    risk_completeness: Ratio
    attention: tuple[IndicatorValue, ...]  # flagged or off target
    key_values: tuple[IndicatorValue, ...]
    coverage: tuple[CoverageLine, ...]


def _producer(module: str, name: str) -> Any:
    """A function of another area, or None while that area is not part of this build."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None


def _roadmap(session: Session, owner: str, on: date) -> tuple[Ratio, list[OverdueItem]]:
    execution_ratio = _producer("services.roadmap.queries", "execution_ratio")
    overdue_items = _producer("services.roadmap.queries", "overdue_items")
    ratio = execution_ratio(session, owner, on) if execution_ratio else NO_RATIO
    items = overdue_items(session, owner, on) if overdue_items else []
    overdue = []
    for item in items:
        end = getattr(item, "end_date", None)
        deadline = end.strftime("%d.%m.%Y") if end else str(getattr(item, "deadline_text", ""))
        overdue.append(OverdueItem(str(getattr(item, "title", "")), deadline))
    return ratio, overdue


def _risks(
    session: Session, owner: str, catalogues_dir: Path
) -> tuple[int | None, list[RiskLine], Ratio]:
    risk_profile = _producer("services.audit.levels", "risk_profile")
    profile = risk_profile(session, owner, catalogues_dir=catalogues_dir) if risk_profile else None
    if profile is None:
        return None, [], NO_RATIO
    order = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1}
    lines = [
        RiskLine(code, profile.titles.get(code, code), RiskLevel(level))
        for code, level in profile.levels.items()
        if RiskLevel(level) in order
    ]
    lines.sort(key=lambda r: (order[r.level], r.code))
    return profile.year, lines, profile.completeness


def _coverage(session: Session, owner: str, on: date) -> list[CoverageLine]:
    staff_coverage = _producer("services.staff.queries", "staff_coverage")
    if staff_coverage is None:
        return []
    c = staff_coverage(session, owner, on)
    return [
        CoverageLine("С индивидуальным планом (ИППР)", c.with_plan),
        CoverageLine("Повышение квалификации за 3 года", c.pk_3y),
        CoverageLine("В активных формах работы", c.active_forms),
        CoverageLine("Молодые специалисты с наставником", c.young_with_mentor),
    ]


def overview(session: Session, year: int, as_of: date, catalogues_dir: Path) -> OverviewData:
    """The «Обзор» of this school for results `year` as of `as_of` (read-only).

    `catalogues_dir` holds the shipped indicator and risk-factor catalogues.
    """
    from services.indicators.compute import KEY_INDICATORS

    owner = own_site_id(session)
    execution, overdue = _roadmap(session, owner, as_of)
    risk_year, risks, completeness = _risks(session, owner, catalogues_dir)
    thresholds = load_thresholds(session, year)
    values = compute_indicators(
        session, owner, year, thresholds, catalogues_dir=catalogues_dir, as_of=as_of
    )
    attention = [v for v in values if v.flagged or v.off_target]
    key_values = [v for code in KEY_INDICATORS for v in values if v.code == code and not v.subject]
    return OverviewData(
        as_of=as_of,
        year=year,
        execution=execution,
        overdue_total=len(overdue),
        overdue=tuple(overdue[:MAX_OVERDUE]),
        risk_year=risk_year,
        risks=tuple(risks),
        risk_completeness=completeness,
        attention=tuple(attention),
        key_values=tuple(key_values),
        coverage=tuple(_coverage(session, owner, as_of)),
    )
