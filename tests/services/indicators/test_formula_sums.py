"""District formulas aggregated in SQL give exactly what summing each school's rows gives.

The reference here reads every school's rows with the ORM, applies the results area's rules by
hand (a whole-grade row wins over its class rows, «Вся школа» over the levels) and evaluates the
formula over those rows in memory; the dashboard («Сводка», all schools at once) and each
school's own computation (the same statements scoped to it) must agree with it, value and
«нет данных» note alike, on the district demo with edge cases added.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, col, select

from models import Role, stable_id
from models.results import AssessmentResult, GiaResult, Progression, VprResult
from services.app import Services
from services.core.ratio import Ratio
from services.district.definitions import DefinitionDraft
from services.indicators.compute import compute_indicators, load_inputs
from services.indicators.evaluate import FormulaInputs, Outcome, Row, evaluate
from services.indicators.expr import parse
from services.indicators.names import SCALARS
from services.indicators.thresholds import load_thresholds
from services.results.formula_data import load_formula_inputs
from services.results.rules import EXAM_TITLES
from tests.conftest import BOTH_ENGINES, CATALOGUES
from tests.services.indicators.seed001 import SEED_001

EXTRA = (
    DefinitionDraft(
        "MUN_QUALITY_5",
        "Качество знаний в 3–5-х классах по математике",
        'percent(sum(assessment.quality where grade <= 5 and subject = "математика"), '
        'sum(assessment.pupils where grade in (3, 4, 5) and subject = "Математика"))',
    ),
    DefinitionDraft(
        "MUN_ACHIEVED_A",
        "Успеваемость классов «А» за год",
        'percent(sum(assessment.achieved where class = "а" and period = "year"), '
        'sum(assessment.pupils where class = "А" and period = "year"))',
    ),
    DefinitionDraft(
        "MUN_OGE_MATH",
        "ОГЭ по математике ниже минимума",
        'percent(sum(gia.below_min where exam = "ОГЭ" and subject = "Математика"), '
        'sum(gia.participants where exam = "ОГЭ" and subject = "Математика"))',
        better="lower",
    ),
    DefinitionDraft(
        "MUN_VPR_RAISED",
        "ВПР: повысили отметку, человек на класс",
        "sum(vpr.raised where grade >= 4) / 10",
    ),
)
CODES = [d.code for d in (*SEED_001, *EXTRA)]


def _edge_cases(s: Session, owners: list[str], year: int) -> None:
    """Grade 3 assessment rows (whole and by class), a missing count, a missing input."""
    first, second, third = owners[:3]
    for owner, labels in ((first, ("", "А", "Б")), (second, ("А", "Б"))):
        for label in labels:
            for subject, pupils in (("Математика", 25), ("Русский язык", 24)):
                s.add(
                    AssessmentResult(
                        id=stable_id("assessment", owner, year, "year", 3, label, subject),
                        owner=owner, year=year, period="year", grade=3, class_label=label,
                        subject=subject, pupils=pupils, achieved=pupils - 2, quality=pupils // 2,
                    )
                )  # fmt: skip
    # a ВПР row in seed 001's scope whose «подтвердили» was not entered
    row = s.exec(
        select(VprResult).where(
            VprResult.owner == third, VprResult.year == year, VprResult.grade == 4
        )
    ).first()
    assert row is not None
    row.confirmed = None
    s.add(row)
    for p in s.exec(select(Progression).where(Progression.owner == second)).all():
        p.gia11_admitted = None  # «не введено» for the school
        s.add(p)


def _reference(s: Session, owner: str, year: int, formula: str) -> Outcome:
    """The formula over the school's rows, summed in memory."""
    return evaluate(parse(formula), _inputs(s, owner, year))


def _inputs(s: Session, owner: str, year: int) -> FormulaInputs:
    def live(table: Any) -> list[Any]:
        stmt = select(table).where(
            table.owner == owner, table.year == year, col(table.deleted).is_(False)
        )
        return list(s.exec(stmt).all())

    vpr = [
        {"grade": r.grade, "class": r.class_label, "subject": r.subject, **r.model_dump()}
        for r in sorted(live(VprResult), key=lambda r: (r.grade, r.class_label, r.subject))
    ]
    # in the order of the keys: a missing count names the first row that lacks it
    ordered = sorted(
        live(AssessmentResult), key=lambda r: (r.period, r.grade, r.class_label, r.subject)
    )
    assessment = [{"class": r.class_label, **r.model_dump()} for r in ordered]
    gia: list[Row] = [{**r.model_dump(), "exam": EXAM_TITLES[r.exam]} for r in live(GiaResult)]
    levels = live(Progression)
    chosen = [p for p in levels if p.level == "all"] or levels
    scalars = {
        name: None
        if any(getattr(p, name) is None for p in chosen)
        else sum(getattr(p, name) for p in chosen)
        for name in SCALARS
    }
    tables: dict[str, list[Row]] = {
        "vpr": _whole_wins(vpr, ("grade", "subject")),
        "assessment": _whole_wins(assessment, ("period", "grade", "subject")),
        "gia": gia,
    }
    return FormulaInputs(scalars if chosen else {}, {k: v for k, v in tables.items() if v})


def _whole_wins(rows: Sequence[Row], group: tuple[str, ...]) -> list[Row]:
    whole = {tuple(r[g] for g in group) for r in rows if not r["class"]}
    return [r for r in rows if not r["class"] or tuple(r[g] for g in group) not in whole]


@pytest.fixture
def engine_services(engine_kind: str, request: pytest.FixtureRequest) -> Services:
    """A district's services on a database file, or on a PostgreSQL server."""
    name = "services" if engine_kind == "postgresql" else "file_services"
    services: Services = request.getfixturevalue(name)
    return services


@BOTH_ENGINES
def test_sql_sums_equal_the_rows_summed_per_school(engine_services: Services) -> None:
    """Incl. the first row lacking a count, named in the order of the keys on both engines."""
    services = engine_services
    services.site.initialize(Role.DISTRICT, "Управление образования Кольского района", "5105000001")
    services.demo.fill()
    year = services.dashboard.years()[0]
    with services.db.session() as s:
        owners = sorted(set(s.exec(select(VprResult.owner).distinct())))
        _edge_cases(s, owners, year)
    for draft in (*SEED_001, *EXTRA):
        services.thresholds.save_definition(draft)
    formulas = {d.code: d.formula for d in (*SEED_001, *EXTRA)}
    summary = services.dashboard.summary(year, date(year, 12, 1))
    notes: set[str] = set()
    with services.db.session() as s:
        thresholds = load_thresholds(s, year)
        for school in summary.schools:
            alone = {
                v.code: v
                for v in compute_indicators(
                    s, school.site_id, year, thresholds, catalogues_dir=CATALOGUES
                )
            }
            for code in CODES:
                shown, own = school.indicator(code), alone[code]
                assert shown is not None
                now = _reference(s, school.site_id, year, formulas[code])
                before = _reference(s, school.site_id, year - 1, formulas[code])
                for got in (shown, own):
                    assert (got.ratio, got.note) == (_sane(now), now.note), (school.name, code)
                    assert got.previous == _sane(before), (school.name, code)
                notes.update((now.note, before.note))
    # the edge cases were met: a row's missing count, a missing input, a school without rows
    assert any("ВПР: подтвердили отметку (4" in n for n in notes)
    assert any("допущены к ГИА-11 (gia11_admitted)" in n for n in notes)
    assert any("(нет ни одной строки за год)" in n for n in notes)
    assert any(n == "" for n in notes)


def _sane(outcome: Outcome) -> Ratio:
    ratio = outcome.ratio
    if outcome.is_share and (
        ratio.denominator <= 0 or not 0 <= ratio.numerator <= ratio.denominator
    ):
        return Ratio(0, 0)
    return ratio


def test_a_school_reads_only_its_own_rows(file_services: Services) -> None:
    """The statements scoped to one school give what the district's statements give it."""
    services = file_services
    services.site.initialize(Role.DISTRICT, "Управление образования Кольского района", "5105000001")
    services.demo.fill()
    for draft in (*SEED_001, *EXTRA):
        services.thresholds.save_definition(draft)
    year = services.dashboard.years()[0]
    with services.db.session() as s:
        everyone = load_inputs(s, None, year, catalogues_dir=CATALOGUES)
        for owner, data in everyone.data.schools.items():
            alone = load_inputs(s, [owner], year, catalogues_dir=CATALOGUES).data.school(owner)
            assert alone.formula_now == data.formula_now
            assert alone.formula_before == data.formula_before


def test_a_condition_that_cannot_be_computed_is_reported_as_over_the_rows(
    file_services: Services,
) -> None:
    """A condition failing on a school's row gives that school the same error as its rows do."""
    services = file_services
    services.site.initialize(Role.DISTRICT, "Управление образования Кольского района", "5105000001")
    services.demo.fill()
    year = services.dashboard.years()[0]
    formula = "sum(vpr.participants where grade = 5 and -subject < 0) + sum(vpr.n2)"
    node = parse(formula)
    with services.db.session() as s:
        loaded = load_formula_inputs(s, None, [year], [node])
        assert loaded
        for (owner, _year), inputs in loaded.items():
            got, want = evaluate(node, inputs), _reference(s, owner, year, formula)
            assert (got.ratio, got.note, got.error) == (want.ratio, want.note, want.error)
            assert "нельзя использовать как число" in got.error
