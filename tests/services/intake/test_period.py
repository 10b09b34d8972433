"""The period a roadmap import reads its deadlines in: the user's, the title's, the roadmap's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from services.app import Services
from services.core.errors import Invalid
from services.documents.spreadsheets import ImportMode
from services.intake.apply import apply_roadmap, existing_roadmap
from services.intake.period import ExistingRoadmap, PeriodSource, parse_period_text
from services.intake.preview import preview_roadmap, render, with_period
from services.intake.vocabulary import load_vocabulary
from services.roadmap.deadlines import school_year_of
from tests.conftest import INTAKE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "intake"
WORDS = load_vocabulary(INTAKE)
CALENDAR_2022 = (date(2022, 1, 1), date(2022, 12, 31))
SCHOOL_2021 = (date(2021, 9, 1), date(2022, 8, 31))


def _plan(tmp_path: Path, title: str = "") -> Path:
    """Year-less months: where they land depends on the period alone."""
    path = tmp_path / "plan.csv"
    lines = [title] if title else []
    lines += ["№;Мероприятие;Сроки", "1;Совещание;Февраль", "2;Анализ;Ноябрь – апрель"]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("01.09.2021-31.08.2022", SCHOOL_2021),
        ("01.09.2021 – 31.08.2022", SCHOOL_2021),
        ("2021/2022", SCHOOL_2021),
        ("2021/22", SCHOOL_2021),
        ("1999/00", (date(1999, 9, 1), date(2000, 8, 31))),
        ("2020-2022", (date(2020, 1, 1), date(2022, 12, 31))),
        ("2020–2022", (date(2020, 1, 1), date(2022, 12, 31))),
        ("2022", CALENDAR_2022),
    ],
)
def test_period_text_forms(text: str, period: tuple[date, date]) -> None:
    assert parse_period_text(text) == period


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("осень", "не распознан"),
        ("2021/2023", "не распознан"),
        ("2021/23", "не распознан"),
        ("31.02.2021-01.03.2021", "не распознан"),
        ("2022-2020", "раньше его начала"),
        ("01.01.2000-01.01.2030", "длиннее десяти лет"),
    ],
)
def test_a_wrong_period_text_is_refused_in_russian(text: str, says: str) -> None:
    with pytest.raises(Invalid, match=says):
        parse_period_text(text)


def test_the_title_period_is_used_and_named_with_its_line(tmp_path: Path) -> None:
    preview = preview_roadmap(_plan(tmp_path, "План на 2021/2022 учебный год"), WORDS)
    assert preview.period == SCHOOL_2021 and preview.period_source is PeriodSource.TITLE
    first, second = (i.deadline for i in preview.items)
    assert (first.start, first.end) == (date(2022, 2, 1), date(2022, 2, 28))
    assert (second.start, second.end) == (date(2021, 11, 1), date(2022, 4, 30))
    assert "Период карты: 01.09.2021 – 31.08.2022 (из заголовка: «План на 2021/2022" in render(
        preview
    )


def test_the_users_period_wins_over_the_title(tmp_path: Path) -> None:
    path = _plan(tmp_path, "План на 2021/2022 учебный год")
    preview = preview_roadmap(path, WORDS, period=CALENDAR_2022)
    assert preview.period_source is PeriodSource.USER
    assert preview.items[0].deadline.end == date(2022, 2, 28)
    assert preview.items[1].deadline.end == date(2023, 4, 30)  # forward over the New Year
    assert "(указан при загрузке)" in render(preview)


def test_without_a_title_the_existing_roadmap_then_the_school_year(tmp_path: Path) -> None:
    path = _plan(tmp_path)
    existing = ExistingRoadmap(CALENDAR_2022, 0)
    into = preview_roadmap(path, WORDS, existing=existing)
    assert into.period == CALENDAR_2022 and into.period_source is PeriodSource.ROADMAP
    assert "(период дорожной карты)" in render(into)
    fresh = preview_roadmap(path, WORDS, today=date(2024, 10, 1))
    assert fresh.period == school_year_of(date(2024, 10, 1))
    assert fresh.period_source is PeriodSource.DEFAULT
    assert "(учебный год по умолчанию)" in render(fresh)


def test_a_new_period_rereads_every_deadline_without_the_file(tmp_path: Path) -> None:
    path = _plan(tmp_path, "План на 2021/2022 учебный год")
    preview = preview_roadmap(path, WORDS)
    path.unlink()  # the table already read is enough
    moved = with_period(preview, (date(2019, 1, 1), date(2020, 12, 31)))
    assert moved.period_source is PeriodSource.USER
    assert moved.items[0].deadline.end == date(2019, 2, 28)
    back = with_period(moved, None)
    assert back.period == SCHOOL_2021 and back.period_source is PeriodSource.TITLE
    with pytest.raises(Invalid, match="раньше его начала"):
        with_period(preview, (date(2022, 1, 1), date(2021, 1, 1)))


def test_a_roadmap_of_another_period_is_named_with_the_one_used(tmp_path: Path) -> None:
    path = _plan(tmp_path, "План на 2021/2022 учебный год")
    filled = ExistingRoadmap(CALENDAR_2022, 5)
    text = render(preview_roadmap(path, WORDS, existing=filled))
    assert "Дорожная карта уже заполнена, её период — 01.01.2022 – 31.12.2022" in text
    assert "Будет использован период 01.09.2021 – 31.08.2022" in text
    assert "--period 01.01.2022-31.12.2022" in text
    same = preview_roadmap(path, WORDS, existing=ExistingRoadmap(SCHOOL_2021, 5))
    empty = preview_roadmap(path, WORDS, existing=ExistingRoadmap(CALENDAR_2022, 0))
    assert not [w for w in same.warnings + empty.warnings if "уже заполнена" in w]


def test_apply_stores_the_users_period(school: Services, tmp_path: Path) -> None:
    preview = preview_roadmap(_plan(tmp_path), WORDS, period=SCHOOL_2021)
    apply_roadmap(school, preview, ImportMode.APPEND, on=date(2022, 3, 1))
    roadmap = school.roadmap.current(date(2022, 3, 1))
    assert roadmap is not None
    assert (roadmap.period_start, roadmap.period_end) == SCHOOL_2021
    ends = [i.end_date for i in school.roadmap.items(roadmap.id)]
    assert ends == [i.deadline.end for i in preview.items]


def test_appending_a_titled_file_stores_the_dates_the_preview_showed(school: Services) -> None:
    """Into a roadmap that already has items of another period (its own school year)."""
    on = date(2022, 3, 1)
    first = preview_roadmap(FIXTURES / "seed003.docx", WORDS, today=on)
    apply_roadmap(school, first, ImportMode.APPEND, on=on)
    existing = existing_roadmap(school, on)
    assert existing is not None and existing.period == SCHOOL_2021 and existing.items == 12
    preview = preview_roadmap(FIXTURES / "seed000.docx", WORDS, existing=existing, today=on)
    assert any("уже заполнена" in w for w in preview.warnings)
    apply_roadmap(school, preview, ImportMode.APPEND, on=on)
    roadmap = school.roadmap.current(on)
    assert roadmap is not None and (roadmap.period_start, roadmap.period_end) == CALENDAR_2022
    stored = school.roadmap.items(roadmap.id)[12:]
    assert [(i.start_date, i.end_date) for i in stored] == [
        (p.deadline.start, p.deadline.end) for p in preview.items
    ]
    earlier = school.roadmap.items(roadmap.id)[:12]  # re-read in the new period
    assert max(i.end_date for i in earlier if i.end_date) <= CALENDAR_2022[1]


def test_a_preview_made_without_the_roadmap_says_where_its_dates_were_read(
    school: Services, tmp_path: Path
) -> None:
    """A caller that did not pass `existing`: the roadmap keeps its period, and says so."""
    on = date(2022, 3, 1)
    titled = preview_roadmap(_plan(tmp_path, "План на 2020 год"), WORDS, today=on)
    apply_roadmap(school, titled, ImportMode.APPEND, on=on)
    blind = preview_roadmap(_plan(tmp_path), WORDS, today=on)
    assert blind.period_source is PeriodSource.DEFAULT
    summary = apply_roadmap(school, blind, ImportMode.APPEND, on=on)
    assert "Сроки прочитаны в периоде дорожной карты (01.01.2020 – 31.12.2020)" in summary
    roadmap = school.roadmap.current(on)
    assert roadmap is not None and roadmap.period_end == date(2020, 12, 31)
