"""A synthetic region: one district and N schools with real keys and real signed, encrypted
packages (each school ≈ 1,750 rows of model v2: roadmaps with nested sections, occurrences and
the programme's staff, meeting protocols, self-audits, teachers with plans and activities, three
years of results with the year's assessment and the municipal inputs of seed 001's indicators).

    python -m tests.bench.region DIR N      # writes DIR/district (data dir) and DIR/packages

`build_region(root, n)` is reused by benchmarks and demos; the district's data directory is
initialized and (with `enroll=True`) already trusts every school.
"""

from __future__ import annotations

import hashlib
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from models import Role, SiteRead, stable_id
from models.roadmap import occurrence_id
from services.app import Services, open_services
from services.core.config import AppPaths
from services.core.db import head_revision
from services.packages.format import write_package
from services.packages.keys import KeyStore
from services.packages.types import PackageKind, Record, SiteCard
from services.roadmap.recurrence import planned_periods
from services.site.profile import SiteProfile
from services.sync.rows import TABLES
from tests.services.forge_support import default_row

REPO = Path(__file__).resolve().parents[2]
SUBJECTS = ("Русский язык", "Математика", "Окружающий мир", "История", "Биология",
            "География", "Обществознание", "Физика")  # fmt: skip
WORDS = ("организовать", "провести", "мониторинг", "качества", "обучения", "методического",
         "объединения", "учителей", "по", "результатам", "ВПР", "анализ", "индивидуальных",
         "образовательных", "маршрутов", "обучающихся", "с", "низкой", "мотивацией")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Region:
    district_dir: Path
    packages: list[Path]
    cards: list[SiteCard]
    rows: int


def _text(i: int, n: int = 8) -> str:
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n)).capitalize()


def _defaults(table: str) -> dict[str, Any]:
    """A valid row of `table`: zeros and empty texts, every foreign key left for the caller."""
    return default_row(table, number=0, text="", every_reference=True)


def _random_id(*key: object) -> str:
    """A version-4 id, as `models.new_id` makes, but the same on every run of the bench."""
    digest = hashlib.sha256("\x1f".join(map(str, key)).encode()).digest()[:16]
    return str(uuid.UUID(bytes=digest, version=4))


# The ids of the "one per X" tables, made by the recipes of `services.sync.ownership` (the rest
# are random): the import checks each one.
_RECIPES: dict[str, Any] = {
    "self_audit": lambda o, f: stable_id("audit", o, f["year"]),
    "audit_answer": lambda o, f: stable_id("answer", f["audit_id"], f["criterion_code"]),
    "risk_assessment": lambda o, f: stable_id("assessment", f["audit_id"], f["factor_code"]),
    "vpr_result": lambda o, f: stable_id(
        "vpr", o, f["year"], f["grade"], f["class_label"], f["subject"]
    ),
    "gia_result": lambda o, f: stable_id("gia", o, f["year"], f["exam"], f["subject"]),
    "progression": lambda o, f: stable_id("progression", o, f["year"], f["level"]),
    "indicator_target": lambda o, f: stable_id("target", o, f["indicator_code"], f["year"]),
    "assessment_result": lambda o, f: stable_id(
        "assessment", o, f["year"], f["period"], f["grade"], f["class_label"], f["subject"]
    ),
    "roadmap_occurrence": lambda o, f: occurrence_id(
        f["item_id"], date.fromisoformat(f["end_date"]) if f["end_date"] else None, f["seq"]
    ),
}


class _Rows:
    def __init__(self, owner: str, node: str) -> None:
        self.owner = owner
        self.node = node
        self.records: list[Record] = []
        self.clock = 1_760_000_000_000
        self.templates = {name: _defaults(name) for name in TABLES}

    def add(self, table: str, key: tuple[object, ...], **fields: Any) -> str:
        self.clock += 7
        row = {**self.templates[table], **fields}
        recipe = _RECIPES.get(table)
        rid = recipe(self.owner, row) if recipe else _random_id(table, self.owner, *key)
        row |= {"id": rid, "owner": self.owner,
               "hlc": f"{self.clock:013d}.00000.{self.node}", "deleted": False}  # fmt: skip
        self.records.append(Record(table, row))
        return rid


# Deadline wordings of the synthetic items: mostly one-off, some recurring or with several dates
# (seeds 000 and 001), so a school year's 150 items carry about 225 occurrences.
DEADLINES = ("в течение года", "Октябрь", "Декабрь", "Февраль – март", "Май", "ежегодно",
             "2 раза в год", "ежеквартально", "Февраль, июль", "Апрель")  # fmt: skip


def _roadmap(r: _Rows, y: int, year: int) -> str:
    """A school year's roadmap: 3 sections with 2 or 3 subsections each, 150 items."""
    start, end = date(year, 9, 1), date(year + 1, 6, 30)
    rm = r.add("roadmap", (year,), title=f"Дорожная карта {year}/{year + 1}",
               period_start=start.isoformat(), period_end=end.isoformat(), goal=_text(y, 20))  # fmt: skip  # noqa: E501
    tops = [r.add("roadmap_section", (year, t), roadmap_id=rm, position=t, number=_ROMAN[t],
                  title=_text(t, 4), task=_text(t + 5, 6)) for t in range(3)]  # fmt: skip
    sections = [r.add("roadmap_section", (year, t, s), roadmap_id=rm, parent_id=tops[t],
                      position=s, number=f"{t + 1}.{s + 1}", title=_text(s + t, 4))
                for t in range(3) for s in range(3 if t < 2 else 2)]  # fmt: skip
    for i in range(150):
        wording = DEADLINES[i % len(DEADLINES)]
        item = r.add("roadmap_item", (year, i), roadmap_id=rm, section_id=sections[i % 8],
                     position=i, number=f"{i // 8 + 1}.{i % 8 + 1}", title=_text(i, 12),
                     deadline_text=wording, responsible="заместитель директора по УВР",
                     expected_result=_text(i + 3, 10))  # fmt: skip
        plan = planned_periods(wording, start, end)
        r.records[-1].row.update(start_date=_iso(plan.start), end_date=_iso(plan.end))
        for n, p in enumerate(plan.periods):
            done = (i + n) % 3 != 0 and p.end is not None and p.end < date(2026, 1, 1)
            r.add("roadmap_occurrence", (year, i, n), item_id=item, roadmap_id=rm, position=n,
                  label=p.label, start_date=_iso(p.start), end_date=_iso(p.end), seq=p.seq,
                  status="done" if done else "planned",
                  completion_date=_iso(p.end) if done else None)  # fmt: skip
    return rm


def _programme(r: _Rows, roadmap: str, year: int) -> None:
    """The programme's staffing table (model v2): five people of the school's team."""
    for k in range(5):
        r.add("programme_staff", (year, k), roadmap_id=roadmap, position=k,
              person=f"Сотрудник {k + 1} И. О.", job_title="заместитель директора",
              role=_text(k, 6), curates=_text(k + 2, 3))  # fmt: skip


def _protocols(r: _Rows, year: int) -> None:
    """Four meeting protocols of a school year, 3 agenda items and 4 decisions each."""
    for n in range(4):
        protocol = r.add("protocol", (year, n), meeting_date=date(year, 9 + n, 15).isoformat(),
                         number=str(n + 1), kind="педагогического совета", title=_text(n, 8),
                         chair="Директор И. О.", secretary="Секретарь И. О.",
                         attendees=_text(n + 1, 20))  # fmt: skip
        items = [r.add("protocol_agenda_item", (year, n, a), protocol_id=protocol, position=a,
                       title=_text(a + n, 10), speaker="Завуч И. О.", heard=_text(a, 40))
                 for a in range(3)]  # fmt: skip
        for d in range(4):
            r.add("protocol_decision", (year, n, d), protocol_id=protocol,
                  agenda_item_id=items[d % 3], position=d, text=_text(d + n, 15),
                  responsible="заместитель директора", deadline_text="до конца четверти")  # fmt: skip  # noqa: E501


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


_ROMAN = ("I", "II", "III")


def school_records(site_id: str, name: str, parent: str, seed: int) -> list[Record]:
    r = _Rows(site_id, f"bench{seed}")
    r.add("site", (), role="school", full_name=name, short_name=name, code=f"51{seed:08d}",
          parent_id=parent)  # fmt: skip
    r.records[-1].row["id"] = site_id
    for y, year in enumerate((2024, 2025)):
        _programme(r, _roadmap(r, y, year), year)
        _protocols(r, year)
    for year in (2023, 2024, 2025):
        audit = r.add("self_audit", (year,), year=year, catalogue_version=1)
        for c in range(60):
            r.add("audit_answer", (year, c), audit_id=audit, criterion_code=f"K{c:02d}",
                  score=c % 3, comment=_text(c, 5))  # fmt: skip
        for f in range(10):
            r.add("risk_assessment", (year, f), audit_id=audit, factor_code=f"R{f + 1:02d}",
                  score=float(f % 4))  # fmt: skip
    for t in range(30):
        teacher = r.add("teacher", (t,), full_name=f"Учитель {seed}-{t} Иванова А. А.",
                        position="учитель", subjects=SUBJECTS[t % 8], experience_years=t % 25)  # fmt: skip  # noqa: E501
        plan = r.add("development_plan", (t,), teacher_id=teacher, period_start="2025-09-01",
                     period_end="2026-06-30", goals=_text(t, 15))  # fmt: skip
        deficit = r.add("professional_deficit", (t,), plan_id=plan, description=_text(t, 10))
        for a in range(6):
            r.add("development_activity", (t, a), plan_id=plan, deficit_id=deficit,
                  title=_text(a + t, 8), provider="ИРО", hours=18.0)  # fmt: skip
    for year in (2023, 2024, 2025):
        for grade in range(4, 9):
            for s, subject in enumerate(SUBJECTS):
                for cls in "АБ":
                    r.add("vpr_result", (year, grade, subject, cls), year=year, grade=grade,
                          class_label=f"{grade}{cls}", subject=subject, participants=25,
                          n2=3 + s % 3, n3=10, n4=8, n5=4 - s % 3, confirmed=20, lowered=3,
                          raised=2)  # fmt: skip
        for s, subject in enumerate(SUBJECTS):
            r.add("gia_result", (year, subject), year=year, subject=subject, participants=30,
                  below_min=s % 4, mean_score=3.5, high_scorers=2)  # fmt: skip
        for grade in range(5, 10):
            for s, subject in enumerate(SUBJECTS):
                r.add("assessment_result", (year, grade, subject), year=year, period="year",
                      grade=grade, class_label="", subject=subject, pupils=50,
                      achieved=48 - s % 3, quality=20 + seed % 7)  # fmt: skip
        # the municipal inputs of seed 001's district indicators, two of them not entered
        r.add("progression", (year,), year=year, pupils=400, repeaters=3, graduates_9=40,
              certificates_9=39, graduates_11=18, certificates_11=17, medals=2,
              gia9_admitted=39, gia9_no_fail=30 + seed % 9, gia11_admitted=18,
              medal_claimants=3, badge_claimants=None if seed % 10 == 0 else 4,
              badge_recipients=None if seed % 10 == 0 else seed % 4)  # fmt: skip
        for k in range(10):
            r.add("indicator_target", (year, k), year=year, indicator_code=f"I{k:02d}",
                  baseline=10.0, target=8.0)  # fmt: skip
    return r.records


def build_region(root: Path, n: int, *, enroll: bool = True, verbose: bool = False) -> Region:
    """Create the district's data dir and one package per school under `root`."""
    district_dir, out = root / "district", root / "packages"
    out.mkdir(parents=True, exist_ok=True)
    services = open_services(AppPaths(REPO / "resources", district_dir))
    if not services.site.is_initialized():
        services.site.initialize(Role.DISTRICT, "Управление образования Кольского района",
                                 "5105000001")  # fmt: skip
    services.keys.ensure()
    district_card = services.keys.card(services.site.profile())
    packages, cards, rows = [], [], 0
    for i in range(n):
        packages_i, card_i, count = _school_package(root, i, district_card)
        out_file = out / f"school-{i:04d}.opora"
        out_file.write_bytes(packages_i)
        packages.append(out_file)
        cards.append(card_i)
        rows += count
        if verbose and (i + 1) % 25 == 0:
            print(f"  {i + 1}/{n} школ", file=sys.stderr)  # noqa: T201
    if enroll:
        _enroll(services, cards)
    services.db.close()
    return Region(district_dir, packages, cards, rows)


def school_name(i: int) -> str:
    return f"МОУ «Средняя общеобразовательная школа № {i + 1}»"


def district_card(region: Region) -> SiteCard:
    """The region's district as its schools address it."""
    services = open_services(AppPaths(REPO / "resources", region.district_dir))
    try:
        return services.keys.card(services.site.profile())
    finally:
        services.db.close()


def own_records(region: Region, i: int, district: SiteCard) -> list[Record]:
    """School i's records, as in its first package."""
    return school_records(region.cards[i].site_id, school_name(i), district.site_id, i)


def school_package(
    region: Region, i: int, district: SiteCard, records: list[Record], *, seq: int
) -> bytes:
    """School i's package № `seq` of `records`, signed with its key, to the district."""
    keys = KeyStore(region.district_dir.parent / "school-keys" / f"{i:04d}")
    return write_package(
        keys=keys, sender=region.cards[i], recipient=district, kind=PackageKind.SCHOOL_REPORT,
        seq=seq, prev="", schema=head_revision(), hlc=max(r.row["hlc"] for r in records),
        app_version="1.0", records=records, include_card=False,
    )  # fmt: skip


def _school_package(root: Path, i: int, district: SiteCard) -> tuple[bytes, SiteCard, int]:
    site_id = stable_id("bench-school", i)
    name = school_name(i)
    keys = KeyStore(root / "school-keys" / f"{i:04d}")
    keys.ensure()
    profile = SiteProfile(
        SiteRead(id=site_id, role=Role.SCHOOL, full_name=name, code=f"51{i:08d}"), Role.SCHOOL
    )
    card = keys.card(profile)
    records = school_records(site_id, name, district.site_id, i)
    data = write_package(
        keys=keys, sender=card, recipient=district, kind=PackageKind.SCHOOL_REPORT, seq=1,
        prev="", schema=head_revision(), hlc=records[-1].row["hlc"], app_version="1.0",
        records=records, include_card=True,
    )  # fmt: skip
    return data, card, len(records)


def _enroll(services: Services, cards: list[SiteCard]) -> None:
    for card in cards:
        services.sync.enroll_card(card, card.fingerprint)


def main(argv: list[str]) -> int:
    root, n = Path(argv[0]), int(argv[1])
    start = time.perf_counter()
    region = build_region(root, n, verbose=True)
    print(f"{n} школ, {region.rows} записей, {time.perf_counter() - start:.1f} с: {root}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
