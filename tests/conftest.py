"""Shared fixtures: offscreen Qt, in-memory databases copied from one migrated template,
services, and initialized school/district installations."""

from __future__ import annotations

import gc
import itertools
import os
import sqlite3
import subprocess
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
from services.core.db_pg import Workspace
from tests import pgserver

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


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.PgServer]:
    """A throwaway PostgreSQL server for this test process (`tests.pgserver`).

    Without PostgreSQL the tests that need it skip, unless OPORA_REQUIRE_POSTGRES=1 (CI).
    """
    try:
        server = pgserver.start()
    except (OSError, subprocess.SubprocessError) as exc:
        if os.environ.get(pgserver.REQUIRE_ENV) == "1":
            pytest.fail(
                f"PostgreSQL is required ({pgserver.REQUIRE_ENV}=1) but did not start: {exc}"
            )
        pytest.skip(f"PostgreSQL not available ({exc}); set {pgserver.REQUIRE_ENV}=1 to require it")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: pgserver.PgServer) -> str:
    """A database migrated to head; every PostgreSQL test database is a copy of it."""
    url = pg_server.create_database("opora_template")
    Database.open_server(Workspace(url, "template")).close()
    return url


_pg_databases = itertools.count()


@pytest.fixture
def pg_database(pg_server: pgserver.PgServer, pg_template: str) -> str:
    """The URL of a fresh database at head (a copy of `pg_template`; gone with the server)."""
    return pg_server.create_database(f"opora_t{os.getpid()}_{next(_pg_databases)}", template=True)


@pytest.fixture
def engine_kind(request: pytest.FixtureRequest) -> str:
    """The storage engine of `db`: SQLite, or both where a test or module is marked
    `both_engines` (`pytestmark = BOTH_ENGINES`)."""
    kind: str = getattr(request, "param", "sqlite")
    return kind


BOTH_ENGINES = pytest.mark.both_engines


SLOW_ENV = "OPORA_SLOW_TESTS"  # `.ci/run` sets it: CI runs the slow tests too


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_engines: run the test on SQLite and on PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest end-to-end tests (`slow`) run in CI; a developer's `make test` skips them
    (one line each in the summary) unless OPORA_SLOW_TESTS=1."""
    if os.environ.get(SLOW_ENV) == "1":
        return
    skip = pytest.mark.skip(reason=f"slow: runs in CI; {SLOW_ENV}=1 runs it here")
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(skip)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_kind" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_engines"
    ):
        metafunc.parametrize("engine_kind", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def db(template_db: Path, engine_kind: str, request: pytest.FixtureRequest) -> Iterator[Database]:
    if engine_kind == "postgresql":
        url = request.getfixturevalue("pg_database")
        database = Database.open_server(Workspace(url, "test-node"))
    else:
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
