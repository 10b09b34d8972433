"""The set-based loaders of the dashboard give every school exactly its own numbers.

Checked against a row-by-row reference of the per-school rules (`dashboard_batch_support`) on
random multi-school data with edge cases, and on the district demo (seven real installations
imported through the engine): the district's figures equal what each school computes alone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from models import Role, SyncState
from models.catalogue import Comparison, Threshold
from models.results import VprResult
from services.app import Services
from services.audit.levels import ANSWERS, risk_profile, risk_profiles
from services.core.sql_select import PerEngine, rows
from services.district.summary import DistrictSummary
from services.indicators.compute import (
    KEY_INDICATORS,
    as_of_for,
    compute_indicators,
    load_inputs,
)
from services.indicators.thresholds import ThresholdRead, load_thresholds
from services.results.data import (
    VPR_BY_SUBJECT,
    VPR_BY_SUBJECT_KEYS,
    VPR_BY_YEAR,
    VPR_BY_YEAR_KEYS,
    YearData,
    load_year_data,
    load_year_data_many,
)
from services.roadmap.queries import (
    ITEM_COUNTS,
    NO_FIGURES,
    execution_ratio,
    overdue_items,
    roadmap_figures_on,
)
from services.staff.queries import COVERAGE_EVERYONE, staff_coverage, staff_coverage_on
from tests.conftest import BOTH_ENGINES, CATALOGUES
from tests.services.dashboard_batch_support import (
    populate,
    ref_levels,
    ref_roadmap,
    ref_staff,
    ref_year_data,
)

YEAR = 2025
DAYS = (date(2025, 12, 1), date(2024, 8, 31), date(2026, 7, 15))
THRESHOLDS = (
    ThresholdRead(2024, "VPR_FAIL", Comparison.GT, 20.0),
    ThresholdRead(2023, "VPR_FAIL|Математика", Comparison.GE, 15.0),  # of an earlier year
    ThresholdRead(2025, "ROADMAP_EXEC", Comparison.LT, 60.0),
    ThresholdRead(2025, "CERT_9_11", Comparison.LT, 95.0),
)


@pytest.fixture(params=[1, 2, 3])
def random_district(
    request: pytest.FixtureRequest, district: Services
) -> tuple[Services, list[str]]:
    with district.db.session() as s:
        owners = populate(s, request.param, schools=7)
    return district, owners


@BOTH_ENGINES
def test_results_of_many_schools_equal_the_reference(
    random_district: tuple[Services, list[str]],
) -> None:
    services, owners = random_district
    with services.db.session() as s:
        everyone = load_year_data_many(s, None, (2023, 2024, 2025))
        some = load_year_data_many(s, owners[:3], (2024, 2025))
        for owner in owners:
            for year in (2023, 2024, 2025):
                ref = ref_year_data(s, owner, year)
                assert load_year_data(s, owner, year) == ref
                if ref.vpr or ref.gia or ref.progression.pupils:
                    assert everyone[owner][year] == ref
        assert set(some) == set(owners[:3])
        assert all(some[o][y] == ref_year_data(s, o, y) for o in owners[:3] for y in (2024, 2025))


def test_whole_school_vpr_sums_equal_the_sums_of_the_subjects(
    random_district: tuple[Services, list[str]],
) -> None:
    """Without subjects ВПР is summed per school and year, mixed entry falling back per subject."""
    services, owners = random_district
    with services.db.session() as s:
        for scope in (None, owners[:3]):
            totals = load_year_data_many(s, scope, (2023, 2024, 2025), subjects=False)
            assert scope is None or set(totals) == set(scope)
            for owner in scope or owners:
                for year in (2023, 2024, 2025):
                    ref = ref_year_data(s, owner, year)
                    got = totals.get(owner, {}).get(year) or YearData(year)
                    assert got.vpr == {}
                    assert got.vpr_total() == ref.vpr_total()
                    assert (got.gia, got.progression) == (ref.gia, ref.progression)


@BOTH_ENGINES
def test_plain_sql_loaders_see_the_sessions_pending_rows(district: Services) -> None:
    """The loaders run on the DB-API cursor but flush first, as `session.execute` would."""
    with district.db.session() as s:
        s.add(VprResult(owner="school-a", year=YEAR, grade=4, subject="Математика",
                        participants=10, n2=3, n3=3, n4=2, n5=2))  # fmt: skip
        for subjects in (True, False):
            data = load_year_data_many(s, None, [YEAR], subjects=subjects)["school-a"][YEAR]
            assert (data.vpr_total().participants, data.vpr_total().n2) == (10, 3)


# The dashboard's heaviest statements, each answered from a covering index (migration 0003):
# the wide table rows are never read. Without the index the plan names the table instead.
COVERED = [
    (VPR_BY_YEAR.everyone, ["[2024, 2025]"], "ix_vpr_result_sums"),
    (VPR_BY_SUBJECT.everyone, ["[2024, 2025]"], "ix_vpr_result_sums"),
    (ITEM_COUNTS, {"ids": "[]", "d0": "2025-01-01", "d1": "2025-06-01"},
     "ix_roadmap_occurrence_counts"),
    (ANSWERS, ["[]"], "ix_audit_answer_values"),
    (COVERAGE_EVERYONE, dict.fromkeys(("d0", "d1", "pk0", "pk1", "ac0", "ac1"), "2025-01-01"),
     "ix_development_activity_counts"),
    (COVERAGE_EVERYONE, dict.fromkeys(("d0", "d1", "pk0", "pk1", "ac0", "ac1"), "2025-01-01"),
     "ix_development_plan_periods"),
]  # fmt: skip


@pytest.mark.parametrize(("sql", "params", "index"), COVERED)
def test_dashboard_statements_read_covering_indexes(
    district: Services, sql: str, params: object, index: str
) -> None:
    with district.db.session() as s:
        plan = [str(r[-1]) for r in rows(s, "EXPLAIN QUERY PLAN " + sql, params)]  # type: ignore[arg-type]
    assert any(f"USING COVERING INDEX {index}" in step for step in plan), plan


@pytest.mark.parametrize("statement", [VPR_BY_YEAR_KEYS, VPR_BY_SUBJECT_KEYS])
def test_the_vpr_statements_with_keys_read_only_the_covering_index(
    district: Services, statement: PerEngine
) -> None:
    """On SQLite both halves (the sums, the DISTINCT keys) read the covering index."""
    with district.db.session() as s:
        plan = [str(r[-1]) for r in rows(s, "EXPLAIN QUERY PLAN " + statement.sqlite.everyone,
                                         ["[2024, 2025]"])]  # fmt: skip
    scans = [step for step in plan if "vpr_result" in step]
    assert len(scans) == 2, plan
    assert all("USING COVERING INDEX ix_vpr_result_sums" in step for step in scans), plan


def test_a_district_formulas_sums_read_the_covering_index(
    district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seed 001's ВПР formula sums by grade and subject: its one statement over the rows reads
    the covering index too (with the grade in it, migration 0013), grouped in the index's order."""
    import services.results.formula_data as formula_data
    from services.indicators.expr import parse
    from tests.services.indicators.seed001 import SEED_001

    statements: list[tuple[str, list[object]]] = []

    def recorded(session: Session, sql: str, params: list[object]) -> list[tuple[object, ...]]:
        statements.append((sql, list(params)))
        return rows(session, sql, params)

    monkeypatch.setattr(formula_data, "rows", recorded)
    with district.db.session() as s:
        for grade, subject in ((4, "Математика"), (6, "Биология")):
            s.add(VprResult(owner="school-a", year=YEAR, grade=grade, subject=subject,
                            participants=10, n2=3, n3=3, n4=2, n5=2, confirmed=5))  # fmt: skip
        s.flush()
        formula_data.load_formula_inputs(s, None, [YEAR], [parse(SEED_001[0].formula)])
        sums = [(sql, p) for sql, p in statements if "GROUP BY r.year" in sql]
        assert sums, statements
        for sql, params in sums:
            plan = [str(r[-1]) for r in rows(s, "EXPLAIN QUERY PLAN " + sql, params)]
            assert any("USING COVERING INDEX ix_vpr_result_sums" in step for step in plan), plan
            assert not any("TEMP B-TREE" in step for step in plan), plan


@BOTH_ENGINES
def test_roadmap_and_staff_of_many_schools_equal_the_reference(
    random_district: tuple[Services, list[str]],
) -> None:
    services, owners = random_district
    with services.db.session() as s:
        roadmaps = roadmap_figures_on(s, None, DAYS)
        staff = staff_coverage_on(s, None, DAYS)
        for owner in owners:
            for day, figures, coverage in zip(DAYS, roadmaps, staff, strict=True):
                execution, overdue = ref_roadmap(s, owner, day)
                found = figures.get(owner, NO_FIGURES)  # no roadmap: not listed
                assert (found.execution, found.overdue) == (execution, overdue)
                assert execution_ratio(s, owner, day) == execution
                assert len(overdue_items(s, owner, day)) == overdue
                assert staff_coverage(s, owner, day) == ref_staff(s, owner, day)
                if owner in coverage:
                    assert coverage[owner] == ref_staff(s, owner, day)


def test_risk_profiles_of_many_schools_equal_the_audit_screen(
    random_district: tuple[Services, list[str]],
) -> None:
    services, owners = random_district
    with services.db.session() as s:
        for year in (None, 2024, 2025):
            many = risk_profiles(s, None, year, catalogues_dir=CATALOGUES)
            for owner in owners:
                ref = ref_levels(s, owner, year)
                profile = many.get(owner)
                got = None if profile is None else (profile.year, profile.levels)
                assert got == ref
                assert risk_profile(s, owner, year, catalogues_dir=CATALOGUES) == profile
        fallback = risk_profiles(s, owners, YEAR, catalogues_dir=CATALOGUES, latest_otherwise=True)
        for owner in owners:
            ref = ref_levels(s, owner, YEAR) or ref_levels(s, owner, None)
            profile = fallback.get(owner)
            assert (None if profile is None else (profile.year, profile.levels)) == ref


def test_indicators_from_batch_inputs_equal_the_school_alone(
    random_district: tuple[Services, list[str]],
) -> None:
    services, owners = random_district
    with services.db.session() as s:
        for as_of in (DAYS[0], None):
            inputs = load_inputs(s, None, YEAR, catalogues_dir=CATALOGUES, as_of=as_of)
            for owner in owners:
                alone = compute_indicators(
                    s, owner, YEAR, THRESHOLDS, catalogues_dir=CATALOGUES, as_of=as_of
                )
                batch = compute_indicators(
                    s,
                    owner,
                    YEAR,
                    THRESHOLDS,
                    catalogues_dir=CATALOGUES,
                    as_of=as_of,
                    inputs=inputs,
                )
                assert batch == alone
                assert any(v.subject for v in alone) == bool(
                    ref_year_data(s, owner, YEAR).vpr or ref_year_data(s, owner, YEAR - 1).vpr
                )
        with pytest.raises(ValueError):
            compute_indicators(s, owners[0], YEAR - 1, catalogues_dir=CATALOGUES, inputs=inputs)


def _check_summary(s: Session, summary: DistrictSummary, thresholds: list[ThresholdRead]) -> None:
    """Every school line equals the school's own computation and the reference rules."""
    year, as_of = summary.year, summary.as_of
    for school in summary.schools:
        own = compute_indicators(
            s, school.site_id, year, thresholds, catalogues_dir=CATALOGUES, as_of=as_of
        )
        by_code = {v.code: v for v in own if v.subject is None}
        assert school.indicators == tuple(by_code[c] for c in KEY_INDICATORS if c in by_code)
        assert school.flagged == tuple(v.key for v in own if v.flagged)
        execution, overdue = ref_roadmap(s, school.site_id, as_of)
        assert (school.execution, school.overdue) == (execution, overdue)
        assert school.pk_3y == ref_staff(s, school.site_id, as_of).pk_3y
        levels = ref_levels(s, school.site_id, year) or ref_levels(s, school.site_id, None)
        if levels is not None and levels[0] > year:
            levels = None
        expected = (None, None) if levels is None else levels
        assert (school.risk_year, school.risks) == expected


@BOTH_ENGINES
def test_dashboard_equals_each_school_on_random_data(
    random_district: tuple[Services, list[str]],
) -> None:
    services, owners = random_district
    with services.db.session() as s:
        district = services.site.profile().site.id
        for t in THRESHOLDS:
            s.add(Threshold(
                owner=district, year=t.year, indicator_code=t.indicator_code,
                comparison=t.comparison, value=t.value,
            ))  # fmt: skip
    summary = services.dashboard.summary(YEAR, DAYS[0])
    assert {school.site_id for school in summary.schools} == set(owners)
    with services.db.session() as s:
        _check_summary(s, summary, load_thresholds(s, YEAR))
        # a new package of two schools: only they are computed again, with the same result
        for owner in owners[:2]:
            s.add(SyncState(peer_site_id=owner, last_seq=1, last_hash="a" * 64,
                            updated_at=datetime(2025, 12, 1, tzinfo=UTC)))  # fmt: skip
    assert services.dashboard.summary(YEAR, DAYS[0]) == summary
    with services.db.session() as s:
        state = s.get(SyncState, owners[0])
        assert state is not None
        state.last_hash = "b" * 64
    assert services.dashboard.summary(YEAR, DAYS[0]) == summary


def test_dashboard_without_subject_thresholds_equals_each_school(
    random_district: tuple[Services, list[str]],
) -> None:
    """No per-subject threshold: the dashboard reads ВПР per school and year only."""
    services, _owners = random_district
    with services.db.session() as s:
        district = services.site.profile().site.id
        s.add(Threshold(owner=district, year=2024, indicator_code="VPR_FAIL",
                        comparison=Comparison.GT, value=20.0))  # fmt: skip
    summary = services.dashboard.summary(YEAR, DAYS[0])
    with services.db.session() as s:
        _check_summary(s, summary, load_thresholds(s, YEAR))


@pytest.mark.slow
def test_dashboard_equals_each_school_on_the_district_demo(file_services: Services) -> None:
    services = file_services
    services.site.initialize(Role.DISTRICT, "Управление образования Кольского района", "5105000001")
    services.demo.fill()
    year = services.dashboard.years()[0]
    for as_of in (as_of_for(year), date(year, 12, 1)):
        summary = services.dashboard.summary(year, as_of)
        assert len(summary.schools) == 7
        with services.db.session() as s:
            _check_summary(s, summary, load_thresholds(s, year))
