"""Random multi-school data and a plain reference of the per-school rules (the batch path).

`populate` writes random rows of every kind the dashboard reads — with tombstones, missing
dates, whole-grade and class ВПР rows, several roadmaps and audits, mentors of other schools and
rows that point at another owner's rows. The `ref_*` functions are the per-school rules written
out row by row over ORM objects (as the areas computed them before the set-based loaders), so the
batch path is checked against an independent implementation, not against itself.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from models import Role, Site, stable_id
from models.audit import AuditAnswer, RiskAssessment, RiskLevel, SelfAudit
from models.results import ExamKind, GiaResult, IndicatorTarget, Progression, VprResult
from models.roadmap import ItemStatus, Roadmap, RoadmapItem, RoadmapOccurrence
from models.staff import (
    ActivityForm,
    ActivityStatus,
    DevelopmentActivity,
    DevelopmentPlan,
    Teacher,
)
from services.audit.catalogue import shipped_catalogues
from services.audit.levels import audit_state, find_audit
from services.core.ratio import Ratio
from services.results.data import ALL_LEVELS, GiaStats, VprStats, YearData
from services.staff.queries import ACTIVE_FORMS, PK_YEARS, StaffCoverage, years_before
from tests.conftest import CATALOGUES

SUBJECTS = ("Математика", "Русский язык", "История")
LEVELS = (ALL_LEVELS, "1-4", "5-9", "10-11")
TARGET_CODES = ("VPR_FAIL", "VPR_FAIL|Математика", "CERT_9_11", "ROADMAP_EXEC", "TEACHER_PK")


@dataclass
class Gen:
    rng: random.Random
    s: Session
    n: int = 0

    def id(self, *parts: object) -> str:
        self.n += 1
        return stable_id("batch-test", self.n, *parts)

    def day(self, start: date = date(2022, 6, 1), span: int = 1600) -> date:
        return start + timedelta(days=self.rng.randrange(span))

    def maybe_day(self) -> date | None:
        return None if self.rng.random() < 0.3 else self.day()

    def dead(self) -> bool:
        return self.rng.random() < 0.15


def populate(s: Session, seed: int, schools: int) -> list[str]:
    """Random schools (Site rows) with random rows of every area; returns their ids."""
    g = Gen(random.Random(seed), s)
    owners = [stable_id("batch-school", seed, n) for n in range(schools)]
    for n, owner in enumerate(owners):
        name = f"МОУ СОШ № {n + 1}"
        s.add(Site(id=owner, owner=owner, role=Role.SCHOOL, full_name=name, short_name=name))
    s.flush()
    for owner in owners:
        if g.rng.random() < 0.85:  # some schools have nothing at all
            _results(g, owner)
            _roadmaps(g, owner, owners)
            _audits(g, owner)
        _staff(g, owner, owners)
    return owners


def _results(g: Gen, owner: str) -> None:
    for year in (2023, 2024, 2025):
        for grade in (4, 5, 6):
            for subject in SUBJECTS:
                shape = g.rng.choice(("whole", "classes", "both", "none"))
                labels = {"whole": [""], "classes": ["А", "Б"], "both": ["", "А"], "none": []}
                for label in labels[shape]:
                    n2, n3, n4, n5 = (g.rng.randrange(8) for _ in range(4))
                    objectivity = g.rng.random() < 0.7
                    g.s.add(VprResult(
                        id=g.id(), owner=owner, year=year, grade=grade,
                        class_label=f"{grade}{label}" if label else "", subject=subject,
                        participants=n2 + n3 + n4 + n5, n2=n2, n3=n3, n4=n4, n5=n5,
                        lowered=g.rng.randrange(3) if objectivity else None,
                        confirmed=g.rng.randrange(20) if objectivity else None,
                        raised=g.rng.randrange(3) if objectivity else None, deleted=g.dead(),
                    ))  # fmt: skip
        for exam in ExamKind:
            for subject in SUBJECTS[: g.rng.randrange(3)]:
                g.s.add(GiaResult(
                    id=g.id(), owner=owner, year=year, exam=exam, subject=subject,
                    participants=20, below_min=g.rng.randrange(6), high_scorers=g.rng.randrange(4),
                    deleted=g.dead(),
                ))  # fmt: skip
        for level in g.rng.sample(LEVELS, g.rng.randrange(len(LEVELS) + 1)):
            graduates = g.rng.randrange(30)
            g.s.add(Progression(
                id=g.id(), owner=owner, year=year, level=level, pupils=100 + g.rng.randrange(300),
                repeaters=g.rng.randrange(5), conditionally_promoted=g.rng.randrange(5),
                graduates_9=graduates, certificates_9=g.rng.randrange(graduates + 1),
                graduates_11=graduates // 2, certificates_11=g.rng.randrange(graduates // 2 + 1),
                medals=g.rng.randrange(3), deleted=g.dead(),
            ))  # fmt: skip
        for code in TARGET_CODES:
            if g.rng.random() < 0.6:
                g.s.add(IndicatorTarget(
                    id=g.id(), owner=owner, year=year, indicator_code=code,
                    baseline=g.rng.choice((None, 10.0)), target=g.rng.choice((None, 5.0, 50.0)),
                    deleted=g.dead(),
                ))  # fmt: skip


def _roadmaps(g: Gen, owner: str, owners: list[str]) -> None:
    for first in g.rng.sample((2023, 2024, 2025), g.rng.randrange(4)):
        roadmap = g.id()
        g.s.add(Roadmap(
            id=roadmap, owner=owner, title="ДК", period_start=date(first, 9, 1),
            period_end=date(first + 1, 6, 30), deleted=g.rng.random() < 0.1,
        ))  # fmt: skip
        g.s.flush()
        for position in range(g.rng.randrange(12)):
            item = g.id()
            g.s.add(RoadmapItem(
                id=item, owner=owner if g.rng.random() < 0.95 else g.rng.choice(owners),
                roadmap_id=roadmap, position=position, title=f"Мероприятие {position}",
            ))  # fmt: skip
            g.s.flush()
            # one occurrence mostly, several for a recurring item; some without a due date
            for n in range(g.rng.choice((1, 1, 1, 2, 4))):
                g.s.add(RoadmapOccurrence(
                    id=g.id(), owner=owner, item_id=item, roadmap_id=roadmap, position=n,
                    end_date=g.maybe_day(), status=g.rng.choice(list(ItemStatus)),
                    deleted=g.dead(),
                ))  # fmt: skip


def _staff(g: Gen, owner: str, owners: list[str]) -> None:
    mentors = list(g.s.exec(select(Teacher.id)).all())
    for n in range(g.rng.randrange(7)):
        teacher = g.id()
        mentor = g.rng.choice([None, teacher, *mentors[-8:]])  # self, another school's, none
        g.s.add(Teacher(
            id=teacher, owner=owner, full_name=f"Учитель {n}",
            is_young_specialist=g.rng.random() < 0.4, mentor_id=mentor, deleted=g.dead(),
        ))  # fmt: skip
        g.s.flush()
        mentors.append(teacher)
        for _plan in range(g.rng.randrange(3)):
            plan, start = g.id(), g.day(date(2023, 1, 1), 1000)
            g.s.add(DevelopmentPlan(
                id=plan, owner=owner if g.rng.random() < 0.95 else g.rng.choice(owners),
                teacher_id=teacher, period_start=start, period_end=start + timedelta(days=300),
                deleted=g.dead(),
            ))  # fmt: skip
            g.s.flush()
            for k in range(g.rng.randrange(5)):
                g.s.add(DevelopmentActivity(
                    id=g.id(), owner=owner, plan_id=plan, title=f"Мероприятие {k}",
                    form=g.rng.choice(list(ActivityForm)),
                    status=g.rng.choice(list(ActivityStatus)), start_date=g.maybe_day(),
                    end_date=g.maybe_day(), completion_date=g.maybe_day(), deleted=g.dead(),
                ))  # fmt: skip


def _audits(g: Gen, owner: str) -> None:
    catalogue = shipped_catalogues(CATALOGUES)[-1]
    criteria = [c for f in catalogue.factors for c in f.criteria]
    for year in g.rng.sample((2023, 2024, 2025, 2026), g.rng.randrange(4)):
        audit = g.id()
        g.s.add(SelfAudit(id=audit, owner=owner, year=year, deleted=g.rng.random() < 0.1))
        g.s.flush()
        for c in g.rng.sample(criteria, g.rng.randrange(len(criteria))):
            g.s.add(AuditAnswer(
                id=g.id(), owner=owner, audit_id=audit, criterion_code=c.code,
                score=g.rng.randrange(3) if c.is_scale else None,
                value=None if c.is_scale else g.rng.uniform(c.minimum, c.maximum or 100),
                deleted=g.dead(),
            ))  # fmt: skip
        for f in g.rng.sample(catalogue.factors, g.rng.randrange(4)):
            g.s.add(RiskAssessment(
                id=g.id(), owner=owner, audit_id=audit, factor_code=f.code,
                override_level=g.rng.choice((None, *RiskLevel)), override_reason="Причина",
                deleted=g.dead(),
            ))  # fmt: skip


# -- the reference: the per-school rules, row by row ---------------------------------------------


def _live(s: Session, table: type, *conditions: object) -> list:  # type: ignore[type-arg]
    return list(s.exec(select(table).where(col(table.deleted).is_(False), *conditions)).all())  # type: ignore[attr-defined, arg-type]


def ref_year_data(s: Session, owner: str, year: int) -> YearData:
    data = YearData(year)
    rows = _live(s, VprResult, VprResult.owner == owner, VprResult.year == year)
    whole = {(r.grade, r.subject) for r in rows if not r.class_label}
    for r in rows:
        if not (r.class_label and (r.grade, r.subject) in whole):
            data.vpr.setdefault(r.subject, VprStats()).add(r)
    for r in _live(s, GiaResult, GiaResult.owner == owner, GiaResult.year == year):
        stats = data.gia.setdefault(ExamKind(r.exam).value, GiaStats())
        stats.participants += r.participants
        stats.below_min += r.below_min
        stats.high_scorers += r.high_scorers
    rows = _live(s, Progression, Progression.owner == owner, Progression.year == year)
    for p in [p for p in rows if p.level == ALL_LEVELS] or rows:
        data.progression.add(p)
    return data


def ref_roadmap(s: Session, owner: str, on: date) -> tuple[Ratio, int]:
    """(execution, overdue) of the roadmap containing `on`, else the latest one."""
    maps = sorted(_live(s, Roadmap, Roadmap.owner == owner), key=lambda r: r.id)
    maps.sort(key=lambda r: r.period_start, reverse=True)
    roadmap = next((r for r in maps if r.period_start <= on <= r.period_end), None)
    roadmap = roadmap or (maps[0] if maps else None)
    if roadmap is None:
        return Ratio(0, 0), 0
    # occurrences with a due date; one without (an unread or empty wording) counts nowhere
    dated = [
        o
        for o in _live(s, RoadmapOccurrence, RoadmapOccurrence.roadmap_id == roadmap.id)
        if o.end_date is not None
    ]
    counted = [o for o in dated if o.status is not ItemStatus.CANCELLED]
    done = sum(1 for o in counted if o.status is ItemStatus.DONE)
    due = sum(1 for o in counted if o.status is ItemStatus.DONE or o.end_date <= on)
    closed = (ItemStatus.DONE, ItemStatus.CANCELLED)
    late = [o for o in dated if o.status not in closed and o.end_date < on]
    return Ratio(done, due), len(late)


def ref_staff(s: Session, owner: str, on: date) -> StaffCoverage:
    teachers = _live(s, Teacher, Teacher.owner == owner)
    ids = {t.id for t in teachers}
    plans = _live(s, DevelopmentPlan, col(DevelopmentPlan.teacher_id).in_(ids))
    teacher_of = {p.id: p.teacher_id for p in plans}
    current = {p.teacher_id for p in plans if p.period_start <= on <= p.period_end}
    pk_since, active_since = years_before(on, PK_YEARS), years_before(on, 1)
    pk: set[str] = set()
    active: set[str] = set()
    for a in _live(s, DevelopmentActivity, col(DevelopmentActivity.plan_id).in_(teacher_of)):
        finished = a.completion_date or a.end_date
        course = a.form is ActivityForm.COURSE and a.status is ActivityStatus.DONE
        if course and finished is not None and pk_since <= finished <= on:
            pk.add(teacher_of[a.plan_id])
        if a.form in ACTIVE_FORMS:
            day = finished or a.start_date
            started = a.status is ActivityStatus.IN_PROGRESS and (
                a.start_date is None or a.start_date <= on
            )
            done = a.status is ActivityStatus.DONE and (day is None or active_since <= day <= on)
            if started or done:
                active.add(teacher_of[a.plan_id])
    young = [t for t in teachers if t.is_young_specialist]
    mentored = [t for t in young if t.mentor_id in ids and t.mentor_id != t.id]
    total = len(teachers)
    return StaffCoverage(
        total, Ratio(len(current), total), Ratio(len(pk), total), Ratio(len(active), total),
        Ratio(len(mentored), len(young)),
    )  # fmt: skip


def ref_levels(s: Session, owner: str, year: int | None) -> tuple[int, dict[str, RiskLevel]] | None:
    """(year, levels) of the audit `risk_profile` reads, through the audit screen's own path."""
    audit = find_audit(s, owner, year)
    if audit is None:
        return None
    state = audit_state(s, audit, CATALOGUES)
    levels = {c: r.level for c, r in state.results.items() if r.level is not None}
    return audit.year, levels
