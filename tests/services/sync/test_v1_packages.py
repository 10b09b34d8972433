"""Packages across the model v2 change: a v2 district imports real v1 packages, a v1 reader
refuses a v2 package (tests/fixtures/v1: made by the v1 program, see its README)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

import services.sync.engine as engine
import services.sync.read as read
from models import ItemStatus, RoadmapItem, RoadmapOccurrence
from models.roadmap import occurrence_id
from services.app import Services, open_services
from services.core.config import AppPaths
from services.core.db import known_revisions
from services.packages.format import MANIFEST
from services.packages.types import Record
from services.sync.checks import check_schema
from services.sync.convert import split_roadmap_item
from services.sync.merge import package_schema
from tests.conftest import FIXTURES, RESOURCES
from tests.services.pair_support import Pair, make_pair
from tests.services.sync_support import dump

V1 = FIXTURES / "v1"
V1_REVISIONS = ("0001", "0002", "0003", "0004")


@pytest.fixture
def v2_district(tmp_path: Path) -> Iterator[Services]:
    """The v1 district's data directory, opened (and so migrated) by this program."""
    data = tmp_path / "district"
    shutil.copytree(V1 / "district", data)
    services = open_services(AppPaths(RESOURCES, data))
    yield services
    services.db.close()


def _v1_items() -> dict[str, tuple[object, ...]]:
    """What the v1 school recorded on each item, read from its own database."""
    with closing(sqlite3.connect(V1 / "school_demo_rev0004.sqlite3")) as conn:
        rows = conn.execute(
            "SELECT id, status, completion_date, evidence, comment, end_date FROM roadmap_item "
            "WHERE deleted = 0"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def test_a_v2_district_imports_a_real_v1_package_with_every_status(
    v2_district: Services, tmp_path: Path
) -> None:
    package = tmp_path / "school-v1.opora"
    shutil.copy(V1 / "school-v1.opora", package)
    with zipfile.ZipFile(package) as zf:  # v1 stamped the newest revision that changed records
        assert json.loads(zf.read(MANIFEST))["schema"] == "0001"
    [report] = v2_district.sync.import_files([package], dry_run=False)
    assert report.verdict == "applied", report.reason
    assert any("старой версией" in w for w in report.warnings)
    expected = _v1_items()
    assert {row[0] for row in expected.values()} >= {"DONE", "IN_PROGRESS", "PLANNED"}
    with v2_district.db.session(stamp=False) as s:
        items = {i.id for i in s.exec(select(RoadmapItem))}
        occurrences = list(s.exec(select(RoadmapOccurrence)))
    assert items == set(expected)
    got = {
        o.item_id: (
            o.status.name,
            o.completion_date.isoformat() if o.completion_date else None,
            o.evidence,
            o.comment,
            o.end_date.isoformat() if o.end_date else None,
        )
        for o in occurrences
    }
    assert got == expected and len(occurrences) == len(expected)


def test_importing_the_same_v1_package_twice_keeps_one_occurrence_per_item(
    v2_district: Services, tmp_path: Path
) -> None:
    package = tmp_path / "school-v1.opora"
    shutil.copy(V1 / "school-v1.opora", package)
    v2_district.sync.import_files([package], dry_run=False)
    before = dump(v2_district.db, bookkeeping=False)
    [again] = v2_district.sync.import_files([package], dry_run=False)
    assert again.verdict == "already", again.reason
    assert dump(v2_district.db, bookkeeping=False) == before


def test_the_conversion_splits_an_item_and_leaves_other_records_alone() -> None:
    row = {"id": "i1", "owner": "o", "hlc": "h", "deleted": False, "roadmap_id": "r",
           "end_date": "2026-03-31", "start_date": "2026-03-01", "status": "done",
           "completion_date": "2026-03-20", "evidence": "Приказ", "comment": "",
           "title": "Семинар"}  # fmt: skip
    item, occ = split_roadmap_item(Record("roadmap_item", row))
    assert "status" not in item.row and item.row["title"] == "Семинар"
    assert occ.table == "roadmap_occurrence"
    assert occ.row["id"] == occurrence_id("i1", date(2026, 3, 31))
    assert (occ.row["status"], occ.row["evidence"], occ.row["hlc"]) == ("done", "Приказ", "h")
    teacher = Record("teacher", {"id": "t"})
    assert tuple(split_roadmap_item(teacher)) == (teacher,)


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    yield p
    p.close()


def _v2_package(pair: Pair) -> Path:
    roadmap = pair.school.roadmap.current()
    assert roadmap is not None
    first = pair.school.roadmap.items(roadmap.id)[0]
    pair.school.roadmap.set_status([first.id], ItemStatus.DONE)
    return pair.school_package()


def test_a_reader_that_knows_only_v1_refuses_a_v2_package_and_changes_nothing(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _v2_package(pair)
    with zipfile.ZipFile(path) as zf:
        schema = json.loads(zf.read(MANIFEST))["schema"]
    assert schema == package_schema() and schema not in V1_REVISIONS
    manifest = pair.district.exchange.verify(path).manifest
    assert check_schema(manifest, V1_REVISIONS) is not None
    assert check_schema(manifest, known_revisions()) is None

    def v1_reader() -> tuple[str, ...]:  # a program that stops at 0004
        return V1_REVISIONS

    monkeypatch.setattr(engine, "known_revisions", v1_reader)
    monkeypatch.setattr(read, "known_revisions", v1_reader)
    before = dump(pair.district.db)
    [report] = pair.district.sync.import_files([path], dry_run=False)
    assert report.verdict == "refused"
    assert "более новой версией Опоры" in report.reason and "Обновите Опору" in report.reason
    assert dump(pair.district.db) == before
