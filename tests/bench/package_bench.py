"""Package benchmark: export and verify a large school, package size against gzip -9.

Run: `python -m tests.bench.package_bench [--records 2000] [--runs 7]`.

Goals: export of ≈ 2,000 records ≤ 0.5 s; verify ≤ 0.2 s; package size ≤ 1.1 × the gzip -9 size
of the same JSON Lines. Floors measured in the same run: serialising the records to JSON Lines and
gzip -9 (what any export must do at least) and gunzip + parse (what any reader must do at least);
the ratios against those floors show what signing, encryption and checking cost on this machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from models import SYNC_TABLES, Role
from services.app import Services, build_services
from services.core.config import AppPaths
from services.core.db import Database
from services.exchange.service import partition_records
from services.packages.format import canonical_json
from services.site.profile import own_site_id
from services.sync.rows import TABLES, validate_record
from tests.bench.region import _Rows, _text, school_records

REPO = Path(__file__).resolve().parents[2]


def timed(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_site(root: Path, role: Role, name: str, code: str) -> Services:
    paths = AppPaths(resources_dir=REPO / "resources", data_dir=root)
    root.mkdir(parents=True)
    services = build_services(Database.open(paths.db_path), paths)
    services.site.initialize(role, name, code)
    services.keys.ensure()
    return services


def fill_school(school: Services, district_id: str, records: int) -> int:
    """Store ≈ `records` rows of a large school (roadmaps, audits, teachers, results)."""
    with school.db.session(stamp=False) as s:
        owner = own_site_id(s)
    rows = [r for r in school_records(owner, "МОУ СОШ № 1", district_id, 1) if r.table != "site"]
    extra = _Rows(owner, "bench-extra")
    roadmap = extra.add("roadmap", ("extra",), title="Дорожная карта 2026",
                        period_start="2026-01-01", period_end="2026-12-31")  # fmt: skip
    section = extra.add("roadmap_section", ("extra",), roadmap_id=roadmap, title="Раздел")
    for i in range(max(0, records - len(rows) - 2)):
        extra.add("roadmap_item", ("extra", i), roadmap_id=roadmap, section_id=section,
                  position=i, number=str(i + 1), title=_text(i, 12),
                  deadline_text="Декабрь 2026", expected_result=_text(i + 5, 9))  # fmt: skip
    rows += extra.records
    order = {model.__tablename__: n for n, model in enumerate(SYNC_TABLES)}
    with school.db.session(stamp=False) as s:
        for rec in sorted(rows, key=lambda r: order[r.table]):
            s.add(TABLES[rec.table].model(**validate_record(rec)))
            s.flush()
    return len(rows)


def floors(school: Services, runs: int) -> tuple[float, float, int]:
    """JSON Lines + gzip -9 of the same records, and gunzip + parse of them; the gzip size."""
    with school.db.session(stamp=False) as s:
        records = partition_records(s, own_site_id(s))

    def pack() -> bytes:
        plain = b"\n".join(canonical_json({"table": r.table, "row": r.row}) for r in records)
        return gzip.compress(plain + b"\n", compresslevel=9, mtime=0)

    packed = pack()

    def unpack() -> None:
        for line in gzip.decompress(packed).splitlines():
            json.loads(line)

    return timed(pack, runs), timed(unpack, runs), len(packed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        district = make_site(root / "district", Role.DISTRICT, "Управление образования", "47")
        school = make_site(root / "school", Role.SCHOOL, "МОУ СОШ № 1", "4701")
        card = district.exchange.own_card()
        school.exchange.trust_district_card(card)
        stored = fill_school(school, card.site_id, args.records)
        out = root / "out"
        out.mkdir()
        results = []
        export_time = timed(lambda: results.append(school.exchange.export(out)), args.runs)
        package = results[-1]
        verify_time = timed(lambda: district.exchange.verify(package.path), args.runs)
        pack_floor, unpack_floor, gzip_size = floors(school, args.runs)
        print(f"records stored: {stored}, exported: {sum(package.counts.values())}")  # noqa: T201
        report = [
            ("export (median)", export_time, 0.5, pack_floor, "JSONL + gzip -9"),
            ("verify (median)", verify_time, 0.2, unpack_floor, "gunzip + JSON parse"),
        ]
        for name, value, goal, floor, floor_name in report:
            print(  # noqa: T201
                f"{name:16} {value * 1000:7.1f} ms  goal ≤ {goal * 1000:.0f} ms  "
                f"floor ({floor_name}) {floor * 1000:.1f} ms  ratio {value / floor:.2f}×"
            )
        print(  # noqa: T201
            f"package size     {package.size} B  gzip -9 of the same JSONL {gzip_size} B  "
            f"ratio {package.size / gzip_size:.3f}× (goal ≤ 1.1×)"
        )
        district.db.close()
        school.db.close()


if __name__ == "__main__":
    main()
