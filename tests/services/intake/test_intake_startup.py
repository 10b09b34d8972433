"""What `import-xlsx --dry-run` loads: no data model and no morphology dictionary (start-up)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

from services.intake.preview import STATUS_WORDS, ItemDraft
from services.intake.vocabulary import LEMMAS_FILE, build_lemma_table, match_header
from services.roadmap.queries import STATUS_TITLES
from services.roadmap.service import ItemFields

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
    shipped = json.loads(LEMMAS_FILE.read_text(encoding="utf-8"))
    assert shipped == build_lemma_table(), "run: python -m services.intake.vocabulary"


def test_the_lemma_table_matches_headers_as_the_dictionary_does() -> None:
    headers = [
        "Сроки выполнения", "Период реализации", "Ответственные за исполнение",
        "Ответственное лицо", "Основные мероприятия", "Перечень мероприятий программы",
        "Содержание работы", "Ожидаемые результаты", "Форма представления результатов",
        "Отметки об исполнении", "Примечания", "Исполнители", "Планируемые сроки проведения",
        "Участниками", "План мероприятий на 2022 год", "Управление образования",
    ]  # fmt: skip
    for header in headers:
        quick = match_header(header)
        match_header.cache_clear()
        assert quick[0] == _exact_field(header), header


def _exact_field(header: str) -> str | None:
    from services.intake import vocabulary

    table = vocabulary._table
    try:
        vocabulary._table = lambda: None  # type: ignore[assignment]
        vocabulary.lemma.cache_clear()
        vocabulary.vocabulary.cache_clear()
        vocabulary.match_header.cache_clear()
        return vocabulary.match_header(header)[0]
    finally:
        vocabulary._table = table
        vocabulary.lemma.cache_clear()
        vocabulary.vocabulary.cache_clear()
        vocabulary.match_header.cache_clear()


def test_drafts_carry_every_item_field_and_every_status_title() -> None:
    assert [f.name for f in fields(ItemDraft)] == [f.name for f in fields(ItemFields)]
    for status, title in STATUS_TITLES.items():
        assert STATUS_WORDS[title.lower()] == status.value
