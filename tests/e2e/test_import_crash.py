"""Crash safety of apply: SIGKILL at many points leaves exactly the before or the after state;
a full disk during apply leaves the before state."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import event

from models import Role
from services.app import Services
from services.core.db import Database
from tests.conftest import REPO
from tests.services.sync_support import dump, own_id, package, site_row, teacher, trust

SCHOOL = "55555555-5555-4555-8555-555555555555"
ROWS = 6000

CHILD = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from services.app import open_services
from services.core.config import AppPaths
from tests.services.sync_support import own_id, package, site_row, teacher
paths = AppPaths(Path(sys.argv[1]) / "resources", Path(sys.argv[2]))
services = open_services(paths)
recs = [site_row(sys.argv[3], 1)] + [
    teacher(f"t{i:05d}", sys.argv[3], 2, f"Учитель {i}") for i in range(int(sys.argv[4]))
]
pkg = package(sys.argv[3], own_id(services), 1, recs)
print("ready", flush=True)
rep = services.sync.import_package(pkg, dry_run=False)
print(rep.verdict, flush=True)
"""


def _prepare(data: Path, template: Path) -> None:
    data.mkdir(parents=True)
    shutil.copy(template, data / "opora.sqlite3")
    from services.app import build_services
    from services.core.config import AppPaths
    from tests.conftest import RESOURCES

    database = Database.open(data / "opora.sqlite3")
    services = build_services(database, AppPaths(RESOURCES, data))
    services.site.initialize(Role.DISTRICT, "Управление образования района", "5105000001")
    trust(services, SCHOOL)
    database.close()


def _state(db_file: Path) -> tuple[str, int, int]:
    with closing(sqlite3.connect(db_file)) as conn:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        teachers = conn.execute("SELECT count(*) FROM teacher").fetchone()[0]
        logs = conn.execute("SELECT count(*) FROM import_log").fetchone()[0]
    return ok, teachers, logs


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    """Run `script` (given the repository and `args`) in a child; return once it is ready."""
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(REPO), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _run_child(data: Path, kill_after: float | None) -> float:
    """Run the import in a child; SIGKILL it `kill_after` seconds after it is ready."""
    proc = _start(CHILD, str(data), SCHOOL, str(ROWS))
    assert proc.stdout is not None
    start = time.perf_counter()
    if kill_after is None:
        assert proc.stdout.readline().strip() == "applied"
    else:
        time.sleep(kill_after)
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return time.perf_counter() - start


@pytest.mark.slow
def test_sigkill_during_apply_leaves_before_or_after(tmp_path: Path, template_db: Path) -> None:
    base = tmp_path / "base"
    _prepare(base, template_db)
    probe = tmp_path / "probe"
    shutil.copytree(base, probe)
    duration = _run_child(probe, None)  # how long a whole apply takes here
    assert _state(probe / "opora.sqlite3") == ("ok", ROWS, 1)
    seen = {"before": 0, "after": 0}
    points = 10
    for n in range(points):
        data = tmp_path / f"run{n}"
        shutil.copytree(base, data)
        _run_child(data, duration * 1.3 * n / (points - 1))
        ok, teachers, logs = _state(data / "opora.sqlite3")
        assert ok == "ok"
        assert (teachers, logs) in {(0, 0), (ROWS, 1)}, (n, teachers, logs)
        seen["after" if teachers else "before"] += 1
        shutil.rmtree(data)
    # The kills landed on both sides of the commit, so both outcomes were really exercised.
    assert seen["before"] > 0 and seen["after"] > 0, seen


@pytest.fixture
def district_file(file_services: Services) -> Services:
    file_services.site.initialize(Role.DISTRICT, "Управление образования района", "5105000001")
    trust(file_services, SCHOOL)
    return file_services


def test_disk_full_during_apply_leaves_the_before_state(district_file: Services) -> None:
    services = district_file
    small = package(SCHOOL, own_id(services), 1, [site_row(SCHOOL, 1), teacher("a", SCHOOL, 1)])
    assert services.sync.import_package(small, dry_run=False).verdict == "applied"
    before = dump(services.db)
    logs = len(services.sync.import_log())
    engine = services.db.engine
    with closing(engine.raw_connection()) as raw:
        pages = raw.cursor().execute("PRAGMA page_count").fetchone()[0]
    engine.dispose()

    def cap(dbapi_conn: sqlite3.Connection, _rec: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 3}")

    event.listen(engine, "connect", cap)
    big = [teacher(f"b{i}", SCHOOL, 2, "Ф" * 150) for i in range(3000)]
    rep = services.sync.import_package(package(SCHOOL, own_id(services), 2, big), dry_run=False)
    event.remove(engine, "connect", cap)
    engine.dispose()
    assert (rep.verdict, rep.code) == ("refused", "storage")
    assert "не хватает места" in rep.reason
    assert dump(services.db) == before
    assert len(services.sync.import_log()) == logs + 1  # the refusal itself is logged
    assert services.db.integrity_ok() == []


RUN_CHILD = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import services.sync.read as sync_read
from services.app import open_services
from services.core.config import AppPaths


def main():
    sync_read.HELPER_MIN_BYTES = 0
    start = sync_read._Helper.start.__func__

    def spy(cls, paths, setup):
        helper = start(cls, paths, setup)
        helper._launcher.join()
        print("helper", helper._process.pid, flush=True)
        return helper

    sync_read._Helper.start = classmethod(spy)
    services = open_services(AppPaths(Path(sys.argv[1]) / "resources", Path(sys.argv[2])))
    print("ready", flush=True)
    reports = services.sync.import_files([Path(p) for p in sys.argv[3:]], dry_run=False)
    print(" ".join(r.verdict for r in reports), flush=True)


if __name__ == "__main__":
    main()
"""


def _gone(pid: int, within: float) -> bool:
    """Whether process `pid` has exited (a zombie counts: it runs no code) within `within` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            return True
        if "\nState:\tZ" in status:
            return True
        time.sleep(0.05)
    return False


def _run_with_helper(data: Path, files: list[Path], kill_after: float | None) -> int:
    """Import `files` in a child whose files a helper process reads; return the helper's pid."""
    proc = _start(RUN_CHILD, str(data), *map(str, files))
    assert proc.stdout is not None
    kind, pid = proc.stdout.readline().split()
    assert kind == "helper"
    if kill_after is None:
        assert proc.stdout.readline().split() == ["applied"] * len(files)
    else:
        time.sleep(kill_after)
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return int(pid)


@pytest.mark.slow
def test_sigkill_during_a_run_read_by_a_helper(tmp_path: Path) -> None:
    """Before or after, as for one package; and the helper process does not outlive the run."""
    from tests.bench.region import build_region

    region = build_region(tmp_path / "region", 6, enroll=True)
    probe = tmp_path / "probe"
    shutil.copytree(region.district_dir, probe)
    start = time.perf_counter()
    assert _gone(_run_with_helper(probe, region.packages, None), 10)
    duration = time.perf_counter() - start
    after = _state(probe / "opora.sqlite3")
    assert after[0] == "ok" and after[1] > 0 and after[2] == len(region.packages)
    seen = {"before": 0, "after": 0}
    points = 6
    for n in range(points):
        data = tmp_path / f"run{n}"
        shutil.copytree(region.district_dir, data)
        helper = _run_with_helper(data, region.packages, duration * 1.2 * n / (points - 1))
        assert _gone(helper, 10), "the helper outlived the killed import"
        state = _state(data / "opora.sqlite3")
        assert state in {("ok", 0, 0), after}, (n, state)
        seen["after" if state[1] else "before"] += 1
        shutil.rmtree(data)
    assert seen["before"] > 0 and seen["after"] > 0, seen
