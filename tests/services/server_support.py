"""Two staff members on one server workspace, and packages one of them imports."""

from __future__ import annotations

import shutil
from pathlib import Path

from models import Role
from services.app import Services, build_services, open_services
from services.core.config import AppPaths
from services.core.db import Database
from services.core.db_pg import Workspace
from services.site import move_to_server
from tests import pgserver
from tests.conftest import RESOURCES
from tests.services.sync_support import own_id, package, site_row, teacher

SCHOOL = "11111111-1111-4111-8111-111111111111"
OTHER = "22222222-2222-4222-8222-222222222222"


def staff(url: str, node: str, data: Path) -> Services:
    data.mkdir()
    return build_services(Database.open_server(Workspace(url, node)), AppPaths(RESOURCES, data))


def district_on_server(
    district_dir: Path, server: pgserver.PgServer, folder: Path, database: str
) -> str:
    """A copy of the district in `folder`, moved into a new server database as `init
    --from-local` moves it (the copy's data folder now points there); the database's URL."""
    shutil.copytree(district_dir, folder)
    url = server.create_database(database)
    move_to_server(AppPaths(RESOURCES, folder), url)
    return url


def open_on_server(
    district_dir: Path, server: pgserver.PgServer, folder: Path, database: str
) -> Services:
    """`district_on_server`, then the copy's services."""
    district_on_server(district_dir, server, folder, database)
    return open_services(AppPaths(RESOURCES, folder))


def two_staff(url: str, tmp_path: Path) -> tuple[Services, Services]:
    """The first sets the workspace up; the second works in it from another computer."""
    first = staff(url, "node-a", tmp_path / "a")
    first.site.initialize(Role.DISTRICT, "Управление образования Кольского района", "5105000001")
    return first, staff(url, "node-b", tmp_path / "b")


def import_school(services: Services, seq: int, name: str, school: str = SCHOOL) -> None:
    records = [site_row(school, seq, name), teacher(f"t{school[:8]}", school, seq)]
    pkg = package(school, own_id(services), seq, records)
    rep = services.sync.import_package(pkg, dry_run=False)
    assert rep.verdict == "applied", rep.reason
