"""The command line end to end, in real subprocesses (DESIGN §10)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.cli_support import run_cli


def run(data: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return run_cli(data, *args, timeout=timeout)


def test_help_does_not_import_qt_or_the_orm() -> None:
    code = (
        "import sys, main\n"
        "try:\n    main.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "bad = [m for m in ('PySide6', 'sqlmodel', 'sqlalchemy') if m in sys.modules]\n"
        "print('LOADED', bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert "LOADED []" in out.stdout
    assert "init" in out.stdout and "self-check" in out.stdout


def test_init_then_self_check(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run(
        data, "init", "--role", "school", "--name", "МОУ Лодейнинская СОШ", "--code", "5105012345"
    )
    assert result.returncode == 0, result.stderr
    assert "МОУ Лодейнинская СОШ" in result.stdout
    check = run(data, "self-check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Самопроверка пройдена" in check.stdout
    assert "[ОК  ] Чтение пакетов во втором процессе" in check.stdout
    again = run(data, "init", "--role", "district", "--name", "Управление", "--code", "1")
    assert again.returncode == 1 and "уже настроена" in again.stderr


def test_wrong_usage_exits_2_with_a_russian_message(tmp_path: Path) -> None:
    result = run(tmp_path, "init", "--role", "teacher", "--name", "x", "--code", "1")
    assert result.returncode == 2
    assert "недопустимое значение" in result.stderr


def test_backup_and_restore_commands(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert (
        run(data, "init", "--role", "school", "--name", "Школа № 1", "--code", "1").returncode == 0
    )
    made = run(data, "backup")
    assert made.returncode == 0, made.stderr
    listing = run(data, "restore")
    assert "вручную" in listing.stdout
    backup = sorted((data / "backups").glob("*-manual.sqlite3"))[0]
    restored = run(data, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "восстановлены" in restored.stdout


@pytest.mark.slow
def test_damaged_database_is_refused_and_restore_repairs_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run(data, "init", "--role", "school", "--name", "Школа № 1", "--code", "1")
    run(data, "backup")
    backup = sorted((data / "backups").glob("*.sqlite3"))[0]
    db = data / "opora.sqlite3"
    db.write_bytes(b"\x00" * 5000)
    refused = run(data, "demo")
    assert refused.returncode == 1 and "не является базой данных" in refused.stderr
    assert db.read_bytes() == b"\x00" * 5000
    repaired = run(data, "restore", str(backup))
    assert repaired.returncode == 0, repaired.stderr
    assert run(data, "demo").returncode == 0
    assert list(data.glob("opora.sqlite3.damaged-*"))


def test_second_instance_is_refused_and_a_stale_lock_is_not(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run(data, "init", "--role", "school", "--name", "Школа № 1", "--code", "1")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from services.core.instance import InstanceLock\n"
            "lock = InstanceLock(__import__('pathlib').Path(sys.argv[1]))\n"
            "lock.acquire(); print('locked', flush=True); time.sleep(60)",
            str(data / "opora.lock"),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        refused = run(data, "backup")
        assert refused.returncode == 1 and "уже открыта" in refused.stderr
    finally:
        holder.send_signal(signal.SIGKILL)  # a crash: the lock file stays behind
        holder.wait()
    assert (data / "opora.lock").exists()
    assert run(data, "backup").returncode == 0


WRITER = """
import sys
from pathlib import Path
from models import AppState
from services.core.db import Database
db = Database.open(Path(sys.argv[1]))
n = 0
while True:
    with db.session() as s:
        s.add(AppState(key=f"row{n}", value="x" * 200))
    n += 1
    if n == 50:
        print("writing", flush=True)
"""


def test_killing_the_process_mid_write_loses_no_committed_row(tmp_path: Path) -> None:
    path = tmp_path / "opora.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        keys = {k for (k,) in conn.execute("SELECT key FROM app_state WHERE key LIKE 'row%'")}
    count = len(keys)
    assert count >= 50
    assert keys == {f"row{n}" for n in range(count)}  # every commit is whole, none skipped


def test_gui_without_a_display_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(tmp_path / "d")],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "нет графического экрана" in lines[0] and "--help" in lines[0]


def test_unwritable_data_directory_is_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = run(blocker / "data", "init", "--role", "school", "--name", "Школа № 1", "--code", "1")
    assert result.returncode == 1
    assert "Нет доступа на запись" in result.stderr
    assert blocker.read_text() == "x"


def test_gui_start_shows_the_wizard_then_the_main_window(tmp_path: Path) -> None:
    fresh = run(tmp_path / "d", "--exit-after-paint", timeout=60)
    assert fresh.returncode == 0, fresh.stderr
    assert fresh.stdout.split()[0] == "wizard"
    assert not (tmp_path / "d" / "keys").exists()  # the wizard was only shown, nothing applied
    init = run(tmp_path / "d", "init", "--role", "school", "--name", "МОУ СОШ № 1", "--code", "47")
    assert init.returncode == 0, init.stderr
    started = run(tmp_path / "d", "--exit-after-paint", timeout=60)
    assert started.returncode == 0, started.stderr
    assert [line.split()[0] for line in started.stdout.splitlines()] == ["painted", "ready"]
