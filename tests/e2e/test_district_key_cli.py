"""End to end in subprocesses: `rotate-key` at the district, the next bulletin introduces the new
key, the school's `import` waits (exit 1, `district-key-change`) until `enroll --confirm` with the
fingerprint the district reads out; a wrong one changes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.e2e.cli_support import run_cli as run


def _ok(data: Path, *args: str) -> str:
    result = run(data, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _fingerprint(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found is not None, text
    return found.group(1).strip()


def _bulletin(district: Path, out: Path) -> tuple[Path, str]:
    out.mkdir()
    said = _ok(district, "export", "--out", str(out))
    [bulletin] = out.glob("opora-bulletin-*.opora")
    return bulletin, said


@pytest.mark.slow
def test_a_district_key_change_through_the_command_line(tmp_path: Path) -> None:
    district, school, stick = tmp_path / "district", tmp_path / "school", tmp_path / "stick"
    stick.mkdir()
    _ok(district, "init", "--role", "district", "--name", "Управление образования", "--code", "51")
    card = _ok(district, "card", "--out", str(tmp_path / "district.card"))
    old_fp = _fingerprint(r"Отпечаток: (.+)", card)
    _ok(school, "init", "--role", "school", "--name", "МОУ Лодейнинская СОШ", "--code", "5105",
        "--district-card", str(tmp_path / "district.card"))  # fmt: skip
    school_fp = _fingerprint(
        r"Отпечаток ключа школы: (.+)", _ok(school, "export", "--out", str(stick))
    )
    [package] = stick.glob("*.opora")
    _ok(district, "enroll", str(package), "--confirm", school_fp)
    first, _ = _bulletin(district, tmp_path / "b1")
    _ok(school, "import", str(first))

    assert "rotate-key" in _ok(district, "--help")
    rotated = _ok(district, "rotate-key")
    assert _fingerprint(r"Прежний отпечаток: (.+)", rotated) == old_fp
    new_fp = _fingerprint(r"Новый отпечаток: (.+)", rotated)
    assert new_fp != old_fp and "«МОУ Лодейнинская СОШ»" in rotated
    assert (
        _fingerprint(r"Отпечаток: (.+)", _ok(district, "card", "--out", str(tmp_path / "new.card")))
        == new_fp
    )
    intro, said = _bulletin(district, tmp_path / "b2")
    assert "рассылка № 2 сохранена" in said and "новый ключ управления" in said

    waiting = run(school, "import", "--json", str(intro))
    assert waiting.returncode == 1
    assert json.loads(waiting.stdout)["code"] == "district-key-change"
    plain = run(school, "import", str(intro))
    assert plain.returncode == 1 and "сменило свой ключ" in plain.stdout
    assert "enroll ФАЙЛ --confirm" in plain.stdout
    for output in (waiting, plain):
        assert new_fp not in output.stdout + output.stderr  # never revealed to the school

    wrong = run(school, "enroll", str(intro), "--confirm", old_fp)
    assert wrong.returncode == 1 and "не совпадает" in wrong.stderr
    assert new_fp not in wrong.stdout + wrong.stderr
    confirmed = _ok(school, "enroll", str(intro), "--confirm", new_fp)
    assert "принят" in confirmed
    third, said = _bulletin(district, tmp_path / "b3")
    assert "рассылка № 3 сохранена" in said and "новый ключ" not in said
    assert "принят" in _ok(school, "import", str(third))
