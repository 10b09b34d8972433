"""Registry, comments, revocation and the bulletin, through real signed packages both ways."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import col, select

from models import DistrictComment, RoadmapItem, SchoolStatus
from models.catalogue import Comparison, Threshold
from models.site import SchoolStatusBase
from services.app import Services
from services.core.db import Database, head_revision
from services.core.errors import Invalid
from services.district.curators import Curator, curators_by_school
from services.district.schools import comments_in
from services.indicators.thresholds import load_thresholds
from services.packages.format import MANIFEST
from services.sync.merge import package_schema
from tests.conftest import BOTH_ENGINES
from tests.services.pair_support import Pair, make_pair


# The district's database is `db`: the tests marked BOTH_ENGINES run with the district on
# PostgreSQL too (a few representative ones: each pair costs seconds to build).
@pytest.fixture
def pair(template_db: Path, tmp_path: Path, db: Database) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path, district_db=db)
    yield p
    p.close()


def _school_item(services: Services) -> RoadmapItem:
    with services.db.session(stamp=False) as s:
        school_id = services.registry.schools()[0].site_id
        return s.exec(
            select(RoadmapItem).where(RoadmapItem.owner == school_id).order_by(col(RoadmapItem.id))
        ).first()  # type: ignore[return-value]


@BOTH_ENGINES
def test_registry_lists_the_enrolled_school_with_its_last_package(pair: Pair) -> None:
    [entry] = pair.district.registry.schools()
    assert entry.name == "МОУ Лодейнинская СОШ" and entry.code == "5105012345"
    assert entry.key_state == "trusted" and entry.last_seq == 1 and entry.gaps == ()
    assert entry.fingerprint == pair.school.exchange.own_card().fingerprint
    assert entry.last_received is not None and entry.flags_text == ""


def test_gaps_are_the_missing_package_numbers(pair: Pair) -> None:
    pair.school_package()  # № 2 lost on the way
    third = pair.school_package()
    [rep] = pair.district.sync.import_files([third], dry_run=False)
    assert rep.verdict == "applied" and rep.seq_status == "gap"
    [entry] = pair.district.registry.schools()
    assert entry.last_seq == 3 and entry.gaps == (2,)


@BOTH_ENGINES
def test_bulletin_round_trip_brings_status_comments_and_thresholds_to_the_school(
    pair: Pair,
) -> None:
    d = pair.district
    school_id = d.registry.schools()[0].site_id
    item = _school_item(d)
    status = SchoolStatusBase(school_id=school_id, is_low_results=True)
    curators = [Curator("Петрова О. И.", "заместитель директора"), Curator("Иванов И. И.")]
    d.registry.set_status(status, curators)
    on_item = d.registry.add_comment(
        school_id, "roadmap_item", item.id, "Уточните срок.", "Иванова"
    )
    d.registry.add_comment(school_id, "site", school_id, "Пришлите справку к 1 декабря.")
    with d.db.session() as s:
        s.add(Threshold(owner=d.site.profile().site.id, year=2025, indicator_code="VPR_FAIL",
                        comparison=Comparison.GT, value=20.0))  # fmt: skip
    assert on_item.target_title.endswith(item.title)

    [path] = pair.send_bulletins()
    [rep] = pair.school.sync.import_files([path], dry_run=False)
    assert rep.verdict == "applied", rep.reason
    assert rep.kind == "district-bulletin" and rep.seq == 1

    with pair.school.db.session(stamp=False) as s:
        comments = comments_in(s)
        got_status = s.exec(select(SchoolStatus)).one()
        got_curators = curators_by_school(s)[school_id]
        thresholds = load_thresholds(s, 2025)
    assert {c.text for c in comments} == {"Уточните срок.", "Пришлите справку к 1 декабря."}
    on_row = next(c for c in comments if c.target_table == "roadmap_item")
    assert on_row.target_id == item.id and on_row.target_title.endswith(item.title)
    assert got_status.is_low_results
    assert [(c.name, c.job_title) for c in got_curators] == [
        ("Петрова О. И.", "заместитель директора"),
        ("Иванов И. И.", ""),
    ]
    assert [(t.indicator_code, t.value) for t in thresholds] == [("VPR_FAIL", 20.0)]

    # a comment deleted at the district disappears at the school with the next bulletin
    d.registry.delete_comment(on_item.id)
    [second] = pair.send_bulletins()
    [rep] = pair.school.sync.import_files([second], dry_run=False)
    assert rep.verdict == "applied" and rep.seq == 2 and rep.seq_status == "new"
    with pair.school.db.session(stamp=False) as s:
        assert [c.text for c in comments_in(s)] == ["Пришлите справку к 1 декабря."]


def test_bulletin_carries_only_the_rows_of_its_school(pair: Pair, template_db: Path) -> None:
    d = pair.district
    d.registry.add_comment("other-school-id-000000000000000000", "site", "x", "Чужой комментарий")
    d.registry.set_status(SchoolStatusBase(school_id="other-school-id-000000000000000000"))
    [path] = pair.send_bulletins()
    pair.school.sync.import_files([path], dry_run=False)
    with pair.school.db.session(stamp=False) as s:
        assert s.exec(select(DistrictComment)).all() == []
        assert s.exec(select(SchoolStatus)).all() == []


def test_revocation_refuses_later_packages_and_accepts_earlier_ones(pair: Pair) -> None:
    d = pair.district
    second, third = pair.school_package(), pair.school_package()
    school_id = d.registry.schools()[0].site_id
    assert d.registry.revoke(school_id, accept_up_to_seq=2) == 1
    [late] = d.sync.import_files([third], dry_run=False)
    assert late.verdict == "refused" and late.code == "revoked"
    assert "до № 2" in late.reason
    [early] = d.sync.import_files([second], dry_run=False)
    assert early.verdict == "applied", early.reason
    [entry] = d.registry.schools()
    assert entry.key_state == "revoked" and entry.accept_up_to_seq == 2 and entry.last_seq == 2
    with pytest.raises(Invalid):
        d.registry.revoke(school_id, accept_up_to_seq=2)  # nothing left to revoke
    with pytest.raises(Invalid, match="рассылать некому"):
        pair.send_bulletins()  # a revoked school gets no bulletin


@BOTH_ENGINES
def test_comment_rules(pair: Pair) -> None:
    d = pair.district
    school_id = d.registry.schools()[0].site_id
    with pytest.raises(Invalid):
        d.registry.add_comment(school_id, "site", school_id, "   ")
    with pytest.raises(Invalid):
        d.registry.add_comment(school_id, "teacher_password", school_id, "текст")
    c = d.registry.add_comment(school_id, "site", school_id, "Первый")
    d.registry.edit_comment(c.id, "Исправленный")
    d.registry.resolve_comment(c.id)
    [got] = d.registry.comments(school_id)
    assert got.text == "Исправленный" and got.resolved and got.created_on == date.today()
    assert d.registry.schools()[0].open_comments == 0


def test_bulletin_is_refused_at_a_school_and_to_a_missing_folder(pair: Pair) -> None:
    with pytest.raises(Invalid):
        pair.school.bulletin.export_bulletins(pair.out)
    with pytest.raises(Invalid, match="не найдена"):
        pair.district.bulletin.export_bulletins(pair.out / "нет такой")


def test_a_new_computer_is_enrolled_with_its_new_key_after_revocation(
    pair: Pair, tmp_path: Path
) -> None:
    from services.app import build_services
    from services.core.config import AppPaths
    from tests.conftest import RESOURCES

    d = pair.district
    school_id = d.registry.schools()[0].site_id
    d.registry.revoke(school_id, accept_up_to_seq=1)
    # the school's database restored on a new computer: same data, new keys
    new_pc = build_services(
        pair.school.db, AppPaths(resources_dir=RESOURCES, data_dir=tmp_path / "pc")
    )
    package = new_pc.exchange.export(pair.out).path
    [waiting] = d.sync.import_files([package], dry_run=False)
    assert waiting.verdict == "quarantined" and waiting.code == "quarantined-unknown-key"
    new_fp = new_pc.exchange.own_card().fingerprint
    assert new_fp != pair.school.exchange.own_card().fingerprint
    report = d.sync.enroll(package, new_fp).report
    assert report is not None and report.verdict == "applied" and report.seq == 2
    [entry] = d.registry.schools()
    assert entry.key_state == "trusted" and entry.fingerprint == new_fp and entry.last_seq == 2
    [path] = pair.send_bulletins()  # bulletins go to the new key
    [got] = new_pc.sync.import_files([path], dry_run=False)
    assert got.verdict == "applied", got.reason


def test_both_directions_write_the_records_schema_not_the_database_revision(pair: Pair) -> None:
    """A revision that changed only indexes or local tables does not make the other side refuse
    the package: a district that updated first still reaches schools that have not. (0005
    changed records, and so did 0009; the revisions after 0009 added only local tables, so
    packages stay at 0009.)"""
    for path in (pair.school_package(), *pair.send_bulletins()):
        with zipfile.ZipFile(path) as zf:
            schema = json.loads(zf.read(MANIFEST))["schema"]
        # the newest revisions changed only local tables (the key vault, …), so the package keeps
        # the last revision that changed records and a school not yet updated still reads it
        assert schema == package_schema() == "0009" != head_revision()
    assert package_schema(("0001", "0002", "0003", "0004")) == "0001"
