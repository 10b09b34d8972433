"""The demo part of the self-audit: two years with the intended, plausible profile."""

from __future__ import annotations

from datetime import date

from models import Role
from models.audit import RiskLevel
from services.app import Services
from services.audit.demo import AuditDemo, answer_for
from services.audit.levels import risk_profile
from services.site.profile import own_site_id

TODAY = date(2026, 11, 20)


def test_demo_profile_of_two_years(school: Services) -> None:
    line = AuditDemo(school.audit).fill_demo(Role.SCHOOL, TODAY)
    assert line == "Самоаудит по факторам риска за 2025 и 2026 годы, 6 антирисковых мер"
    assert school.audit.years() == [2026, 2025]
    with school.db.session() as s:
        shipped = school.paths.catalogues_dir
        last = risk_profile(s, own_site_id(s), 2025, catalogues_dir=shipped)
        this = risk_profile(s, own_site_id(s), 2026, catalogues_dir=shipped)
    assert last is not None and this is not None
    assert last.completeness.detail() == "62 из 62"
    assert this.completeness.detail() == "60 из 62"
    assert last.levels["R07"] is RiskLevel.HIGH and this.levels["R07"] is RiskLevel.MEDIUM
    assert this.levels["R02"] is RiskLevel.HIGH  # set by hand with a reason
    assert this.levels["R08"] is RiskLevel.NONE and this.levels["R05"] is RiskLevel.NONE
    assert sum(1 for lv in last.levels.values() if lv is RiskLevel.HIGH) >= 2
    assert len(school.audit.linked_items("R07")) == 3
    view = school.audit.view(2026)
    assert view is not None and "Белова" in view.working_group


def test_generated_answers_give_the_intended_points(school: Services) -> None:
    catalogue = school.audit.catalogue()
    for factor in catalogue.factors:
        for c in factor.criteria:
            for points in (0, 1, 2):
                a = answer_for(c, points)
                assert c.risk_points(a.score, a.value) == points, (c.code, points, a)
                if a.value is not None:
                    assert c.minimum <= a.value <= c.maximum


def test_district_gets_no_audit(school: Services) -> None:
    assert "не заполняется" in AuditDemo(school.audit).fill_demo(Role.DISTRICT, TODAY)
    assert school.audit.years() == []
