"""Packages of model v1 (schema 0004) convert into the programme data of v2; v1 refuses v2."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from models import Peer, Role, SchoolCurator, SchoolStatus, stable_id
from models.roadmap import Roadmap
from services.app import Services
from services.core import db as core_db
from services.packages.types import PackageKind, Record
from services.sync.merge import migrate_records
from tests.services.sync_support import hlc, own_id, package, site_row, trust

DISTRICT = "44444444-4444-4444-8444-444444444444"
SCHOOL = "11111111-1111-4111-8111-111111111111"


def v1_status(school_id: str, step: int, curator: str) -> Record:
    """A school status as a program of schema 0004 wrote it: the curator in its own columns."""
    return Record(
        "school_status",
        {
            "id": stable_id("status", school_id),
            "owner": DISTRICT,
            "hlc": hlc(step),
            "deleted": False,
            "school_id": school_id,
            "is_low_results": True,
            "is_adverse_context": False,
            "is_500plus": False,
            "curator_name": curator,
            "curator_org": "МБУО «Районный методический кабинет»" if curator else "",
            "curator_contact": "",
            "partner_school": "",
            "notes": "",
        },
    )


@pytest.fixture
def school_of_district(school: Services) -> Services:
    trust(school, DISTRICT)
    with school.db.session() as s:
        peer = s.exec(select(Peer)).one()
        peer.role = Role.DISTRICT
        s.add(peer)
    return school


def _bulletin(school: Services, seq: int, records: list[Record]) -> Any:
    me = own_id(school)
    pkg = package(DISTRICT, me, seq, records, schema="0004", kind=PackageKind.DISTRICT_BULLETIN)
    return school.sync.import_package(pkg, dry_run=False)


def test_a_v1_bulletins_curator_becomes_the_schools_first_curator(
    school_of_district: Services,
) -> None:
    school = school_of_district
    me = own_id(school)
    rep = _bulletin(school, 1, [v1_status(me, 1, "Гайдай Е. В.")])
    assert rep.verdict == "applied", rep.reason
    assert any("старой" in w for w in rep.warnings)
    with school.db.session(stamp=False) as s:
        status = s.exec(select(SchoolStatus)).one()
        curator = s.exec(select(SchoolCurator)).one()
    assert status.is_low_results and not hasattr(status, "curator_name")
    assert (curator.id, curator.name, curator.deleted) == (
        stable_id("curator", me),
        "Гайдай Е. В.",
        False,
    )
    assert curator.org == "МБУО «Районный методический кабинет»" and curator.owner == DISTRICT

    # the district (still on v1) clears the curator: the row goes with the next bulletin
    rep = _bulletin(school, 2, [v1_status(me, 2, "")])
    assert rep.verdict == "applied", rep.reason
    with school.db.session(stamp=False) as s:
        assert s.exec(select(SchoolCurator)).one().deleted


def test_a_v1_school_roadmap_gets_empty_programme_fields(district: Services) -> None:
    trust(district, SCHOOL)
    roadmap = {
        "id": "2f0c8a8e-9a43-4b7e-9d7e-0c5b1a7a1a01",
        "owner": SCHOOL,
        "hlc": hlc(1),
        "deleted": False,
        **{k: v for k, v in Roadmap(owner=SCHOOL, title="x", period_start=date(2025, 1, 1),
                                    period_end=date(2025, 12, 31)).model_dump(mode="json").items()
           if k not in {"id", "owner", "hlc", "deleted", "mechanisms", "coordinator"}},
        "title": "Дорожная карта школы",
    }  # fmt: skip
    records = [site_row(SCHOOL, 1), Record("roadmap", roadmap)]
    pkg = package(SCHOOL, own_id(district), 1, records, schema="0004")
    rep = district.sync.import_package(pkg, dry_run=False)
    assert rep.verdict == "applied", rep.reason
    with district.db.session(stamp=False) as s:
        got = s.get(Roadmap, roadmap["id"])
    assert got is not None and (got.title, got.mechanisms, got.coordinator) == (
        "Дорожная карта школы",
        "",
        "",
    )


def test_conversion_leaves_other_records_alone_and_adds_one_curator_per_status() -> None:
    known = core_db.known_revisions()
    teacher = Record("teacher", {"id": "t"})
    out = migrate_records([teacher, v1_status(SCHOOL, 1, "Петрова О. И.")], "0004", known)
    assert [r.table for r in out] == ["teacher", "school_status", "school_curator"]
    assert out[0] is teacher and "curator_name" not in out[1].row


def test_a_program_of_schema_0004_refuses_a_v2_bulletin_and_changes_nothing(
    school_of_district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a v1 school does with a bulletin of today's program: «обновите Опору», untouched."""
    school = school_of_district
    me = own_id(school)
    monkeypatch.setattr(core_db, "SCHEMA_REVISIONS", ("0001", "0002", "0003", "0004"))
    status = v1_status(me, 1, "")
    v2_status = Record(
        status.table, {k: v for k, v in status.row.items() if not k.startswith("curator")}
    )
    pkg = package(DISTRICT, me, 1, [v2_status], schema="0007", kind=PackageKind.DISTRICT_BULLETIN)
    rep = school.sync.import_package(pkg, dry_run=False)
    assert rep.verdict == "refused" and "Обновите" in rep.reason
    with school.db.session(stamp=False) as s:
        assert s.exec(select(SchoolStatus)).first() is None
