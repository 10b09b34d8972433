"""`import-xlsx teachers FILE` and `import-xlsx ippr FILE --teacher ФИО` from Word and Excel."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.cli_support import run_cli

FIXTURES = REPO / "tests" / "fixtures" / "intake"


@pytest.mark.slow
def test_teachers_and_their_ippr_from_word(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_cli(data, "init", "--role", "school", "--name", "МБОУ СОШ 3",
                   "--code", "5105012345").returncode == 0  # fmt: skip
    dry = run_cli(data, "import-xlsx", "teachers", str(FIXTURES / "teachers.docx"), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Иванова Ирина Петровна" in dry.stdout and "«Образование» не загружается" in dry.stdout
    assert "Пробный прогон: ничего не записано." in dry.stdout
    done = run_cli(data, "import-xlsx", "teachers", str(FIXTURES / "teachers.docx"))
    assert done.returncode == 0 and "Загружено педагогов: 4." in done.stdout, done.stderr
    dry_again = run_cli(data, "import-xlsx", "teachers", str(FIXTURES / "teachers.docx"),
                        "--dry-run")  # fmt: skip
    assert "Уже есть в Опоре (4)" in dry_again.stdout, dry_again.stderr
    again = run_cli(data, "import-xlsx", "teachers", str(FIXTURES / "teachers.docx"))
    assert "Загружено педагогов: 0." in again.stdout and "не изменены (4" in again.stdout
    unknown = run_cli(data, "import-xlsx", "ippr", str(FIXTURES / "ippr.docx"),
                      "--teacher", "Сидоров")  # fmt: skip
    assert unknown.returncode == 1 and "Педагоги школы" in unknown.stderr
    ippr = run_cli(data, "import-xlsx", "ippr", str(FIXTURES / "ippr.docx"),
                   "--teacher", "иванова ирина петровна")  # fmt: skip
    assert ippr.returncode == 0, ippr.stderr
    assert "4 мероприятия" in ippr.stdout and "Срок не распознан: «по графику ИРО»" in ippr.stdout


def test_an_old_word_file_names_the_convert_flag_or_how_to_save(tmp_path: Path) -> None:
    doc = tmp_path / "кадры.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    result = run_cli(tmp_path / "data", "import-xlsx", "teachers", str(doc), "--dry-run")
    assert result.returncode == 1
    assert "«Файл → Сохранить как»" in result.stderr and "LibreOffice" in result.stderr
