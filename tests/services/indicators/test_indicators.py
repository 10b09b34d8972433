"""Indicators on hand-computed data, thresholds, targets and the «нет данных» rule."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.base import stable_id
from models.catalogue import CatalogueKind, CatalogueVersion, Comparison, Threshold
from models.results import ExamKind, GiaResult, IndicatorTarget, Progression, VprResult
from services.app import Services
from services.core.db import Database
from services.indicators.catalogue import SHIPPED_FILE, catalogue
from services.indicators.compute import (
    KEY_INDICATORS,
    IndicatorValue,
    as_of_for,
    compute_indicators,
)
from services.indicators.thresholds import ThresholdRead, applicable_threshold, load_thresholds
from services.site.profile import own_site_id
from tests.conftest import BOTH_ENGINES

pytestmark = BOTH_ENGINES

ON = date(2025, 9, 1)


def _owner(db: Database) -> str:
    with db.session() as s:
        return own_site_id(s)


def _vpr(
    owner: str,
    year: int,
    grade: int,
    subject: str,
    marks: tuple[int, int, int, int],
    cls: str = "",
    objectivity: tuple[int, int, int] | None = None,
) -> VprResult:
    n2, n3, n4, n5 = marks
    low, conf, rai = objectivity or (None, None, None)
    return VprResult(
        id=stable_id("vpr", owner, year, grade, cls, subject),
        owner=owner,
        year=year,
        grade=grade,
        class_label=cls,
        subject=subject,
        participants=sum(marks),
        n2=n2,
        n3=n3,
        n4=n4,
        n5=n5,
        lowered=low,
        confirmed=conf,
        raised=rai,
    )


def _values(
    services: Services, year: int, thresholds: tuple[ThresholdRead, ...] = ()
) -> dict[str, IndicatorValue]:
    with services.db.session() as s:
        owner = own_site_id(s)
        shipped = services.paths.catalogues_dir
        values = compute_indicators(s, owner, year, thresholds, catalogues_dir=shipped, as_of=ON)
    return {v.key: v for v in values}


@pytest.fixture
def filled(school: Services) -> Services:
    owner = _owner(school.db)
    with school.db.session() as s:
        # 2025: grade 5 maths 3/10/8/4 (25), grade 6 maths by class 2/5/2/1 + 4/3/2/1 (10 + 10)
        s.add(_vpr(owner, 2025, 5, "Математика", (3, 10, 8, 4), objectivity=(5, 18, 2)))
        s.add(_vpr(owner, 2025, 6, "Математика", (2, 5, 2, 1), cls="6А"))
        s.add(_vpr(owner, 2025, 6, "Математика", (4, 3, 2, 1), cls="6Б"))
        s.add(_vpr(owner, 2025, 5, "Русский язык", (5, 10, 5, 0), objectivity=(2, 15, 3)))
        # a whole-grade row and a class row of the same grade: the class row is not added again
        s.add(_vpr(owner, 2025, 7, "Русский язык", (2, 6, 2, 0)))
        s.add(_vpr(owner, 2025, 7, "Русский язык", (1, 3, 1, 0), cls="7А"))
        # 2024: maths only
        s.add(_vpr(owner, 2024, 5, "Математика", (10, 20, 8, 2)))
        s.add(
            GiaResult(
                id="g1",
                owner=owner,
                year=2025,
                exam=ExamKind.OGE,
                subject="Математика",
                participants=20,
                below_min=3,
            )
        )
        s.add(
            GiaResult(
                id="g2",
                owner=owner,
                year=2025,
                exam=ExamKind.EGE,
                subject="Русский язык",
                participants=10,
                below_min=1,
                high_scorers=2,
                mean_score=61.5,
            )
        )
        s.add(
            Progression(
                id="p1",
                owner=owner,
                year=2025,
                level="all",
                pupils=400,
                repeaters=6,
                conditionally_promoted=10,
                graduates_9=30,
                certificates_9=27,
                graduates_11=12,
                certificates_11=11,
                medals=2,
            )
        )
        # a per-level row next to an "all" row is not added again
        s.add(Progression(id="p2", owner=owner, year=2025, level="5-9", pupils=200, repeaters=5))
        s.add(Progression(id="p3", owner=owner, year=2024, level="1-4", pupils=150, repeaters=1))
        s.add(Progression(id="p4", owner=owner, year=2024, level="5-9", pupils=250, repeaters=4))
        s.add(
            IndicatorTarget(
                id="t1",
                owner=owner,
                year=2025,
                indicator_code="VPR_FAIL",
                baseline=20.0,
                target=10.0,
            )
        )
        s.add(
            IndicatorTarget(
                id="t2",
                owner=owner,
                year=2025,
                indicator_code="VPR_QUALITY|Математика",
                target=50.0,
            )
        )
    return school


def test_vpr_shares_hand_computed(filled: Services) -> None:
    v = _values(filled, 2025)
    # maths: 25 + 20 participants; «2» = 3 + 2 + 4 = 9; «4»+«5» = 12 + 3 + 3 = 18
    maths_fail = v["VPR_FAIL|Математика"]
    assert (maths_fail.ratio.numerator, maths_fail.ratio.denominator) == (9, 45)
    assert maths_fail.ratio.value == pytest.approx(20.0)
    assert maths_fail.previous is not None and maths_fail.previous.value == pytest.approx(25.0)
    assert maths_fail.change == pytest.approx(-5.0)
    assert maths_fail.improved is True
    assert v["VPR_QUALITY|Математика"].ratio.value == pytest.approx(40.0)
    assert v["VPR_PASS|Математика"].ratio.value == pytest.approx(80.0)
    # Russian: 20 (grade 5) + 10 (grade 7 whole, class 7А ignored); «2» = 5 + 2
    rus = v["VPR_FAIL|Русский язык"]
    assert (rus.ratio.numerator, rus.ratio.denominator) == (7, 30)
    assert rus.previous is not None and rus.previous.value is None
    assert rus.change is None
    # whole school: (9 + 7) of 75
    total = v["VPR_FAIL"]
    assert (total.ratio.numerator, total.ratio.denominator) == (16, 75)


def test_objectivity_counts_only_rows_with_journal_comparison(filled: Services) -> None:
    v = _values(filled, 2025)["VPR_OBJECTIVITY"]
    assert (v.ratio.numerator, v.ratio.denominator) == (18 + 15, 25 + 20)


def test_progression_and_gia(filled: Services) -> None:
    v = _values(filled, 2025)
    assert (v["CERT_9_11"].ratio.numerator, v["CERT_9_11"].ratio.denominator) == (38, 42)
    assert v["CERT_9"].ratio.value == pytest.approx(90.0)
    assert (v["NO_CERT_11"].ratio.numerator, v["NO_CERT_11"].ratio.denominator) == (1, 12)
    assert v["MEDALS_11"].ratio.detail() == "2 из 12"
    assert v["REPEATERS"].ratio.value == pytest.approx(1.5)
    assert v["REPEATERS"].previous is not None
    assert v["REPEATERS"].previous.value == pytest.approx(100 * 5 / 400)
    assert v["CONDITIONAL"].ratio.value == pytest.approx(2.5)
    assert (v["GIA_BELOW_MIN"].ratio.numerator, v["GIA_BELOW_MIN"].ratio.denominator) == (4, 30)
    assert v["OGE_FAIL"].ratio.value == pytest.approx(15.0)
    assert v["EGE_BELOW_MIN"].ratio.value == pytest.approx(10.0)
    assert v["EGE_HIGH"].ratio.value == pytest.approx(20.0)


def test_targets_by_code_and_by_subject(filled: Services) -> None:
    v = _values(filled, 2025)
    fail = v["VPR_FAIL"]
    assert (fail.baseline, fail.target) == (20.0, 10.0)
    assert fail.off_target  # 21.3 % of «2» against a target of 10 (lower is better)
    quality = v["VPR_QUALITY|Математика"]
    assert quality.target == 50.0 and quality.off_target  # 40 % < 50 %
    assert not v["CERT_9"].off_target  # no target


def test_empty_school_gives_no_data_not_zero(school: Services) -> None:
    values = list(_values(school, 2025).values())
    assert values
    for v in values:
        assert v.ratio.value is None
        assert v.ratio.text() == "нет данных"
        assert not v.flagged and not v.off_target


def test_thresholds_flag_and_pick_year(filled: Services) -> None:
    old = ThresholdRead(2023, "REPEATERS", Comparison.GT, 1.0)
    current = ThresholdRead(2025, "REPEATERS", Comparison.GT, 2.0)
    future = ThresholdRead(2026, "REPEATERS", Comparison.GT, 0.1)
    fail = ThresholdRead(2025, "VPR_FAIL", Comparison.GE, 20.0)
    v = _values(filled, 2025, (old, current, future, fail))
    assert v["REPEATERS"].threshold == current and not v["REPEATERS"].flagged  # 1.5 ≤ 2
    assert v["VPR_FAIL"].flagged  # 21.3 ≥ 20
    assert v["VPR_FAIL|Математика"].threshold is None  # code thresholds apply school-wide
    assert applicable_threshold([old, future], "REPEATERS", 2025) == old
    assert ThresholdRead(2025, "X", Comparison.LT, 5).holds(4.9)
    assert not ThresholdRead(2025, "X", Comparison.LE, 5).holds(None)
    assert ThresholdRead(2025, "X", Comparison.LE, 5.5).text() == "<= 5,5"


def test_load_thresholds_from_rows(filled: Services) -> None:
    with filled.db.session() as s:
        s.add(
            Threshold(
                id="th",
                owner="district",
                year=2025,
                indicator_code="VPR_FAIL",
                comparison=Comparison.GT,
                value=15.0,
            )
        )
        s.add(
            Threshold(
                id="gone",
                owner="district",
                year=2025,
                indicator_code="REPEATERS",
                comparison=Comparison.GT,
                value=1.0,
                deleted=True,
            )
        )
    with filled.db.session() as s:
        loaded = load_thresholds(s, 2025)
        assert [t.indicator_code for t in loaded] == ["VPR_FAIL"]
        shipped = filled.paths.catalogues_dir
        found = compute_indicators(s, own_site_id(s), 2025, loaded, catalogues_dir=shipped)
    values = {v.key: v for v in found}
    assert values["VPR_FAIL"].flagged


def test_catalogue_order_and_key_indicators(filled: Services, catalogues_dir: Path) -> None:
    defs = catalogue(None, catalogues_dir)
    codes = [d.code for d in defs]
    assert set(KEY_INDICATORS) <= set(codes)
    values = list(_values(filled, 2025).values())
    assert [v.code for v in values if v.subject is None] == codes
    # every value comes with the catalogue's name, unit and direction
    assert all(v.unit == "%" and v.better in {"higher", "lower"} for v in values)


def test_newer_published_catalogue_renames(filled: Services, catalogues_dir: Path) -> None:
    doc = json.loads((catalogues_dir / SHIPPED_FILE).read_text(encoding="utf-8"))
    doc["version"] = 2
    doc["indicators"] = [
        dict(doc["indicators"][5], name="Второгодники"),
        {"code": "UNKNOWN", "name": "?", "unit": "%", "better": "higher"},
    ]
    with filled.db.session() as s:
        s.add(
            CatalogueVersion(
                id="c2",
                owner="district",
                kind=CatalogueKind.INDICATORS,
                version=2,
                content=json.dumps(doc, ensure_ascii=False),
            )
        )
        s.add(
            CatalogueVersion(
                id="c3",
                owner="district",
                kind=CatalogueKind.INDICATORS,
                version=1,
                content="{broken",
            )
        )
    with filled.db.session() as s:
        values = compute_indicators(
            s, own_site_id(s), 2025, catalogues_dir=catalogues_dir, as_of=ON
        )
    assert [(v.code, v.name) for v in values] == [("REPEATERS", "Второгодники")]


def test_as_of_for_years() -> None:
    today = date(2026, 11, 23)
    assert as_of_for(2026, today) == today
    assert as_of_for(2027, today) == today
    assert as_of_for(2025, today) == date(2025, 8, 31)


counts = st.integers(min_value=0, max_value=60)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    marks=st.lists(st.tuples(counts, counts, counts, counts, counts), max_size=4),
    prog=st.tuples(counts, counts, counts, counts, counts, counts, counts, counts),
    gia=st.tuples(counts, counts, counts),
)
def test_every_share_is_a_percentage_or_no_data(
    school: Services,
    marks: list[tuple[int, ...]],
    prog: tuple[int, ...],
    gia: tuple[int, ...],
) -> None:
    """Any rows, even inconsistent ones arriving by sync, give 0–100 % or «нет данных»."""
    owner = _owner(school.db)
    with school.db.session() as s:
        s.exec(VprResult.__table__.delete())  # type: ignore[attr-defined]
        s.exec(GiaResult.__table__.delete())  # type: ignore[attr-defined]
        s.exec(Progression.__table__.delete())  # type: ignore[attr-defined]
        for i, (part, n2, n3, n4, n5) in enumerate(marks):
            s.add(
                VprResult(
                    id=f"v{i}",
                    owner=owner,
                    year=2025,
                    grade=4 + i,
                    subject="Физика",
                    participants=part,
                    n2=n2,
                    n3=n3,
                    n4=n4,
                    n5=n5,
                    lowered=n2,
                    confirmed=n3,
                    raised=n4,
                )
            )
        s.add(
            Progression(
                id="p",
                owner=owner,
                year=2025,
                level="all",
                pupils=prog[0],
                repeaters=prog[1],
                conditionally_promoted=prog[2],
                graduates_9=prog[3],
                certificates_9=prog[4],
                graduates_11=prog[5],
                certificates_11=prog[6],
                medals=prog[7],
            )
        )
        s.add(
            GiaResult(
                id="g",
                owner=owner,
                year=2025,
                exam=ExamKind.EGE,
                subject="Химия",
                participants=gia[0],
                below_min=gia[1],
                high_scorers=gia[2],
            )
        )
    for v in _values(school, 2025).values():
        for ratio in (v.ratio, v.previous):
            assert ratio is not None
            value = ratio.value
            assert value is None or 0.0 <= value <= 100.0
            assert ratio.text()
