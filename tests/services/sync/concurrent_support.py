"""Several staff importing at once: a district on a database file and helper processes."""

from __future__ import annotations

import multiprocessing
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models import Role
from services.app import Services, build_services, open_services
from services.core.config import AppPaths
from services.core.db import Database
from services.site import move_to_server
from tests.conftest import RESOURCES
from tests.services.pair_support import _services


@dataclass
class District:
    services: Services
    paths: AppPaths
    schools: list[Services]

    def close(self) -> None:
        self.services.db.close()
        for school in self.schools:
            school.db.close()


def district_on_file(template_db: Path, root: Path, schools: int) -> District:
    """A district on a database file that trusts `schools` demo schools (package № 1 each)."""
    data = root / "district"
    data.mkdir()
    paths = AppPaths(resources_dir=RESOURCES, data_dir=data)
    shutil.copy(template_db, paths.db_path)
    district = build_services(Database.open(paths.db_path), paths)
    district.site.initialize(Role.DISTRICT, "Управление образования Кольского района", "5105000001")
    made = District(district, paths, [])
    for n in range(schools):
        school = _services(template_db, root / f"school{n}")
        school.site.initialize(Role.SCHOOL, f"МОУ СОШ № {n + 1}", f"51050123{n:02d}")
        school.exchange.trust_district_card(district.exchange.own_card())
        made.schools.append(school)
        out = root / f"out{n}"
        out.mkdir()
        first = school.exchange.export(out).path
        report = district.sync.enroll(first, school.exchange.own_card().fingerprint).report
        assert report is not None and report.verdict == "applied", report
    return made


def on_server(made: District, url: str) -> District:
    """The district moved into the empty server database `url` (staff then share it)."""
    made.services.db.close()
    move_to_server(made.paths, url)
    made.services = open_services(made.paths)
    return made


def import_in_child(data_dir: str, files: list[str], barrier: Any, results: Any) -> None:
    """A second staff member's program: open the database, wait for the others, import.

    On a server workspace each process has its own connection (`open_services`); on a file the
    database is opened directly, as a second program on the same file would.
    """
    paths = AppPaths(resources_dir=RESOURCES, data_dir=Path(data_dir))
    if (paths.data_dir / "workspace.json").exists():
        database = open_services(paths).db
    else:
        database = Database.open(paths.db_path)
    try:
        services = build_services(database, paths)
        barrier.wait(timeout=60)
        reports = services.sync.import_files([Path(f) for f in files], dry_run=False)
        results.put([(r.verdict.value, r.code, r.reason) for r in reports])
    finally:
        database.close()


def race(
    child: Callable[[str, list[str], Any, Any], None],
    data_dir: Path,
    runs: Sequence[Sequence[Path]],
    timeout: float,
) -> tuple[list[Any], list[int | None]]:
    """Run `child(data_dir, files, barrier, results)` for each list of files in a process of
    its own, all released at the same moment: what they put in `results`, and their exit codes.
    """
    ctx = multiprocessing.get_context("spawn")
    barrier: Any = ctx.Barrier(len(runs))
    results: Any = ctx.Queue()
    procs = [
        ctx.Process(target=child, args=(str(data_dir), [str(f) for f in files], barrier, results))
        for files in runs
    ]
    for p in procs:
        p.start()
    got = [results.get(timeout=timeout) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return got, [p.exitcode for p in procs]
