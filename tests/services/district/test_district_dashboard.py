"""The district dashboard on crafted multi-school data."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from models import SyncState
from models.audit import RiskLevel
from services.app import Services
from services.core.ratio import Ratio
from services.indicators.compute import KEY_INDICATORS
from tests.conftest import BOTH_ENGINES
from tests.services.district_support import AS_OF, YEAR, craft

pytestmark = BOTH_ENGINES

NOW = datetime(2025, 12, 1, tzinfo=UTC)


def test_one_line_per_school_sorted_by_name(district: Services) -> None:
    c = craft(district)
    summary = district.dashboard.summary(YEAR, AS_OF)
    assert [s.site_id for s in summary.schools] == [c.empty, c.revoked, c.low, c.good]
    assert summary.year == YEAR and summary.as_of == AS_OF


def test_persistently_low_needs_two_flagged_years(district: Services) -> None:
    c = craft(district)
    by_id = {s.site_id: s for s in district.dashboard.summary(YEAR, AS_OF).schools}
    low, revoked, good = by_id[c.low], by_id[c.revoked], by_id[c.good]
    assert "VPR_FAIL" in low.flagged and low.persistently_low  # 25 % then 30 %
    assert "VPR_FAIL" in revoked.flagged and not revoked.persistently_low  # 10 % then 30 %
    assert not good.flagged and not good.persistently_low
    fail = low.indicator("VPR_FAIL")
    assert fail is not None and fail.ratio == Ratio(12, 40) and fail.previous == Ratio(10, 40)
    assert [s.site_id for s in district.dashboard.summary(YEAR, AS_OF).persistently_low] == [c.low]


def test_school_without_anything_gives_no_data(district: Services) -> None:
    c = craft(district)
    empty = next(s for s in district.dashboard.summary(YEAR, AS_OF).schools if s.site_id == c.empty)
    assert empty.execution.value is None and empty.overdue == 0
    assert empty.risks is None and empty.risk_year is None
    assert empty.pk_3y.value is None
    assert empty.flagged == () and not empty.persistently_low
    assert [v.code for v in empty.indicators] == [
        code for code in KEY_INDICATORS if empty.indicator(code) is not None
    ]
    assert all(v.ratio.value is None for v in empty.indicators)


def test_roadmap_staff_status_and_revocation(district: Services) -> None:
    c = craft(district)
    by_id = {s.site_id: s for s in district.dashboard.summary(YEAR, AS_OF).schools}
    low = by_id[c.low]
    # occurrences due by 1 December: four one-off, September and October of the monthly item,
    # October's done event (the cancelled one is left out), and the done ones count
    assert low.execution == Ratio(4, 7)
    assert low.overdue == 3  # two one-off items and the monthly item's October
    assert low.pk_3y == Ratio(3, 4)
    assert low.flags.low_results and low.flags.curator == "Гайдай Е. В."
    assert low.flags.labels() == ["ШНОР"]
    assert not by_id[c.good].flags.labels()
    assert by_id[c.revoked].revoked and not low.revoked


def test_same_numbers_as_the_school_sees(district: Services) -> None:
    c = craft(district)
    summary = district.dashboard.summary(YEAR, AS_OF)
    for school in summary.schools:
        own = district.results.indicators(YEAR, owner=school.site_id, as_of=AS_OF)
        own_key = {v.code: v for v in own if v.subject is None}
        for v in school.indicators:
            assert v == own_key[v.code]
        assert school.flagged == tuple(v.key for v in own if v.flagged)
        # the roadmap's figures over occurrences: the school's screen, the district's view of
        # the school, «Обзор» and the ROADMAP_EXEC indicator all give the dashboard's numbers
        _same_roadmap_numbers(district, school, own_key)
    assert summary.district_value("VPR_FAIL") == Ratio(12 + 3 + 9, 40 + 50 + 30)
    assert summary.district_value("VPR_FAIL", previous=True) == Ratio(10 + 2 + 3, 40 + 50 + 30)
    threshold = summary.threshold_of("VPR_FAIL")
    assert threshold is not None and threshold.value == 20.0
    assert c.low in {s.site_id for s in summary.schools}


def test_risk_levels_from_the_audit(district: Services) -> None:
    pytest.importorskip("services.audit.levels")
    c = craft(district)
    summary = district.dashboard.summary(YEAR, AS_OF)
    by_id = {s.site_id: s for s in summary.schools}
    low = by_id[c.low]
    assert low.risk_year == YEAR and low.risks is not None
    assert low.risk("R01") is RiskLevel.HIGH
    assert low.risk("R03") is RiskLevel.MEDIUM
    assert by_id[c.good].risks is None
    assert summary.risk_counts("R01")[RiskLevel.HIGH] == 1
    assert "R01" in dict(summary.factors)


def test_no_schools_gives_an_empty_summary(district: Services) -> None:
    summary = district.dashboard.summary(YEAR, AS_OF)
    assert summary.schools == () and summary.district_value("VPR_FAIL").value is None


def test_figures_are_reused_until_a_new_package_of_the_school(
    district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    import services.district.summary as dashboard_module

    c = craft(district)
    with district.db.session(stamp=False) as s:
        s.add(SyncState(peer_site_id=c.low, last_seq=1, last_hash="a" * 64, updated_at=NOW))
    calls: list[str] = []
    real = dashboard_module.compute_indicators  # type: ignore[attr-defined]

    def counting(session: Any, owner: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(owner)
        return real(session, owner, *args, **kwargs)

    monkeypatch.setattr(dashboard_module, "compute_indicators", counting)
    first = district.dashboard.summary(YEAR, AS_OF)
    assert sorted(calls) == sorted(s.site_id for s in first.schools)
    calls.clear()
    again = district.dashboard.summary(YEAR, AS_OF)
    assert c.low not in calls and len(calls) == 3  # schools without packages: always computed
    assert again == first
    with district.db.session(stamp=False) as s:
        state = s.get(SyncState, c.low)
        assert state is not None
        state.last_hash = "b" * 64
    calls.clear()
    district.dashboard.summary(YEAR, AS_OF)
    assert c.low in calls


def _same_roadmap_numbers(district: Services, school: Any, own_key: dict[str, Any]) -> None:
    from services.district.school_view import SchoolViewService
    from services.roadmap.execution import execution_figures
    from services.roadmap.queries import current_roadmap, item_reads, live_items, overdue_items
    from services.roadmap.tree import section_tree

    entry = next(e for e in district.registry.schools() if e.site_id == school.site_id)
    view = SchoolViewService(district.db, district.paths.catalogues_dir).view(entry, YEAR, AS_OF)
    with district.db.session(stamp=False) as s:
        roadmap = current_roadmap(s, school.site_id, AS_OF)
        late = overdue_items(s, school.site_id, AS_OF)
        screen = None
        if roadmap is not None:
            items = item_reads(s, live_items(s, roadmap.id))
            screen = execution_figures(section_tree([]), items, AS_OF, roadmap.period_end)
    assert view.execution == school.execution
    assert sum(1 for i in view.items if i.overdue) <= school.overdue == len(late)
    if screen is not None:
        assert (screen.overall, screen.overdue) == (school.execution, school.overdue)
    else:
        assert (school.execution.denominator, school.overdue) == (0, 0)
    assert own_key["ROADMAP_EXEC"].ratio == school.execution
