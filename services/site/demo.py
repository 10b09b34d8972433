"""A realistic demo for the current role, built from the seed documents (DESIGN §9).

Each area contributes its own part through `DemoPart.fill_demo`; this module fills the
organisation profile and runs the parts in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from models import AppState, Role
from services.core.db import Database
from services.core.errors import Conflict
from services.core.progress import NullProgress, Progress, check_cancelled
from services.site.profile import SiteService

DEMO_KEY = "demo.filled"

# The Kola district of the Murmansk region, whose municipal roadmap for 2022 the demo adapts.
# Directors' names are invented: the demo carries no real person's data.
DEMO_PROFILES = {
    Role.SCHOOL: {
        "address": "184381, Мурманская обл., Кольский р-н, п. Лодейное, ул. Школьная, д. 1",
        "director_name": "Соколова Ирина Викторовна",
        # The position alone: documents add this installation's own name in the genitive.
        "director_position": "Директор",
    },
    Role.DISTRICT: {
        "address": "184381, Мурманская обл., г. Кола, пр. Советский, д. 50",
        "director_name": "Карпова Светлана Николаевна",
        "director_position": "Начальник",
    },
}


class DemoPart(Protocol):
    """An area service that can add its share of the demo."""

    def fill_demo(self, role: Role) -> str:
        """Add demo rows for `role`; return one line saying what was added."""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    lines: tuple[str, ...]


class DemoService:
    """Fills an installation with a demo once; refuses to mix it into real data twice."""

    def __init__(self, db: Database, site: SiteService, parts: Sequence[DemoPart] = ()) -> None:
        self._db = db
        self._site = site
        self._parts = list(parts)

    def add_part(self, part: DemoPart) -> None:
        self._parts.append(part)

    def is_filled(self) -> bool:
        return self._db.get_state(DEMO_KEY) == "1"

    def fill(self, progress: Progress | None = None) -> DemoSummary:
        """Fill the demo for this installation's role."""
        progress = progress or NullProgress()
        profile = self._site.profile()
        if self.is_filled():
            raise Conflict("Демонстрационные данные уже добавлены.")
        # One transaction: a full disk or a cancel halfway leaves no demo rows, and the demo
        # can be filled again.
        with self._db.batch():
            self._site.update(**DEMO_PROFILES[profile.role])
            lines = ["Профиль организации: адрес и руководитель."]
            total = len(self._parts) + 1
            for n, part in enumerate(self._parts, start=1):
                check_cancelled(progress)
                progress.report(n, total, "Заполнение демонстрационных данных…")
                lines.append(part.fill_demo(profile.role))
            with self._db.session() as s:
                s.merge(AppState(key=DEMO_KEY, value="1"))
        progress.report(total, total, "Готово")
        return DemoSummary(tuple(lines))
