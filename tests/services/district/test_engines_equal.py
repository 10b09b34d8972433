"""The district's reads give the same answers on SQLite and on PostgreSQL.

The same real signed school packages (`tests.bench.region`) are imported into a district on
SQLite and into the same district moved to a PostgreSQL server; with seed 001's formula
indicators defined on both, every figure the district sees is compared: the dashboard, the
schools' indicators, «Школы» and each school's view, the справка's cells, the comments and the
import log.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from services.app import Services, open_services
from services.core.config import AppPaths
from services.core.progress import NullProgress
from services.district.schools import CommentRead
from services.documents.registry import DocOptions, get_spec
from services.indicators.compute import as_of_for
from services.site import move_to_server
from services.sync.pdf import write_import_log_xlsx
from tests.bench.region import build_region
from tests.conftest import RESOURCES
from tests.e2e.cli_support import run_cli
from tests.services.indicators.seed001 import SEED_001

YEAR = 2025
SCHOOLS = 3


@dataclass(frozen=True, slots=True)
class Districts:
    sqlite: Services
    postgres: Services

    @property
    def both(self) -> tuple[Services, Services]:
        return self.sqlite, self.postgres


@pytest.fixture(scope="module")
def districts(
    tmp_path_factory: pytest.TempPathFactory, pg_server: Any, pg_template: str
) -> Iterator[Districts]:
    root = tmp_path_factory.mktemp("engines")
    region = build_region(root / "region", SCHOOLS, enroll=True)
    moved = root / "district-pg"
    shutil.copytree(region.district_dir, moved)
    url = pg_server.create_database("opora_engines_equal")  # empty: the move creates it
    move_to_server(AppPaths(RESOURCES, moved), url)
    pair = Districts(*(open_services(AppPaths(RESOURCES, d)) for d in (region.district_dir, moved)))
    assert pair.postgres.db.is_server and not pair.sqlite.db.is_server
    for services in pair.both:
        [report] = services.sync.import_files(region.packages[:1], dry_run=False)
        assert report.verdict == "applied"
        reports = services.sync.import_files(region.packages[1:], dry_run=False)
        assert [r.verdict for r in reports] == ["applied"] * (SCHOOLS - 1)
        for draft in SEED_001:
            services.thresholds.save_definition(draft)
    _comment_on_both(pair)
    yield pair
    for services in pair.both:
        services.db.close()


def test_the_dashboard_is_the_same(districts: Districts) -> None:
    lite, pg = (s.dashboard.summary(YEAR, as_of_for(YEAR)) for s in districts.both)
    assert len(lite.schools) == SCHOOLS
    assert any(v.ratio.value is not None for s in lite.schools for v in s.indicators)
    assert any(s.execution.value is not None and s.risks for s in lite.schools)
    assert pg == lite


def test_every_indicator_of_every_school_is_the_same(districts: Districts) -> None:
    """Incl. the district's formula indicators of seed 001, per subject and per school."""
    codes = {d.code for d in SEED_001}
    for school in districts.sqlite.registry.schools():
        lite, pg = (
            s.results.indicators(YEAR, owner=school.site_id, as_of=as_of_for(YEAR))
            for s in districts.both
        )
        assert any(v.code in codes and v.ratio.value is not None for v in lite)
        assert pg == lite


def test_schools_and_each_schools_view_are_the_same(districts: Districts) -> None:
    lite, pg = (s.registry.schools() for s in districts.both)
    assert len(lite) == SCHOOLS
    # the moment of import is each district's own
    assert [replace(e, last_received=None) for e in pg] == [
        replace(e, last_received=None) for e in lite
    ]
    for entry_lite, entry_pg in zip(lite, pg, strict=True):
        view_lite = districts.sqlite.school_view.view(entry_lite, YEAR, as_of_for(YEAR))
        view_pg = districts.postgres.school_view.view(entry_pg, YEAR, as_of_for(YEAR))
        assert replace(view_pg, entry=entry_lite, comments=[]) == replace(view_lite, comments=[])
        # (same-day comments are ordered by their ids, each district's own)
        assert sorted(map(_comment, view_pg.comments)) == sorted(map(_comment, view_lite.comments))


def test_the_spravka_is_the_same(districts: Districts, tmp_path: Path) -> None:
    """The workbook's cells and the PDF's text; on the server as `report district-summary`."""
    lite_xlsx, lite_pdf = tmp_path / "lite.xlsx", tmp_path / "lite.pdf"
    for out in (lite_xlsx, lite_pdf):
        _render(districts.sqlite, out)
    pg_xlsx, pg_pdf = tmp_path / "pg.xlsx", tmp_path / "pg.pdf"
    for out in (pg_xlsx, pg_pdf):
        done = run_cli(districts.postgres.paths.data_dir, "report", "district-summary",
                       "--year", str(YEAR), "--out", str(out))  # fmt: skip
        assert done.returncode == 0, done.stderr
    lite = _cells(lite_xlsx)
    assert len(lite["Показатели"]) == SCHOOLS + 2  # header, the schools, the district
    assert _cells(pg_xlsx) == lite
    assert _pdf_text(pg_pdf) == _pdf_text(lite_pdf)


def _comment_on_both(pair: Districts) -> None:
    """A comment on the first school and one on its first roadmap item, at both districts."""
    entry = pair.sqlite.registry.schools()[0]
    item = pair.sqlite.school_view.view(entry, YEAR, as_of_for(YEAR)).items[0].id
    for services in pair.both:
        services.registry.add_comment(entry.site_id, "site", entry.site_id, "Проверьте сроки")
        services.registry.add_comment(entry.site_id, "roadmap_item", item, "Уточните срок")


def test_comments_and_the_import_log_are_the_same(districts: Districts, tmp_path: Path) -> None:
    lite, pg = (
        sorted((*_comment(c), c.resolved) for c in s.registry.comments())
        for s in districts.both
    )  # fmt: skip
    assert len(lite) == 2 and pg == lite
    logs = []
    for n, services in enumerate(districts.both):
        out = tmp_path / f"log{n}.xlsx"
        write_import_log_xlsx(out, services.sync.import_log())
        sheet = load_workbook(out).active
        assert sheet is not None
        logs.append([[c.value for c in row] for row in sheet.iter_rows()])
    header = next(r for r in logs[0] if "Версия Опоры" in r)
    kept = [i for i, name in enumerate(header) if name not in _MOMENTS]
    assert [[r[i] for i in kept] for r in logs[1]] == [[r[i] for i in kept] for r in logs[0]]


_MOMENTS = ("Дата и время", "Кто импортировал")  # each district's own moment and login


def _comment(c: CommentRead) -> tuple[str, ...]:
    """A comment without what each district gives it itself (its id, version and writer)."""
    return (c.school_id, c.target_table, c.target_id, c.text, c.target_title)


def _render(services: Services, out: Path) -> None:
    spec = get_spec("district-summary", services.site.profile().role, out)
    spec.render(services, out, DocOptions(year=YEAR), NullProgress())


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def _cells(out: Path) -> dict[str, list[list[Any]]]:
    wb = load_workbook(out)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def test_bulletins_carry_the_same_records(districts: Districts, tmp_path: Path) -> None:
    sent = []
    for n, services in enumerate(districts.both):
        out = tmp_path / str(n)
        out.mkdir()
        results = services.bulletin.export_bulletins(out)
        sent.append(sorted((r.school_id, r.records, r.comments) for r in results))
    assert len(sent[0]) == SCHOOLS and sum(comments for *_, comments in sent[0]) == 2
    assert sent[1] == sent[0]
