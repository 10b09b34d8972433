"""Nested section numbering found by the preview: each section's number, level and parent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from services.intake.preview import PreviewSection, preview_roadmap, render
from services.intake.vocabulary import load_vocabulary
from tests.conftest import INTAKE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "intake"
WORDS = load_vocabulary(INTAKE)
PERIOD = (date(2022, 1, 1), date(2022, 12, 31))


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "plan.csv"
    path.write_text("\n".join(["№;Мероприятие;Сроки;Ответственные", *rows]), encoding="utf-8")
    return path


def _outline(sections: list[PreviewSection]) -> list[tuple[str, int, int | None]]:
    return [(s.number, s.level, s.parent) for s in sections]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_seed_001_two_levels_mechanism_over_system(suffix: str) -> None:
    preview = preview_roadmap(FIXTURES / f"seed001-nested{suffix}", WORDS)
    sections = preview.sections
    assert len(sections) == 11 and len(preview.items) == 81
    assert _outline(sections)[:6] == [
        ("I.", 1, None), ("1.", 2, 0), ("2.", 2, 0), ("3.", 2, 0), ("4.", 2, 0), ("II.", 1, None),
    ]  # fmt: skip
    assert sections[0].title == "Механизмы управления качеством образовательных результатов"
    assert sections[1].title.startswith("Система оценки качества образовательных результатов")
    assert {s.parent for s in sections[6:]} == {5}
    first = preview.items[0]
    assert first.fields.number == "1.1" and first.section_at == 1
    assert preview.items[-1].section_at == 10
    assert "\n    1. Система оценки" in render(preview)


def test_the_word_programme_nests_unnumbered_systems_under_numbered_mechanisms() -> None:
    """Seed 001 as typed: «I Механизмы …» above «Система …» headings, one table each."""
    preview = preview_roadmap(FIXTURES / "seed001.docx", WORDS)
    levels = [(s.number, s.level) for s in preview.sections]
    assert levels[:3] == [("I", 1), ("", 2), ("", 2)]
    assert [s.title for s in preview.sections if s.level == 1] == [
        "Механизмы управления качеством образовательных результатов",
        "Механизмы управления качеством образовательной деятельности",
    ]


def test_section_and_task_words_and_dotted_numbers(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            "Раздел 1. Управление;;;",
            "Задача 1. Мониторинг;;;",
            "1;Совещание;Март 2022;Иванов",
            "Задача 2. Кадры;;;",
            "2;Семинар;Апрель 2022;Петров",
            "Раздел 2. Качество;;;",
            "Задача 3. Оценка;;;",
            "3;Анализ ВПР;Май 2022;Сидоров",
        ],
    )
    preview = preview_roadmap(path, WORDS, period=PERIOD)
    assert _outline(preview.sections) == [
        ("Раздел 1.", 1, None), ("Задача 1.", 2, 0), ("Задача 2.", 2, 0),
        ("Раздел 2.", 1, None), ("Задача 3.", 2, 3),
    ]  # fmt: skip
    assert [i.section_at for i in preview.items] == [1, 2, 4]


def test_dotted_numbers_nest_by_depth(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            "1. Первый раздел;;;",
            "1.1. Подраздел;;;",
            "1.1.1;Совещание;Март 2022;Иванов",
            "1.2. Другой подраздел;;;",
            "1.2.1;Семинар;Апрель 2022;Петров",
            "2. Второй раздел;;;",
            "2.1;Анализ;Май 2022;Сидоров",
        ],
    )
    preview = preview_roadmap(path, WORDS, period=PERIOD)
    assert _outline(preview.sections) == [
        ("1.", 1, None), ("1.1.", 2, 0), ("1.2.", 2, 0), ("2.", 1, None),
    ]  # fmt: skip
    assert [s.title for s in preview.sections] == [
        "Первый раздел", "Подраздел", "Другой подраздел", "Второй раздел",
    ]  # fmt: skip
    assert [i.section_at for i in preview.items] == [1, 2, 3]


def test_flat_sections_stay_one_level() -> None:
    preview = preview_roadmap(FIXTURES / "seed000.xlsx", WORDS)
    assert {s.level for s in preview.sections} == {1}
    assert all(s.parent is None for s in preview.sections)


def test_a_section_numbered_in_the_number_column_keeps_its_number(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            "I.;Управление;;",
            "1.;Мониторинг;;",
            "1.1;Совещание;Март 2022;Иванов",
            "1.2;Семинар;Апрель 2022;Петров",
            "2.;Кадры;;",
            "2.1;Анализ;Май 2022;Сидоров",
        ],
    )
    preview = preview_roadmap(path, WORDS, period=PERIOD)
    assert [(s.number, s.title, s.level, s.parent) for s in preview.sections] == [
        ("I.", "Управление", 1, None), ("1.", "Мониторинг", 2, 0), ("2.", "Кадры", 2, 0),
    ]  # fmt: skip
    assert len(preview.items) == 3
