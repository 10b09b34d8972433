"""The deadline wording of real plans: every wording of the sample plans and a few more."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.roadmap.deadlines import parse_deadline, period_from_title

SCHOOL_YEAR = (date(2021, 9, 1), date(2022, 8, 31))
CALENDAR_2022 = (date(2022, 1, 1), date(2022, 12, 31))
PROGRAMME = (date(2020, 1, 1), date(2024, 12, 31))
D = date

CASES = [
    # wording, period, start, end, recurring
    ("Декабрь 2021", CALENDAR_2022, D(2021, 12, 1), D(2021, 12, 31), False),
    ("Январь 2022", CALENDAR_2022, D(2022, 1, 1), D(2022, 1, 31), False),
    ("2022 год", CALENDAR_2022, D(2022, 1, 1), D(2022, 12, 31), False),
    ("В течение года", CALENDAR_2022, D(2022, 1, 1), D(2022, 12, 31), False),
    ("постоянно", SCHOOL_YEAR, D(2021, 9, 1), D(2022, 8, 31), False),
    ("Февраль, март 2022", CALENDAR_2022, D(2022, 2, 1), D(2022, 3, 31), False),
    ("Февраль-март 2022", CALENDAR_2022, D(2022, 2, 1), D(2022, 3, 31), False),
    ("Февраль – июнь 2021", PROGRAMME, D(2021, 2, 1), D(2021, 6, 30), False),
    ("23.03-21.04", CALENDAR_2022, D(2022, 3, 23), D(2022, 4, 21), False),
    ("Август ежегодно", PROGRAMME, D(2020, 8, 1), D(2024, 8, 31), True),
    ("2 раза в год (декабрь, май)", SCHOOL_YEAR, D(2021, 12, 1), D(2022, 5, 31), True),
    ("По итогам учебных полугодия, года", SCHOOL_YEAR, D(2021, 12, 1), D(2022, 8, 31), False),
    ("Август Декабрь ежегодно", PROGRAMME, D(2020, 8, 1), D(2024, 12, 31), True),
    ("Апрель 2020 г., далее - ежегодно", PROGRAMME, D(2020, 4, 1), D(2024, 4, 30), True),
    (
        "Июнь 2020г., декабрь 2020г., далее - ежегодно",
        PROGRAMME,
        D(2020, 6, 1),
        D(2024, 12, 31),
        True,
    ),
    ("в срок до 15.06.2021 г.", PROGRAMME, D(2020, 1, 1), D(2021, 6, 15), False),
    ("до 01.09.2021", PROGRAMME, D(2020, 1, 1), D(2021, 9, 1), False),
    (
        "По плану работы управления образования, в течение года",
        CALENDAR_2022,
        D(2022, 1, 1),
        D(2022, 12, 31),
        False,
    ),
    ("<p>Февраль 2022</p> <p>Март 2022</p>", CALENDAR_2022, D(2022, 2, 1), D(2022, 3, 31), False),
    ("2021-2024 гг.", PROGRAMME, D(2021, 1, 1), D(2024, 12, 31), False),
    ("Сентябрь", SCHOOL_YEAR, D(2021, 9, 1), D(2021, 9, 30), False),
    ("Май", SCHOOL_YEAR, D(2022, 5, 1), D(2022, 5, 31), False),
    ("II квартал", CALENDAR_2022, D(2022, 4, 1), D(2022, 6, 30), False),
    ("Март – апрель", SCHOOL_YEAR, D(2022, 3, 1), D(2022, 4, 30), False),
]


@pytest.mark.parametrize(("text", "period", "start", "end", "recurring"), CASES)
def test_every_wording_of_the_seeds(
    text: str, period: tuple[date, date], start: date, end: date, recurring: bool
) -> None:
    d = parse_deadline(text, *period)
    assert d.understood, text
    assert (d.start, d.end, d.recurring) == (start, end, recurring)


@pytest.mark.parametrize("text", ["по согласованию с Минпросом", "31.02.2022", "13.13"])
def test_unreadable_wording_is_flagged_and_gets_no_due_date(text: str) -> None:
    d = parse_deadline(text, *CALENDAR_2022)
    assert not d.understood
    assert (d.start, d.end) == (None, None)


def test_an_empty_wording_has_no_dates_and_is_not_flagged() -> None:
    d = parse_deadline("", *CALENDAR_2022)
    assert d.understood
    assert (d.start, d.end) == (None, None)


MORE_CASES = [
    # a range crossing New Year runs forward, whatever the period
    ("Ноябрь – апрель", CALENDAR_2022, D(2022, 11, 1), D(2023, 4, 30)),
    ("Ноябрь-апрель", SCHOOL_YEAR, D(2021, 11, 1), D(2022, 4, 30)),
    ("Ноябрь – апрель 2022", PROGRAMME, D(2021, 11, 1), D(2022, 4, 30)),
    ("Ноябрь 2021 – апрель", PROGRAMME, D(2021, 11, 1), D(2022, 4, 30)),
    # a day and a month name is a due date, not the whole month
    ("до 15 марта 2026", (D(2025, 9, 1), D(2026, 8, 31)), D(2025, 9, 1), D(2026, 3, 15)),
    ("15 марта 2026", (D(2025, 9, 1), D(2026, 8, 31)), D(2026, 3, 15), D(2026, 3, 15)),
    ("до 1 июня", SCHOOL_YEAR, D(2021, 9, 1), D(2022, 6, 1)),
    # year-less months inside a multi-year period start at the period's start
    ("Апрель- Май", (D(2021, 1, 1), D(2024, 12, 31)), D(2021, 4, 1), D(2021, 5, 31)),
]


@pytest.mark.parametrize(("text", "period", "start", "end"), MORE_CASES)
def test_ranges_run_forward_and_days_are_due_dates(
    text: str, period: tuple[date, date], start: date, end: date
) -> None:
    d = parse_deadline(text, *period)
    assert d.understood, text
    assert (d.start, d.end) == (start, end)


def test_months_listed_apart_are_several_dates() -> None:
    d = parse_deadline("Февраль, июль", *CALENDAR_2022)
    assert (d.start, d.end) == (D(2022, 2, 1), D(2022, 7, 31))
    assert d.parts == ((D(2022, 2, 1), D(2022, 2, 28)), (D(2022, 7, 1), D(2022, 7, 31)))
    assert parse_deadline("Февраль – июль", *CALENDAR_2022).parts == ()


def test_a_listed_month_past_the_period_is_taken_inside_it() -> None:
    d = parse_deadline("Май, сентябрь", *SCHOOL_YEAR)
    assert (d.start, d.end) == (D(2021, 9, 1), D(2022, 5, 31))


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("План мероприятий … на 2020–2022 годы", (D(2020, 1, 1), D(2022, 12, 31))),
        ("Дорожная карта на 2021/2022 учебный год", (D(2021, 9, 1), D(2022, 8, 31))),
        ("Программа на 2021-2024 гг.", (D(2021, 1, 1), D(2024, 12, 31))),
        (
            "… с низкими образовательными результатами, на 2022 год",
            (D(2022, 1, 1), D(2022, 12, 31)),
        ),
        ("План на 2023-2024 уч. год", (D(2023, 9, 1), D(2024, 8, 31))),
        ("План мероприятий поддержки школ", None),
    ],
)
def test_the_period_comes_from_the_title(title: str, period: tuple[date, date] | None) -> None:
    assert period_from_title(title) == period


@given(st.text(max_size=80), st.dates(date(2000, 1, 1), date(2090, 1, 1)))
def test_never_raises_and_end_is_never_before_start(text: str, start: date) -> None:
    end = date(start.year + 1, start.month, 1)
    d = parse_deadline(text, start, end)
    if not d.understood:
        assert (d.start, d.end) == (None, None)
    if d.start is not None and d.end is not None:
        assert d.start <= d.end


def test_a_deadline_before_the_period_starts_is_a_single_day() -> None:
    d = parse_deadline("до 01.09.2019", *CALENDAR_2022)
    assert (d.start, d.end) == (date(2019, 9, 1), date(2019, 9, 1))
