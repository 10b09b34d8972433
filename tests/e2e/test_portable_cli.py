"""`backup --portable` and `restore --portable`: a school moves to a new computer.

The passphrase comes from $OPORA_PASSPHRASE_FILE (a terminal prompt otherwise), never from an
argument; paths are relative to the current folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.cli_support import run_cli
from tests.e2e.test_exchange_cli import _setup

PHRASE = "зелёная лампа у окна"


def _run_here(
    cwd: Path, data: str, *args: str, phrase_file: str | None = "phrase.txt"
) -> subprocess.CompletedProcess[str]:
    """`main.py` run from `cwd` with relative paths, as a user in a terminal would type it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("OPORA_DATA_DIR", None)
    env.pop("OPORA_PASSPHRASE_FILE", None)
    if phrase_file is not None:
        env["OPORA_PASSPHRASE_FILE"] = phrase_file
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), "--data-dir", data, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_school_moves_to_a_new_computer(tmp_path: Path) -> None:
    district, school = _setup(tmp_path)
    assert run_cli(school, "demo").returncode == 0
    card = tmp_path / "school.card"  # the district has confirmed this school's key
    assert run_cli(school, "card", "--out", str(card)).returncode == 0
    fingerprint = json.loads(card.read_text(encoding="utf-8"))["fingerprint"]
    assert run_cli(district, "enroll", str(card), "--confirm", fingerprint).returncode == 0
    (tmp_path / "phrase.txt").write_text(PHRASE + "\n", encoding="utf-8")
    made = _run_here(tmp_path, "school", "backup", "--portable", "flash/school.opora-backup")
    assert made.returncode == 1 and "flash" in made.stderr  # the folder does not exist
    (tmp_path / "flash").mkdir()
    made = _run_here(tmp_path, "school", "backup", "--portable", "flash/school.opora-backup")
    assert made.returncode == 0, made.stderr
    backup = tmp_path / "flash" / "school.opora-backup"
    assert backup.read_bytes().startswith(b"age-encryption.org/v1\n")

    restored = _run_here(tmp_path, "new-pc", "restore", "--portable", "flash/school.opora-backup")
    assert restored.returncode == 0, restored.stderr
    assert "МОУ Лодейнинская СОШ" in restored.stdout
    old_keys, new_keys = school / "keys", tmp_path / "new-pc" / "keys"
    for name in ("signing.key", "age.key"):
        assert (new_keys / name).read_bytes() == (old_keys / name).read_bytes()

    out = tmp_path / "out"
    out.mkdir()
    exported = run_cli(tmp_path / "new-pc", "export", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    package = next(out.glob("*.opora"))
    checked = run_cli(district, "verify", "--json", str(package))
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["verdict"] == "ok"

    again = _run_here(tmp_path, "new-pc", "restore", "--portable", "flash/school.opora-backup")
    assert again.returncode == 1 and "--replace" in again.stderr  # data here: not without consent


@pytest.mark.slow
def test_refusals_change_nothing(tmp_path: Path) -> None:
    school = tmp_path / "school"
    init = run_cli(school, "init", "--role", "school", "--name", "МОУ СОШ", "--code", "4701")
    assert init.returncode == 0, init.stderr
    (tmp_path / "phrase.txt").write_text(PHRASE, encoding="utf-8")
    assert _run_here(tmp_path, "school", "backup", "--portable", "c.opora-backup").returncode == 0

    on_line = _run_here(tmp_path, "school", "backup", "--portable", "d.opora-backup",
                        "--passphrase", PHRASE)  # fmt: skip
    assert on_line.returncode == 2 and "командной строке" in on_line.stderr
    assert not (tmp_path / "d.opora-backup").exists()
    no_phrase = _run_here(tmp_path, "school", "backup", "--portable", "d.opora-backup",
                          phrase_file=None)  # fmt: skip
    assert no_phrase.returncode == 1 and "OPORA_PASSPHRASE_FILE" in no_phrase.stderr
    (tmp_path / "short.txt").write_text("1234567", encoding="utf-8")
    short = _run_here(tmp_path, "school", "backup", "--portable", "d.opora-backup",
                      phrase_file="short.txt")  # fmt: skip
    assert short.returncode == 1 and "не меньше 8" in short.stderr
    assert not (tmp_path / "d.opora-backup").exists()

    (tmp_path / "wrong.txt").write_text("совсем другая фраза", encoding="utf-8")
    wrong = _run_here(tmp_path, "new-pc", "restore", "--portable", "c.opora-backup",
                      phrase_file="wrong.txt")  # fmt: skip
    assert wrong.returncode == 1 and "Неверная парольная фраза" in wrong.stderr
    assert not (tmp_path / "new-pc" / "keys").exists()
    damaged = tmp_path / "c.opora-backup"
    damaged.write_bytes(damaged.read_bytes()[:-300])
    broken = _run_here(tmp_path, "new-pc", "restore", "--portable", "c.opora-backup")
    assert broken.returncode == 1 and "повреждён" in broken.stderr
    assert "Traceback" not in broken.stderr
    assert not (tmp_path / "new-pc" / "keys").exists()
