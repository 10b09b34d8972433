"""The preview names each occurrence apply stores: a recurring item is not one long span.

Before, «Август ежегодно» over 2021–2024 was previewed as 01.08.2021–31.08.2024 and warned
«сохранится с … по …», while apply stored one occurrence per year; an empty deadline was
previewed «к концу периода» while it is stored without a due date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from services.app import Services
from services.documents.spreadsheets import ImportMode
from services.intake.apply import apply_roadmap
from services.intake.preview import preview_roadmap, render, understood_text
from services.intake.vocabulary import load_vocabulary
from tests.conftest import INTAKE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "intake"
WORDS = load_vocabulary(INTAKE)
ON = date(2022, 3, 1)


def test_the_preview_shows_each_occurrence_and_apply_stores_exactly_those(
    school: Services,
) -> None:
    preview = preview_roadmap(FIXTURES / "seed001-nested.docx", WORDS, today=ON)
    yearly = next(i for i in preview.items if i.fields.deadline_text == "Август ежегодно")
    shown = understood_text(yearly.deadline, yearly.planned)
    assert shown.startswith("4 срока: август 2021, август 2022, август 2023")
    text = render(preview)
    assert "сохранится с 01.08.2021 по 31.08.2024" not in text
    assert "сохранится 4 срока: август 2021" in text
    apply_roadmap(school, preview, ImportMode.APPEND, on=ON)
    roadmap = school.roadmap.current(ON)
    assert roadmap is not None
    stored = school.roadmap.items(roadmap.id)
    assert sorted(i.title for i in stored) == sorted(p.fields.title for p in preview.items)
    dates = sorted((i.title, [(o.start_date, o.end_date) for o in i.occurrences]) for i in stored)
    planned = sorted((p.fields.title, [(x.start, x.end) for x in p.planned]) for p in preview.items)
    assert dates == planned


def test_an_empty_deadline_is_previewed_as_stored_without_a_due_date(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("№;Мероприятие;Сроки\n1;Совещание;\n", encoding="utf-8")
    preview = preview_roadmap(path, WORDS, period=(date(2022, 1, 1), date(2022, 12, 31)))
    [item] = preview.items
    assert understood_text(item.deadline, item.planned) == "срок не указан"


@pytest.mark.parametrize(
    "rows",
    [
        ["Раздел 1. Управление;;;", "Задача 1. Мониторинг;;;", "1;Совещание;Март 2022;Иванов",
         "Задача 2. Кадры;;;", "2;Семинар;Апрель 2022;Петров", "Раздел 2. Качество;;;",
         "Задача 1. Оценка;;;", "3;Анализ ВПР;Май 2022;Сидоров"],
        ["1. Первый раздел;;;", "1.1. Подраздел;;;", "1.1.1;Совещание;Март 2022;Иванов",
         "1.2. Другой подраздел;;;", "1.2.1;Семинар;Апрель 2022;Петров",
         "2. Второй раздел;;;", "2.1;Анализ;Май 2022;Сидоров"],
    ],
    ids=["section-and-task-words", "dotted-numbers"],
)  # fmt: skip
def test_apply_stores_the_nesting_and_sections_the_preview_showed(
    school: Services, tmp_path: Path, rows: list[str]
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("\n".join(["№;Мероприятие;Сроки;Ответственные", *rows]), encoding="utf-8")
    preview = preview_roadmap(path, WORDS, period=(date(2022, 1, 1), date(2022, 12, 31)))
    apply_roadmap(school, preview, ImportMode.APPEND, on=ON)
    roadmap = school.roadmap.current(ON)
    assert roadmap is not None
    sections = school.roadmap.sections(roadmap.id)
    by_id = {s.id: s for s in sections}
    stored = [
        (_full(s.number, s.title), s.parent_id and by_id[s.parent_id].title) for s in sections
    ]
    shown = [
        (
            _full(s.number, s.title),
            preview.sections[s.parent].title if s.parent is not None else None,
        )
        for s in preview.sections
    ]
    assert [(n, p and p.split(". ")[-1]) for n, p in stored] == [
        (n, p and p.split(". ")[-1]) for n, p in shown
    ]
    # each item under the section the preview put it in (two sections may share a title)
    items = school.roadmap.items(roadmap.id)
    under = {i.title: _full(by_id[i.section_id].number, by_id[i.section_id].title)
             for i in items if i.section_id}  # fmt: skip
    previewed = {i.fields.title: _full(preview.sections[i.section_at].number,
                                       preview.sections[i.section_at].title)
                 for i in preview.items if i.section_at is not None}  # fmt: skip
    assert under == previewed


def _full(number: str, title: str) -> str:
    """A heading as read: «Задача 1. Мониторинг» whether the number is kept apart or not."""
    text = title if title.startswith(number.rstrip(".")) else f"{number} {title}"
    return " ".join(text.replace(".", " ").split())
