"""The trust boundary from the command line: exit codes, `--json` codes, fingerprints that are
typed and never shown, `verify` of an unknown sender, and replacing a school's key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from services.packages.keys import normalize_fingerprint
from tests.e2e.cli_support import run_cli as run


def _init(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A district and a school that loaded its card; the school's package № 1 (not enrolled)."""
    district, school = tmp_path / "district", tmp_path / "school"
    assert run(district, "init", "--role", "district", "--name", "Управление образования",
               "--code", "51").returncode == 0  # fmt: skip
    card = tmp_path / "district.card"
    assert run(district, "card", "--out", str(card)).returncode == 0
    assert run(school, "init", "--role", "school", "--name", "МОУ Лодейнинская СОШ",
               "--code", "4701", "--district-card", str(card)).returncode == 0  # fmt: skip
    out = tmp_path / "stick"
    out.mkdir()
    assert run(school, "export", "--out", str(out / "one.opora")).returncode == 0
    return district, school, out / "one.opora"


def _fingerprint(data: Path, tmp_path: Path) -> str:
    card = tmp_path / f"{data.name}.card"
    assert run(data, "card", "--out", str(card)).returncode == 0
    return str(json.loads(card.read_text(encoding="utf-8"))["fingerprint"])


def _shown(fingerprint: str, *texts: str) -> bool:
    return normalize_fingerprint(fingerprint) in normalize_fingerprint(" ".join(texts))


@pytest.mark.slow
def test_an_unknown_sender_exits_1_and_its_fingerprint_is_never_printed(tmp_path: Path) -> None:
    district, school, package = _init(tmp_path)
    fp = _fingerprint(school, tmp_path)
    for extra in (["--dry-run"], [], ["--json"], ["--dry-run", "--json"]):
        result = run(district, "import", str(package), *extra)
        assert result.returncode == 1, (extra, result.stdout, result.stderr)
        assert not _shown(fp, result.stdout, result.stderr), extra
        if "--json" in extra:
            rep = json.loads(result.stdout)
            assert (rep["verdict"], rep["code"]) == ("quarantined", "quarantined-unknown-key")
            assert rep["fingerprint"] == ""
        else:
            assert "сверьте отпечаток по телефону" in result.stdout.lower()
            assert '--confirm "ОТПЕЧАТОК"' in result.stdout  # typed, never printed
    checked = run(district, "verify", str(package))
    assert checked.returncode == 1 and "Отправитель неизвестен" in checked.stdout
    assert "в порядке" not in checked.stdout and not _shown(fp, checked.stdout)
    as_json = run(district, "verify", "--json", str(package))
    summary = json.loads(as_json.stdout)
    assert as_json.returncode == 1 and summary["verdict"] == "unknown-sender"
    assert summary["code"] == "quarantined-unknown-key" and summary["fingerprint"] == ""
    wrong = run(district, "enroll", str(package), "--confirm", "0000 0000 0000 0000")
    assert wrong.returncode == 1 and "не совпадает" in wrong.stderr
    assert not _shown(fp, wrong.stdout, wrong.stderr)
    ok = run(district, "enroll", str(package), "--confirm", fp)
    assert ok.returncode == 0, ok.stderr
    trusted = run(district, "verify", "--json", str(package))
    assert trusted.returncode == 0 and json.loads(trusted.stdout)["code"] == "verified"


def test_enroll_of_a_missing_file_says_so_in_russian(tmp_path: Path) -> None:
    district, _school, _package = _init(tmp_path)
    result = run(district, "enroll", str(tmp_path / "нет.opora"), "--confirm", "AAAA")
    assert result.returncode == 1 and "не найден" in result.stderr
    assert "Внутренняя ошибка" not in result.stderr


@pytest.mark.slow
def test_a_school_on_a_new_computer_is_accepted_only_with_replace_key(tmp_path: Path) -> None:
    district, school, package = _init(tmp_path)
    assert run(district, "enroll", str(package), "--confirm",
               _fingerprint(school, tmp_path)).returncode == 0  # fmt: skip
    new_pc = tmp_path / "new-pc"  # the school's data restored there; the keys made anew
    shutil.copytree(school, new_pc, ignore=shutil.ignore_patterns("keys", "*.lock", "logs"))
    new_fp = _fingerprint(new_pc, tmp_path)
    second = tmp_path / "stick" / "two.opora"
    assert run(new_pc, "export", "--out", str(second)).returncode == 0
    waiting = run(district, "import", str(second), "--json")
    rep = json.loads(waiting.stdout)
    assert waiting.returncode == 1 and rep["code"] == "quarantined-new-key"
    assert not _shown(new_fp, waiting.stdout)
    plain = run(district, "enroll", str(second), "--confirm", new_fp)
    assert plain.returncode == 1 and "--replace-key" in plain.stderr
    replaced = run(district, "enroll", str(second), "--confirm", new_fp, "--replace-key")
    assert replaced.returncode == 0, replaced.stderr
    assert "принят" in replaced.stdout
