"""The district demo: the seven schools of the Kola district, through the real merge engine.

Each school is built as a real installation in a temporary data directory with the school demo
parts (roadmap, results, staff, self-audit), varied in quality, exported as a signed, encrypted
package to this district's card, enrolled (trusted) and imported with `SyncService` — so every
row the dashboard shows arrived the way a real package does.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from random import Random

from sqlmodel import Session, col, select

from models import ProgrammeStaff, Role, SchoolCurator, SchoolStatus, stable_id
from models.audit import RiskLevel, SelfAudit
from models.catalogue import Comparison, Threshold
from models.results import GiaResult, Progression, VprResult
from models.roadmap import ItemStatus, RoadmapOccurrence
from models.staff import ActivityForm, ActivityStatus, DevelopmentActivity
from services.core.config import AppPaths
from services.core.db import Database
from services.packages.keys import KeyStore
from services.packages.types import SiteCard
from services.results.demo import demo_years
from services.roadmap.programme import staff_rows
from services.roadmap.queries import current_roadmap
from services.site.backup import BackupService
from services.site.profile import SiteService, own_site_id
from services.staff.queries import ACTIVE_FORMS
from services.sync.engine import SyncService

CURATOR_ORG = "МБУО «Районный методический кабинет»"
OVERRIDE_REASON = "По итогам собеседования с директором (демонстрационные данные)."
RISK_OVERRIDES = {
    "low": (("R03", RiskLevel.HIGH), ("R06", RiskLevel.HIGH), ("R07", RiskLevel.HIGH)),
    "good": (("R02", RiskLevel.MEDIUM), ("R04", RiskLevel.LOW), ("R10", RiskLevel.LOW)),
    "overdue": (("R05", RiskLevel.HIGH), ("R09", RiskLevel.MEDIUM)),
}


@dataclass(frozen=True, slots=True)
class DemoSchool:
    full_name: str
    short_name: str
    code: str
    director: str
    quality: str  # "low" | "no-audit" | "overdue" | anything else: no extra change
    curator: str = ""
    vpr_shift: float = -0.05  # share of pupils moved into (+) or out of (−) the mark «2»


# Seed 000 names the seven schools; directors are invented (no real person's data).
SCHOOLS = (
    DemoSchool(
        "Муниципальное общеобразовательное учреждение Зверосовхозская средняя "
        "общеобразовательная школа",
        "МОУ Зверосовхозская СОШ",
        "5105010001",
        "Герасимова Елена Сергеевна",
        "low",
        "Харитонова Н. Ф.",
        0.0,
    ),
    DemoSchool(
        "Муниципальное общеобразовательное учреждение Лодейнинская средняя "
        "общеобразовательная школа",
        "МОУ Лодейнинская СОШ",
        "5105010002",
        "Соколова Ирина Викторовна",
        "usual",
        "Гайдай Е. В.",
    ),
    DemoSchool(
        "Муниципальное общеобразовательное учреждение Междуреченская средняя "
        "общеобразовательная школа",
        "МОУ Междуреченская СОШ",
        "5105010003",
        "Нагорнова Ольга Андреевна",
        "no-audit",
        "",
        -0.02,
    ),
    DemoSchool(
        "Муниципальное бюджетное общеобразовательное учреждение «Пушновская средняя "
        "общеобразовательная школа»",
        "МБОУ «Пушновская СОШ»",
        "5105010004",
        "Баданина Ольга Владимировна",
        "good",
        "",
        -0.12,
    ),
    DemoSchool(
        "Муниципальное бюджетное общеобразовательное учреждение «Туломская средняя "
        "общеобразовательная школа»",
        "МБОУ «Туломская СОШ»",
        "5105010005",
        "Маслова Светлана Михайловна",
        "overdue",
        "Гайдай Е. В.",
        0.0,
    ),
    DemoSchool(
        "Муниципальное общеобразовательное учреждение Урагубская средняя общеобразовательная школа",
        "МОУ Урагубская СОШ",
        "5105010006",
        "Маринина Анна Геннадьевна",
        "low",
        "",
        0.03,
    ),
    DemoSchool(
        "Муниципальное общеобразовательное учреждение Кильдинская основная "
        "общеобразовательная школа",
        "МОУ КОСОШ",
        "5105010007",
        "Чуприна Елена Степановна",
        "usual",
        "",
        -0.08,
    ),
)
DEMO_SEED = 7105  # one fixed seed: the demo shows the same district every time
DONE_ACT = ActivityStatus.DONE
LIVE_ACT = frozenset({ActivityStatus.DONE, ActivityStatus.IN_PROGRESS})
# Example thresholds of the district (marked as examples; the district sets its own).
EXAMPLE_THRESHOLDS = (
    ("VPR_FAIL", Comparison.GT, 25.0, "Доля «2» по ВПР выше 25 %"),
    ("GIA_BELOW_MIN", Comparison.GT, 10.0, "Доля результатов ГИА ниже минимального балла"),
    ("ROADMAP_EXEC", Comparison.LT, 40.0, "Исполнение дорожной карты ниже 40 %"),
)


class DistrictDemo:
    """Demo part for the district role (no-op for a school)."""

    def __init__(
        self,
        db: Database,
        site: SiteService,
        keys: KeyStore,
        paths: AppPaths,
        backups: BackupService,
    ) -> None:
        self._db = db
        self._site = site
        self._keys = keys
        self._sync = SyncService(db, paths, keys, backups)
        self._resources = paths.resources_dir

    def fill_demo(self, role: Role, today: date | None = None) -> str:
        if role is not Role.DISTRICT:
            return "Сводка района: ведётся в управлении образования."
        today = today or date.today()
        self._keys.ensure()
        card = self._keys.card(self._site.profile())
        with tempfile.TemporaryDirectory(prefix="opora-demo-") as tmp:
            packages = [
                self._school(Path(tmp), n, school, card, today) for n, school in enumerate(SCHOOLS)
            ]
            reports = self._sync.import_files(packages, dry_run=False)
        applied = sum(1 for r in reports if r.verdict == "applied")
        self._district_rows(today)
        return (
            f"Сводка района: {len(SCHOOLS)} школ Кольского района с подписанными пакетами "
            f"({applied} принято), статусы, кураторы и примерные пороги показателей."
        )

    def _school(self, root: Path, n: int, school: DemoSchool, card: SiteCard, today: date) -> Path:
        from services.app import open_services  # the composition root builds this module

        services = open_services(AppPaths(self._resources, root / f"school-{n}"))
        try:
            services.site.initialize(
                Role.SCHOOL, school.full_name, school.code, short_name=school.short_name
            )
            services.exchange.trust_district_card(card)
            services.demo.fill()
            services.site.update(
                director_name=school.director, director_position=f"Директор {school.short_name}"
            )
            with services.db.session() as s:
                owner = own_site_id(s)
                _shift_vpr(s, owner, demo_years(today), school.vpr_shift)
                _individualise(s, owner, n)
                VARIANTS.get(school.quality, _usual)(s, owner, today)
            for code, level in RISK_OVERRIDES.get(school.quality, ()):
                services.audit.set_override(today.year, code, level, OVERRIDE_REASON)
            own = services.exchange.own_card()
            self._sync.enroll_card(own, own.fingerprint)
            return services.exchange.export(root / f"school-{n}.opora").path
        finally:
            services.db.close()

    def _district_rows(self, today: date) -> None:
        first = demo_years(today)[0]
        with self._db.session() as s:
            district = own_site_id(s)
            _programme(s, district, today)
            for code, comparison, value, note in EXAMPLE_THRESHOLDS:
                tid = stable_id("threshold", code, first)  # as services.thresholds writes it
                if s.get(Threshold, tid) is None:
                    s.add(
                        Threshold(
                            id=tid,
                            owner=district,
                            year=first,
                            indicator_code=code,
                            comparison=comparison,
                            value=value,
                            is_example=True,
                            note=note,
                        )
                    )
            for school in SCHOOLS:
                site_id = self._site_id(s, school.code)
                sid = stable_id("status", site_id)
                if site_id and s.get(SchoolStatus, sid) is None:
                    s.add(
                        SchoolStatus(
                            id=sid,
                            owner=district,
                            school_id=site_id,
                            is_low_results=True,
                        )
                    )
                    if school.curator:
                        s.add(
                            SchoolCurator(
                                id=stable_id("curator", site_id),
                                owner=district,
                                school_id=site_id,
                                name=school.curator,
                                org=CURATOR_ORG,
                            )
                        )

    @staticmethod
    def _site_id(s: Session, code: str) -> str:
        from models import Site

        site = s.exec(select(Site).where(Site.code == code, Site.role == Role.SCHOOL)).first()
        return site.id if site else ""


# -- quality variants (edit the school's own rows before it exports) ----------------------------


def _shift_vpr(s: Session, owner: str, years: list[int], share: float) -> None:
    """Move `share` of each class's pupils into (share > 0) or out of (< 0) the mark «2»."""
    rows = s.exec(
        select(VprResult).where(VprResult.owner == owner, col(VprResult.year).in_(years))
    ).all()
    for r in rows:
        if share > 0:
            k = min(int(r.participants * share), r.n3 + r.n4)
            from_n3 = min(k, r.n3)
            r.n2, r.n3, r.n4 = r.n2 + k, r.n3 - from_n3, r.n4 - (k - from_n3)
        else:
            k = min(int(r.participants * -share), r.n2)
            r.n2, r.n3 = r.n2 - k, r.n3 + k


def _individualise(s: Session, owner: str, n: int) -> None:
    """Make school `n` differ from the others (the school demo is one school's figures).

    Deterministic: quality of ВПР marks, repeaters and certificates, and how many finished
    measures are still open differ by school; every change keeps the results rules (marks add
    up, certificates not above graduates).
    """
    quality = (n % 4 - 1.5) * 0.05  # −7.5 … +7.5 % of each class from «3» to «4»/«5» or back
    for r in s.exec(select(VprResult).where(VprResult.owner == owner)).all():
        if quality > 0:
            k = min(int(r.participants * quality), r.n3)
            r.n3, r.n4 = r.n3 - k, r.n4 + k
        else:
            k = min(int(r.participants * -quality), r.n4)
            r.n4, r.n3 = r.n4 - k, r.n3 + k
    for p in s.exec(select(Progression).where(Progression.owner == owner)).all():
        p.repeaters = min(p.pupils, p.repeaters + n % 3)
        p.conditionally_promoted = min(p.pupils, p.conditionally_promoted + (n * 2) % 5)
        p.certificates_9 = max(0, p.certificates_9 - n % 2)
        p.medals = max(0, min(p.certificates_11, p.medals + (n % 3) - 1))
    done = s.exec(
        select(RoadmapOccurrence)
        .where(RoadmapOccurrence.owner == owner, RoadmapOccurrence.status == ItemStatus.DONE)
        .order_by(col(RoadmapOccurrence.id))
    ).all()
    for item in done[: n % 4]:
        item.status, item.completion_date = ItemStatus.IN_PROGRESS, None
    rng = Random(DEMO_SEED + n)
    _vary_objectivity(s, owner, rng)
    _vary_gia(s, owner, rng)
    _vary_staff(s, owner, rng)


def _vary_objectivity(s: Session, owner: str, rng: Random) -> None:
    """Some classes' marks were lowered or raised on re-check: 0–25 % of confirmed ones."""
    share = rng.uniform(0.0, 0.25)
    for r in s.exec(select(VprResult).where(VprResult.owner == owner)).all():
        if r.confirmed is None:
            continue
        k = int(r.confirmed * share)
        up = rng.randint(0, k)
        r.confirmed = r.confirmed - k
        r.lowered, r.raised = (r.lowered or 0) + k - up, (r.raised or 0) + up


def _vary_gia(s: Session, owner: str, rng: Random) -> None:
    """Results below the minimum score: from none to about an eighth of the participants."""
    share = rng.uniform(0.01, 0.12)
    for r in s.exec(select(GiaResult).where(GiaResult.owner == owner)).all():
        r.below_min = min(r.participants, round(r.participants * share))


def _vary_staff(s: Session, owner: str, rng: Random) -> None:
    """Fewer courses done and fewer active forms: up to half of them back to «planned»."""
    activities = s.exec(
        select(DevelopmentActivity)
        .where(DevelopmentActivity.owner == owner)
        .order_by(col(DevelopmentActivity.id))
    ).all()
    courses = [a for a in activities if a.form is ActivityForm.COURSE and a.status is DONE_ACT]
    active = [a for a in activities if a.form in ACTIVE_FORMS and a.status in LIVE_ACT]
    for group in (courses, active):
        for a in rng.sample(group, rng.randint(0, len(group) // 2)):
            a.status, a.completion_date = ActivityStatus.PLANNED, None


def _low(s: Session, owner: str, today: date) -> None:
    _shift_vpr(s, owner, demo_years(today)[-2:], 0.12)


def _no_audit(s: Session, owner: str, today: date) -> None:
    for audit in s.exec(select(SelfAudit).where(SelfAudit.owner == owner)).all():
        audit.deleted = True


def _overdue(s: Session, owner: str, today: date) -> None:
    items = s.exec(
        select(RoadmapOccurrence)
        .where(RoadmapOccurrence.owner == owner, RoadmapOccurrence.status == ItemStatus.DONE)
        .order_by(col(RoadmapOccurrence.id))
    ).all()
    for n, item in enumerate(items):
        if n % 3 != 0:
            item.status, item.completion_date, item.evidence = ItemStatus.PLANNED, None, ""


def _usual(s: Session, owner: str, today: date) -> None:
    return None


VARIANTS: dict[str, Callable[[Session, str, date], None]] = {
    "low": _low,
    "no-audit": _no_audit,
    "overdue": _overdue,
}


# Seed 000 (the Kola order of 23.12.2021 № 647): its coordinator, its «Механизмы реализации» and
# the two bodies its item 3 charges with carrying out the plan.
DEMO_COORDINATOR = "Гайдай Е.В., начальник отдела общего и дополнительного образования"
DEMO_MECHANISMS = (
    "- принятие эффективных решений и мониторинг их исполнения;\n"
    "- разработка мер адресной поддержки с учетом проблем каждой школы;\n"
    "- развитие кадрового потенциала;\n"
    "- эффективное использование внутренних и внешних ресурсов;\n"
    "- обеспечение информационной открытости реализации дорожной карты."
)
DEMO_STAFF = (
    ("Гайдай Е.В.", "Начальник отдела общего и дополнительного образования Управления образования",
     "Координатор реализации дорожной карты"),
    ("Харитонова Н.Ф.", "МБУО «Районный методический кабинет»",
     "Обеспечение реализации мероприятий дорожной карты"),
)  # fmt: skip


def _programme(s: Session, district: str, today: date) -> None:
    """The municipal roadmap's programme data, unless the district has entered its own."""
    roadmap = current_roadmap(s, district, today)
    if roadmap is None or roadmap.coordinator or staff_rows(s, roadmap.id):
        return
    roadmap.coordinator, roadmap.mechanisms = DEMO_COORDINATOR, DEMO_MECHANISMS
    for position, (person, job, role) in enumerate(DEMO_STAFF):
        s.add(ProgrammeStaff(owner=district, roadmap_id=roadmap.id, position=position,
                             person=person, job_title=job, role=role))  # fmt: skip
