"""Roadmap benchmark: a 500-item roadmap — PDF, xlsx export and import, filtering.

Run: `QT_QPA_PLATFORM=offscreen python -m tests.bench.roadmap_bench [--items 500]`.
Goals: PDF ≤ 2 s, xlsx export ≤ 1 s, xlsx import ≤ 1 s, filtering the table ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from models import Role
from models.roadmap import RoadmapBase
from services.app import build_services
from services.core.config import AppPaths
from services.core.db import Database
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, get_spec
from services.documents.spreadsheets import ImportMode, import_xlsx
from services.roadmap.service import ItemFields

REPO = Path(__file__).resolve().parents[2]
WORDS = ("Декабрь", "Февраль-март", "В течение года", "до 01.09.2026", "Август ежегодно")


def timed(fn: object, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = AppPaths(resources_dir=REPO / "resources", data_dir=root / "data")
        paths.data_dir.mkdir()
        services = build_services(Database.open(paths.db_path), paths)
        services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "4701")
        rid = services.roadmap.save_roadmap(
            RoadmapBase(
                title="Дорожная карта", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31)
            )
        )
        sections = [services.roadmap.add_section(rid, f"Раздел {n}") for n in range(10)]
        blocks = [
            (f"Раздел {n}", [
                ItemFields(f"Мероприятие {n}.{m}: анализ результатов ВПР и корректировка "
                           "рабочих программ по предметам", WORDS[m % 5], "Заместитель "
                           "директора по УВР", "Учителя", "Справка", "Отчёт")
                for m in range(args.items // 10)
            ])
            for n in range(10)
        ]  # fmt: skip
        services.roadmap.import_items(blocks, replace=False, on=date(2026, 5, 1))
        assert len(sections) == 10
        pdf, xlsx = root / "r.pdf", root / "r.xlsx"
        role = Role.SCHOOL
        t_pdf = timed(lambda: get_spec("roadmap", role, pdf).render(
            services, pdf, DocOptions(), NullProgress()), runs=1)  # fmt: skip
        t_xlsx = timed(lambda: get_spec("roadmap", role, xlsx).render(
            services, xlsx, DocOptions(), NullProgress()))  # fmt: skip
        t_import = timed(lambda: import_xlsx(services, "roadmap", xlsx, ImportMode.REPLACE))
        t_filter = _filter_time(services)
        print(f"items: {args.items}")  # noqa: T201
        print(f"PDF:          {t_pdf:6.3f} s  (goal ≤ 2 s)")  # noqa: T201
        print(f"xlsx export:  {t_xlsx:6.3f} s  (goal ≤ 1 s)")  # noqa: T201
        print(f"xlsx import:  {t_import:6.3f} s  (goal ≤ 1 s)")  # noqa: T201
        print(f"filter table: {t_filter * 1000:6.1f} ms (goal ≤ 50 ms)")  # noqa: T201


def _filter_time(services: object) -> float:
    from PySide6.QtWidgets import QApplication

    from ui.gui.screens.roadmap.screen import RoadmapScreen

    app = QApplication.instance() or QApplication([])
    screen = RoadmapScreen(services.roadmap)  # type: ignore[attr-defined]
    screen.resize(1300, 800)
    screen.refresh()
    times = []
    for text in ("впр", "раздел 3", "мероприятие 7.4", ""):
        start = time.perf_counter()
        screen.filter_edit.setText(text)
        app.processEvents()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    main()
