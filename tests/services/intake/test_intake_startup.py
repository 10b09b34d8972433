"""What `import-xlsx --dry-run` loads (no data model, no morphology dictionary), and the header
vocabulary: read from the directory the entry point passes, its lemma table kept in step."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from services.core.errors import StorageError
from services.intake.preview import STATUS_WORDS, ItemDraft
from services.intake.vocabulary import HEADERS, LEMMAS, build_lemma_table, load_vocabulary, main
from services.roadmap.queries import STATUS_TITLES
from services.roadmap.service import ItemFields
from tests.conftest import INTAKE
from ui.cli.xlsx_cmds import FIELDS_HELP

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "intake"
PROBE = """
import runpy, sys
data, source = sys.argv[1:3]
sys.argv = ["main.py", "--data-dir", data, "import-xlsx", "roadmap", source, "--dry-run"]
try:
    runpy.run_path("main.py", run_name="__main__")
except SystemExit as exc:
    assert not exc.code, exc.code
print(sorted(m for m in ("sqlalchemy", "sqlmodel", "models", "pymorphy3", "docx", "lxml")
             if m in sys.modules))
"""


def test_dry_run_loads_neither_the_data_model_nor_the_dictionary(tmp_path: Path) -> None:
    for name in ("seed000.docx", "seed003.xlsx"):
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(tmp_path / "data"), str(FIXTURES / name)],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout[-400:]


def test_the_shipped_lemma_table_is_built_from_the_current_vocabulary() -> None:
    shipped = json.loads((INTAKE / LEMMAS).read_text(encoding="utf-8"))
    assert shipped == build_lemma_table(INTAKE), "run: python -m services.intake.vocabulary"


def test_the_lemma_table_matches_headers_as_the_dictionary_does(tmp_path: Path) -> None:
    shutil.copy(INTAKE / HEADERS, tmp_path / HEADERS)  # no lemma table: pymorphy3 for each word
    quick, exact = load_vocabulary(INTAKE), load_vocabulary(tmp_path)
    headers = [
        "Сроки выполнения", "Период реализации", "Ответственные за исполнение",
        "Ответственное лицо", "Основные мероприятия", "Перечень мероприятий программы",
        "Содержание работы", "Ожидаемые результаты", "Форма представления результатов",
        "Отметки об исполнении", "Примечания", "Исполнители", "Планируемые сроки проведения",
        "Участниками", "План мероприятий на 2022 год", "Управление образования",
    ]  # fmt: skip
    for header in headers:
        assert quick.match_header(header)[0] == exact.match_header(header)[0], header


def test_the_vocabulary_is_the_one_of_the_directory_passed(tmp_path: Path) -> None:
    data = json.loads((INTAKE / HEADERS).read_text(encoding="utf-8"))
    data["fields"]["responsible"]["phrases"].append("куратор")
    (tmp_path / HEADERS).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main([str(tmp_path)]) == 0  # `python -m services.intake.vocabulary DIR`
    assert json.loads((tmp_path / LEMMAS).read_text(encoding="utf-8")) == build_lemma_table(
        tmp_path
    )
    shipped, custom = load_vocabulary(INTAKE), load_vocabulary(tmp_path)
    assert custom.match_header("Кураторы")[0] == "responsible"
    assert shipped.match_header("Кураторы")[0] is None
    assert load_vocabulary(tmp_path) is custom  # read once per directory


def test_a_missing_or_damaged_vocabulary_is_refused_in_russian(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=r"словарь заголовков.*переустановите программу"):
        load_vocabulary(tmp_path)
    (tmp_path / HEADERS).write_text('{"fields": {"title": {"label": "Мероприятие"}}}', "utf-8")
    with pytest.raises(StorageError, match="у полей title нет"):
        load_vocabulary(tmp_path)


def test_the_help_names_every_field_of_the_vocabulary() -> None:
    """`--help` lists the `--map` fields without reading the vocabulary (it must answer at once)."""
    assert [f for f in load_vocabulary(INTAKE).field_names() if f not in FIELDS_HELP] == []


def test_drafts_carry_every_item_field_and_every_status_title() -> None:
    # an imported item has no occurrence yet: what it records goes to its first one
    item_fields = [f.name for f in fields(ItemFields) if f.name != "occurrence_id"]
    assert [f.name for f in fields(ItemDraft)] == item_fields
    for status, title in STATUS_TITLES.items():
        assert STATUS_WORDS[title.lower()] == status.value
