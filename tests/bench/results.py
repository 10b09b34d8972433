"""Results benchmark: indicators for a district of schools, workbook import, PDF.

Run: .venv/bin/python -m tests.bench.results [SCHOOLS]
Prints measured times; nothing is asserted (normal tests carry no timing).
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path
from typing import Any

from models import Role
from models.base import stable_id
from models.results import GiaResult, Progression, VprResult
from services.app import build_services
from services.core.config import AppPaths
from services.core.db import Database
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, get_spec
from services.documents.spreadsheets import import_xlsx
from services.indicators.compute import compute_indicators
from services.results.demo import demo_years, gia_entries, progression_entries, vpr_entries
from services.results.xlsx import write_results_template

REPO = Path(__file__).resolve().parents[2]


def _values(entry: Any) -> dict[str, Any]:
    return {k: v for k, v in asdict(entry).items() if k != "id"}


def _fill_schools(db: Database, schools: int, years: list[int]) -> list[str]:
    owners = [stable_id("bench-school", n) for n in range(schools)]
    vpr, gia, prog = vpr_entries(years), gia_entries(years), progression_entries(years)
    with db.session() as s:
        for owner in owners:
            for e in vpr:
                vid = stable_id("vpr", owner, e.year, e.grade, "", e.subject)
                s.add(VprResult(id=vid, owner=owner, **_values(e)))
            for g in gia:
                gid = stable_id("gia", owner, g.year, g.exam, g.subject)
                s.add(GiaResult(id=gid, owner=owner, **_values(g)))
            for p in prog:
                pid = stable_id("progression", owner, p.year, p.level)
                s.add(Progression(id=pid, owner=owner, **_values(p)))
    return owners


def _say(text: str) -> None:
    print(text)  # noqa: T201


def main(schools: int = 300) -> None:
    years = demo_years(date.today())
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        db = Database.open(data / "bench.sqlite3")
        services = build_services(db, AppPaths(REPO / "resources", data))
        services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
        started = time.perf_counter()
        owners = _fill_schools(db, schools, years)
        _say(
            f"rows of {schools} schools x {len(years)} years: {time.perf_counter() - started:.2f} s"
        )
        started = time.perf_counter()
        with db.session() as s:
            for owner in owners:
                compute_indicators(
                    s,
                    owner,
                    years[-1],
                    catalogues_dir=services.paths.catalogues_dir,
                    as_of=date.today(),
                )
        elapsed = time.perf_counter() - started
        each = 1000 * elapsed / schools
        _say(f"compute_indicators, {schools} schools: {elapsed:.2f} s ({each:.1f} ms each)")

        many = [
            replace(e, year=y, class_label=c)
            for y in range(2010, 2030)
            for c in ("", "А", "Б", "В", "Г", "Д", "Е")
            for e in vpr_entries([2024])
        ]
        book = data / "big.xlsx"
        write_results_template(book, many, gia_entries(years), progression_entries(years))
        rows = len(many) + len(gia_entries(years)) + len(progression_entries(years))
        started = time.perf_counter()
        import_xlsx(services, "results", book)
        first = time.perf_counter() - started
        started = time.perf_counter()
        import_xlsx(services, "results", book)
        again = time.perf_counter() - started
        size = book.stat().st_size / 1024
        _say(f"import of {rows} rows: {first:.2f} s; re-import: {again:.2f} s; {size:.0f} KiB")

        services.results.fill_demo(Role.SCHOOL)
        started = time.perf_counter()
        out = data / "r.pdf"
        get_spec("results", Role.SCHOOL, out).render(services, out, DocOptions(), NullProgress())
        took = time.perf_counter() - started
        _say(f"results PDF: {took:.2f} s, {out.stat().st_size / 1024:.0f} KiB")
        db.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
