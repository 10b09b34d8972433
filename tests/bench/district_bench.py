"""District benchmark: dashboard, справка PDF and consolidated xlsx at N schools.

Run: `python -m tests.bench.district_bench [--schools 300] [--engine postgresql] [--region DIR]`
(DIR: a region made before with `python -m tests.bench.region DIR N`, N ≥ --schools; its district
is copied, so DIR stays reusable).

With `--engine postgresql` a throwaway server is started (`tests.pgserver`), the imported district
is moved onto it (`move_to_server`, as `init --from-local` does; the import into a server is not
what this bench measures) and vacuumed and analysed there (what autovacuum does soon after a
bulk load; without it the first reads find no statistics and no visibility map); every figure
below is then read from the server, the floor's aggregates too (psycopg).

The region of `tests.bench.region` (N schools × 3 years, ≈ 1,500 rows each, real signed packages)
is imported into an empty district through `SyncService`. Then, in a fresh process (`--runs` times;
the medians are printed, and each cold dashboard time):

- **dashboard floor**: the same school rows read once with plain SQL aggregates (sqlite3, GROUP BY
  owner) — what any implementation must at least read;
- **dashboard cold**: `DashboardService.summary` right after import (every school computed in
  one batch by the areas' set-based loaders and `compute_indicators`), first with the shipped
  indicators only, then (new processes) with seed 001's five district formula indicators,
  printed as the ratio to the shipped-only cold time of the same run; **warm**: the same call
  again (per-school figures reused until a new package of that school arrives); **incremental**:
  after 10 schools' newest package changed (only those are computed again);
- **PDF / xlsx**: `district-summary` through the documents registry (what `report` and the screen
  run), timed after the dashboard was shown (render only), each against a floor: one plain
  reportlab table / one openpyxl sheet with the same number of cells.

Goals for N = 300: dashboard ≤ 200 ms with the shipped catalogue (≤ 300 ms on PostgreSQL), PDF
≤ 5 s, xlsx ≤ 3 s. What a district's formula indicators add is printed against their own floor:
the rows they read (the ВПР keys their condition is tested on and the summed fields), read with
plain SQL.
The load average is printed: on a loaded machine every figure grows.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.support import run_child

REPO = Path(__file__).resolve().parents[2]
YEAR = 2025

FLOOR_QUERIES = (
    "SELECT owner, year, SUM(participants), SUM(n2), SUM(n3 + n4 + n5), SUM(n4 + n5), "
    "SUM(confirmed), SUM(lowered + confirmed + raised) FROM vpr_result "
    "WHERE deleted = 0 AND year IN (?, ?) GROUP BY owner, year",
    "SELECT owner, year, exam, SUM(participants), SUM(below_min), SUM(high_scorers) "
    "FROM gia_result WHERE deleted = 0 AND year IN (?, ?) GROUP BY owner, year, exam",
    "SELECT owner, year, SUM(pupils), SUM(repeaters), SUM(graduates_9 + graduates_11), "
    "SUM(certificates_9 + certificates_11) FROM progression "
    "WHERE deleted = 0 AND year IN (?, ?) GROUP BY owner, year",
)
# What seed 001's five formulas must at least read: the ВПР keys their condition is tested on, and
# the two summed fields of every school and year (their other inputs are the progression sums
# of FLOOR_QUERIES).
FORMULA_FLOOR_QUERIES = (
    "SELECT DISTINCT grade, class_label, subject FROM vpr_result "
    "WHERE deleted = 0 AND year IN (?, ?)",
    "SELECT owner, year, COUNT(*), SUM(participants), SUM(confirmed) FROM vpr_result "
    "WHERE deleted = 0 AND year IN (?, ?) GROUP BY year, owner",
)
OTHER_QUERIES = (
    "SELECT owner, status, COUNT(*) FROM roadmap_occurrence WHERE deleted = 0 "
    "GROUP BY owner, status",
    "SELECT t.owner, COUNT(DISTINCT t.id), COUNT(a.id) FROM teacher t LEFT JOIN "
    "development_plan p ON p.teacher_id = t.id LEFT JOIN development_activity a "
    "ON a.plan_id = p.id WHERE t.deleted = 0 GROUP BY t.owner",
    "SELECT s.owner, r.factor_code, r.override_level FROM risk_assessment r "
    "JOIN self_audit s ON s.id = r.audit_id WHERE r.deleted = 0 AND s.year = ?",
)


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def dashboard_floor(
    data_dir: Path, db_path: Path, queries: tuple[str, ...] = FLOOR_QUERIES
) -> float:
    """The plain aggregates on a connection of their own: sqlite3, or psycopg on a server."""
    from services.core.db_pg import load_workspace

    workspace = load_workspace(data_dir)
    if workspace is None:
        return _floor(sqlite3.connect(db_path), str, queries)
    import psycopg

    from services.core.sql_select import for_postgres

    return _floor(psycopg.connect(workspace.url), for_postgres, queries)


def _floor(conn: Any, dialect: Any, queries: tuple[str, ...]) -> float:
    start = time.perf_counter()
    for query in queries:
        conn.execute(dialect(query), (YEAR - 1, YEAR)).fetchall()
    for query in OTHER_QUERIES if queries is FLOOR_QUERIES else ():
        conn.execute(dialect(query), (YEAR,) if "?" in query else ()).fetchall()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def pdf_floor(out: Path, rows: int, cols: int, fonts_dir: Path) -> float:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate, Table

    from services.documents.fonts import SERIF, register_fonts

    register_fonts(fonts_dir)
    start = time.perf_counter()
    data = [[f"{r}.{c}" for c in range(cols)] for r in range(rows)]
    table = Table(data, repeatRows=1)
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), SERIF), ("FONTSIZE", (0, 0), (-1, -1), 9)])
    SimpleDocTemplate(str(out), pagesize=landscape(A4)).build([table])
    return time.perf_counter() - start


def xlsx_floor(out: Path, rows: int, cols: int) -> float:
    from openpyxl import Workbook

    start = time.perf_counter()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in range(rows):
        ws.append([r * 0.5 + c for c in range(cols)])
    wb.save(out)
    return time.perf_counter() - start


def _touch_packages(services: Any, n: int) -> None:
    """As if a new package of `n` schools had been applied (their SyncState hash changes)."""
    from sqlmodel import select

    from models import SyncState

    with services.db.session(stamp=False) as s:
        for state in s.exec(select(SyncState).limit(n)).all():
            state.last_hash = "f" * 64


def measure(district_dir: Path) -> dict[str, float]:
    from services.app import open_services
    from services.core.config import AppPaths
    from services.core.progress import NullProgress
    from services.documents.registry import DocOptions, get_spec
    from services.indicators.compute import as_of_for

    services = open_services(AppPaths(REPO / "resources", district_dir))
    paths = services.paths
    result: dict[str, float] = {"floor": dashboard_floor(paths.data_dir, paths.db_path)}
    result["formula_floor"] = dashboard_floor(paths.data_dir, paths.db_path, FORMULA_FLOOR_QUERIES)
    as_of = as_of_for(YEAR)
    result["cold"], summary = _timed(lambda: services.dashboard.summary(YEAR, as_of))
    result["warm"], _ = _timed(lambda: services.dashboard.summary(YEAR, as_of))
    _touch_packages(services, 10)
    result["incremental"], _ = _timed(lambda: services.dashboard.summary(YEAR, as_of))
    result["schools"] = len(summary.schools)
    role = services.site.profile().role
    out_dir = district_dir.parent
    for fmt in ("pdf", "xlsx"):
        out = out_dir / f"summary.{fmt}"
        spec = get_spec("district-summary", role, out)
        result[fmt], _ = _timed(
            lambda o=out, sp=spec: sp.render(services, o, DocOptions(year=YEAR), NullProgress())
        )
        result[f"{fmt}_kb"] = out.stat().st_size / 1024
    cells = len(summary.schools) * 13
    result["pdf_floor"] = pdf_floor(
        out_dir / "floor.pdf", cells // 13 * 3, 13, services.paths.fonts_dir
    )
    result["xlsx_floor"] = xlsx_floor(out_dir / "floor.xlsx", len(summary.schools) * 4, 13)
    services.db.close()
    return result


def _child(district_dir: Path) -> dict[str, float]:
    return run_child("tests.bench.district_bench", str(district_dir))


def gui_start(district_dir: Path, runs: int = 5) -> tuple[float, float]:
    """Medians: empty QMainWindow painted (floor) and the district's main window painted."""
    import os
    import statistics

    from tests.bench.startup import FLOOR, timed_lines

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    app = [sys.executable, "main.py", "--data-dir", str(district_dir), "--exit-after-paint"]
    floor, painted = [], []
    for _ in range(runs):
        floor.append(timed_lines([sys.executable, "-c", FLOOR], env)["painted"])
        painted.append(timed_lines(app, env)["painted"])
    return statistics.median(floor), statistics.median(painted)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--region", help="a region made before (`tests.bench.region DIR N`)")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child))))  # noqa: T201
        return
    from tests import pgserver

    server = pgserver.start() if args.engine == "postgresql" else None
    try:
        _bench(args.schools, server, Path(args.region) if args.region else None, args.runs)
    finally:
        if server is not None:
            server.stop()


def _region(tmp: Path, schools: int, made: Path | None) -> Any:
    """A region of `schools`: built under `tmp`, or a copy of the district of one made before."""
    from tests.bench.region import Region, build_region

    if made is None:
        return build_region(tmp, schools, enroll=True)
    packages = sorted((made / "packages").glob("school-????.opora"))[:schools]
    if len(packages) < schools:
        raise SystemExit(f"{made} has {len(packages)} schools, fewer than {schools}")
    shutil.copytree(made / "district", tmp / "district")
    return Region(tmp / "district", packages, [], 0)  # rows: counted from the import


def _bench(schools: int, server: Any, made: Path | None, runs: int) -> None:
    from services.app import open_services
    from services.core.config import AppPaths
    from services.site import move_to_server
    from tests.services.indicators.seed001 import SEED_001

    with tempfile.TemporaryDirectory() as tmp:
        region = _region(Path(tmp), schools, made)
        paths = AppPaths(REPO / "resources", region.district_dir)
        services = open_services(paths)
        imported, reports = _timed(
            lambda: services.sync.import_files(region.packages, dry_run=False)
        )
        rows = sum(sum(report.manifest_counts.values()) for report in reports)
        if server is not None:  # the reads are measured here, not the import into the server
            services.db.close()
            url = server.create_database("opora_bench")
            moved, _ = _timed(lambda: move_to_server(paths, url))
            print(f"moved to the server in {moved:.1f} s")  # noqa: T201
            print(f"VACUUM ANALYZE in {_timed(lambda: _vacuum(url))[0]:.1f} s")  # noqa: T201
            services = open_services(paths)
        # each child is a fresh process (cold); the median of the runs of every figure
        shipped = _runs(region.district_dir, runs)
        for draft in SEED_001:
            services.thresholds.save_definition(draft)
        services.db.close()
        r = _runs(region.district_dir, runs)
        floor_paint, gui_paint = gui_start(region.district_dir)
        engine = "PostgreSQL" if server is not None else "SQLite"
        print(f"engine: {engine}")  # noqa: T201
        print("\n".join(_lines(schools, rows, imported, shipped, r, server)))  # noqa: T201
        gui = f"{gui_paint:.3f} s = {gui_paint / floor_paint:.2f} × the startup floor"
        print(f"district GUI painted {gui} {floor_paint:.3f} s (goal ≤ 1.5)")  # noqa: T201


def _vacuum(url: str) -> None:
    """What autovacuum does soon after a bulk load: statistics, and the visibility map that
    lets the covering indexes answer without reading the table (index-only scans)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def _runs(district_dir: Path, n: int) -> dict[str, Any]:
    runs = [_child(district_dir) for _ in range(n)]
    r: dict[str, Any] = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    r["colds"] = ", ".join(f"{run['cold'] * 1000:.0f}" for run in runs)
    return r


def _lines(
    n: int, rows: int, imported: float, shipped: dict[str, Any], r: dict[str, Any], server: Any
) -> list[str]:
    ms = 1000.0
    goal = 300 if server is not None else 200
    return [
        f"region: {n} schools, {rows} rows, imported in {imported:.1f} s; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"dashboard floor {r['floor'] * ms:8.1f} ms  (plain SQL aggregates)",
        f"dashboard cold, shipped indicators only {shipped['cold'] * ms:8.1f} ms  = "
        f"{shipped['cold'] / shipped['floor']:.2f} × floor (goal ≤ {goal} ms; "
        f"runs: {shipped['colds']} ms)",
        f"dashboard cold, + seed 001's 5 district indicators {r['cold'] * ms:8.1f} ms  = "
        f"{r['cold'] / shipped['cold']:.2f} × the shipped-only cold (runs: {r['colds']} ms); "
        f"the formulas add {(r['cold'] - shipped['cold']) * ms:.0f} ms = "
        f"{(r['cold'] - shipped['cold']) / r['formula_floor']:.1f} × their floor "
        f"{r['formula_floor'] * ms:.1f} ms (their rows read with plain SQL)",
        f"dashboard warm  {r['warm'] * ms:8.1f} ms  = {r['warm'] / r['floor']:.2f} × floor",
        f"dashboard after 10 schools' new packages {r['incremental'] * ms:.1f} ms",
        f"PDF   {r['pdf']:6.2f} s ({r['pdf_kb']:.0f} KB) = {r['pdf'] / r['pdf_floor']:.1f} × "
        f"floor {r['pdf_floor']:.2f} s (goal ≤ 5 s; cold from the command line ≈ "
        f"{r['pdf'] + r['cold']:.1f} s)",
        f"xlsx  {r['xlsx']:6.2f} s ({r['xlsx_kb']:.0f} KB) = {r['xlsx'] / r['xlsx_floor']:.1f} "
        f"× floor {r['xlsx_floor']:.2f} s (goal ≤ 3 s; cold ≈ {r['xlsx'] + r['cold']:.1f} s)",
    ]


if __name__ == "__main__":
    main()
