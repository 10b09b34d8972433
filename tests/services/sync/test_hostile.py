"""The hostile-input suite of issue 8: each case with its correct outcome, the database compared
row by row before and after."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models import AppState, Role, Teacher, stable_id
from services.app import Services, build_services
from services.core.db import HLC_KEY
from services.core.hlc import MAX_FORWARD_DRIFT_MS, Stamp, wall_clock_ms
from services.packages.types import PackageKind, Record
from tests.conftest import memory_copy
from tests.services.sync_support import (
    dump,
    hlc,
    own_id,
    package,
    site_row,
    synced,
    teacher,
    trust,
)

SCHOOL = "22222222-2222-4222-8222-222222222222"
OTHER = "33333333-3333-4333-8333-333333333333"


@pytest.fixture
def dist(district: Services) -> Services:
    trust(district, SCHOOL)
    trust(district, OTHER)
    return district


def imp(dist: Services, seq: int, recs: list[Record], **kw: Any) -> Any:
    return dist.sync.import_package(package(SCHOOL, own_id(dist), seq, recs, **kw), dry_run=False)


def teachers(dist: Services) -> dict[str, tuple[str, bool, str]]:
    with dist.db.session() as s:
        return {t.id: (t.full_name, t.deleted, t.hlc) for t in s.exec(select(Teacher)).all()}


def test_same_package_twice_and_after_a_newer_one_writes_nothing(dist: Services) -> None:
    me = own_id(dist)
    p1 = package(SCHOOL, me, 1, [site_row(SCHOOL, 1), teacher("a", SCHOOL, 1)])
    p2 = package(SCHOOL, me, 2, [site_row(SCHOOL, 1), teacher("a", SCHOOL, 2, "Новая")])
    assert dist.sync.import_package(p1, dry_run=False).verdict == "applied"
    before, changes = dump(dist.db), dist.db.change_count
    again = dist.sync.import_package(p1, dry_run=False)
    assert (again.verdict, again.seq_status, again.counts) == ("already", "already", {})
    assert dump(dist.db) == before and dist.db.change_count == changes
    dist.sync.import_package(p2, dry_run=False)
    before = dump(dist.db)
    logs = len(dist.sync.import_log())
    assert dist.sync.import_package(p1, dry_run=False).verdict == "already"
    assert dist.sync.import_package(p2, dry_run=True).verdict == "already"
    assert dump(dist.db) == before and len(dist.sync.import_log()) == logs


def test_older_unseen_package_after_newer_converges_to_in_order_state(
    dist: Services, template_db: Path
) -> None:
    p1 = [site_row(SCHOOL, 1), teacher("a", SCHOOL, 1, "A1"), teacher("b", SCHOOL, 1, "B1")]
    p2 = [
        site_row(SCHOOL, 1),
        teacher("a", SCHOOL, 2, "A2"),
        teacher("b", SCHOOL, 1, "B1"),
        teacher("c", SCHOOL, 2, "C2"),
    ]
    p3 = [
        site_row(SCHOOL, 1),
        teacher("a", SCHOOL, 2, "A2"),
        teacher("b", SCHOOL, 3, "B3"),
        teacher("c", SCHOOL, 3, "C2", deleted=True),
    ]
    for seq, recs in ((1, p1), (2, p2), (3, p3)):
        imp(dist, seq, recs)
    fresh = build_services(memory_copy(template_db), dist.paths)
    fresh.site.initialize(Role.DISTRICT, "Управление образования района", "5105000002")
    trust(fresh, SCHOOL)
    me = own_id(fresh)
    reports = [
        fresh.sync.import_package(package(SCHOOL, me, seq, recs), dry_run=False)
        for seq, recs in ((3, p3), (1, p1), (2, p2))
    ]
    assert [r.seq_status for r in reports] == ["gap", "out-of-order", "out-of-order"]
    assert all(r.verdict == "applied" and r.counts_add_up() for r in reports)
    assert reports[1].counts["teacher"].older == 2
    assert teachers(fresh) == teachers(dist)
    assert synced(fresh.db)["teacher"] == synced(dist.db)["teacher"]
    school_site = [r for r in synced(dist.db)["site"] if SCHOOL in r]
    assert school_site and school_site == [r for r in synced(fresh.db)["site"] if SCHOOL in r]


def test_same_seq_different_content_is_a_fork(dist: Services) -> None:
    imp(dist, 1, [teacher("a", SCHOOL, 1)])
    before = synced(dist.db)
    rep = imp(dist, 1, [teacher("a", SCHOOL, 9, "Подмена")], salt="restored-backup")
    assert (rep.verdict, rep.seq_status) == ("quarantined", "fork")
    assert synced(dist.db) == before
    assert dist.sync.quarantine()[0].sender_id == SCHOOL


@pytest.mark.parametrize("owner", [OTHER, "district"])
def test_rows_of_another_owner_refuse_the_whole_package(dist: Services, owner: str) -> None:
    owner = own_id(dist) if owner == "district" else owner
    before = dump(dist.db)
    rep = imp(dist, 1, [teacher("a", SCHOOL, 1), teacher("b", owner, 1)])
    assert (rep.verdict, rep.code) == ("refused", "scope")
    assert dump(dist.db) == before


def test_row_id_owned_by_someone_else_here_is_a_scope_violation(dist: Services) -> None:
    me = own_id(dist)
    dist.sync.import_package(package(OTHER, me, 1, [teacher("x", OTHER, 1)]), dry_run=False)
    before = dump(dist.db)
    rep = imp(dist, 1, [teacher("x", SCHOOL, 5, "Захват")])
    assert (rep.verdict, rep.code) == ("refused", "scope")
    assert dump(dist.db) == before


def test_a_scope_violation_found_late_writes_nothing_of_the_package(dist: Services) -> None:
    """The site row and a new teacher come before the foreign id: none of them is written."""
    me = own_id(dist)
    dist.sync.import_package(package(OTHER, me, 1, [teacher("x", OTHER, 1)]), dry_run=False)
    before = dump(dist.db)
    recs = [site_row(SCHOOL, 1), teacher("a", SCHOOL, 1), teacher("x", SCHOOL, 5, "Захват")]
    rep = imp(dist, 1, recs)
    assert (rep.verdict, rep.code, rep.counts) == ("refused", "scope", {})
    assert dump(dist.db) == before
    assert dist.sync.import_log()[0].outcome == "refused"


def test_package_for_another_district(dist: Services) -> None:
    before = dump(dist.db)
    rep = dist.sync.import_package(
        package(SCHOOL, OTHER, 1, [teacher("a", SCHOOL, 1)]), dry_run=False
    )
    assert (rep.verdict, rep.code) == ("refused", "wrong-recipient")
    assert dump(dist.db) == before


def test_valid_signature_unknown_key_is_quarantined(district: Services) -> None:
    before = dump(district.db)
    rep = district.sync.import_package(
        package(SCHOOL, own_id(district), 1, [teacher("a", SCHOOL, 1)], known=False),
        dry_run=False,
    )
    assert (rep.verdict, rep.code) == ("quarantined", "quarantined-unknown-key")
    # the reason is shown in the program too: it says what to do, not which command to type
    assert "python" not in rep.reason and "--confirm" not in rep.reason
    assert dump(district.db) == before


def test_newer_schema_refused_older_migrated(dist: Services) -> None:
    before = dump(dist.db)
    rep = imp(dist, 1, [teacher("a", SCHOOL, 1)], schema="0099")
    assert (rep.verdict, rep.code) == ("refused", "newer-schema") and "0099" in rep.reason
    assert dump(dist.db) == before
    assert imp(dist, 1, [teacher("a", SCHOOL, 1)], schema="0001").verdict == "applied"


def test_duplicate_row_ids_inside_a_package(dist: Services) -> None:
    before = dump(dist.db)
    rep = imp(dist, 1, [teacher("a", SCHOOL, 1), teacher("a", SCHOOL, 2, "Дубль")])
    assert (rep.verdict, rep.code) == ("refused", "record") and "дважды" in rep.reason
    assert dump(dist.db) == before


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": [value]}
    return value


BAD_FIELDS: list[tuple[str, Any]] = [
    ("full_name", 42),
    ("full_name", None),
    ("full_name", "Ж" * 10_000_000),
    ("full_name", _nested(300)),
    ("full_name", ["список"]),
    ("experience_years", "десять"),
    ("experience_years", True),
    ("experience_years", 10**30),
    ("is_young_specialist", "yes"),
    ("deleted", 1),
    ("hlc", "вчера"),
    ("hlc", 17),
    ("id", "x" * 37),
    ("owner", None),
]


@pytest.mark.parametrize(
    ("field", "value"), BAD_FIELDS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_FIELDS)]
)
def test_wrong_field_values_refuse_the_package(dist: Services, field: str, value: Any) -> None:
    rec = teacher("a", SCHOOL, 1)
    bad = Record("teacher", {**rec.row, field: value})
    before = dump(dist.db)
    rep = imp(dist, 1, [teacher("b", SCHOOL, 1), bad])
    assert (rep.verdict, rep.code) in {("refused", "record"), ("refused", "scope")}
    assert len(rep.reason) < 600
    assert dump(dist.db) == before


@pytest.mark.parametrize(
    "change",
    [
        {"period_start": "2024-13-45"},
        {"period_start": "0999-01-01"},
        {"period_start": "3024-01-01"},
        {"period_start": 20240101},
        {"approve_date": "2024-02-30"},
    ],
)
def test_dates_out_of_range(dist: Services, change: dict[str, Any]) -> None:
    imp(dist, 1, [teacher("t", SCHOOL, 1)])
    plan = {
        "id": "p",
        "owner": SCHOOL,
        "hlc": hlc(1),
        "deleted": False,
        "teacher_id": "t",
        "period_start": "2025-09-01",
        "period_end": "2026-06-30",
        "goals": "",
        "reflection": "",
        "approve_position": "",
        "approve_name": "",
        "approve_date": None,
    }
    assert imp(dist, 2, [Record("development_plan", plan)], salt="ok").verdict == "applied"
    before = dump(dist.db)
    bad = {**plan, "hlc": hlc(5), **change}
    rep = imp(dist, 3, [Record("development_plan", bad)])
    assert (rep.verdict, rep.code) == ("refused", "record")
    assert dump(dist.db) == before


@pytest.mark.parametrize(
    "record",
    [
        Record("no_such_table", {"id": "a"}),
        Record("peer", {"id": "a"}),
        Record("teacher", {"id": "a", "owner": SCHOOL}),
    ],
)
def test_unknown_tables_and_missing_fields(dist: Services, record: Record) -> None:
    before = dump(dist.db)
    rep = imp(dist, 1, [record])
    assert rep.verdict == "refused"
    assert dump(dist.db) == before


@pytest.mark.parametrize("year_ms", [1_230_000_000_000, 2_220_000_000_000])  # 2008/2009, 2040
def test_sender_clock_far_off_is_accepted_with_a_warning(dist: Services, year_ms: int) -> None:
    stamp = f"{year_ms:013d}.00000.devX"
    rec = teacher("a", SCHOOL, 1)
    rep = imp(dist, 1, [Record("teacher", {**rec.row, "hlc": stamp})])
    assert rep.verdict == "applied" and rep.warnings
    assert teachers(dist)["a"][2] == stamp
    ours = Stamp.parse(dist.db.clock.now())
    assert ours.physical <= wall_clock_ms() + MAX_FORWARD_DRIFT_MS
    stored = dist.db.get_state(HLC_KEY)
    assert stored is not None and Stamp.parse(stored).physical <= wall_clock_ms() + (
        MAX_FORWARD_DRIFT_MS
    )


def test_tombstone_then_older_edit_stays_deleted(dist: Services) -> None:
    imp(dist, 1, [teacher("a", SCHOOL, 1)])
    assert imp(dist, 2, [teacher("a", SCHOOL, 5, deleted=True)]).counts["teacher"].deleted == 1
    rep = imp(dist, 3, [teacher("a", SCHOOL, 3, "Старая правка")])
    assert rep.counts["teacher"].older == 1
    assert teachers(dist)["a"][:2] == ("Иванова А. А.", True)


def test_delete_then_recreate(dist: Services) -> None:
    imp(dist, 1, [teacher("a", SCHOOL, 1)])
    imp(dist, 2, [teacher("a", SCHOOL, 2, deleted=True)])
    rep = imp(dist, 3, [teacher("a", SCHOOL, 3, "Вновь")])
    assert rep.counts["teacher"].updated == 1
    assert teachers(dist)["a"][:2] == ("Вновь", False)


def test_mentor_listed_after_mentee_is_fine(dist: Services) -> None:
    rep = imp(dist, 1, [teacher("young", SCHOOL, 1, mentor_id="old"), teacher("old", SCHOOL, 1)])
    assert rep.verdict == "applied", rep.reason


def test_school_imports_a_bulletin_of_district_rows_only(school: Services) -> None:
    district_id = "44444444-4444-4444-8444-444444444444"
    me = own_id(school)
    trust(school, district_id)
    with school.db.session() as s:
        from models import Peer

        peer = s.exec(select(Peer)).one()
        peer.role = Role.DISTRICT
        s.add(peer)
    status = {
        "id": stable_id("status", me),  # as the district makes it
        "owner": district_id,
        "hlc": hlc(1),
        "deleted": False,
        "school_id": me,
        "is_low_results": True,
        "is_adverse_context": False,
        "is_500plus": True,
        "partner_school": "",
        "notes": "",
    }
    bulletin = package(
        district_id, me, 1, [Record("school_status", status)], kind=PackageKind.DISTRICT_BULLETIN
    )
    rep = school.sync.import_package(bulletin, dry_run=False)
    assert rep.verdict == "applied", rep.reason
    before = dump(school.db)
    sneaky = package(district_id, me, 2, [teacher("t", me, 1)], kind=PackageKind.DISTRICT_BULLETIN)
    assert school.sync.import_package(sneaky, dry_run=False).code == "scope"
    report_kind = replace(
        bulletin, manifest=replace(bulletin.manifest, kind=PackageKind.SCHOOL_REPORT)
    )
    assert school.sync.import_package(report_kind, dry_run=False).code == "wrong-kind"
    assert dump(school.db) == before
    with school.db.session() as s:
        assert s.get(AppState, "site_id") is not None
