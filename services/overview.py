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

from sqlmodel import Session, select

from models.audit import RiskLevel
from services.core.ratio import Ratio
from services.indicators.compute import IndicatorValue, compute_indicators
from services.indicators.thresholds import load_thresholds
from services.site.profile import own_site_id

NO_RATIO = Ratio(0, 0)
MAX_OVERDUE = 5
# Indicators computed from the roadmap and the staff, not from entered results.
NOT_RESULTS = ("ROADMAP_", "TEACHER_")


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
class StartStep:
    """One line of «С чего начать»: what to do, on which screen, and whether it is done."""

    title: str
    screen: str
    done: bool


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
    results_known: bool = False  # any result-based indicator has a value
    compared: int = 0  # indicators with a value and a threshold or a target to compare with
    start: tuple[StartStep, ...] = ()  # the first steps of a new school, each ticked when done


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


def _has(session: Session, model: Any, owner: str) -> bool:
    query = select(model.id).where(model.owner == owner, model.deleted == False)  # noqa: E712
    return session.exec(query.limit(1)).first() is not None


def start_steps(session: Session, owner: str) -> tuple[StartStep, ...]:
    """«С чего начать»: the five things a new school does first, in order."""
    from models import ExportLog, Roadmap, RoadmapItem, Teacher, VprResult
    from models.audit import AuditAnswer
    from models.results import GiaResult, Progression

    results = any(_has(session, m, owner) for m in (VprResult, GiaResult, Progression))
    sent = session.exec(select(ExportLog.id).limit(1)).first() is not None
    return (
        StartStep(
            "Загрузите дорожную карту из Excel или Word либо внесите её мероприятия",
            "roadmap",
            _has(session, Roadmap, owner) and _has(session, RoadmapItem, owner),
        ),
        StartStep(
            "Заполните самоаудит по факторам риска", "audit", _has(session, AuditAnswer, owner)
        ),
        StartStep("Внесите педагогов и их ИППР", "staff", _has(session, Teacher, owner)),
        StartStep("Внесите результаты ВПР, ОГЭ и ЕГЭ", "results", results),
        StartStep("Отправьте первый пакет в управление образования", "exchange", sent),
    )


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
    known = [v for v in values if v.ratio.value is not None]
    results_known = any(not v.code.startswith(NOT_RESULTS) for v in known)
    compared = sum(1 for v in known if v.threshold is not None or v.target is not None)
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
        results_known=results_known,
        compared=compared,
        start=start_steps(session, owner),
    )
