"""The district formula language: parsing, Russian errors, evaluation and missing inputs."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.indicators.evaluate import FormulaInputs, evaluate
from services.indicators.expr import FormulaError, parse

INPUTS = FormulaInputs(
    {"gia9_admitted": 40, "gia9_no_fail": 36, "medal_claimants": 0, "medals": None},
    {
        "vpr": [
            {
                "grade": 4,
                "class": "",
                "subject": "Русский язык",
                "participants": 20,
                "confirmed": 15,
            },
            {"grade": 4, "class": "", "subject": "Музыка", "participants": 10, "confirmed": 10},
            {
                "grade": 6,
                "class": "",
                "subject": "Русский язык",
                "participants": 30,
                "confirmed": None,
            },
        ]
    },
)


def value(formula: str) -> float | None:
    return evaluate(parse(formula), INPUTS).ratio.value


def test_arithmetic_precedence_signs_and_comparisons() -> None:
    assert value("2 + 3 × 4") == pytest.approx(14)  # a plain number is shown as it is
    assert value("(2 + 3) * 4 - 1") == pytest.approx(19)
    assert value("10 ÷ 4") == pytest.approx(2.5)
    assert value("−1 + 3") == pytest.approx(2)
    assert value("3 ≥ 2 and not 1 > 2") == pytest.approx(1)


def test_a_share_keeps_numerator_and_denominator() -> None:
    outcome = evaluate(parse("percent(gia9_no_fail, gia9_admitted)"), INPUTS)
    assert (outcome.ratio.numerator, outcome.ratio.denominator) == (36, 40)
    assert outcome.ratio.value == pytest.approx(90.0)
    same = evaluate(parse("gia9_no_fail / gia9_admitted * 100"), INPUTS)
    assert same.ratio == outcome.ratio


def test_sum_with_a_condition_over_rows() -> None:
    formula = (
        'percent(sum(vpr.confirmed where grade = 4 and subject in ("русский язык", «Математика»)),'
        ' sum(vpr.participants where grade = 4 and subject != "Музыка"))'
    )
    outcome = evaluate(parse(formula), INPUTS)
    assert (outcome.ratio.numerator, outcome.ratio.denominator) == (15, 20)


def test_missing_inputs_are_named_never_zero() -> None:
    outcome = evaluate(parse("percent(medals, gia9_admitted)"), INPUTS)
    assert outcome.ratio.value is None
    assert outcome.note.startswith("нет данных: не введено")
    assert "medals" in outcome.note
    row_missing = evaluate(parse("sum(vpr.confirmed)"), INPUTS)
    assert row_missing.ratio.value is None and "Русский язык" in row_missing.note
    no_table = evaluate(parse("sum(gia.participants)"), INPUTS)
    assert "ГИА" in no_table.note and no_table.ratio.value is None
    no_rows = evaluate(parse("sum(vpr.participants where grade = 11)"), INPUTS)
    assert "нет строк" in no_rows.note


def test_division_by_zero_gives_no_data_with_the_reason() -> None:
    outcome = evaluate(
        parse("percent(medals_free, medal_claimants)".replace("medals_free", "1")), INPUTS
    )
    assert outcome.ratio.value is None and "деление на ноль" in outcome.note
    assert "деление на ноль" in evaluate(parse("1 / (2 - 2)"), INPUTS).note


@pytest.mark.parametrize(
    ("formula", "words"),
    [
        ("1 +", "оборвалась"),
        ("(1 + 2", "«)»"),
        ("1 2", "лишнее"),
        ("graduates_99 + 1", "неизвестное имя «graduates_99»"),
        ("sum(vpr.nope)", "нет поля «nope»"),
        ("sum(vpr.n2 where colour = 1)", "нет столбца «colour»"),
        ("vpr + 1", "таблица"),
        ("0,5 + 1", "отделяйте точкой"),
        ("1 < 2 < 3", "два сравнения"),
        ("gia9_no_fail in (1, 2)", "только в условии where"),
        ("", "пуста"),
    ],
)
def test_syntax_errors_are_russian_and_point_at_the_place(formula: str, words: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse(formula)
    assert words in str(info.value)


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(FormulaError) as info:
        parse("percent(gia_no_fail, gia9_admitted)")
    assert "позиции 9" in str(info.value)
    assert "gia9_no_fail" in str(info.value) and "sum(vpr.поле)" in str(info.value)


def test_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(FormulaError):
        parse("(" * 5000 + "1" + ")" * 5000)
    with pytest.raises(FormulaError):
        parse("-" * 5000 + "1")


ALPHABET = st.sampled_from(
    [
        *'0123456789.+-*/()<>=!,«»" _abcdefghijklmnopqrstuvwxyzабв×÷−≤≥≠%$#@\n\t',
        *("sum", "percent", "where", "in", "and", "or", "not", "vpr.", "gia9_no_fail", "grade"),
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_no_input_crashes_the_parser_with_anything_but_its_own_error(text: str) -> None:
    try:
        node = parse(text)
    except FormulaError:
        return
    evaluate(node, INPUTS)  # never raises: a value or «нет данных» with a reason


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_never_crashes_the_parser(text: str) -> None:
    with contextlib.suppress(FormulaError):
        parse(text)


def test_the_loaders_key_columns_are_the_where_columns_in_order() -> None:
    """A condition sees a key's values by the table's column names: another order mixes them."""
    from services.indicators.names import TABLES
    from services.results.formula_data import SOURCES

    assert set(SOURCES) == set(TABLES)
    for table, source in SOURCES.items():
        stored = [column.removesuffix("_label") for column in source.keys]
        assert stored == list(TABLES[table].columns), table
