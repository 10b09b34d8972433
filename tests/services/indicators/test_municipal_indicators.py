"""Seed 001's municipal indicators, entered as formulas by the district and computed everywhere.

The expected values are worked out by hand from the rows in `seed001.py`:

MUN_VPR_CONFIRMED (grade 4 Russian/mathematics/world, grade 5 Russian/mathematics/history/
biology, grade 6 Russian; confirmed ÷ participants):
  A: confirmed 20 + 18 + 21 + 22 + 25 + 19 = 125; participants 25 + 25 + 24 + 30 + 28 + 27 = 159
     (grade 6 mathematics and grade 7 are outside the scope) → 125 / 159 = 78.62 %
  B: 4А 9 + 4Б 8 + 5 maths 12 + 5 biology 15 + 6 Russian (whole grade; the 6А row is not added
     again) 14 = 58; participants 12 + 13 + 20 + 18 + 22 = 85 → 58 / 85 = 68.24 %
  district (pooled): 183 / 244 = 75.0 %
MUN_GIA9_NO_FAIL: A 34 / 39 = 87.18 %; B (levels summed) (15 + 0) / (20 + 0) = 75 %
MUN_NO_CERT_11: A (18 − 17) / 18 = 5.56 %; B (10 − 10) / 10 = 0 %
MUN_BADGE: A 4 / 5 = 80 %; B 1 / 2 = 50 %
MUN_MEDAL: A 3 / 4 = 75 %; B 0 / 0 → «нет данных: деление на ноль»
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models import Progression
from services.app import Services
from services.core.errors import Conflict, Invalid
from services.district.definitions import DefinitionDraft
from services.district.thresholds import ThresholdDraft
from services.indicators.compute import IndicatorValue
from services.results.rules import ProgressionEntry, TargetEntry, VprEntry
from services.sync.merge import package_schema
from tests.conftest import BOTH_ENGINES
from tests.services.indicators.seed001 import SCHOOL_A, SCHOOL_B, SEED_001, YEAR, add_two_schools
from tests.services.pair_support import make_pair

pytestmark = BOTH_ENGINES

AS_OF = date(2024, 12, 1)
CODES = [d.code for d in SEED_001]


def _values(services: Services, owner: str) -> dict[str, IndicatorValue]:
    found = services.results.indicators(YEAR, owner=owner, as_of=AS_OF)
    return {v.code: v for v in found if v.code in CODES}


def _define(services: Services) -> None:
    for draft in SEED_001:
        services.thresholds.save_definition(draft)


def test_seed_001_indicators_computed_for_two_schools(district: Services) -> None:
    _define(district)
    with district.db.session() as s:
        add_two_schools(s)
    a, b = _values(district, SCHOOL_A), _values(district, SCHOOL_B)
    expected_a: dict[str, Any] = {
        "MUN_VPR_CONFIRMED": (125, 159),
        "MUN_GIA9_NO_FAIL": (34, 39),
        "MUN_NO_CERT_11": (1, 18),
        "MUN_BADGE": (4, 5),
        "MUN_MEDAL": (3, 4),
    }
    for code, (num, den) in expected_a.items():
        assert (a[code].ratio.numerator, a[code].ratio.denominator) == (num, den), code
    assert a["MUN_VPR_CONFIRMED"].ratio.value == pytest.approx(78.616, abs=1e-3)
    assert a["MUN_GIA9_NO_FAIL"].ratio.value == pytest.approx(87.179, abs=1e-3)
    assert b["MUN_VPR_CONFIRMED"].ratio.value == pytest.approx(68.235, abs=1e-3)
    assert b["MUN_GIA9_NO_FAIL"].ratio.value == pytest.approx(75.0)
    assert b["MUN_NO_CERT_11"].ratio.value == pytest.approx(0.0)
    assert b["MUN_BADGE"].ratio.value == pytest.approx(50.0)
    assert b["MUN_MEDAL"].ratio.value is None
    assert "деление на ноль" in b["MUN_MEDAL"].note
    assert a["MUN_NO_CERT_11"].better == "lower"


def test_thresholds_flag_district_indicators_and_the_summary_shows_them(district: Services) -> None:
    _define(district)
    with district.db.session() as s:
        add_two_schools(s)
    district.thresholds.save(ThresholdDraft(YEAR, "MUN_GIA9_NO_FAIL", "<", 80.0))
    assert not _values(district, SCHOOL_A)["MUN_GIA9_NO_FAIL"].flagged  # 87.18 %
    assert _values(district, SCHOOL_B)["MUN_GIA9_NO_FAIL"].flagged  # 75 %
    summary = district.dashboard.summary(YEAR, AS_OF)
    names = [code for code, _name, _better in summary.indicator_names]
    assert names[-5:] == sorted(CODES)
    pooled = summary.district_value("MUN_VPR_CONFIRMED")
    assert (pooled.numerator, pooled.denominator) == (183, 244)
    by_id = {s.site_id: s for s in summary.schools}
    assert "MUN_GIA9_NO_FAIL" in by_id[SCHOOL_B].flagged
    assert "MUN_GIA9_NO_FAIL" not in by_id[SCHOOL_A].flagged


def test_editing_and_deleting_a_district_indicator(district: Services) -> None:
    _define(district)
    with pytest.raises(Conflict):
        district.thresholds.save_definition(SEED_001[0])  # the code is taken
    with pytest.raises(Invalid, match="занят"):
        district.thresholds.save_definition(DefinitionDraft("VPR_FAIL", "x", "1"))
    with pytest.raises(Invalid, match="неизвестное имя «gia9_nofail»"):
        district.thresholds.save_definition(
            DefinitionDraft("MUN_X", "Проба", "percent(gia9_nofail, gia9_admitted)")
        )
    with pytest.raises(Invalid, match="текст"):
        district.thresholds.save_definition(
            DefinitionDraft("MUN_X", "Проба", 'sum(vpr.n2 where subject > "А")')
        )
    district.thresholds.save(ThresholdDraft(YEAR, "MUN_BADGE", "<", 60.0))
    renamed = DefinitionDraft("MUN_SIGN", SEED_001[3].name, SEED_001[3].formula)
    district.thresholds.save_definition(renamed, old_code="MUN_BADGE")
    codes = [d.code for d in district.thresholds.definitions()]
    assert "MUN_SIGN" in codes and "MUN_BADGE" not in codes
    assert [t.indicator_code for t in district.thresholds.for_year(YEAR)] == ["MUN_SIGN"]
    district.thresholds.delete_definition("MUN_SIGN")
    assert "MUN_SIGN" not in {d.code for d in district.thresholds.indicators()}


def test_the_bulletin_carries_them_and_the_school_computes_the_same_value(
    template_db: Path, tmp_path: Path
) -> None:
    pair = make_pair(template_db, tmp_path)
    try:
        _define(pair.district)
        [bulletin] = pair.send_bulletins()
        [got] = pair.school.sync.import_files([bulletin], dry_run=False)
        assert got.verdict == "applied", got.reason
        school = pair.school.results
        year = 2019  # a year the demo left empty
        school.save_progression(
            ProgressionEntry(
                year,
                "all",
                pupils=300,
                graduates_9=30,
                certificates_9=29,
                graduates_11=12,
                certificates_11=12,
                medals=2,
                gia9_admitted=29,
                gia9_no_fail=26,
                gia11_admitted=12,
                medal_claimants=3,
            )
        )
        school.save_vpr(VprEntry(year, 4, "Русский язык", 20, 2, 6, 8, 4, "", 3, 15, 2))
        school.save_target(TargetEntry(year, "MUN_GIA9_NO_FAIL", 80.0, 92.0))
        here = {v.code: v for v in school.indicators(year) if v.code in CODES}
        # 26 / 29 = 89.66 %; 15 / 20 = 75 %; 2 / 3 = 66.67 %; badges not entered
        assert here["MUN_GIA9_NO_FAIL"].ratio.value == pytest.approx(89.655, abs=1e-3)
        assert here["MUN_GIA9_NO_FAIL"].target == 92.0 and here["MUN_GIA9_NO_FAIL"].off_target
        assert here["MUN_VPR_CONFIRMED"].ratio.value == pytest.approx(75.0)
        assert here["MUN_MEDAL"].ratio.value == pytest.approx(66.667, abs=1e-3)
        assert here["MUN_BADGE"].ratio.value is None
        assert (
            "не введено" in here["MUN_BADGE"].note and "badge_claimants" in here["MUN_BADGE"].note
        )

        [rep] = pair.district.sync.import_files([pair.school_package()], dry_run=False)
        assert rep.verdict == "applied", rep.reason
        school_id = pair.school.site.profile().site.id
        there = {
            v.code: v
            for v in pair.district.results.indicators(year, owner=school_id)
            if v.code in CODES
        }
        for code in CODES:
            assert there[code].ratio == here[code].ratio, code
            assert there[code].note == here[code].note, code
        with pair.district.db.session() as s:
            row = s.exec(select(Progression).where(Progression.year == year)).one()
            assert row.gia9_no_fail == 26 and row.badge_claimants is None
    finally:
        pair.close()


def test_a_school_still_on_the_old_schema_refuses_the_bulletin_and_changes_nothing(
    template_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a program that knows revisions up to 0004 only (today's release) reads a 0008 bulletin."""
    from services.sync import engine, read
    from tests.services.sync_support import dump

    pair = make_pair(template_db, tmp_path)
    try:
        _define(pair.district)
        [bulletin] = pair.send_bulletins()
        old = ["0001", "0002", "0003", "0004"]
        monkeypatch.setattr(engine, "known_revisions", lambda: old)
        monkeypatch.setattr(read, "known_revisions", lambda: old)
        before = dump(pair.school.db)
        [got] = pair.school.sync.import_files([bulletin], dry_run=False)
        assert got.verdict == "refused" and "Обновите Опору" in got.reason
        assert f"«{package_schema()}»" in got.reason  # the sender's schema, 0008 or newer
        assert dump(pair.school.db) == before
    finally:
        pair.close()
