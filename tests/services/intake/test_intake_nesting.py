"""Applying an import: nested sections from the headings, occurrences from the deadlines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from services.app import Services
from services.documents.spreadsheets import ImportMode
from services.intake.apply import apply_roadmap
from services.intake.preview import preview_roadmap
from services.intake.vocabulary import load_vocabulary
from services.roadmap.headings import SectionSpec, nest_headings
from tests.conftest import INTAKE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "intake"
WORDS = load_vocabulary(INTAKE)


def test_seed_001_is_stored_as_mechanisms_over_systems_with_yearly_occurrences(
    school: Services,
) -> None:
    preview = preview_roadmap(FIXTURES / "seed001.docx", WORDS, today=date(2022, 3, 1))
    summary = apply_roadmap(school, preview, ImportMode.APPEND, on=date(2022, 3, 1))
    roadmap = school.roadmap.current(date(2022, 3, 1))
    assert roadmap is not None
    sections = school.roadmap.sections(roadmap.id)
    tops = [x for x in sections if x.level == 1]
    assert [x.title for x in tops] == [
        "Механизмы управления качеством образовательных результатов",
        "Механизмы управления качеством образовательной деятельности",
    ]
    assert [sum(1 for x in sections if x.parent_id == t.id) for t in tops] == [4, 5]
    first = sections[1]
    assert first.title == "Система оценки качества образовательных результатов"
    assert first.task.startswith("Создать эффективную муниципальную систему")
    assert "в 11 разделах" in summary
    items = school.roadmap.items(roadmap.id)
    assert len(items) == 81
    yearly = [i for i in items if i.deadline_text == "Август ежегодно"]
    assert yearly and all(
        [o.end_date for o in i.occurrences] == [date(y, 8, 31) for y in range(2021, 2025)]
        for i in yearly
    )
    twice = next(i for i in items if i.deadline_text == "2 раза в год")
    assert len(twice.occurrences) == 8  # May and December of 2021–2024


def test_flat_seeds_stay_flat(school: Services) -> None:
    preview = preview_roadmap(FIXTURES / "seed000.docx", WORDS)
    apply_roadmap(school, preview, ImportMode.APPEND, on=date(2022, 3, 1))
    roadmap = school.roadmap.current(date(2022, 3, 1))
    assert roadmap is not None
    assert all(x.level == 1 for x in school.roadmap.sections(roadmap.id))
    seminars = next(i for i in school.roadmap.items(roadmap.id) if "семинарах" in i.title)
    assert len(seminars.occurrences) == 5


def test_numbered_headings_nest_by_their_numbers() -> None:
    specs, index_of = nest_headings(
        ["1. Организационные меры", "1.1. Нормативная база", "1.2 Кадры", "2. Мониторинг"]
    )
    assert specs == [
        SectionSpec("Организационные меры", "1"),
        SectionSpec("Нормативная база", "1.1", parent=0),
        SectionSpec("Кадры", "1.2", parent=0),
        SectionSpec("Мониторинг", "2"),
    ]
    assert index_of == [0, 1, 2, 3]
    specs, index_of = nest_headings(
        ["I Механизмы управления", "1. Система оценки", "(Создать систему)", "II Кадры", "2. ИППР"]
    )
    assert [(x.number, x.parent, x.task) for x in specs] == [
        ("I", None, ""),
        ("1", 0, "Создать систему"),
        ("II", None, ""),
        ("2", 2, ""),
    ]
    assert index_of == [0, 1, 1, 2, 3]
