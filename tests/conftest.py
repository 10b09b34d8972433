"""Shared fixtures: offscreen Qt, in-memory databases copied from one migrated template,
services, and initialized school/district installations."""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from models import Role
from services.app import Services, build_services
from services.core.config import AppPaths
from services.core.db import Database, make_engine

REPO = Path(__file__).resolve().parent.parent
RESOURCES = REPO / "resources"
CATALOGUES = RESOURCES / "catalogues"  # what `AppPaths.catalogues_dir` gives the services
INTAKE = RESOURCES / "intake"  # what `AppPaths.intake_dir` gives the entry points
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _collectable() -> Iterator[None]:
    """A main window's screen preloading freezes the garbage collector's objects (for the
    app's lifetime); a test's objects are left collectable for the next tests."""
    yield
    gc.unfreeze()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database file migrated to head; every test starts from a copy of it."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    Database.open(path).close()
    return path


def memory_copy(template: Path) -> Database:
    engine = make_engine(None)
    with closing(engine.raw_connection()) as raw, closing(sqlite3.connect(template)) as src:
        target = raw.driver_connection
        assert isinstance(target, sqlite3.Connection)
        src.backup(target)
    return Database(engine, None)


@pytest.fixture
def db(template_db: Path) -> Iterator[Database]:
    database = memory_copy(template_db)
    yield database
    tasks = sys.modules.get("ui.gui.tasks")
    if tasks is not None:  # a screen's job started during teardown must not outlive the database
        tasks.wait_all()
    database.close()


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    data = tmp_path / "data"
    data.mkdir()
    return AppPaths(resources_dir=RESOURCES, data_dir=data)


@pytest.fixture
def catalogues_dir() -> Path:
    """The catalogues shipped with the program (the services get them from `AppPaths`)."""
    return CATALOGUES


@pytest.fixture
def services(db: Database, paths: AppPaths) -> Services:
    """Services on an in-memory database (fast; no backups on disk)."""
    return build_services(db, paths)


@pytest.fixture
def file_services(paths: AppPaths, template_db: Path) -> Iterator[Services]:
    """Services on a real database file in a temporary data directory."""
    import shutil

    shutil.copy(template_db, paths.db_path)
    database = Database.open(paths.db_path)
    yield build_services(database, paths)
    database.close()


@pytest.fixture
def school(services: Services) -> Services:
    services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
    return services


@pytest.fixture
def district(services: Services) -> Services:
    services.site.initialize(
        Role.DISTRICT, "Управление образования администрации Кольского района", "5105000001"
    )
    return services
