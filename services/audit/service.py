"""Self-audit use cases: one audit per school and year, answers, overrides, anti-risk measures.

The level rule and the profile read by other areas live in `services.audit.levels`; the catalogue
in `services.audit.catalogue`. Answers are keyed by (audit, criterion), assessments by (audit,
factor), both with `stable_id`, so the same audit filled at two moments merges cleanly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from models.audit import AuditAnswer, RiskAssessment, RiskLevel, SelfAudit
from models.base import stable_id
from models.roadmap import ItemStatus, RoadmapItem
from services.audit.catalogue import Catalogue, Criterion, Factor, current_catalogue
from services.audit.levels import AuditState, FactorResult, audit_state, find_audit
from services.core.db import Database
from services.core.errors import Invalid, NotFound
from services.core.ratio import Ratio
from services.roadmap.queries import ItemDraft, append_items, item_reads
from services.site.profile import own_site_id

MIN_YEAR, MAX_YEAR = 2000, 2100
MEASURES_SECTION = "Антирисковые меры по итогам самоаудита {year} года"


@dataclass(frozen=True, slots=True)
class AnswerRead:
    criterion_code: str
    score: int | None = None
    value: float | None = None
    comment: str = ""
    evidence: str = ""

    @property
    def is_answered(self) -> bool:
        return self.score is not None or self.value is not None


@dataclass(frozen=True, slots=True)
class LinkedItem:
    """A roadmap item linked to a risk factor (an anti-risk measure)."""

    id: str
    number: str
    title: str
    deadline_text: str
    status: ItemStatus


@dataclass(frozen=True, slots=True)
class AuditView:
    """One audit as the screen and the printouts see it."""

    year: int
    catalogue: Catalogue
    factors: tuple[Factor, ...]
    results: dict[str, FactorResult]
    answers: dict[str, AnswerRead]
    completeness: Ratio
    working_group: str
    notes: str
    started_on: date | None
    completed_on: date | None

    @property
    def catalogue_version(self) -> int:
        return self.catalogue.version

    def answer(self, code: str) -> AnswerRead:
        return self.answers.get(code) or AnswerRead(code)


@dataclass(frozen=True, slots=True)
class FactorChange:
    """One factor this year beside the previous audit (None levels: no answers / no audit)."""

    code: str
    title: str
    current: FactorResult | None
    previous: FactorResult | None
    previous_year: int | None


def _view(state: AuditState) -> AuditView:
    a = state.audit
    answers = {
        code: AnswerRead(code, r.score, r.value, r.comment, r.evidence)
        for code, r in state.answers.items()
    }
    return AuditView(
        a.year,
        state.catalogue,
        state.factors,
        state.results,
        answers,
        state.completeness,
        a.working_group,
        a.notes,
        a.started_on,
        a.completed_on,
    )


def check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(f"Год самоаудита {year} вне допустимого диапазона {MIN_YEAR}–{MAX_YEAR}.")
    return year


def check_answer(criterion: Criterion, score: int | None, value: float | None) -> None:
    """Refuse an answer outside the criterion's scale or range (nothing is saved then)."""
    if criterion.is_scale:
        if value is not None:
            raise Invalid(f"Критерий {criterion.code} отвечается по шкале 0–2, а не числом.")
        if score is not None and score not in (0, 1, 2):
            raise Invalid(
                f"Ответ {score} на критерий {criterion.code} вне шкалы: "
                "0 — нет, 1 — частично, 2 — да."
            )
        return
    if score is not None:
        raise Invalid(f"Критерий {criterion.code} требует числа, а не ответа по шкале.")
    if value is not None and not criterion.minimum <= value <= criterion.maximum:
        raise Invalid(
            f"Значение {value:g} для критерия {criterion.code} вне допустимого диапазона "
            f"{criterion.range_text()}. Проверьте число и введите его снова."
        )


class AuditService:
    """The school's self-audits; every method is one transaction."""

    def __init__(self, db: Database, catalogues_dir: Path) -> None:
        self._db = db
        self._catalogues_dir = catalogues_dir  # the shipped risk-factor catalogues

    # -- reading ---------------------------------------------------------------------------------

    def years(self) -> list[int]:
        with self._db.session() as s:
            rows = s.exec(
                select(SelfAudit.year).where(
                    SelfAudit.owner == own_site_id(s), col(SelfAudit.deleted).is_(False)
                )
            ).all()
        return sorted(set(rows), reverse=True)

    def catalogue(self) -> Catalogue:
        """The catalogue a new audit would use."""
        with self._db.session() as s:
            return current_catalogue(s, self._catalogues_dir)

    def view(self, year: int) -> AuditView | None:
        with self._db.session() as s:
            audit = find_audit(s, own_site_id(s), year)
            return None if audit is None else _view(audit_state(s, audit, self._catalogues_dir))

    def comparison(self, year: int) -> list[FactorChange]:
        """Each factor of `year`'s audit beside the latest earlier audit of the school."""
        with self._db.session() as s:
            owner = own_site_id(s)
            audit = self._audit(s, owner, year)
            current = audit_state(s, audit, self._catalogues_dir)
            earlier = s.exec(
                select(SelfAudit)
                .where(SelfAudit.owner == owner, col(SelfAudit.deleted).is_(False))
                .where(SelfAudit.year < year)
                .order_by(col(SelfAudit.year).desc())
            ).first()
            before = audit_state(s, earlier, self._catalogues_dir) if earlier else None
        prev = before.results if before else {}
        return [
            FactorChange(
                f.code,
                f.title,
                current.results.get(f.code),
                prev.get(f.code),
                before.audit.year if before else None,
            )
            for f in current.factors
        ]

    def linked_items(self, factor_code: str) -> list[LinkedItem]:
        """The school's live roadmap items linked to a factor, in roadmap order."""
        with self._db.session() as s:
            rows = s.exec(
                select(RoadmapItem)
                .where(RoadmapItem.owner == own_site_id(s), col(RoadmapItem.deleted).is_(False))
                .where(RoadmapItem.risk_factor_code == factor_code)
                .order_by(col(RoadmapItem.roadmap_id), col(RoadmapItem.position))
            ).all()
            reads = item_reads(s, rows)
            return [LinkedItem(r.id, r.number, r.title, r.deadline_text, r.status) for r in reads]

    # -- writing ---------------------------------------------------------------------------------

    def ensure(self, year: int, on: date | None = None) -> AuditView:
        """The audit of `year`, started now with the current catalogue if there is none yet."""
        check_year(year)
        with self._db.session() as s:
            owner = own_site_id(s)
            audit = find_audit(s, owner, year)
            if audit is None:
                audit = s.get(SelfAudit, stable_id("audit", owner, year))
                if audit is None:
                    audit = SelfAudit(id=stable_id("audit", owner, year), owner=owner, year=year)
                audit.deleted = False
                audit.catalogue_version = current_catalogue(s, self._catalogues_dir).version
                audit.started_on = on or date.today()
                s.add(audit)
                s.flush()
            return _view(audit_state(s, audit, self._catalogues_dir))

    def save_answer(
        self,
        year: int,
        criterion_code: str,
        *,
        score: int | None = None,
        value: float | None = None,
        comment: str = "",
        evidence: str = "",
    ) -> FactorResult:
        """Save one answer (None/None clears it); returns the factor's new result."""
        answer = AnswerRead(criterion_code, score, value, comment, evidence)
        return self.save_answers(year, [answer])[0]

    def save_answers(self, year: int, answers: Sequence[AnswerRead]) -> list[FactorResult]:
        """Save several answers in one transaction (all checked first; a bad one saves none).

        Returns the new result of each touched factor, in the order of first appearance.
        """
        with self._db.session() as s:
            owner = own_site_id(s)
            audit = self._audit(s, owner, year)
            state = audit_state(s, audit, self._catalogues_dir)
            touched: list[str] = []
            for a in answers:
                criterion = state.catalogue.criterion(a.criterion_code)
                if criterion is None or criterion.factor_code not in state.results:
                    raise NotFound(f"Критерия {a.criterion_code} нет в самоаудите {year} года.")
                check_answer(criterion, a.score, a.value)
                if criterion.factor_code not in touched:
                    touched.append(criterion.factor_code)
            for a in answers:
                answer_id = stable_id("answer", audit.id, a.criterion_code)
                row = s.get(AuditAnswer, answer_id) or AuditAnswer(
                    id=answer_id, owner=owner, audit_id=audit.id, criterion_code=a.criterion_code
                )
                row.score, row.value, row.deleted = a.score, a.value, False
                row.comment, row.evidence = a.comment.strip()[:2000], a.evidence.strip()[:1000]
                s.add(row)
            s.flush()
            results = audit_state(s, audit, self._catalogues_dir).results
            for code in touched:
                self._store_level(s, audit, results[code])
            return [results[code] for code in touched]

    def set_override(
        self, year: int, factor_code: str, level: RiskLevel | None, reason: str = ""
    ) -> FactorResult:
        """Set the factor's level by hand (a reason is required), or clear it with None."""
        reason = reason.strip()
        if level is not None and not reason:
            raise Invalid(
                "Укажите причину, по которой уровень риска изменён вручную — без неё "
                "изменение не сохраняется."
            )
        with self._db.session() as s:
            audit = self._audit(s, own_site_id(s), year)
            row = self._assessment(s, audit, factor_code)
            row.override_level = level
            row.override_reason = reason[:2000] if level is not None else ""
            s.add(row)
            s.flush()
            return audit_state(s, audit, self._catalogues_dir).results[factor_code]

    def enable_factor(self, year: int, factor_code: str, enabled: bool) -> None:
        """Switch a factor that is off by default (R11) on or off for this audit."""
        with self._db.session() as s:
            audit = self._audit(s, own_site_id(s), year)
            factor = audit_state(s, audit, self._catalogues_dir).catalogue.factor(factor_code)
            if factor is None:
                raise NotFound(f"Фактора {factor_code} нет в справочнике этого самоаудита.")
            if factor.enabled_by_default:
                raise Invalid(f"Фактор {factor_code} входит в самоаудит всегда.")
            row_id = stable_id("assessment", audit.id, factor_code)
            row = s.get(RiskAssessment, row_id)
            if row is None and not enabled:
                return
            row = row or RiskAssessment(
                id=row_id, owner=audit.owner, audit_id=audit.id, factor_code=factor_code
            )
            row.deleted = not enabled
            s.add(row)

    def set_details(
        self, year: int, working_group: str, notes: str = "", completed_on: date | None = None
    ) -> None:
        with self._db.session() as s:
            audit = self._audit(s, own_site_id(s), year)
            audit.working_group = working_group.strip()[:2000]
            audit.notes = notes.strip()[:4000]
            audit.completed_on = completed_on
            s.add(audit)

    def create_measures(
        self, year: int, factor_codes: Sequence[str], on: date | None = None
    ) -> int:
        """Add the suggested measures of the factors to the roadmap; returns how many were added.

        Item ids are derived from the audit, factor and measure, so a second run adds nothing
        (and a measure the school deleted from its roadmap is not brought back).
        """
        if not factor_codes:
            raise Invalid("Выберите хотя бы один фактор риска, для которого нужны меры.")
        with self._db.session() as s:
            owner = own_site_id(s)
            audit = self._audit(s, owner, year)
            state = audit_state(s, audit, self._catalogues_dir)
            drafts: list[ItemDraft] = []
            for code in factor_codes:
                factor = state.catalogue.factor(code)
                if factor is None or code not in state.results:
                    raise NotFound(f"Фактора {code} нет в самоаудите {year} года.")
                drafts.extend(
                    ItemDraft(
                        id=stable_id("audit-measure", audit.id, code, m.title),
                        title=m.title,
                        deadline_text=m.deadline,
                        responsible=m.responsible,
                        expected_result=m.expected_result,
                        risk_factor_code=code,
                    )
                    for m in factor.measures
                )
            section = MEASURES_SECTION.format(year=year)
            return append_items(s, owner, section, drafts, on or date.today())

    # -- helpers ---------------------------------------------------------------------------------

    @staticmethod
    def _audit(s: Session, owner: str, year: int) -> SelfAudit:
        audit = find_audit(s, owner, year)
        if audit is None:
            raise NotFound(f"Самоаудита за {year} год ещё нет — начните его на экране «Самоаудит».")
        return audit

    def _assessment(
        self, s: Session, audit: SelfAudit, factor_code: str, factors: Sequence[str] | None = None
    ) -> RiskAssessment:
        known = (
            factors
            if factors is not None
            else list(audit_state(s, audit, self._catalogues_dir).results)
        )
        if factor_code not in known:
            raise NotFound(f"Фактора {factor_code} нет в самоаудите {audit.year} года.")
        row_id = stable_id("assessment", audit.id, factor_code)
        row = s.get(RiskAssessment, row_id) or RiskAssessment(
            id=row_id, owner=audit.owner, audit_id=audit.id, factor_code=factor_code
        )
        row.deleted = False
        return row

    def _store_level(self, s: Session, audit: SelfAudit, result: FactorResult) -> None:
        """Keep the computed level in the assessment row (the district sees it without rules)."""
        row = self._assessment(s, audit, result.code, [result.code])
        row.computed_level = result.computed or RiskLevel.NONE
        row.score = None if result.share is None else round(result.share, 2)
        s.add(row)
