"""`risk_profile` (the interface other areas read) over audit rows written directly."""

from __future__ import annotations

import pytest

from models.audit import AuditAnswer, RiskAssessment, RiskLevel, SelfAudit
from models.base import stable_id
from services.app import Services
from services.audit.levels import risk_profile
from services.site.profile import own_site_id
from tests.conftest import CATALOGUES


def _audit(services: Services, year: int, answers: dict[str, tuple[int | None, float | None]],
           override: tuple[str, RiskLevel] | None = None) -> None:  # fmt: skip
    with services.db.session() as s:
        owner = own_site_id(s)
        audit_id = stable_id("audit", owner, year)
        s.add(SelfAudit(id=audit_id, owner=owner, year=year))
        s.flush()
        for code, (score, value) in answers.items():
            answer_id = stable_id("answer", audit_id, code)
            row = AuditAnswer(id=answer_id, owner=owner, audit_id=audit_id, criterion_code=code)
            row.score, row.value = score, value
            s.add(row)
        if override:
            code, level = override
            assessment_id = stable_id("assessment", audit_id, code)
            a = RiskAssessment(id=assessment_id, owner=owner, audit_id=audit_id, factor_code=code)
            a.override_level, a.override_reason = level, "куратор"
            s.add(a)


def test_no_audit_gives_none(school: Services) -> None:
    with school.db.session() as s:
        assert risk_profile(s, own_site_id(s), catalogues_dir=CATALOGUES) is None


def test_profile_levels_titles_completeness(school: Services) -> None:
    # R01: 1 computer per 25 pupils (2 points) and «нет» on a no-risk question → high
    # R02: no vacancies (0) → none; R03 untouched → absent from levels
    _audit(school, 2024, {"R01.1": (None, 25.0), "R01.2": (0, None), "R02.1": (None, 0.0)})
    _audit(school, 2025, {"R01.2": (2, None)}, override=("R05", RiskLevel.MEDIUM))
    with school.db.session() as s:
        owner = own_site_id(s)
        old = risk_profile(s, owner, 2024, catalogues_dir=CATALOGUES)
        latest = risk_profile(s, owner, catalogues_dir=CATALOGUES)
        assert risk_profile(s, owner, 2023, catalogues_dir=CATALOGUES) is None
    assert old is not None and latest is not None
    assert old.year == 2024 and old.catalogue_version == 1
    assert old.levels == {"R01": RiskLevel.HIGH, "R02": RiskLevel.NONE}
    assert old.titles["R01"] == "Низкий уровень оснащения школы"
    assert "R11" not in old.titles and len(old.titles) == 10
    assert (old.completeness.numerator, old.completeness.denominator) == (3, 62)
    assert latest.year == 2025
    assert latest.levels == {"R01": RiskLevel.NONE, "R05": RiskLevel.MEDIUM}
    assert latest.completeness.value == pytest.approx(100 / 62)
