"""The occurrences every deadline wording of the seeds (000, 001, 003) plans in its period."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.roadmap.deadlines import parse_deadline
from services.roadmap.recurrence import planned_periods

D = date
CALENDAR_2022 = (D(2022, 1, 1), D(2022, 12, 31))  # seed 000: «на 2022 год»
PROGRAMME = (D(2021, 1, 1), D(2024, 12, 31))  # seed 001: «на 2021-2024 годы»
URYUPINSK = (D(2020, 1, 1), D(2024, 12, 31))  # seed 003: from April 2020 on
SCHOOL_YEAR = (D(2021, 9, 1), D(2022, 8, 31))


def _months(*pairs: tuple[int, int]) -> list[D]:
    """Due dates: the last day of each (year, month)."""
    ends = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}
    return [D(y, m, ends.get(m, 31)) for y, m in pairs]


def _yearly(month: int, years: range) -> list[D]:
    return _months(*((y, month) for y in years))


SEMINARS = (
    "<p>Февраль 2022</p> <p>Март 2022</p> <p>Март 2022</p> <p>Апрель 2022</p> <p>Март 2022</p>"
)
Y21_24 = range(2021, 2025)
Y20_24 = range(2020, 2025)

# wording, period, the due date of each occurrence in order
SEED_CASES = [
    # seed 000 (calendar 2022)
    ("В течение года", CALENDAR_2022, [D(2022, 12, 31)]),
    ("Декабрь 2021", CALENDAR_2022, _months((2021, 12))),
    ("Январь 2022", CALENDAR_2022, _months((2022, 1))),
    ("Февраль-март 2022", CALENDAR_2022, _months((2022, 3))),
    ("Февраль, март 2022", CALENDAR_2022, _months((2022, 2), (2022, 3))),
    ("По итогам учебных полугодия, года", CALENDAR_2022, _months((2022, 12))),
    ("По итогам учебных полугодия, года", SCHOOL_YEAR, _months((2021, 12), (2022, 8))),
    ("Ноябрь 2022", CALENDAR_2022, _months((2022, 11))),
    ("Август 2022", CALENDAR_2022, _months((2022, 8))),
    ("2022 год", CALENDAR_2022, [D(2022, 12, 31)]),
    (SEMINARS, CALENDAR_2022, _months((2022, 2), (2022, 3), (2022, 3), (2022, 3), (2022, 4))),
    # seed 001 (2021–2024)
    ("Январь ежегодно", PROGRAMME, _yearly(1, Y21_24)),
    ("Август ежегодно", PROGRAMME, _yearly(8, Y21_24)),
    ("в августе ежегодно", PROGRAMME, _yearly(8, Y21_24)),
    ("Май 2021", PROGRAMME, _months((2021, 5))),
    ("В течение года", PROGRAMME, [D(y, 12, 31) for y in Y21_24]),
    ("Апрель 2021", PROGRAMME, _months((2021, 4))),
    ("Февраль – март 2021", PROGRAMME, _months((2021, 3))),
    ("2 раза в год", PROGRAMME, _months(*((y, m) for y in Y21_24 for m in (5, 12)))),
    ("ежегодно", PROGRAMME, [D(y, 12, 31) for y in Y21_24]),
    ("апрель, май 2021", PROGRAMME, _months((2021, 4), (2021, 5))),
    ("Сентябрь ежегодно", PROGRAMME, _yearly(9, Y21_24)),
    ("Июнь 2021 ежегодно", PROGRAMME, _yearly(6, Y21_24)),
    ("Декабрь ежегодно", PROGRAMME, _yearly(12, Y21_24)),
    ("Апрель- Май 2021", PROGRAMME, _months((2021, 5))),
    ("Апрель, май 2021", PROGRAMME, _months((2021, 4), (2021, 5))),
    ("Январь 2021", PROGRAMME, _months((2021, 1))),
    ("Февраль – июнь 2021", PROGRAMME, _months((2021, 6))),
    ("Февраль 2021 Сентябрь ежегодно", PROGRAMME, _months((2021, 2)) + _yearly(9, Y21_24)),
    ("Февраль 2021", PROGRAMME, _months((2021, 2))),
    ("По полугодиям", PROGRAMME, _months(*((y, m) for y in Y21_24 for m in (5, 12)))),
    (
        "По плану работы управления образования, в течение года",
        PROGRAMME,
        [D(y, 12, 31) for y in Y21_24],
    ),
    ("Ноябрь 2021", PROGRAMME, _months((2021, 11))),
    ("Март 2021 Сентябрь ежегодно", PROGRAMME, _months((2021, 3)) + _yearly(9, Y21_24)),
    ("Март 2021 Корректировка ежегодно", PROGRAMME, _yearly(3, Y21_24)),
    ("Март 2021", PROGRAMME, _months((2021, 3))),
    ("Ежегодно октябрь", PROGRAMME, _yearly(10, Y21_24)),
    ("Август Декабрь ежегодно", PROGRAMME, _months(*((y, m) for y in Y21_24 for m in (8, 12)))),
    ("23.03-21.04", PROGRAMME, [D(2021, 4, 21)]),
    ("2 раза в год (декабрь, май)", SCHOOL_YEAR, _months((2021, 12), (2022, 5))),
    # seed 003 (from 2020)
    ("Апрель 2020 г.,\nдалее - ежегодно", URYUPINSK, _yearly(4, Y20_24)),
    ("Апрель-май 2020г., далее - ежегодно", URYUPINSK, _yearly(5, Y20_24)),
    ("Апрель – декабрь 2020г., далее - ежегодно", URYUPINSK, _yearly(12, Y20_24)),
    ("Сентябрь – декабрь 2020г., далее - ежегодно", URYUPINSK, _yearly(12, Y20_24)),
    (
        "Июнь 2020г., декабрь 2020г., далее - ежегодно",
        URYUPINSK,
        _months(*((y, m) for y in Y20_24 for m in (6, 12))),
    ),
    # the rules of the model issue
    ("ежеквартально", CALENDAR_2022, _months((2022, 3), (2022, 6), (2022, 9), (2022, 12))),
    ("ежемесячно", CALENDAR_2022, _months(*((2022, m) for m in range(1, 13)))),
    ("Февраль, июль", CALENDAR_2022, _months((2022, 2), (2022, 7))),
    (
        "Апрель 2020 г., далее – ежегодно",
        (D(2020, 1, 1), D(2027, 12, 31)),
        _yearly(4, range(2020, 2028)),
    ),
]


@pytest.mark.parametrize(("text", "period", "ends"), SEED_CASES)
def test_every_seed_wording_plans_its_occurrences(
    text: str, period: tuple[date, date], ends: list[date]
) -> None:
    assert parse_deadline(text, *period).understood, text
    plan = planned_periods(text, *period)
    assert plan.understood
    assert [p.end for p in plan.periods] == ends
    assert all(p.start is not None and p.start <= p.end for p in plan.periods if p.end)
    assert plan.start == min(p.start for p in plan.periods if p.start)
    assert plan.end == max(ends)


def test_a_range_recurs_as_a_range() -> None:
    plan = planned_periods("Апрель – декабрь 2020г., далее - ежегодно", *URYUPINSK)
    assert plan.periods[0].label == "апрель – декабрь 2020"
    assert (plan.periods[0].start, plan.periods[0].end) == (D(2020, 4, 1), D(2020, 12, 31))


def test_events_on_the_same_date_are_told_apart() -> None:
    plan = planned_periods(SEMINARS, *CALENDAR_2022)
    assert [(p.label, p.seq) for p in plan.periods] == [
        ("февраль 2022", 0),
        ("март 2022", 0),
        ("март 2022 (2)", 1),
        ("март 2022 (3)", 2),
        ("апрель 2022", 0),
    ]


@pytest.mark.parametrize("text", ["", "по согласованию с Минпросом", "31.02.2022"])
def test_empty_or_unread_wording_is_one_occurrence_without_a_due_date(text: str) -> None:
    plan = planned_periods(text, *CALENDAR_2022)
    assert plan.understood is (text == "")
    assert [(p.start, p.end) for p in plan.periods] == [(None, None)]


def test_a_recurring_month_outside_the_period_falls_back_to_the_span() -> None:
    plan = planned_periods("Август ежегодно", D(2024, 9, 1), D(2025, 6, 30))
    assert len(plan.periods) == 1 and plan.periods[0].end is not None


@given(st.text(max_size=60), st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.integers(0, 5))
def test_never_raises_and_every_occurrence_is_ordered(text: str, start: date, years: int) -> None:
    end = date(start.year + years, 12, 31)
    plan = planned_periods(text, start, end)
    assert plan.periods
    keys = [(p.end, p.seq) for p in plan.periods]
    assert len(set(keys)) == len(keys)
    for p in plan.periods:
        assert (p.start is None) == (p.end is None) or p.start is not None
        if p.start and p.end:
            assert p.start <= p.end
