"""Crafted multi-school data at a district, shared by the dashboard, report and screen tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session

from models import Peer, PeerStatus, Role, SchoolCurator, SchoolStatus, Site, stable_id
from models.audit import RiskAssessment, RiskLevel, SelfAudit
from models.catalogue import Comparison, Threshold
from models.results import Progression, VprResult
from models.roadmap import ItemStatus, Roadmap, RoadmapItem, RoadmapOccurrence, occurrence_id
from models.staff import ActivityForm, ActivityStatus, DevelopmentActivity, DevelopmentPlan, Teacher
from services.app import Services

YEAR = 2025
AS_OF = date(2025, 12, 1)


@dataclass(frozen=True, slots=True)
class Crafted:
    low: str  # flagged two years running, audit, overdue measures, ПК coverage
    good: str  # results fine, no audit
    empty: str  # nothing at all
    revoked: str  # revoked key, flagged this year only


def _vpr(owner: str, year: int, participants: int, n2: int) -> VprResult:
    rest = participants - n2
    return VprResult(
        id=stable_id("vpr", owner, year, 5, "", "Математика"),
        owner=owner,
        year=year,
        grade=5,
        subject="Математика",
        participants=participants,
        n2=n2,
        n3=rest // 2,
        n4=rest - rest // 2,
        n5=0,
        lowered=1,
        confirmed=participants - 2,
        raised=1,
    )


def _school(owner: str, name: str) -> Site:
    return Site(
        id=owner,
        owner=owner,
        role=Role.SCHOOL,
        full_name=name,
        short_name=name,
        code=f"51{abs(hash(owner)) % 10**8:08d}",
    )


def craft(services: Services) -> Crafted:
    """Four schools at an initialized district, with a VPR_FAIL > 20 % threshold from 2024."""
    c = Crafted(*(stable_id("crafted-school", n) for n in ("low", "good", "empty", "revoked")))
    with services.db.session() as s:
        district = services.site.profile().site.id
        s.add(
            Threshold(
                id=stable_id("threshold", "VPR_FAIL", 2024),
                owner=district,
                year=2024,
                indicator_code="VPR_FAIL",
                comparison=Comparison.GT,
                value=20.0,
            )
        )
        for owner, name in zip(
            (c.low, c.good, c.empty, c.revoked),
            (
                "МОУ Лодейнинская СОШ",
                "МОУ Урагубская СОШ",
                "МБОУ «Пушновская СОШ»",
                "МБОУ «Тулумская СОШ»",
            ),
            strict=True,
        ):
            s.add(_school(owner, name))
        for year, n2 in ((2024, 10), (2025, 12)):
            s.add(_vpr(c.low, year, 40, n2))
            s.add(
                Progression(
                    id=stable_id("progression", c.low, year, "all"),
                    owner=c.low,
                    year=year,
                    pupils=200,
                    repeaters=4 + year % 2,
                )
            )
        s.add(_vpr(c.good, 2024, 50, 2))
        s.add(_vpr(c.good, 2025, 50, 3))
        s.add(_vpr(c.revoked, 2024, 30, 3))
        s.add(_vpr(c.revoked, 2025, 30, 9))
        s.add(
            SchoolStatus(
                id=stable_id("status", c.low),
                owner=district,
                school_id=c.low,
                is_low_results=True,
            )
        )
        s.add(
            SchoolCurator(
                id=stable_id("curator", c.low), owner=district, school_id=c.low, name="Гайдай Е. В."
            )
        )
        s.add(
            Peer(
                site_id=c.revoked,
                role=Role.SCHOOL,
                name="Тулумская",
                signing_key="x",
                key_id="k",
                age_recipient="age1",
                fingerprint="F",
                status=PeerStatus.REVOKED,
                accept_up_to_seq=3,
                added_at=datetime(2025, 9, 1, tzinfo=UTC),
            )
        )
        _roadmap(s, c.low)
        _audit(s, c.low)
        _teachers(s, c.low)
    return c


def _roadmap(s: Session, owner: str) -> None:
    rid = stable_id("roadmap", owner, 2025)
    add = s.add
    add(
        Roadmap(
            id=rid,
            owner=owner,
            title="Дорожная карта",
            period_start=date(2025, 9, 1),
            period_end=date(2026, 6, 30),
        )
    )
    s.flush()
    plan = [
        (ItemStatus.DONE, date(2025, 10, 1)),
        (ItemStatus.DONE, date(2025, 11, 1)),
        (ItemStatus.PLANNED, date(2025, 10, 15)),
        (ItemStatus.IN_PROGRESS, date(2025, 11, 20)),
        (ItemStatus.PLANNED, date(2026, 3, 1)),
    ]
    # one occurrence each, then a monthly item (September done, October and November open:
    # October overdue on 1 December, November not yet) and an item of three dated events in two
    # months (October's two: one done, one cancelled; February's ahead)
    monthly = [(ItemStatus.DONE, date(2025, 9, 30)), (ItemStatus.PLANNED, date(2025, 10, 31)),
               (ItemStatus.IN_PROGRESS, date(2025, 12, 31))]  # fmt: skip
    events = [(ItemStatus.DONE, date(2025, 10, 31)), (ItemStatus.CANCELLED, date(2025, 10, 31)),
              (ItemStatus.PLANNED, date(2026, 2, 28))]  # fmt: skip
    items = [[one] for one in plan] + [monthly, events]
    for n, occurrences in enumerate(items):
        item = stable_id("item", owner, n)
        add(RoadmapItem(id=item, owner=owner, roadmap_id=rid, position=n,
                        title=f"Мероприятие {n + 1}", end_date=occurrences[-1][1]))  # fmt: skip
        s.flush()
        for seq, (status, end) in enumerate(occurrences):
            add(RoadmapOccurrence(id=occurrence_id(item, end, seq), owner=owner, item_id=item,
                                  roadmap_id=rid, position=seq, end_date=end, status=status,
                                  seq=seq))  # fmt: skip


def _audit(s: Session, owner: str) -> None:
    add = s.add
    audit = stable_id("audit", owner, 2025)
    add(SelfAudit(id=audit, owner=owner, year=2025))
    s.flush()
    for code, level in (("R01", RiskLevel.HIGH), ("R02", RiskLevel.LOW), ("R03", RiskLevel.MEDIUM)):
        add(
            RiskAssessment(
                id=stable_id("assessment", audit, code),
                owner=owner,
                audit_id=audit,
                factor_code=code,
                override_level=level,
                override_reason="Беседа",
            )
        )


def _teachers(s: Session, owner: str) -> None:
    add = s.add
    for n in range(4):
        tid = stable_id("teacher", owner, n)
        add(Teacher(id=tid, owner=owner, full_name=f"Учитель {n}"))
        s.flush()
        pid = stable_id("plan", owner, n)
        add(
            DevelopmentPlan(
                id=pid,
                owner=owner,
                teacher_id=tid,
                period_start=date(2025, 9, 1),
                period_end=date(2026, 6, 30),
            )
        )
        s.flush()
        if n < 3:
            add(
                DevelopmentActivity(
                    id=stable_id("act", owner, n),
                    owner=owner,
                    plan_id=pid,
                    form=ActivityForm.COURSE,
                    title="Курсы ПК",
                    status=ActivityStatus.DONE,
                    completion_date=date(2024 + n % 2, 3, 1),
                )
            )
