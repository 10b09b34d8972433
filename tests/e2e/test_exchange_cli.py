"""Cards, export and verify from the command line; an export killed midway never leaves a
half file under the final name and never reuses a seq."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.cli_support import run_cli as _run


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    district, school = tmp_path / "district", tmp_path / "school"
    assert _run(district, "init", "--role", "district", "--name", "Управление образования",
                "--code", "51").returncode == 0  # fmt: skip
    card = tmp_path / "district.card"
    out = _run(district, "card", "--out", str(card))
    assert out.returncode == 0 and "Отпечаток" in out.stdout
    init = _run(school, "init", "--role", "school", "--name", "МОУ Лодейнинская СОШ",
                "--code", "4701", "--district-card", str(card))  # fmt: skip
    assert init.returncode == 0, init.stderr
    fingerprint = json.loads(card.read_text(encoding="utf-8"))["fingerprint"]
    assert fingerprint in init.stdout
    return district, school


@pytest.mark.slow
def test_card_export_verify(tmp_path: Path) -> None:
    district, school = _setup(tmp_path)
    assert _run(school, "demo").returncode == 0
    exported = _run(school, "export", "--out", str(tmp_path))
    assert exported.returncode == 0, exported.stderr
    package = next(tmp_path.glob("*.opora"))
    checked = _run(district, "verify", "--json", str(package))
    assert checked.returncode == 1, checked.stderr  # the school is not enrolled yet
    summary = json.loads(checked.stdout)
    assert summary["verdict"] == "unknown-sender" and summary["seq"] == 1
    assert summary["fingerprint"] == ""
    mine = _run(school, "verify", "--json", str(package))  # the school trusts its own key
    assert mine.returncode == 0 and json.loads(mine.stdout)["verdict"] == "ok"
    summary["fingerprint"] = json.loads(mine.stdout)["fingerprint"]
    assert summary["sha256"] in exported.stdout
    cover = tmp_path / "cover.pdf"
    printed = _run(school, "report", "cover-sheet", "--package", str(package), "--out", str(cover))
    assert printed.returncode == 0, printed.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(cover), "-"], capture_output=True, text=True).stdout
        sha = summary["sha256"]
        assert " ".join(sha[i : i + 8] for i in range(0, 64, 8)) in " ".join(text.split())
        assert "МОУ Лодейнинская СОШ" in text and summary["fingerprint"] in text
        # The district never sees an unconfirmed key's fingerprint: the sheet says to type it,
        # not to compare it with what a check prints.
        flat = " ".join(text.split())
        assert "введите отпечаток с этого листа" in flat and "«Подтвердить ключ школы…»" in flat
        assert "отпечаток ключа с выводом" not in flat
    package.write_bytes(package.read_bytes()[:-100])
    refused = _run(district, "verify", "--json", str(package))
    assert refused.returncode == 1 and json.loads(refused.stdout)["verdict"] == "refused"
    plain = _run(district, "verify", str(package))
    assert plain.returncode == 1 and "не прошёл проверку" in plain.stderr


def test_a_wrong_district_card_changes_nothing(tmp_path: Path) -> None:
    card = tmp_path / "not-a-card.card"
    card.write_text("hello", encoding="utf-8")
    school = tmp_path / "school"
    result = _run(school, "init", "--role", "school", "--name", "МОУ СОШ", "--code", "1",
                  "--district-card", str(card))  # fmt: skip
    assert result.returncode == 1 and "не карточка Опоры" in result.stderr
    again = _run(school, "init", "--role", "school", "--name", "МОУ СОШ", "--code", "1")
    assert again.returncode == 0, again.stderr  # the refused init wrote no organisation


KILLER = """
import sys
from pathlib import Path
from services.app import open_services
from services.core.config import AppPaths
services = open_services(AppPaths(Path("resources"), Path(sys.argv[1])))
while True:
    services.exchange.export(Path(sys.argv[2]))
"""


@pytest.mark.slow
def test_killed_exports_never_leave_half_files_or_reuse_a_seq(tmp_path: Path) -> None:
    _district, school = _setup(tmp_path)
    assert _run(school, "demo").returncode == 0
    out = tmp_path / "stick"
    out.mkdir()
    rng = random.Random(7)
    for round_ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", KILLER, str(school), str(out)], cwd=REPO)
        if round_ == 0:  # on a busy machine start-up alone can take seconds: one export first
            deadline = time.monotonic() + 120
            while not any(out.glob("*.opora")) and time.monotonic() < deadline:
                time.sleep(0.05)
        time.sleep(rng.uniform(0.8, 2.0))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finals = sorted(out.glob("*.opora"))
    assert finals, "no export finished at all"
    seqs = []
    for path in finals:
        checked = _run(school, "verify", "--json", str(path))  # the school trusts its own key
        assert checked.returncode == 0, (path, checked.stdout)  # every final name is whole
        seqs.append(json.loads(checked.stdout)["seq"])
    assert len(seqs) == len(set(seqs))
    last = _run(school, "export", "--out", str(tmp_path))
    assert last.returncode == 0
    newest = max(int(p.stem.rsplit("-", 1)[1]) for p in tmp_path.glob("*.opora"))
    assert newest > max(seqs)
