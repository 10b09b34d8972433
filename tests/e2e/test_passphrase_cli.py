"""End to end in subprocesses: a district whose keys are sealed in its vault signs bulletins and
opens school packages with the passphrase from `OPORA_PASSPHRASE_FILE` or a terminal prompt,
never from an argument; `passphrase` changes it; without a way to ask, the command says how."""

from __future__ import annotations

import argparse
import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from services.app import open_services
from services.core.config import AppPaths
from services.packages import vault
from tests.conftest import REPO, RESOURCES
from tests.e2e.cli_support import run_cli
from ui.cli.keys_cmds import NEEDS_KEYS
from ui.cli.parser import build_parser

PHRASE = "зелёный трамвай едет в Тулу"
NEW = "синий троллейбус стоит у депо"


def _run(
    data: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """As `run_cli`, with no terminal on stdin and the given passphrase files."""
    full = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    full.pop("OPORA_DATA_DIR", None)
    for name in ("OPORA_PASSPHRASE_FILE", "OPORA_NEW_PASSPHRASE_FILE"):
        if env is None or name not in env:
            full.pop(name, None)
    return subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data), *args],
        cwd=REPO, capture_output=True, text=True, timeout=300, env=full,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def _ok(data: Path, *args: str) -> str:
    result = run_cli(data, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _phrase_file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(0o600)
    return str(path)


@pytest.fixture
def district(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A district enrolled with a school, its keys then sealed in its vault."""
    district, school, stick = tmp_path / "district", tmp_path / "school", tmp_path / "stick"
    stick.mkdir()
    _ok(district, "init", "--role", "district", "--name", "Управление образования", "--code", "51")
    _ok(district, "card", "--out", str(tmp_path / "district.card"))
    _ok(school, "init", "--role", "school", "--name", "МОУ Лодейнинская СОШ", "--code", "5105",
        "--district-card", str(tmp_path / "district.card"))  # fmt: skip
    said = _ok(school, "export", "--out", str(stick))
    found = re.search(r"Отпечаток ключа школы: (.+)", said)
    assert found is not None, said
    [package] = stick.glob("*.opora")
    _ok(district, "enroll", str(package), "--confirm", found.group(1).strip())
    services = open_services(AppPaths(resources_dir=RESOURCES, data_dir=district))
    try:
        vault.seal_files(services.db, services.paths.keys_dir, PHRASE)
    finally:
        services.db.close()
    return district, school, stick


def test_no_command_that_uses_the_keys_takes_the_passphrase_as_an_argument() -> None:
    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    options = {
        name: [o for a in commands.choices[name]._actions for o in a.option_strings]
        for name in ("passphrase", *NEEDS_KEYS)
    }
    assert options["passphrase"] == ["-h", "--help", "--new-keys"]  # a flag, never a value
    assert "--confirm" in options["enroll"]
    assert not [o for found in options.values() for o in found if "pass" in o]
    assert parser.parse_args(["passphrase"]).command == "passphrase"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["passphrase", "--passphrase", PHRASE])


@pytest.mark.slow
def test_the_passphrase_file_unlocks_the_keys_for_export_and_import(
    district: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    d, school, stick = district
    out = tmp_path / "bulletins"
    out.mkdir()
    refused = _run(d, "export", "--out", str(out))
    assert refused.returncode == 1 and "OPORA_PASSPHRASE_FILE" in refused.stderr
    wrong = {"OPORA_PASSPHRASE_FILE": _phrase_file(tmp_path, "wrong", "не та фраза совсем")}
    refused = _run(d, "export", "--out", str(out), env=wrong)
    assert refused.returncode == 1 and "Неверная парольная фраза" in refused.stderr
    assert not list(out.iterdir())

    right = {"OPORA_PASSPHRASE_FILE": _phrase_file(tmp_path, "right", PHRASE)}
    done = _run(d, "export", "--out", str(out), env=right)
    assert done.returncode == 0, done.stderr
    [bulletin] = out.glob("*.opora")
    _ok(school, "import", str(bulletin))
    for old in stick.glob("*.opora"):
        old.unlink()
    _ok(school, "export", "--out", str(stick))
    [package] = stick.glob("*.opora")
    done = _run(d, "import", str(package), env=right)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_passphrase_changes_it_or_makes_new_keys_when_it_is_lost(
    district: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    d, school, stick = district
    [package] = stick.glob("*.opora")
    right = {"OPORA_PASSPHRASE_FILE": _phrase_file(tmp_path, "right", PHRASE)}
    change = {**right, "OPORA_NEW_PASSPHRASE_FILE": _phrase_file(tmp_path, "new", NEW)}
    done = _run(d, "passphrase", env=change)
    assert done.returncode == 0 and "изменена" in done.stdout, done.stderr
    refused = _run(d, "import", str(package), "--dry-run", env=right)
    assert refused.returncode == 1 and "Неверная парольная фраза" in refused.stderr
    fresh = {"OPORA_PASSPHRASE_FILE": change["OPORA_NEW_PASSPHRASE_FILE"]}
    done = _run(d, "verify", str(package), env=fresh)
    assert done.returncode == 0, done.stdout + done.stderr

    files = _run(school, "passphrase", env=change)
    assert files.returncode == 1 and "хранятся в файлах папки данных" in files.stderr

    lost = {"OPORA_NEW_PASSPHRASE_FILE": _phrase_file(tmp_path, "lost", PHRASE + " заново")}
    done = _run(d, "passphrase", "--new-keys", env=lost)
    assert done.returncode == 0 and "--replace-key" in done.stdout, done.stderr
    found = re.search(r"Новый отпечаток: (.+)", done.stdout)
    assert found is not None
    card = _ok(d, "card", "--out", str(tmp_path / "new.card"))
    assert found.group(1).strip() in card
    _ok(school, "enroll", str(tmp_path / "new.card"), "--confirm", found.group(1).strip(),
        "--replace-key")  # fmt: skip


def _read_until(fd: int, marker: str, seen: list[str], deadline: float) -> None:
    while marker not in "".join(seen):
        if time.monotonic() > deadline:
            raise AssertionError(f"no «{marker}» in {''.join(seen)!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            raise AssertionError(f"ended before «{marker}»: {''.join(seen)!r}") from None
        seen.append(chunk.decode("utf-8", "replace"))


@pytest.mark.slow
def test_the_terminal_prompt_asks_the_new_passphrase_twice(
    district: tuple[Path, Path, Path],
) -> None:
    d, _, _ = district
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPORA_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    argv = [sys.executable, "main.py", "--data-dir", str(d), "passphrase"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: its terminal is the pty
        os.chdir(REPO)
        os.execve(sys.executable, argv, env)
    seen: list[str] = []
    deadline = time.monotonic() + 240
    try:
        for prompt, answer in (
            ("Текущая парольная фраза", PHRASE),
            ("Новая парольная фраза", NEW),
            ("Повторите новую парольную фразу", NEW),
        ):
            _read_until(fd, prompt, seen, deadline)
            os.write(fd, (answer + "\n").encode("utf-8"))
        _read_until(fd, "изменена", seen, deadline)
    except BaseException:
        os.kill(pid, signal.SIGKILL)  # the child we forked, waiting for input that won't come
        raise
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, "".join(seen)
    assert NEW not in "".join(seen)  # typed without echo
    services = open_services(AppPaths(resources_dir=RESOURCES, data_dir=d))
    try:
        vault.unlock(services.db, NEW)
    finally:
        services.db.close()
