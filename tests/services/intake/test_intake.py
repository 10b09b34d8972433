"""Roadmaps from Word, Excel, LibreOffice and CSV: every item and section, every column named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models import Role
from services.app import Services
from services.core.errors import Invalid
from services.documents.spreadsheets import ImportMode
from services.intake.apply import apply_roadmap
from services.intake.preview import preview_roadmap, render
from services.intake.vocabulary import load_vocabulary
from tests.conftest import INTAKE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "intake"
WORDS = load_vocabulary(INTAKE)
# seed → (items, sections, period from the title or None)
SEEDS = {
    "000": (24, 3, (date(2022, 1, 1), date(2022, 12, 31))),
    "003": (12, 3, None),
}


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".xls", ".ods", ".csv"])
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_roadmaps_import_with_no_unexplained_loss(seed: str, suffix: str) -> None:
    items, sections, period = SEEDS[seed]
    preview = preview_roadmap(FIXTURES / f"seed{seed}{suffix}", WORDS, today=date(2022, 3, 1))
    assert len(preview.items) == items
    assert len(preview.section_titles) == sections
    assert all(c.field for c in preview.detected.columns if c.header)
    assert not [w for w in preview.warnings if w.startswith("Столбец")]
    assert preview.not_understood == []
    if period:
        assert preview.period == period and preview.period_from_title
    numbers = [i.fields.number for i in preview.items]
    assert "1" not in numbers[:1] or seed == "003"  # the column-number row is not an item


def test_a_programme_typed_as_one_word_table_per_section_imports_whole() -> None:
    """Seed 001: each section's heading above its own table, the «№» header cell empty."""
    preview = preview_roadmap(FIXTURES / "seed001.docx", WORDS, today=date(2022, 3, 1))
    assert len(preview.items) == 81
    numbers = [i.fields.number for i in preview.items]
    assert numbers == [f"{n}." for n in range(1, 82)]  # the headerless column is the number
    assert preview.section_titles[:2] == [
        "Механизмы управления качеством образовательных результатов",
        "Система оценки качества образовательных результатов (Создать эффективную "
        "муниципальную систему оценки качества образовательных результатов)",
    ]
    assert len(preview.section_titles) == 11
    first = preview.items[0]
    assert first.section == preview.section_titles[1]  # not left without a section
    assert preview.period == (date(2021, 1, 1), date(2024, 12, 31))
    assert all(c.field for c in preview.detected.columns)
    assert not [w for w in preview.warnings if w.startswith("Столбец")]
    assert preview.not_understood == []


def _csv(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "plan.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("title", "deadline", "responsible"),
    [
        ("Перечень мероприятий по реализации программы", "Срок выполнения", "Ответственное лицо"),
        ("Основные мероприятия", "Сроки выполнения", "Ответственные за исполнение"),
        ("Содержание работы", "Период реализации", "Исполнители"),
        ("Мероприятие", "Срок проведения", "Ответственный"),
    ],
)
def test_real_header_wordings_map_every_column(
    tmp_path: Path, title: str, deadline: str, responsible: str
) -> None:
    path = _csv(tmp_path, [f"№;{title};{deadline};{responsible}", "1;Совещание;Март 2022;Иванов"])
    preview = preview_roadmap(path, WORDS, period=(date(2022, 1, 1), date(2022, 12, 31)))
    item = preview.items[0]
    assert (item.fields.deadline_text, item.fields.responsible) == ("Март 2022", "Иванов")
    assert item.deadline.end == date(2022, 3, 31)


def test_number_row_and_repeated_headers_are_not_items(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            "№ п/п;Мероприятие;Сроки;Ответственные",
            "1;2;3;4",
            "1. Первый раздел;;;",
            "1.1;Совещание;Март 2022;Иванов",
            "№ п/п;Мероприятие;Сроки;Ответственные",
            "2. Второй раздел;;;",
            "№ п/п;Мероприятие;Сроки;Ответственные",
            "2.1;Анализ;Апрель 2022;Петров",
            "",
            "Директор ________ Иванов",
        ],
    )
    preview = preview_roadmap(path, WORDS, period=(date(2022, 1, 1), date(2022, 12, 31)))
    assert [i.fields.title for i in preview.items] == ["Совещание", "Анализ"]
    assert preview.section_titles == ["Первый раздел", "Второй раздел"]
    assert preview.detected.skipped == {
        "строка с номерами столбцов": 1,
        "повтор заголовка таблицы": 2,
    }
    assert any("Директор" in w for w in preview.warnings)  # named, not stored


def test_unmapped_and_empty_columns_are_named_and_map_overrides(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        ["№;Мероприятие;Сроки;Куратор;Примечание", "1;Совещание;Март 2022;Петров;"],
    )
    preview = preview_roadmap(path, WORDS)
    text = render(preview)
    assert "«Куратор» не загружается" in text
    assert "«Примечание» (comment) пуст во всех строках" in text
    mapped = preview_roadmap(path, WORDS, overrides={"Куратор": "responsible", "#5": "-"})
    assert mapped.items[0].fields.responsible == "Петров"
    assert not [w for w in mapped.warnings if w.startswith("Столбец")]


def test_unread_deadline_is_listed_and_has_no_date(tmp_path: Path) -> None:
    path = _csv(tmp_path, ["№;Мероприятие;Сроки", "1;Совещание;по согласованию с министерством"])
    preview = preview_roadmap(path, WORDS)
    assert preview.items[0].deadline.end is None
    assert "срок не распознан" in render(preview)


@pytest.mark.parametrize("suffix", [".doc", ".rtf", ".pdf"])
def test_old_formats_say_how_to_save_as_docx(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(b"x")
    with pytest.raises(Invalid, match=r"Сохранить как.*docx.*LibreOffice"):
        preview_roadmap(path, WORDS)


def test_no_table_of_measures_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="не найдена таблица мероприятий"):
        preview_roadmap(_csv(tmp_path, ["Показатель;Значение", "Доля;12"]), WORDS)


def test_formula_without_a_stored_value_is_named(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["№", "Мероприятие", "Сроки", "Ответственные"])
    ws.append([1, "Совещание", "Март 2022", "=B2"])  # openpyxl stores no cached value
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    preview = preview_roadmap(path, WORDS)
    assert any("Формулы без сохранённого значения" in w and "D2" in w for w in preview.warnings)


def test_apply_stores_exactly_the_preview_in_the_titles_period(school: Services) -> None:
    preview = preview_roadmap(FIXTURES / "seed000.docx", WORDS)
    summary = apply_roadmap(school, preview, ImportMode.APPEND, on=date(2022, 3, 1))
    assert "24 мероприятия" in summary
    roadmap = school.roadmap.current(date(2022, 3, 1))
    assert roadmap is not None
    assert (roadmap.period_start, roadmap.period_end) == (date(2022, 1, 1), date(2022, 12, 31))
    items = school.roadmap.items(roadmap.id)
    assert [i.title for i in items] == [p.fields.title for p in preview.items]
    assert len(school.roadmap.sections(roadmap.id)) == 3
    assert all(i.deadline_understood for i in items)


def test_appending_into_a_filled_roadmap_stores_the_dates_the_preview_showed(
    school: Services,
) -> None:
    """The title's period (2022) used, not the filled roadmap's school year, as previewed."""
    on = date(2022, 3, 1)
    apply_roadmap(school, preview_roadmap(FIXTURES / "seed003.docx", WORDS, today=on),
                  ImportMode.APPEND, on=on)  # fmt: skip
    preview = preview_roadmap(FIXTURES / "seed000.docx", WORDS, today=on)
    apply_roadmap(school, preview, ImportMode.APPEND, on=on)
    roadmap = school.roadmap.current(on)
    assert roadmap is not None
    assert (roadmap.period_start, roadmap.period_end) == preview.period
    by_title = {i.title: (i.start_date, i.end_date) for i in school.roadmap.items(roadmap.id)}
    assert [by_title[p.fields.title] for p in preview.items] == [
        (p.deadline.start, p.deadline.end) for p in preview.items
    ]


def test_an_unknown_map_key_lists_the_columns_headerless_ones_by_position() -> None:
    with pytest.raises(Invalid, match=r"#1 «без заголовка»; #2 «Мероприятия»"):
        preview_roadmap(
            FIXTURES / "seed001.docx", WORDS, overrides={"Сроки исполнения": "deadline"}
        )


def test_a_word_bomb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b" " * (300 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(Invalid, match=r"бомб|распаковки"):
        preview_roadmap(bomb, WORDS)


def test_a_word_file_with_entities_is_refused_with_its_own_message(tmp_path: Path) -> None:
    import zipfile

    evil = tmp_path / "entities.docx"
    body = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
    )
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", body)
    with pytest.raises(Invalid, match="DTD или сущностей"):
        preview_roadmap(evil, WORDS)


def test_storing_a_preview_backs_up_first(file_services: Services) -> None:
    """The window's «Загрузить из файла…» stores through `apply_roadmap`: a copy comes first."""
    file_services.site.initialize(Role.SCHOOL, "МБОУ «Школа № 1»", "5105012345")
    assert [b.reason for b in file_services.backups.entries()] == []
    preview = preview_roadmap(FIXTURES / "seed000.docx", WORDS)
    apply_roadmap(file_services, preview, ImportMode.REPLACE)
    reasons = [b.reason for b in file_services.backups.entries()]
    assert "before-xlsx" in reasons and "daily" in reasons
