"""`import-xlsx roadmap --period`, the period and nested sections in `--dry-run`, and dry runs of
every kind before `init`."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from services.core.config import AppPaths
from services.core.quickstate import read_current_roadmap
from tests.conftest import REPO, RESOURCES

FIXTURES = REPO / "tests" / "fixtures" / "intake"


def _run(data: Path, *argv: str) -> tuple[int, str, str]:
    from ui.cli.parser import build_parser
    from ui.cli.runner import run_command

    paths = AppPaths(resources_dir=RESOURCES, data_dir=data)
    out, err = io.StringIO(), io.StringIO()
    code = run_command(build_parser().parse_args(list(argv)), paths, out, err)
    return code, out.getvalue(), err.getvalue()


def _init(data: Path) -> None:
    code, _out, err = _run(data, "init", "--role", "school", "--name", "Школа", "--code", "1")
    assert code == 0, err


def test_the_dry_run_names_the_period_and_where_it_came_from(tmp_path: Path) -> None:
    code, out, _err = _run(tmp_path, "import-xlsx", "roadmap", str(FIXTURES / "seed000.xlsx"),
                           "--dry-run")  # fmt: skip
    assert code == 0
    assert "Период карты: 01.01.2022 – 31.12.2022 (из заголовка: «" in out
    code, out, _err = _run(tmp_path, "import-xlsx", "roadmap", str(FIXTURES / "seed000.xlsx"),
                           "--dry-run", "--period", "2021/2022")  # fmt: skip
    assert code == 0
    assert "Период карты: 01.09.2021 – 31.08.2022 (указан при загрузке)." in out
    assert "В течение года → 01.09.2021–31.08.2022" in out


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2021/2023", "Период «2021/2023» не распознан"),
        ("весна", "Период «весна» не распознан"),
        ("31.12.2022-01.01.2022", "раньше его начала"),
    ],
)
def test_a_wrong_period_is_wrong_usage_said_in_russian(
    tmp_path: Path, text: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        _run(tmp_path, "import-xlsx", "roadmap", str(FIXTURES / "seed000.xlsx"), "--period", text)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "Ошибка: аргумент --period:" in err and says in err


def test_period_is_for_roadmaps_only(tmp_path: Path) -> None:
    code, _out, err = _run(tmp_path, "import-xlsx", "teachers", str(FIXTURES / "teachers.xlsx"),
                           "--dry-run", "--period", "2022")  # fmt: skip
    assert code == 2 and "--period есть только для roadmap" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("roadmap", "seed000.docx"),
        ("teachers", "teachers.xlsx"),
        ("ippr", "ippr.xlsx", "--teacher", "Иванова Ирина Петровна"),
    ],
)
def test_a_dry_run_before_init_previews_and_creates_nothing(
    tmp_path: Path, argv: tuple[str, ...]
) -> None:
    data = tmp_path / "data"
    kind, name, *more = argv
    code, out, err = _run(data, "import-xlsx", kind, str(FIXTURES / name), *more, "--dry-run")
    assert code == 0, err
    assert "Программа ещё не настроена" in out and "python main.py init" in out
    assert "Пробный прогон: ничего не записано." in out
    assert not (data / "opora.sqlite3").exists()


def test_a_real_import_before_init_is_refused_with_what_to_do(tmp_path: Path) -> None:
    code, _out, err = _run(tmp_path, "import-xlsx", "teachers", str(FIXTURES / "teachers.xlsx"))
    assert code == 1 and "python main.py init" in err
    code, out, _err = _run(tmp_path, "import-xlsx", "teachers", str(FIXTURES / "teachers.xlsx"),
                           "--dry-run")  # fmt: skip
    assert code == 0 and "Программа ещё не настроена" in out  # the refused run left a database


def test_a_filled_roadmap_of_another_period_is_named_and_period_keeps_it(tmp_path: Path) -> None:
    _init(tmp_path)
    assert _run(tmp_path, "import-xlsx", "roadmap", str(FIXTURES / "seed003.xlsx"),
                "--period", "2020-2022")[0] == 0  # fmt: skip
    code, out, _err = _run(tmp_path, "import-xlsx", "roadmap", str(FIXTURES / "seed000.xlsx"),
                           "--dry-run")  # fmt: skip
    assert code == 0
    assert "Дорожная карта уже заполнена, её период — 01.01.2020 – 31.12.2022" in out
    assert "Будет использован период 01.01.2022 – 31.12.2022" in out
    code, out, err = _run(tmp_path, "import-xlsx", "roadmap", str(FIXTURES / "seed000.xlsx"),
                          "--append", "--period", "01.01.2020-31.12.2022")  # fmt: skip
    assert code == 0, err
    assert "уже заполнена" not in out
    found = read_current_roadmap(tmp_path / "opora.sqlite3", date.today())
    assert found is not None and found[2] == 36
    assert (found[0].isoformat(), found[1].isoformat()) == ("2020-01-01", "2022-12-31")


def test_the_dry_run_lists_nested_sections_indented_with_their_numbers(tmp_path: Path) -> None:
    code, out, _err = _run(tmp_path, "import-xlsx", "roadmap",
                           str(FIXTURES / "seed001-nested.xlsx"), "--dry-run")  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    at = lines.index("Разделы (11):")
    assert lines[at + 1] == "  I. Механизмы управления качеством образовательных результатов"
    assert lines[at + 2].startswith("    1. Система оценки качества образовательных результатов")
    assert lines[at + 6] == "  II. Механизмы управления качеством образовательной деятельности"
    assert lines[at + 7].startswith("    5. Система объективности процедур")
