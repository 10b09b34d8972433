"""Self-audit by risk factors: the level rule and the risk profile other areas read.

The level rule (also written in the catalogue's `level_rule`): every answered criterion gives
0–2 risk points; a factor's risk share is the weighted sum of points ÷ (2 × the weighted number of
answered criteria), in percent; below the catalogue's `low` bound the risk is «не выявлен», then
low, medium and high from their bounds (a bound belongs to the upper level). Unanswered criteria
are left out; a factor with no answered criterion has no level. A manual override (with its
reason) replaces the computed level. The editing use cases live in `services.audit.service`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from models.audit import AuditAnswer, RiskAssessment, RiskLevel, SelfAudit
from services.audit.catalogue import MAX_POINTS, Catalogue, Factor, catalogue_for
from services.core.ratio import Ratio
from services.core.sql_select import JSON_LIST, Scoped, as_json, rows

LEVEL_TITLES: dict[RiskLevel, str] = {
    RiskLevel.NONE: "не выявлен",
    RiskLevel.LOW: "низкий",
    RiskLevel.MEDIUM: "средний",
    RiskLevel.HIGH: "высокий",
}
NO_LEVEL_TITLE = "нет ответов"


@dataclass(frozen=True, slots=True)
class Answer:
    """One criterion's answer: `score` on the scale or `value` of a number."""

    score: int | None = None
    value: float | None = None


@dataclass(frozen=True, slots=True)
class FactorResult:
    code: str
    answered: int
    total: int
    share: float | None  # risk share in percent; None when nothing is answered
    computed: RiskLevel | None
    override: RiskLevel | None = None
    reason: str = ""

    @property
    def level(self) -> RiskLevel | None:
        return self.override if self.override is not None else self.computed

    @property
    def completeness(self) -> Ratio:
        return Ratio(self.answered, self.total)


@dataclass(frozen=True, slots=True)
class RiskProfile:
    year: int
    catalogue_version: int
    levels: dict[str, RiskLevel]  # factor code ("R01"…) -> level (override applied)
    titles: dict[str, str]  # factor code -> Russian title
    completeness: Ratio  # answered ÷ total criteria


def level_of(share: float | None, bounds: tuple[float, float, float]) -> RiskLevel | None:
    """The level of a risk share (percent) under the catalogue's bounds (low, medium, high)."""
    if share is None:
        return None
    low, medium, high = bounds
    if share >= high:
        return RiskLevel.HIGH
    if share >= medium:
        return RiskLevel.MEDIUM
    if share >= low:
        return RiskLevel.LOW
    return RiskLevel.NONE


def level_title(level: RiskLevel | None) -> str:
    return NO_LEVEL_TITLE if level is None else LEVEL_TITLES[level]


def evaluate_factor(
    factor: Factor, answers: Mapping[str, Answer], bounds: tuple[float, float, float]
) -> FactorResult:
    """The computed level of one factor from the answers to its criteria."""
    points = weights = 0.0
    answered = 0
    for criterion in factor.criteria:
        answer = answers.get(criterion.code)
        got = None if answer is None else criterion.risk_points(answer.score, answer.value)
        if got is None:
            continue
        answered += 1
        points += got * criterion.weight
        weights += MAX_POINTS * criterion.weight
    share = 100.0 * points / weights if weights > 0 else None
    return FactorResult(
        code=factor.code,
        answered=answered,
        total=len(factor.criteria),
        share=share,
        computed=level_of(share, bounds),
    )


def audit_factors(catalogue: Catalogue, enabled: Sequence[str] = ()) -> tuple[Factor, ...]:
    """The factors an audit covers: those on by default plus the ones the school switched on."""
    return tuple(f for f in catalogue.factors if f.enabled_by_default or f.code in enabled)


# -- reading one audit ---------------------------------------------------------------------------


def find_audit(session: Session, owner: str, year: int | None) -> SelfAudit | None:
    """The owner's live audit of `year`, or the latest one when `year` is None."""
    stmt = select(SelfAudit).where(SelfAudit.owner == owner, col(SelfAudit.deleted).is_(False))
    if year is not None:
        stmt = stmt.where(SelfAudit.year == year)
    return session.exec(stmt.order_by(col(SelfAudit.year).desc())).first()


def answers_of(session: Session, audit_id: str) -> dict[str, AuditAnswer]:
    rows = session.exec(
        select(AuditAnswer).where(
            AuditAnswer.audit_id == audit_id, col(AuditAnswer.deleted).is_(False)
        )
    ).all()
    return {r.criterion_code: r for r in rows}


def assessments_of(session: Session, audit_id: str) -> dict[str, RiskAssessment]:
    rows = session.exec(
        select(RiskAssessment).where(
            RiskAssessment.audit_id == audit_id, col(RiskAssessment.deleted).is_(False)
        )
    ).all()
    return {r.factor_code: r for r in rows}


@dataclass(frozen=True, slots=True)
class AuditState:
    """Everything computed about one audit; shared by the profile, the service and printouts."""

    audit: SelfAudit
    catalogue: Catalogue
    factors: tuple[Factor, ...]
    answers: dict[str, AuditAnswer]
    results: dict[str, FactorResult]

    @property
    def completeness(self) -> Ratio:
        answered = sum(r.answered for r in self.results.values())
        return Ratio(answered, sum(r.total for r in self.results.values()))


def audit_state(session: Session, audit: SelfAudit, catalogues_dir: Path) -> AuditState:
    """The audit with its catalogue (shipped in `catalogues_dir` or published), answers, results."""
    catalogue = catalogue_for(session, audit.catalogue_version, catalogues_dir)
    answers = answers_of(session, audit.id)
    assessments = assessments_of(session, audit.id)
    plain = {code: Answer(a.score, a.value) for code, a in answers.items()}
    overrides = {code: (r.override_level, r.override_reason) for code, r in assessments.items()}
    factors, results = factor_results(catalogue, plain, overrides)
    return AuditState(audit, catalogue, factors, answers, results)


Overrides = Mapping[str, tuple[RiskLevel | None, str]]  # factor code -> (override level, reason)


def factor_results(
    catalogue: Catalogue, answers: Mapping[str, Answer], assessments: Overrides
) -> tuple[tuple[Factor, ...], dict[str, FactorResult]]:
    """The factors an audit covers and each one's result, manual overrides applied.

    `assessments` has a key for every assessed factor (a factor switched on by the school is
    covered even without an override).
    """
    factors = audit_factors(catalogue, tuple(assessments))
    results: dict[str, FactorResult] = {}
    for factor in factors:
        result = evaluate_factor(factor, answers, catalogue.bounds)
        override, reason = assessments.get(factor.code, (None, ""))
        if override is not None:
            result = FactorResult(
                result.code,
                result.answered,
                result.total,
                result.share,
                result.computed,
                override,
                reason,
            )
        results[factor.code] = result
    return factors, results


def risk_profile(
    session: Session, owner: str, year: int | None = None, *, catalogues_dir: Path
) -> RiskProfile | None:
    """The owner's audit of `year` (latest when None) as a profile; None when there is none."""
    return risk_profiles(session, [owner], year, catalogues_dir=catalogues_dir).get(owner)


def risk_profiles(
    session: Session,
    owners: Collection[str] | None,
    year: int | None = None,
    *,
    catalogues_dir: Path,
    latest_otherwise: bool = False,
) -> dict[str, RiskProfile]:
    """`risk_profile` of many owners at once (`owners` None: every owner); no audit: no key.

    With `latest_otherwise`, an owner without an audit of `year` gets its latest audit (the
    dashboard's rule: `risk_profile(year) or risk_profile(None)`).
    """
    audits = _chosen_audits(session, owners, year, latest_otherwise)
    if not audits:
        return {}
    ids = as_json([audit_id for audit_id, _year, _version in audits.values()])
    answers: dict[str, dict[str, Answer]] = {audit_id: {} for audit_id, _y, _v in audits.values()}
    # One row per distinct answer to a criterion, with the audits that gave it (equal answers
    # share one immutable Answer): a few hundred rows instead of one per audit and criterion.
    for code, score, value, audit_ids in rows(session, ANSWERS, (ids,)):
        answer = Answer(score, value)
        for audit_id in json.loads(audit_ids):
            answers[audit_id][code] = answer
    assessed: dict[str, dict[str, tuple[RiskLevel | None, str]]] = {i: {} for i in answers}
    for audit_id, code, level, reason in rows(session, ASSESSMENTS, (ids,)):
        assessed[audit_id][code] = (None if level is None else RiskLevel[level], reason)
    catalogues: dict[int, Catalogue] = {}
    profiles: dict[str, RiskProfile] = {}
    for owner, (audit_id, audit_year, version) in audits.items():
        if version not in catalogues:
            catalogues[version] = catalogue_for(session, version, catalogues_dir)
        factors, results = factor_results(
            catalogues[version], answers[audit_id], assessed[audit_id]
        )
        profiles[owner] = _profile(audit_year, version, factors, results)
    return profiles


# The live audits (of everyone or of the owners of a JSON list; of any year or of one), newest
# first; the answers and the assessed factors of the audits of a JSON list of ids.
_AUDITS = "SELECT owner, id, year, catalogue_version FROM self_audit WHERE deleted = 0"
_SOME_OWNERS = " AND owner IN " + JSON_LIST
_NEWEST = " ORDER BY year DESC, id"
AUDITS = Scoped(_AUDITS + _NEWEST, _AUDITS + _SOME_OWNERS + _NEWEST)
AUDITS_OF_YEAR = Scoped(
    _AUDITS + " AND year = ?" + _NEWEST, _AUDITS + " AND year = ?" + _SOME_OWNERS + _NEWEST
)
ANSWERS = (
    "SELECT criterion_code, score, value, json_group_array(audit_id) FROM audit_answer "
    "WHERE audit_id IN " + JSON_LIST + " AND deleted = 0 GROUP BY criterion_code, score, value"
)
ASSESSMENTS = (
    "SELECT audit_id, factor_code, override_level, override_reason FROM risk_assessment "
    "WHERE audit_id IN " + JSON_LIST + " AND deleted = 0"
)


def _chosen_audits(
    session: Session, owners: Collection[str] | None, year: int | None, latest_otherwise: bool
) -> dict[str, tuple[str, int, int]]:
    """{owner: (audit id, year, catalogue version)} of the audit `risk_profiles` reads."""
    if year is not None and not latest_otherwise:
        audits = AUDITS_OF_YEAR.run(session, owners, year)
    else:
        audits = AUDITS.run(session, owners)
    chosen: dict[str, tuple[str, int, int]] = {}
    for owner, audit_id, audit_year, version in audits:
        found = chosen.get(owner)
        if found is None or (audit_year == year and found[1] != year):
            chosen[owner] = (audit_id, int(audit_year), int(version))
    return chosen


def _profile(
    year: int, version: int, factors: Sequence[Factor], results: Mapping[str, FactorResult]
) -> RiskProfile:
    levels = {code: level for code, r in results.items() if (level := r.level) is not None}
    answered = sum(r.answered for r in results.values())
    return RiskProfile(
        year=year,
        catalogue_version=version,
        levels=levels,
        titles={f.code: f.title for f in factors},
        completeness=Ratio(answered, sum(r.total for r in results.values())),
    )
