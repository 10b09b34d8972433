"""District indicators by formula: the «Сводка» with and without seed 001's five formulas.

Run: `python -m tests.bench.indicator_formula_bench [--schools 300]`.

N schools, each with 2 years × (7 grades × 6 subjects) ВПР rows, a «Вся школа» progression row
with the municipal inputs, written straight into a file database of a district. Printed: the
cold `DashboardService.summary` (median of 3, memo cleared) without district indicators, then
with the five seed 001 formulas, and the parse + evaluation time of the five per school.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from models import Progression, Role, Site, VprResult, stable_id
from services.app import build_services
from services.core.config import AppPaths
from services.core.db import Database
from services.district.summary import FiguresMemo, build_summary
from services.indicators.evaluate import FormulaInputs, evaluate
from services.indicators.expr import parse
from tests.services.indicators.seed001 import SEED_001

REPO = Path(__file__).resolve().parents[2]
YEAR = 2025
SUBJECTS = ("Русский язык", "Математика", "Окружающий мир", "История", "Биология", "География")


def _fill(db: Database, n: int) -> None:
    with db.session() as s:
        for i in range(n):
            owner = stable_id("bench-school", i)
            s.add(Site(id=owner, owner=owner, role=Role.SCHOOL, full_name=f"Школа {i}"))
            for year in (YEAR - 1, YEAR):
                for grade in (4, 5, 6, 7, 8, 10, 11):
                    for subject in SUBJECTS:
                        p = 20 + (i + grade) % 9
                        s.add(
                            VprResult(
                                id=stable_id("vpr", owner, year, grade, "", subject),
                                owner=owner, year=year, grade=grade, subject=subject,
                                participants=p, n2=2, n3=p - 8, n4=4, n5=2,
                                lowered=3, confirmed=p - 5, raised=2,
                            )
                        )  # fmt: skip
                s.add(
                    Progression(
                        id=stable_id("progression", owner, year, "all"), owner=owner, year=year,
                        pupils=400, graduates_9=40, certificates_9=39, graduates_11=18,
                        certificates_11=17, medals=3, gia9_admitted=39, gia9_no_fail=30 + i % 9,
                        gia11_admitted=18, medal_claimants=4, badge_claimants=5,
                        badge_recipients=i % 5,
                    )
                )  # fmt: skip


def _cold(db: Database, catalogues: Path) -> float:
    times = []
    for _ in range(3):
        with db.session(stamp=False) as s:
            start = time.perf_counter()
            build_summary(s, YEAR, date(YEAR, 12, 1), catalogues, FiguresMemo())
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=300)
    n = parser.parse_args(argv).schools
    with tempfile.TemporaryDirectory() as tmp:
        paths = AppPaths(resources_dir=REPO / "resources", data_dir=Path(tmp))
        services = build_services(Database.open(Path(tmp) / "d.sqlite3"), paths)
        services.site.initialize(Role.DISTRICT, "Управление образования", "2700000001")
        _fill(services.db, n)
        without = _cold(services.db, paths.catalogues_dir)
        for draft in SEED_001:
            services.thresholds.save_definition(draft)
        with_formulas = _cold(services.db, paths.catalogues_dir)
        services.db.close()
    inputs = FormulaInputs({"gia9_no_fail": 30, "gia9_admitted": 39}, {})
    start = time.perf_counter()
    for _ in range(1000):
        for draft in SEED_001:
            evaluate(parse(draft.formula), inputs)
    per_school = (time.perf_counter() - start) / 1000
    print(f"schools: {n}")  # noqa: T201
    print(f"Сводка cold, shipped indicators only: {without * 1000:.0f} ms")  # noqa: T201
    print(f"Сводка cold, + seed 001's 5 formulas:  {with_formulas * 1000:.0f} ms")  # noqa: T201
    print(f"parse + evaluate 5 formulas (uncached), per school: {per_school * 1e6:.0f} µs")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
