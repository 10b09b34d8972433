"""Migration 0005 on a database made by the v1 program (tests/fixtures/v1, see its README)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlmodel import col, select

from models import RoadmapItem, RoadmapOccurrence, RoadmapSection
from models.roadmap import ItemStatus, occurrence_id
from services.app import open_services
from services.core.config import AppPaths
from services.core.db import head_revision, preflight
from tests.conftest import FIXTURES, RESOURCES

V1 = FIXTURES / "v1"
_RECORDED = "id, status, completion_date, evidence, comment, start_date, end_date, deleted"


def _v1_items(path: Path) -> dict[str, tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(f"SELECT {_RECORDED} FROM roadmap_item").fetchall()
    return {row[0]: row[1:] for row in rows}


def test_every_v1_item_becomes_one_occurrence_with_all_it_recorded(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(V1 / "school_demo_rev0004.sqlite3", data / "opora.sqlite3")
    assert preflight(data / "opora.sqlite3") == "0004"
    before = _v1_items(data / "opora.sqlite3")
    assert {row[0] for row in before.values()} >= {"DONE", "IN_PROGRESS", "PLANNED"}
    services = open_services(AppPaths(RESOURCES, data))
    try:
        assert services.db.revision() == head_revision()
        with services.db.session(stamp=False) as s:
            items = {i.id: i for i in s.exec(select(RoadmapItem))}
            occurrences = list(s.exec(select(RoadmapOccurrence)))
            sections = list(s.exec(select(RoadmapSection)))
        assert set(items) == set(before)
        assert sorted(o.item_id for o in occurrences) == sorted(before)
        for occ in occurrences:
            status, completion, evidence, comment, start, end, deleted = before[occ.item_id]
            assert occ.id == occurrence_id(occ.item_id, occ.end_date)
            assert occ.status is ItemStatus[str(status)]
            assert (occ.completion_date.isoformat() if occ.completion_date else None) == completion
            assert (occ.evidence, occ.comment, bool(occ.deleted)) == (evidence, comment, deleted)
            assert (occ.start_date.isoformat() if occ.start_date else None) == start
            assert (occ.end_date.isoformat() if occ.end_date else None) == end
            assert occ.roadmap_id == items[occ.item_id].roadmap_id
        assert sections and all(x.parent_id is None and x.number == "" for x in sections)
        # the screen reads the same statuses through the service
        roadmap = services.roadmap.current()
        assert roadmap is not None
        read = services.roadmap.items(roadmap.id)
        assert read and all(len(i.occurrences) == 1 for i in read)
        assert {i.id: i.status.name for i in read} == {
            k: v[0] for k, v in before.items() if not v[6] and k in {i.id for i in read}
        }
    finally:
        services.db.close()


def test_migrated_figures_equal_the_v1_figures_of_dated_items(tmp_path: Path) -> None:
    """Execution over the one occurrence per item equals v1's rule over dated items."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(V1 / "school_demo_rev0004.sqlite3", data / "opora.sqlite3")
    with closing(sqlite3.connect(data / "opora.sqlite3")) as conn:
        day = conn.execute("SELECT max(end_date) FROM roadmap_item").fetchone()[0]
        done, due = conn.execute(
            "SELECT SUM(status = 'DONE'), SUM(status = 'DONE' OR end_date <= ?) FROM roadmap_item "
            "WHERE deleted = 0 AND status != 'CANCELLED' AND end_date IS NOT NULL "
            "AND deadline_understood AND roadmap_id = (SELECT id FROM roadmap LIMIT 1)",
            (day,),
        ).fetchone()
    services = open_services(AppPaths(RESOURCES, data))
    try:
        roadmap = services.roadmap.current()
        assert roadmap is not None
        from datetime import date

        figures = services.roadmap.execution(roadmap.id, date.fromisoformat(day))
        assert (figures.overall.numerator, figures.overall.denominator) == (done, due)
        with services.db.session(stamp=False) as s:
            assert (
                s.exec(select(RoadmapOccurrence).where(col(RoadmapOccurrence.deleted))).all() == []
            )
    finally:
        services.db.close()
