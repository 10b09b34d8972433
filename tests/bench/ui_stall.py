"""GUI stall benchmark: how long the Qt event loop is blocked by ordinary user actions.

Run: `QT_QPA_PLATFORM=offscreen python -m tests.bench.ui_stall [--schools 300] [--profile TEXT]`;
`--profile` (repeatable) runs cProfile on the GUI thread around each action whose name contains
TEXT and prints its 25 most expensive calls (cumulative).

A heartbeat `QTimer` fires every 5 ms; for each action the worst gap between two beats, less the
interval, is the longest time the event loop was blocked (the window could not repaint or take
a click). The action starts inside the event loop and counts until every background task it
started has reported back and the loop has been quiet for a moment. Goal: ≤ 100 ms per action.

Data: the region of `tests.bench.region` (N schools; all but 30 imported, the last 30 kept for
the import preview and apply) and one school of its district with a 500-item roadmap (as
`tests.bench.roadmap_bench` builds it), enrolled, with the district's bulletin for it.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parents[2]
BEAT_MS = 5
QUIET_S = 0.3  # after the last task reported back: the repaint and any queued work
PROFILE: list[str] = []  # parts of action names to profile (`--profile`)


class Heartbeat:
    """Records the longest gap between beats of a 5 ms timer since `reset()`."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer.start()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def reset(self) -> None:
        self.last, self.worst = time.perf_counter(), 0.0

    def stall_ms(self) -> float:
        return max(0.0, (self.worst - BEAT_MS / 1000) * 1000)


def measure(app: QApplication, beat: Heartbeat, name: str, action: Callable[[], Any],
            done: Callable[[], bool] = lambda: True) -> tuple[str, float]:  # fmt: skip
    """`run_action`, under cProfile when `name` is one of those asked for."""
    if not any(part in name for part in PROFILE):
        return name, run_action(app, beat, action, done)
    profile = cProfile.Profile()
    profile.enable()
    stall = run_action(app, beat, action, done)
    profile.disable()
    print(f"--- profile: {name} ({stall:.0f} ms)")  # noqa: T201
    pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    return name, stall


def run_action(app: QApplication, beat: Heartbeat, action: Callable[[], Any],
               done: Callable[[], bool] = lambda: True, timeout: float = 300) -> float:  # fmt: skip
    """Start `action` from the event loop; spin until `done()` and no task runs; the stall."""
    from ui.gui.tasks import idle

    app.processEvents()
    beat.reset()
    QTimer.singleShot(0, action)
    started = time.perf_counter()
    quiet_since: float | None = None
    while time.perf_counter() - started < timeout:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        if idle() and done() and time.perf_counter() - started > 0.05:
            quiet_since = quiet_since or time.perf_counter()
            if time.perf_counter() - quiet_since >= QUIET_S:
                return beat.stall_ms()
        else:
            quiet_since = None
    raise TimeoutError("the action did not finish")


def school_with_roadmap(root: Path, district_card: Any, items: int = 500) -> Any:
    from models import Role
    from models.roadmap import RoadmapBase
    from services.app import open_services
    from services.core.config import AppPaths
    from services.roadmap import ItemFields

    services = open_services(AppPaths(REPO / "resources", root / "school"))
    services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "4701000001")
    services.exchange.trust_district_card(district_card)
    services.demo.fill()
    today = date.today()
    rid = services.roadmap.save_roadmap(RoadmapBase(
        title="Дорожная карта на год", period_start=date(today.year, 1, 1),
        period_end=date(today.year, 12, 31)), None)  # fmt: skip
    blocks = [(f"Раздел {n}", [ItemFields(
        f"Мероприятие {n}.{m}: анализ результатов ВПР и корректировка рабочих программ",
        "Декабрь", "Заместитель директора по УВР", "Учителя", "Справка", "Отчёт")
        for m in range(items // 10)]) for n in range(10)]  # fmt: skip
    services.roadmap.import_items(blocks, replace=False, on=today)
    assert rid
    return services


def build(root: Path, schools: int) -> tuple[Any, Any, list[Path], Path]:
    """District (all but 30 packages imported), school with a bulletin; the 30 files."""
    from services.app import open_services
    from services.core.config import AppPaths
    from tests.bench.region import build_region

    region = build_region(root, schools, enroll=True)
    district = open_services(AppPaths(REPO / "resources", region.district_dir))
    district.sync.import_files(region.packages[:-30], dry_run=False)
    school = school_with_roadmap(root, district.exchange.own_card())
    stick = root / "stick"
    stick.mkdir()
    package = school.exchange.export(stick)
    district.sync.enroll(package.path, school.exchange.own_card().fingerprint)
    mail = root / "bulletins"
    mail.mkdir()
    own = school.site.profile().site.id
    [bulletin] = [r.path for r in district.bulletin.export_bulletins(mail) if r.school_id == own]
    return district, school, region.packages[-30:], bulletin


def script(app: QApplication, beat: Heartbeat, district: Any, school: Any,
           files: list[Path], bulletin: Path) -> list[tuple[str, float]]:  # fmt: skip
    from services.roadmap import ItemFields  # noqa: F401  (the area loads before timing)
    from ui.gui.app import build_main_window
    from ui.gui.navigation import NAVIGATION
    from ui.gui.table_models.roadmap import COLUMNS, ItemRow

    results: list[tuple[str, float]] = []
    school_window = build_main_window(school, "bench")
    school_window.resize(1200, 760)
    school_window.show()
    # The screens' modules are imported in the background after the first paint (as a user
    # looks at «Обзор»); that is measured here, and the first shows come after it.
    preloaded = lambda: not school_window.preloading.is_alive()  # noqa: E731
    results.append(measure(app, beat, "школа: «Обзор» и загрузка экранов", lambda: None, preloaded))
    for key, title in NAVIGATION["school"]:
        show: Callable[[], None] = partial(school_window.show_screen, key)
        results.append(measure(app, beat, f"школа: «{title}»", show))
    roadmap: Any = school_window.screen_widget("roadmap")
    school_window.show_screen("roadmap")
    run_action(app, beat, lambda: None)
    column = next(n for n, c in enumerate(COLUMNS) if c[1] == "deadline_text")
    row = next(n for n, r in enumerate(roadmap.model.rows()) if isinstance(r, ItemRow))

    def edit() -> None:
        roadmap.model.setData(roadmap.model.index(row, column), "Ноябрь")

    results.append(measure(app, beat, "школа: изменить мероприятие (500 в карте)", edit))
    exchange: Any = school_window.screen_widget("exchange")
    school_window.show_screen("exchange")
    run_action(app, beat, lambda: None)
    told: list[str] = []
    load = partial(exchange.load_bulletin, bulletin, told.append)
    results.append(measure(app, beat, "школа: загрузить рассылку", load, lambda: bool(told)))
    school_window.close()

    window = build_main_window(district, "bench")
    window.resize(1200, 760)
    window.show()
    results.append(measure(app, beat, "управление: первая «Сводка» и загрузка экранов",
                           lambda: None, lambda: not window.preloading.is_alive()))  # fmt: skip
    for key, title in NAVIGATION["district"]:
        show = partial(window.show_screen, key)
        results.append(measure(app, beat, f"управление: «{title}»", show))
    screen: Any = window.screen_widget("import")
    window.show_screen("import")
    run_action(app, beat, lambda: None)
    results.append(measure(app, beat, "управление: проверка 30 пакетов",
                           partial(screen.add_paths, files)))  # fmt: skip
    results.append(measure(app, beat, "управление: импорт 30 пакетов", screen.apply))
    results.append(measure(app, beat, "управление: «Сводка» после импорта",
                           partial(window.show_screen, "summary")))  # fmt: skip
    window.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--profile", action="append", default=[], metavar="TEXT",
                        help="profile the actions whose name contains TEXT")  # fmt: skip
    args = parser.parse_args()
    PROFILE.extend(args.profile)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        district, school, files, bulletin = build(Path(tmp), args.schools)
        print(f"data: {args.schools} schools, built in {time.perf_counter() - start:.0f} s")  # noqa: T201
        beat = Heartbeat()
        results = script(app, beat, district, school, files, bulletin)
        for name, stall in results:
            mark = "" if stall <= 100 else "  > 100 ms"
            print(f"{stall:8.0f} ms  {name}{mark}")  # noqa: T201
        name, worst = max(results, key=lambda r: r[1])
        print(f"worst: {worst:.0f} ms — {name} (goal ≤ 100 ms)")  # noqa: T201
        from ui.gui.tasks import wait_all

        wait_all()
        district.db.close()
        school.db.close()


if __name__ == "__main__":
    main()
