"""Revision 0006 on databases and packages made by the previous program (schema 0004).

The fixture `v1_pair_rev0004.tar.gz` was made with that program's own commands: a district with
its demo data (seven schools, curators in the schools' statuses) and a school «МОУ СОШ № 7» with
its demo data, both keys confirmed; the district gave the school a curator and sent it a
bulletin (`bulletin.opora`), the school sent the district its package (`package.opora`).
"""

from __future__ import annotations

import sqlite3
import tarfile
from contextlib import closing
from datetime import date
from pathlib import Path

from sqlmodel import select

from models import Roadmap, SchoolCurator, SchoolStatus, stable_id
from services.app import open_services
from services.core.config import AppPaths
from services.core.db import head_revision, preflight
from tests.conftest import FIXTURES, RESOURCES

SCHOOL = "МОУ СОШ № 7"


def _unpack(tmp_path: Path) -> Path:
    with tarfile.open(FIXTURES / "v1_pair_rev0004.tar.gz") as tar:
        tar.extractall(tmp_path, filter="data")
    return tmp_path


def _v1(db_file: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db_file)) as conn:
        return conn.execute(sql).fetchall()


def test_the_curators_move_out_of_the_status_and_roadmaps_gain_programme_fields(
    tmp_path: Path,
) -> None:
    data = _unpack(tmp_path) / "district"
    db_file = data / "opora.sqlite3"
    assert preflight(db_file) == "0004"
    rows = _v1(
        db_file, "SELECT school_id, curator_name FROM school_status WHERE curator_name <> ''"
    )
    before = {str(school): str(name) for school, name in rows}
    [(roadmaps,)] = _v1(db_file, "SELECT COUNT(*) FROM roadmap")
    assert len(before) >= 3 and roadmaps  # the demo names curators and has roadmaps

    services = open_services(AppPaths(RESOURCES, data))
    try:
        assert services.db.revision() == head_revision()
        with services.db.session(stamp=False) as s:
            curators = s.exec(select(SchoolCurator)).all()
            maps = s.exec(select(Roadmap)).all()
            columns = [
                row[1] for row in s.connection().exec_driver_sql("PRAGMA table_info(school_status)")
            ]
        assert {c.school_id: c.name for c in curators} == before
        assert all(c.id == stable_id("curator", c.school_id) for c in curators)
        assert not any(name.startswith("curator") for name in columns)
        assert len(maps) == roadmaps and all(m.mechanisms == m.coordinator == "" for m in maps)
        # the screens and the справка read the moved curators
        entries = {e.site_id: e.curators_text for e in services.registry.schools()}
        assert {k: entries[k] for k in before} == before
        summary = services.dashboard.summary(date.today().year, date.today())
        flagged = {x.site_id: x.flags.curator for x in summary.schools if x.flags.curator}
        assert flagged == {k: v for k, v in before.items() if k in flagged}
        assert len(flagged) >= 3
    finally:
        services.db.close()


def test_a_v1_bulletin_gives_the_updated_school_its_curator(tmp_path: Path) -> None:
    root = _unpack(tmp_path)
    services = open_services(AppPaths(RESOURCES, root / "school"))
    try:
        [rep] = services.sync.import_files([root / "bulletin.opora"], dry_run=False)
        assert rep.verdict == "applied", rep.reason
        assert any("старой" in w for w in rep.warnings)  # converted, and said so
        me = services.site.profile().site.id
        with services.db.session(stamp=False) as s:
            status = s.exec(select(SchoolStatus)).one()
            [curator] = s.exec(select(SchoolCurator)).all()
        assert status.school_id == me and status.is_low_results
        assert (curator.id, curator.school_id, curator.name, curator.org, curator.contact) == (
            stable_id("curator", me),
            me,
            "Расческина О. Д.",
            "МОУ «СОШ № 4 г. Балабаново»",
            "8 (48438) 6-00-00",
        )
    finally:
        services.db.close()


def test_a_v1_school_package_is_taken_by_the_updated_district(tmp_path: Path) -> None:
    root = _unpack(tmp_path)
    services = open_services(AppPaths(RESOURCES, root / "district"))
    try:
        [rep] = services.sync.import_files([root / "package.opora"], dry_run=False)
        assert rep.verdict == "applied", rep.reason
        assert rep.counts["roadmap"].new == 1 and rep.counts["roadmap_item"].new > 0
        entry = next(e for e in services.registry.schools() if e.title == SCHOOL)
        assert entry.curators_text == "Расческина О. Д."
        with services.db.session(stamp=False) as s:
            got = s.exec(select(Roadmap).where(Roadmap.owner == entry.site_id)).one()
        assert (got.mechanisms, got.coordinator) == ("", "")
    finally:
        services.db.close()
