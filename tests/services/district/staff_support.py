"""Two staff on one district database: two `Services`, each with its own connection."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from models import Role
from services.app import Services, build_services
from services.core.config import AppPaths
from services.core.db import Database

DISTRICT_NAME = "Управление образования администрации Кольского района"


@contextmanager
def two_staff(template_db: Path, tmp_path: Path) -> Iterator[tuple[Services, Services]]:
    """Staff A and staff B of one district, on the same SQLite file (two connections)."""
    data = tmp_path / "data"
    data.mkdir()
    paths = AppPaths(resources_dir=Path(__file__).resolve().parents[3] / "resources",
                     data_dir=data)  # fmt: skip
    shutil.copy(template_db, paths.db_path)
    first = Database.open(paths.db_path)
    a = build_services(first, paths)
    a.site.initialize(Role.DISTRICT, DISTRICT_NAME, "5105000001")
    second = Database.open(paths.db_path)
    try:
        yield a, build_services(second, paths)
    finally:
        second.close()
        first.close()
