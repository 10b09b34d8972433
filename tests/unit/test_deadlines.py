"""The deadline wording of real plans: every wording of the sample plans and a few more."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.roadmap.deadlines import parse_deadline

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


@pytest.mark.parametrize("text", ["", "по согласованию с Минпросом", "31.02.2022", "13.13"])
def test_unreadable_wording_is_flagged_and_due_at_the_period_end(text: str) -> None:
    d = parse_deadline(text, *CALENDAR_2022)
    assert not d.understood
    assert d.start is None
    assert d.end == date(2022, 12, 31)


@given(st.text(max_size=80), st.dates(date(2000, 1, 1), date(2090, 1, 1)))
def test_never_raises_and_end_is_never_before_start(text: str, start: date) -> None:
    end = date(start.year + 1, start.month, 1)
    d = parse_deadline(text, start, end)
    assert d.end is not None
    if d.start is not None:
        assert d.start <= d.end


def test_a_deadline_before_the_period_starts_is_a_single_day() -> None:
    d = parse_deadline("до 01.09.2019", *CALENDAR_2022)
    assert (d.start, d.end) == (date(2019, 9, 1), date(2019, 9, 1))
