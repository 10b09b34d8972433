"""The command line and the disk: backups on every path, relative paths, permissions, full disks."""

from __future__ import annotations

import errno
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from services.core.config import AppPaths
from services.site import list_backups
from tests.conftest import REPO, RESOURCES
from tests.e2e.cli_support import run_cli


def _reasons(data: Path) -> list[str]:
    return sorted(b.reason for b in list_backups(data / "backups"))


def test_state_changing_commands_back_up_read_only_ones_do_not(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert (
        run_cli(data, "init", "--role", "school", "--name", "Школа", "--code", "1").returncode == 0
    )
    assert _reasons(data) == []
    assert run_cli(data, "demo").returncode == 0
    assert _reasons(data) == ["before-demo", "daily"]
    out = tmp_path / "roadmap.xlsx"
    for args in (("report", "roadmap", "--out", str(out)), ("card", "--out", str(tmp_path / "c"))):
        assert run_cli(data, *args).returncode == 0
    assert _reasons(data) == ["before-demo", "daily"]
    done = run_cli(data, "import-xlsx", "roadmap", str(out), "--replace")
    assert done.returncode == 0, done.stderr
    assert _reasons(data) == ["before-demo", "before-xlsx", "daily"]
    listing = run_cli(data, "restore")
    assert "перед загрузкой Excel" in listing.stdout and "в начале дня" in listing.stdout


def test_restore_with_a_relative_path(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run_cli(data, "init", "--role", "school", "--name", "Школа", "--code", "1")
    assert run_cli(data, "backup").returncode == 0
    copy = list_backups(data / "backups")[0].path
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("OPORA_DATA_DIR", None)
    done = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "--data-dir", "data", "restore",
         str(copy.relative_to(tmp_path))],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Данные восстановлены" in done.stdout


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_data_folder_is_private_whatever_the_umask(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "opora.log.old").write_text("x")
    (data / "opora.log.old").chmod(0o644)
    run_cli(data, "init", "--role", "school", "--name", "Школа", "--code", "1")
    run_cli(data, "backup")
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for path in data.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    out = tmp_path / "blank.pdf"
    assert run_cli(data, "report", "audit-blank", "--out", str(out)).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_leftovers_are_removed_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run_cli(data, "init", "--role", "school", "--name", "Школа", "--code", "1")
    (data / ".write-test-abc").write_text("x")
    (data / "backups").mkdir(exist_ok=True)
    part = data / "backups" / "opora-20250101-000000-manual.part"
    part.write_text("x")
    assert run_cli(data, "restore").returncode == 0
    assert not (data / ".write-test-abc").exists() and not part.exists()


def _no_space(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _run(tmp_path: Path, *argv: str) -> tuple[int, str, str]:
    from ui.cli.parser import build_parser
    from ui.cli.runner import run_command

    paths = AppPaths(resources_dir=RESOURCES, data_dir=tmp_path / "data")
    out, err = io.StringIO(), io.StringIO()
    code = run_command(build_parser().parse_args(list(argv)), paths, out, err)
    return code, out.getvalue(), err.getvalue()


def test_full_disk_refuses_the_change_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(tmp_path, "init", "--role", "school", "--name", "Школа", "--code", "1")[0] == 0
    from services.core.db import Database

    monkeypatch.setattr(Database, "backup_to", _no_space)
    code, _out, err = _run(tmp_path, "demo")
    assert code == 1
    assert "на диске нет места" in err and "свободно" in err and "Нужно около" in err
    assert "Traceback" not in err
    monkeypatch.undo()
    assert _run(tmp_path, "demo")[0] == 0  # nothing was half-done


def test_demo_is_all_or_nothing_on_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(tmp_path, "init", "--role", "school", "--name", "Школа", "--code", "1")[0] == 0
    from services.staff.demo import StaffDemo

    monkeypatch.setattr(StaffDemo, "fill_demo", _no_space)
    code, _out, err = _run(tmp_path, "demo")
    assert code == 1 and "на диске нет места" in err and "Traceback" not in err
    monkeypatch.undo()
    code, out, err = _run(tmp_path, "demo")
    assert code == 0, err
    assert "Демонстрационные данные добавлены" in out


def test_a_log_that_cannot_be_written_is_no_traceback(tmp_path: Path) -> None:
    import logging

    from services.core.logfile import QuietLogHandler

    handler = QuietLogHandler(tmp_path / "opora.log")
    assert stat.S_IMODE((tmp_path / "opora.log").stat().st_mode) == 0o600
    handler.stream.write = _no_space  # type: ignore[method-assign,union-attr]
    err = io.StringIO()
    old, sys.stderr = sys.stderr, err
    try:
        for _ in range(3):
            handler.emit(logging.LogRecord("x", logging.INFO, "f", 1, "msg", None, None))
    finally:
        sys.stderr = old
        handler.close()
    assert "Traceback" not in err.getvalue()
    assert err.getvalue().count("не записывается") == 1


@pytest.mark.skipif(os.geteuid() != 0 if hasattr(os, "geteuid") else True, reason="needs root")
def test_a_real_full_disk(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        data = mount / "data"
        init = run_cli(data, "init", "--role", "school", "--name", "Школа", "--code", "1")
        assert init.returncode == 0, init.stderr
        filler = mount / "filler2"
        with filler.open("wb") as fh, pytest.raises(OSError):
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        result = run_cli(data, "demo")
        assert result.returncode == 1
        assert "на диске нет места" in result.stderr and "Traceback" not in result.stderr
        assert not list(data.glob(".write-test-*"))
        assert not list((data / "backups").glob("*.part"))
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_sqlite_full_is_recognised_through_sqlalchemy() -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from services.core.files import is_disk_full

    raw = sqlite3.OperationalError("database or disk is full")
    assert is_disk_full(OperationalError("INSERT", {}, raw))
    assert not is_disk_full(OperationalError("INSERT", {}, sqlite3.OperationalError("locked")))
