"""The screens of each role, in navigation order (DESIGN §9).

A screen is a QWidget built from the services it needs and the app's change `Notifier`; it may
define `refresh()`, called each time it is shown.

`preload(role)` imports the screens' modules (and the documents' reportlab) in a background
thread once the window is up, so that a screen's first show only builds its widgets: importing
is safe off the GUI thread (no widget is created), and a screen opened meanwhile waits on the
import lock for what is left. Before and after, it freezes the garbage collector's view of what
is loaded (`gc.freeze`): modules and services live as long as the app, and a full collection walking
all of them stops every thread, the GUI thread too (in `tests/bench/ui_stall.py` one took up
to 140 ms during an import of 30 packages in a task; after the freeze, 1 ms).
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from models import Role
from services.app import Services
from services.core.progress import Progress
from services.documents import ImportMode
from ui.gui.tasks import Notifier

if TYPE_CHECKING:
    from services.intake import RoadmapPreview


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    title: str
    factory: Callable[..., QWidget]  # (services, notifier)
    module: str = ""  # what the factory imports, for `preload`


def preload(role: Role) -> threading.Thread:
    """Import the screens of `role` in a background thread (see the module's docstring)."""

    def run() -> None:
        gc.freeze()  # what the app has loaded so far, before the imports add to it
        try:
            for spec in screens_for(role):
                if spec.module:
                    importlib.import_module(spec.module)
            from services.documents import available

            available(role)  # registers every document: imports reportlab and openpyxl
            gc.freeze()  # and what they loaded
        except Exception:  # the screen reports it properly when it is opened
            logging.getLogger(__name__).exception("preloading the screens failed")

    thread = threading.Thread(target=run, name="preload-screens", daemon=True)
    thread.start()
    return thread


def _overview(services: Services, notifier: Notifier | None = None) -> QWidget:
    from ui.gui.screens.overview import OverviewScreen

    return OverviewScreen(
        services.results.overview, services.exchange.changed_since_export, notifier=notifier
    )


def _roadmap(services: Services, notifier: Notifier | None = None) -> QWidget:
    from ui.gui.screens.roadmap.commands import Importer
    from ui.gui.screens.roadmap.screen import RoadmapScreen

    def store(path: Path, mode: ImportMode, preview: RoadmapPreview) -> str:
        # Imported here, in the import's task: loading the intake package takes ≈ 50 ms,
        # which the screen's first show on the GUI thread need not pay.
        from services.intake import apply_roadmap

        return apply_roadmap(services, preview, mode)

    importer = Importer(services.paths.intake_dir, store)
    municipal = services.site.profile().role is Role.DISTRICT
    return RoadmapScreen(services.roadmap, importer, municipal=municipal, notifier=notifier,
                         settings_file=services.paths.data_dir / "ui.ini",
                         programme=services.programme)  # fmt: skip


def _audit(services: Services, notifier: Notifier | None = None) -> QWidget:
    from ui.gui.screens.audit.screen import AuditScreen

    return AuditScreen(services.audit, notifier=notifier)


def _exchange(services: Services, notifier: Notifier | None = None) -> QWidget:
    from ui.gui.screens.exchange import ExchangeScreen

    return ExchangeScreen(services, notifier=notifier)


def _documents(services: Services, notifier: Notifier | None = None) -> QWidget:
    from ui.gui.screens.documents import DocumentsScreen

    return DocumentsScreen(services)


def _results(services: Services, notifier: Notifier | None = None) -> QWidget:
    from ui.gui.screens.results.screen import make_results_screen

    return make_results_screen(services, notifier)


def _staff(services: Services, notifier: Notifier | None = None) -> QWidget:
    from services.documents import DocOptions, get_spec
    from services.intake import apply_ippr, apply_teachers
    from ui.gui.screens.staff.intake import StaffImporter
    from ui.gui.screens.staff.screen import StaffScreen

    def save_pdf(teacher_id: str, out: Path, progress: Progress) -> None:
        spec = get_spec("ippr", services.site.profile().role, out)
        spec.render(services, out, DocOptions(teacher_id=teacher_id), progress)

    importer = StaffImporter(
        services.paths.intake_dir,
        lambda preview, update: apply_teachers(services, preview, update),
        lambda preview, teacher_id: apply_ippr(services, preview, teacher_id),
    )
    return StaffScreen(services.staff, save_pdf, notifier=notifier, importer=importer)


def _schools(services: Services, notifier: Notifier | None = None) -> QWidget:
    from ui.gui.screens.district.schools import SchoolsScreen

    return SchoolsScreen(services, notifier=notifier)


def _bulletin(services: Services, notifier: Notifier | None = None) -> QWidget:
    from ui.gui.screens.district.bulletin import BulletinScreen

    return BulletinScreen(services, notifier=notifier)


def _import(services: Services, notifier: Notifier | None = None) -> QWidget:
    from ui.gui.screens.district.package_import import ImportScreen

    return ImportScreen(services, notifier=notifier)


def _summary(services: Services, notifier: Notifier | None = None) -> QWidget:
    from services.documents import DocOptions, get_spec
    from ui.gui.screens.district.summary import SummaryScreen

    def save(out: Path, year: int, progress: Progress) -> None:
        spec = get_spec("district-summary", services.site.profile().role, out)
        spec.render(services, out, DocOptions(year=year), progress)

    return SummaryScreen(services.dashboard, save, notifier=notifier)


def _thresholds(services: Services, notifier: Notifier | None = None) -> QWidget:
    from ui.gui.screens.district.thresholds import ThresholdsScreen

    return ThresholdsScreen(services.thresholds, notifier=notifier)


def _protocols(services: Services, notifier: Notifier | None = None) -> QWidget:
    from services.documents import DocOptions, get_spec
    from ui.gui.screens.protocols.screen import ProtocolsScreen

    def save_pdf(protocol_id: str, out: Path, progress: Progress) -> None:
        spec = get_spec("protocol", services.site.profile().role, out)
        spec.render(services, out, DocOptions(protocol_id=protocol_id), progress)

    return ProtocolsScreen(services.protocols, save_pdf, notifier=notifier)


def screens_for(role: Role) -> list[ScreenSpec]:
    """The navigation of one role, in order."""
    if role is Role.SCHOOL:
        return [
            ScreenSpec("overview", "Обзор", _overview, "ui.gui.screens.overview"),
            ScreenSpec("roadmap", "Дорожная карта", _roadmap, "ui.gui.screens.roadmap.screen"),
            ScreenSpec("audit", "Самоаудит", _audit, "ui.gui.screens.audit.screen"),
            ScreenSpec("staff", "Педагоги и ИППР", _staff, "ui.gui.screens.staff.screen"),
            ScreenSpec("results", "Результаты", _results, "ui.gui.screens.results.screen"),
            ScreenSpec("protocols", "Протоколы", _protocols, "ui.gui.screens.protocols.screen"),
            ScreenSpec("exchange", "Обмен с управлением", _exchange, "ui.gui.screens.exchange"),
            ScreenSpec("documents", "Документы", _documents, "ui.gui.screens.documents"),
        ]
    return [
        ScreenSpec("summary", "Сводка", _summary, "ui.gui.screens.district.summary"),
        ScreenSpec("schools", "Школы", _schools, "ui.gui.screens.district.schools"),
        ScreenSpec("import", "Импорт пакетов", _import, "ui.gui.screens.district.package_import"),
        ScreenSpec(
            "roadmap", "Муниципальная дорожная карта", _roadmap, "ui.gui.screens.roadmap.screen"
        ),
        ScreenSpec("protocols", "Протоколы", _protocols, "ui.gui.screens.protocols.screen"),
        ScreenSpec(
            "thresholds", "Шаблоны и пороги", _thresholds, "ui.gui.screens.district.thresholds"
        ),
        ScreenSpec("documents", "Документы", _documents, "ui.gui.screens.documents"),
        ScreenSpec("bulletin", "Рассылка школам", _bulletin, "ui.gui.screens.district.bulletin"),
    ]
