"""Revision 0006 on a district database made by the previous program (its demo, schema 0004)."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from sqlmodel import select

from models import Roadmap, SchoolCurator, stable_id
from services.app import open_services
from services.core.config import AppPaths
from services.core.db import head_revision, preflight
from tests.conftest import FIXTURES, RESOURCES


def _v1_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    fixture = FIXTURES / "db_rev0004_district_demo.sqlite3.gz"
    with gzip.open(fixture, "rb") as src, (data / "opora.sqlite3").open("wb") as out:
        shutil.copyfileobj(src, out)
    return data


def test_the_curators_move_out_of_the_status_and_roadmaps_gain_programme_fields(
    tmp_path: Path,
) -> None:
    data = _v1_copy(tmp_path)
    db_file = data / "opora.sqlite3"
    assert preflight(db_file) == "0004"
    with closing(sqlite3.connect(db_file)) as conn:
        before = dict(
            conn.execute(
                "SELECT school_id, curator_name FROM school_status WHERE curator_name <> ''"
            ).fetchall()
        )
        roadmaps = conn.execute("SELECT COUNT(*) FROM roadmap").fetchone()[0]
    assert len(before) >= 2 and roadmaps  # the demo names curators and has roadmaps

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
        assert flagged == before
    finally:
        services.db.close()
