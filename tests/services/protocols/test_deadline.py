"""Deadlines found in a decision's prose and read for the meeting's date."""

from __future__ import annotations

from datetime import date

import pytest

from services.protocols import deadline_of, find_wording, read_deadline
from tests.services.protocols.seed004 import DECISIONS, MEETING


@pytest.mark.parametrize(("text", "wording", "meant"), DECISIONS)
def test_seed_004_decisions_deadlines_read_as_the_seed_means(
    text: str, wording: str, meant: date | str | None
) -> None:
    found = deadline_of(text, MEETING)
    assert found.wording == wording
    if meant is None:  # «0.09.2021»: no such day; kept as written, no date, said so
        assert (found.understood, found.due) == (False, None)
    elif meant == "постоянно":
        assert (found.understood, found.ongoing, found.due) == (True, True, None)
    else:
        assert (found.understood, found.ongoing, found.due) == (True, False, meant)


@pytest.mark.parametrize(
    ("text", "wording", "due"),
    [
        ("Провести анализ причин – в срок до 15.06.2021 г.", "до 15.06.2021 г.", date(2021, 6, 15)),
        ("Представить программу-в срок до 01.09 2021 г.;", "до 01.09 2021 г.", date(2021, 9, 1)),
        ("Провести педсовет в срок до 15 марта 2026 и представить отчёт.", "до 15 марта 2026",
         date(2026, 3, 15)),
        ("Подготовить отчёт до конца учебного года.", "до конца учебного года", date(2021, 8, 31)),
        ("Обновить сайт - до конца года", "до конца года", date(2021, 12, 31)),
        ("Сдать планы. Срок: 01.10.2021", "01.10.2021", date(2021, 10, 1)),
        ("Назначить педагога-психолога.", "", None),
        ("Провести диагностику в течение 2022 года.", "в течение 2022 года", date(2022, 12, 31)),
        ("Провести родительские собрания в сентябре 2021 г. по итогам ВПР", "в сентябре 2021 г.",
         date(2021, 9, 30)),
    ],
)  # fmt: skip
def test_deadline_phrases_inside_prose(text: str, wording: str, due: date | None) -> None:
    assert find_wording(text) == wording
    assert read_deadline(wording, MEETING).due == due


def test_an_august_meeting_plans_the_coming_school_year() -> None:
    august = read_deadline("до конца учебного года", date(2021, 8, 30))
    assert august.due == date(2022, 8, 31)
    assert read_deadline("до 1 сентября", date(2021, 8, 30)).due == date(2021, 9, 1)


def test_an_unreadable_wording_is_kept_and_marked() -> None:
    found = read_deadline("по согласованию с куратором", MEETING)
    assert (found.wording, found.understood, found.due) == (
        "по согласованию с куратором",
        False,
        None,
    )
