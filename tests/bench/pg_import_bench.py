"""Import benchmark on a PostgreSQL server: the engine against a floor, a large region, two clients.

Run: `python -m tests.bench.pg_import_bench [--schools 300] [--runs 5] [--large 1000]
[--pair-schools 100] [--region DIR]`. A throwaway server (`tests.pgserver`: 127.0.0.1, fsync
off) and a region of real signed, encrypted packages (`tests.bench.region`; reused from DIR if it
holds enough schools) are made first; every run
imports into a fresh server database holding the empty district (`move_to_server` of the region's
district), dropped once measured (`Bench.drop`). Each measured side runs in a child process of its
own.

- **(a) floor vs import**, `--runs` interleaved pairs on `--schools` schools, median ratio (goal
  ≤ 1.5): the floor verifies, decrypts and parses the same files, then `COPY`s every row into
  plain tables with the same columns (no keys, enum columns as text) in one transaction; the
  import is `SyncService.import_files`, what `python main.py import` runs. For information, not
  the goal's measure, each run also times the floor with `id` as each table's primary key —
  which any implementation needs to find a row's stored version — as `import_bench` does, and
  the floor into tables shaped as the product's own (`LIKE … INCLUDING ALL`: its primary keys
  and every index the dashboard and the checks read through; enum columns as text): what
  writing the same rows into that schema costs before any check.
- **(b) a large region** (`--large` schools, one run; goal ≤ 60 s).
- **(c) two clients** (separate processes, separate connections) importing disjoint halves of
  `--pair-schools` schools at once, against one client importing all of them (`--runs` pairs,
  median ratio of wall times; goal ≤ 1.15), and the final states compared by a checksum of every
  synced table and the sequence state.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.support import package_rows, run_child

REPO = Path(__file__).resolve().parents[2]


def floor(
    district_dir: Path, url: str, files: list[Path], *, shape: str = "plain"
) -> dict[str, float]:
    """The floor's run into tables of `shape`: plain (the goal's measure), keyed (`id` the
    primary key) or indexed (the product's own tables' keys and indexes, `LIKE … INCLUDING
    ALL`, enum columns as text: the cost of writing into them, with no check at all)."""
    import psycopg

    from services.core.config import AppPaths
    from services.packages.keys import KeyStore
    from services.sync.rows import TABLES

    identity = KeyStore(AppPaths(REPO / "resources", district_dir).keys_dir).age_identity
    conn = psycopg.connect(url)
    for name in TABLES:
        columns = conn.execute(
            "SELECT column_name, CASE WHEN data_type = 'USER-DEFINED' THEN 'text' "
            "ELSE format_type(atttypid, atttypmod) END, data_type = 'USER-DEFINED' "
            "FROM information_schema.columns c "
            "JOIN pg_attribute a ON a.attrelid = %s::regclass AND a.attname = c.column_name "
            "WHERE c.table_name = %s",
            (f'"{name}"', name),
        ).fetchall()
        if shape == "indexed":
            conn.execute(f'CREATE TABLE "floor_{name}" (LIKE "{name}" INCLUDING ALL)')
            for column, _type, enum in columns:
                if enum:  # the packages hold an enum's values, not its labels
                    conn.execute(f'ALTER TABLE "floor_{name}" ALTER "{column}" TYPE text')
            continue
        key = " PRIMARY KEY" if shape == "keyed" else ""
        typed = ", ".join(f'"{c}" {t}{key if c == "id" else ""}' for c, t, _enum in columns)
        conn.execute(f'CREATE TABLE "floor_{name}" ({typed})')
    conn.commit()
    start = time.perf_counter()
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
    for table, values in package_rows(files, identity):
        rows[table].append(values)
    total = 0
    with conn.cursor() as cur:
        for name, spec in TABLES.items():
            names = ", ".join(f'"{c}"' for c in spec.columns)
            with cur.copy(f'COPY "floor_{name}" ({names}) FROM STDIN') as copy:
                for row in rows[name]:
                    copy.write_row(row)
            total += len(rows[name])
    conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return {"seconds": elapsed, "rows": total}


def engine(district_dir: Path, files: list[Path]) -> dict[str, float]:
    from services.app import open_services
    from services.core.config import AppPaths

    services = open_services(AppPaths(REPO / "resources", district_dir))
    start = time.perf_counter()
    reports = services.sync.import_files(files, dry_run=False)
    elapsed = time.perf_counter() - start
    services.db.close()
    return {
        "seconds": elapsed,
        "applied": sum(r.verdict == "applied" for r in reports),
        "rows": sum(r.totals().new for r in reports),
    }


def _child(*args: str) -> dict[str, float]:
    return run_child("tests.bench.pg_import_bench", *args)


class Bench:
    """The server, the region and a fresh district database per run."""

    def __init__(self, root: Path, server: Any, pristine: Path) -> None:
        self.root, self.server, self.pristine = root, server, pristine
        self.made = 0
        self.live: list[tuple[Path, str]] = []

    def fresh(self) -> tuple[Path, str]:
        """A copy of the empty district moved into a new server database: (data dir, URL)."""
        from services.core.config import AppPaths
        from services.site import move_to_server

        self.made += 1
        data = self.root / f"district-{self.made}"
        shutil.copytree(self.pristine, data)
        url: str = self.server.create_database(f"bench_{self.made}")
        move_to_server(AppPaths(REPO / "resources", data), url)
        self.live.append((data, f"bench_{self.made}"))
        return data, url

    def drop(self) -> None:
        """Drop the databases measured so far: autovacuum would work through their hundreds of
        thousands of new rows while the next runs are timed (seen: (c) 1.18 × right after (b),
        0.99–1.06 × alone)."""
        import psycopg

        with psycopg.connect(self.server.url(), autocommit=True) as conn:
            for data, name in self.live:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                shutil.rmtree(data, ignore_errors=True)
        self.live.clear()


def _race_child(data_dir: str, files: list[str], barrier: Any, results: Any) -> None:
    from services.app import open_services
    from services.core.config import AppPaths

    services = open_services(AppPaths(REPO / "resources", Path(data_dir)))
    barrier.wait(timeout=120)
    start = time.time()
    reports = services.sync.import_files([Path(f) for f in files], dry_run=False)
    results.put((start, time.time(), sum(r.verdict == "applied" for r in reports)))
    services.db.close()


def clients(data_dir: Path, shares: list[list[Path]]) -> tuple[float, int]:
    """Each share imported by a process of its own, all released at once: (wall s, applied)."""
    from tests.services.sync.concurrent_support import race

    got, _exits = race(_race_child, data_dir, shares, timeout=1800)
    return max(g[1] for g in got) - min(g[0] for g in got), sum(g[2] for g in got)


def checksum(url: str) -> str:
    """A digest of every synced table's rows (in id order) and of the sequence state."""
    import psycopg

    from services.sync.rows import TABLES

    parts = []
    with psycopg.connect(url) as conn:
        for name in sorted(TABLES):
            row = conn.execute(
                f"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY id), '')) "
                f'FROM "{name}" t'
            ).fetchone()
            parts.append(f"{name}:{row[0] if row else ''}")
        row = conn.execute(
            "SELECT md5(string_agg(concat_ws(',', peer_site_id, last_seq, last_hash), ';' "
            "ORDER BY peer_site_id)) FROM sync_state"
        ).fetchone()
        parts.append(f"sync_state:{row[0] if row else ''}")
    return "\n".join(parts)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _median(label: str, ratios: list[float], goal: float) -> None:
    ordered = sorted(ratios)
    print(  # noqa: T201
        f"{label}: median {statistics.median(ratios):.2f} over {len(ratios)} runs "
        f"(range {ordered[0]:.2f}–{ordered[-1]:.2f}; goal ≤ {goal}); load {_load()}"
    )


SHAPED = "floor into the product's own keys and indexes"


def _against(
    label: str, other: dict[str, float], low: dict[str, float], real: dict[str, float]
) -> str:
    """`other` floor's time, as a ratio to the plain floor `low` and of the import `real` to it."""
    return (
        f"{label} {other['seconds']:.2f} s = {other['seconds'] / low['seconds']:.2f} × floor, "
        f"import = {real['seconds'] / other['seconds']:.2f} × it"
    )


def bench_floor(bench: Bench, files: list[Path], runs: int) -> None:
    def measured(kind: str) -> dict[str, float]:
        """`kind` run in a child process on a fresh database, dropped once measured."""
        data, url = bench.fresh()
        result = _child(kind, str(data), url, *map(str, files))
        bench.drop()
        return result

    ratios = []
    for run in range(1, runs + 1):
        low, real, keyed, indexed = map(
            measured, ("floor", "import", "floor-keyed", "floor-indexed")
        )
        ratios.append(real["seconds"] / low["seconds"])
        print(  # noqa: T201
            f"(a) run {run}: floor {low['seconds']:.2f} s ({low['rows']:.0f} rows), import "
            f"{real['seconds']:.2f} s ({real['applied']:.0f} applied, {real['rows']:.0f} new "
            f"rows) = {ratios[-1]:.2f} × floor; "
            f"{_against('floor with the id key', keyed, low, real)}; "
            f"{_against(SHAPED, indexed, low, real)}; "
            f"load {_load()}"
        )
    _median(f"(a) {len(files)} schools, import / floor", ratios, 1.5)


def bench_pair(bench: Bench, files: list[Path], runs: int) -> None:
    ratios = []
    half = len(files) // 2
    for run in range(1, runs + 1):
        data, one_url = bench.fresh()
        one, applied_one = clients(data, [files])
        data, two_url = bench.fresh()
        two, applied_two = clients(data, [files[:half], files[half:]])
        same = checksum(one_url) == checksum(two_url)
        bench.drop()
        ratios.append(two / one)
        print(  # noqa: T201
            f"(c) run {run}: one client {one:.2f} s ({applied_one} applied), two clients "
            f"{two:.2f} s ({applied_two} applied) = {ratios[-1]:.2f} ×; "
            f"final states {'identical' if same else 'DIFFERENT'}; load {_load()}"
        )
        if not same or applied_one != applied_two:
            raise SystemExit("two clients ended in another state than one client")
    _median(f"(c) {len(files)} schools, two clients / one client", ratios, 1.15)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large", type=int, default=1000, help="0: skip (b)")
    parser.add_argument("--pair-schools", type=int, default=100, help="0: skip (c)")
    parser.add_argument("--region", help="a region made before (`tests.bench.region DIR N`)")
    parser.add_argument("--child", nargs="+")
    args, rest = parser.parse_known_args()
    if args.child:
        kind, data, *more = args.child + rest
        if kind.startswith("floor"):
            url, *files = more
            shape = kind.removeprefix("floor").removeprefix("-") or "plain"
            result = floor(Path(data), url, [Path(f) for f in files], shape=shape)
        else:
            result = engine(Path(data), [Path(f) for f in more[1:]])
        print(json.dumps(result))  # noqa: T201
        return
    from tests import pgserver
    from tests.bench.region import build_region

    size = max(args.schools, args.large, args.pair_schools)
    server = pgserver.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(args.region) if args.region else Path(tmp) / "region"
            start = time.perf_counter()
            if not (root / "packages" / f"school-{size - 1:04d}.opora").exists():
                build_region(root, size, enroll=True)
            packages = sorted((root / "packages").glob("school-????.opora"))[:size]
            print(  # noqa: T201
                f"region: {size} schools ready in {time.perf_counter() - start:.0f} s; "
                f"server: PostgreSQL 15, fsync off, 127.0.0.1"
            )
            bench = Bench(Path(tmp), server, root / "district")
            if args.runs:
                bench_floor(bench, packages[: args.schools], args.runs)
            if args.large:
                data, url = bench.fresh()
                real = _child("import", str(data), url, *map(str, packages[: args.large]))
                print(  # noqa: T201
                    f"(b) {args.large} schools: import {real['seconds']:.1f} s "
                    f"({real['applied']:.0f} applied, {real['rows']:.0f} rows; goal ≤ 60 s); "
                    f"load {_load()}"
                )
                bench.drop()
            if args.pair_schools and args.runs:
                bench_pair(bench, packages[: args.pair_schools], args.runs)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
