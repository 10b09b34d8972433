"""Self-audit benchmark: fill a 62-criterion audit answer by answer, as on the screen.

Run: `QT_QPA_PLATFORM=offscreen python -m tests.bench.audit_bench`.
Prints the time of: every single-answer save (one transaction each, with the factor's level
recomputed and stored), the whole fill, a bulk save, reading the audit, the risk profile, the
comparison with last year, creating measures, and both PDFs. Real database file on disk.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from models import Role
from services.app import build_services
from services.audit.demo import answer_for
from services.audit.levels import risk_profile
from services.audit.service import AnswerRead
from services.core.config import AppPaths
from services.core.db import Database
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, DocumentSpec, get_spec
from services.site.profile import own_site_id

REPO = Path(__file__).resolve().parents[2]


def timed(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = AppPaths(resources_dir=REPO / "resources", data_dir=root / "data")
        paths.data_dir.mkdir()
        services = build_services(Database.open(paths.db_path), paths)
        services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "4701")
        audit = services.audit
        catalogue = audit.catalogue()
        criteria = [c for f in catalogue.default_factors() for c in f.criteria]
        answers = [answer_for(c, n % 3) for n, c in enumerate(criteria)]
        audit.ensure(2025, date(2025, 3, 1))
        audit.save_answers(2025, answers)
        audit.ensure(2026, date(2026, 3, 1))

        singles: list[float] = []
        start = time.perf_counter()
        for a in answers:
            t0 = time.perf_counter()
            audit.save_answer(2026, a.criterion_code, score=a.score, value=a.value,
                              comment="комментарий к ответу")  # fmt: skip
            singles.append(time.perf_counter() - t0)
        fill = time.perf_counter() - start
        bulk = [
            AnswerRead(a.criterion_code, a.score, a.value, "другой комментарий") for a in answers
        ]
        bulk_t = timed(lambda: audit.save_answers(2026, bulk))
        view_t = timed(lambda: audit.view(2026))

        def profile() -> None:
            with services.db.session() as s:
                shipped = services.paths.catalogues_dir
                assert risk_profile(s, own_site_id(s), 2026, catalogues_dir=shipped) is not None

        profile_t = timed(profile)
        compare_t = timed(lambda: audit.comparison(2026))
        codes = [f.code for f in catalogue.default_factors()]
        measures_t = timed(lambda: audit.create_measures(2026, codes), 1)
        pdf: dict[str, float] = {}
        for kind in ("audit-blank", "audit"):
            out = root / f"{kind}.pdf"
            spec = get_spec(kind, Role.SCHOOL, out)

            def render(spec: DocumentSpec = spec, out: Path = out) -> None:
                spec.render(services, out, DocOptions(year=2026), NullProgress())

            pdf[kind] = timed(render, 3)
            pdf[kind + " size KB"] = out.stat().st_size / 1024
        services.db.close()

    lines = [
        f"criteria answered one by one: {len(answers)}",
        f"  whole fill (62 saves):          {fill * 1000:8.1f} ms",
        f"  one save: median {statistics.median(singles) * 1000:.1f} ms, "
        f"max {max(singles) * 1000:.1f} ms",
        f"bulk save of 62 answers:          {bulk_t * 1000:8.1f} ms",
        f"read the audit (levels, answers): {view_t * 1000:8.1f} ms",
        f"risk_profile:                     {profile_t * 1000:8.1f} ms",
        f"comparison with last year:        {compare_t * 1000:8.1f} ms",
        f"create measures for 10 factors:   {measures_t * 1000:8.1f} ms",
    ]
    for key, value in pdf.items():
        unit = "KB" if key.endswith("KB") else "ms"
        lines.append(f"{key:33} {value if unit == 'KB' else value * 1000:8.1f} {unit}")
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
