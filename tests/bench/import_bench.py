"""Import benchmark: N schools' real packages into an empty district, against a floor.

Run: `python -m tests.bench.import_bench [--schools 300] [--runs 5]` (`--runs N`: N interleaved
floor/import pairs on the same region, each import into a fresh copy of the empty district, and
the median ratio).

The region (keys, ≈ 1,500 rows per school, signed and encrypted packages) is generated first by
`tests.bench.region`. Then, each in a fresh child process so that peak RSS is its own:

- **floor**: for every file — open the ZIP, verify the minisign signature, decrypt (age), gunzip,
  parse the JSON lines — then `executemany` all rows into plain SQLite tables with the same columns
  (the engine's settings: WAL, synchronous=FULL, its page cache and checkpoint interval) in one
  transaction;
- **floor with the key** (for information, not the goal's measure): the same with `id` as the
  primary key, which every implementation needs to find a row's stored version — to show what
  that alone costs;
- **import**: `SyncService.import_files` (the engine `python main.py import` runs: strict checks,
  scope, schema, sequence rules, last-writer-wins per row, import log, backup before apply, one
  transaction for the run; a run this large is read by a helper process too, whose peak RSS is
  reported beside the engine's);
- **re-import** of the same files (every one "already imported": zero writes).

Goals for N = 300: import ≤ 1.3 × floor (the median of interleaved runs), ≤ 30 s, peak RSS
≤ 300 MB; re-import ≤ 0.3 × the first import.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from tests.bench.support import package_rows, run_child

REPO = Path(__file__).resolve().parents[2]


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def floor(district_dir: Path, files: list[Path], *, keyed: bool = False) -> dict[str, float]:
    from services.core.config import AppPaths
    from services.packages.keys import KeyStore
    from services.sync.merge import CACHE_KIB, WAL_AUTOCHECKPOINT_PAGES
    from services.sync.rows import TABLES

    paths = AppPaths(REPO / "resources", district_dir)
    identity = KeyStore(paths.keys_dir).age_identity
    out = district_dir.parent / "floor.sqlite3"
    for leftover in (out, out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
        leftover.unlink(missing_ok=True)
    conn = sqlite3.connect(out, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    # The page cache and checkpoint interval the engine sets for its writes (`merge_rows`).
    conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    conn.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
    key = " PRIMARY KEY" if keyed else ""
    for name, spec in TABLES.items():
        columns = [c + key if c == "id" else c for c in spec.columns]
        conn.execute(f'CREATE TABLE "{name}" ({", ".join(columns)})')
    start = time.perf_counter()
    rows: dict[str, list[tuple[object, ...]]] = {name: [] for name in TABLES}
    total = 0

    def write() -> int:
        conn.execute("BEGIN")
        written = 0
        for name, spec in TABLES.items():
            marks = ", ".join("?" for _ in spec.columns)
            conn.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows[name])
            written += len(rows[name])
            rows[name].clear()
        conn.execute("COMMIT")
        return written

    for table, values in package_rows(files, identity):
        rows[table].append(values)
    total += write()
    elapsed = time.perf_counter() - start
    conn.close()
    return {"seconds": elapsed, "rows": total, "rss_mb": _rss_mb()}


def engine(district_dir: Path, files: list[Path]) -> dict[str, float]:
    from services.app import open_services
    from services.core.config import AppPaths

    services = open_services(AppPaths(REPO / "resources", district_dir))
    start = time.perf_counter()
    first = services.sync.import_files(files, dry_run=False)
    first_time = time.perf_counter() - start
    rss = _rss_mb()
    helper_rss = _rss_mb(resource.RUSAGE_CHILDREN)  # the reader process, joined by now
    start = time.perf_counter()
    again = services.sync.import_files(files, dry_run=False)
    again_time = time.perf_counter() - start
    applied = sum(r.verdict == "applied" for r in first)
    already = sum(r.verdict == "already" for r in again)
    rows = sum(r.totals().new for r in first)
    services.db.close()
    return {
        "seconds": first_time,
        "again_seconds": again_time,
        "applied": applied,
        "already": already,
        "rows": rows,
        "rss_mb": rss,
        "helper_rss_mb": helper_rss,
    }


def _child(kind: str, district_dir: Path, files: list[Path]) -> dict[str, float]:
    return run_child("tests.bench.import_bench", kind, str(district_dir), *map(str, files))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument(
        "--runs", type=int, default=1, help="interleaved floor/import runs; prints the median"
    )
    parser.add_argument("--child", nargs="+")
    parser.add_argument("rest", nargs="*")
    args = parser.parse_args()
    if args.child:
        kind, district_dir, *files = args.child + args.rest
        paths = [Path(f) for f in files]
        if kind == "import":
            result = engine(Path(district_dir), paths)
        else:
            result = floor(Path(district_dir), paths, keyed=kind == "floor-keyed")
        print(json.dumps(result))  # noqa: T201
        return
    from tests.bench.region import build_region

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        region = build_region(Path(tmp), args.schools, enroll=True)
        built = time.perf_counter() - start
        size = sum(p.stat().st_size for p in region.packages)
        print(  # noqa: T201
            f"region: {args.schools} schools, {region.rows} rows, {size / 1e6:.1f} MB of "
            f"packages, generated in {built:.1f} s"
        )
        pristine = Path(tmp) / "district-before-import"
        shutil.copytree(region.district_dir, pristine)
        ratios: list[float] = []
        for run in range(1, args.runs + 1):
            # Each run imports into the same empty district: a copy of it as generated.
            shutil.rmtree(region.district_dir)
            shutil.copytree(pristine, region.district_dir)
            low = _child("floor", region.district_dir, region.packages)
            keyed = _child("floor-keyed", region.district_dir, region.packages)
            real = _child("import", region.district_dir, region.packages)
            ratios.append(real["seconds"] / low["seconds"])
            if args.runs > 1:
                print(f"run {run}")  # noqa: T201
            _report(low, keyed, real)
        if args.runs > 1:
            ordered = sorted(ratios)
            print(  # noqa: T201
                f"median ratio over {args.runs} interleaved runs: "
                f"{statistics.median(ratios):.2f} × floor "
                f"(range {ordered[0]:.2f}–{ordered[-1]:.2f}; goal ≤ 1.3)"
            )


def _report(low: dict[str, float], keyed: dict[str, float], real: dict[str, float]) -> None:
    lines = [
        f"floor   {low['seconds']:6.2f} s  {low['rows'] / low['seconds']:8.0f} rows/s  "
        f"peak RSS {low['rss_mb']:.0f} MB",
        f"import  {real['seconds']:6.2f} s  {real['rows'] / real['seconds']:8.0f} rows/s  "
        f"peak RSS {real['rss_mb']:.0f} MB + reader process {real['helper_rss_mb']:.0f} MB  "
        f"({real['applied']:.0f} applied)",
        f"ratio   {real['seconds'] / low['seconds']:.2f} × floor (goal ≤ 1.3)",
        f"floor with the id key {keyed['seconds']:.2f} s = "
        f"{keyed['seconds'] / low['seconds']:.2f} × floor; "
        f"import = {real['seconds'] / keyed['seconds']:.2f} × it",
        f"re-import {real['again_seconds']:.2f} s = "
        f"{real['again_seconds'] / real['seconds']:.2f} × first import (goal ≤ 0.3; "
        f"{real['already']:.0f} already imported)",
    ]
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
