"""AuditService: answers, levels, overrides, comparison, anti-risk measures, catalogue versions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from models.audit import AuditAnswer, RiskAssessment, RiskLevel
from models.base import stable_id
from models.catalogue import CatalogueKind, CatalogueVersion
from models.roadmap import RoadmapItem
from services.app import Services, build_services
from services.audit.catalogue import CatalogueError
from services.audit.levels import risk_profile
from services.core.errors import Invalid, NotFound
from services.site.profile import own_site_id
from tests.conftest import CATALOGUES, FIXTURES

ON = date(2025, 10, 15)


def fill_factor(services: Services, year: int, code: str, score: int) -> None:
    view = services.audit.view(year)
    assert view is not None
    factor = view.catalogue.factor(code)
    assert factor is not None
    for c in factor.criteria:
        if c.is_scale:
            answer = score if c.risk_when == "no" else 2 - score
            services.audit.save_answer(year, c.code, score=answer)
        else:
            bad = c.point2 if score == 0 else (c.minimum if c.risk_when == "higher" else c.maximum)
            services.audit.save_answer(year, c.code, value=bad)


def test_one_audit_per_year_remembers_catalogue(school: Services) -> None:
    first = school.audit.ensure(2025, ON)
    again = school.audit.ensure(2025)
    assert first.year == again.year == 2025 and first.catalogue_version == 1
    assert again.started_on == ON
    assert school.audit.years() == [2025]
    assert len(first.factors) == 10 and first.completeness.detail() == "0 из 62"
    with pytest.raises(Invalid):
        school.audit.ensure(1900)


def test_save_answer_with_comment_and_level(school: Services) -> None:
    school.audit.ensure(2025, ON)
    result = school.audit.save_answer(
        2025, "R01.2", score=0, comment="  проекторы в 3 из 12 кабинетов ", evidence="акт"
    )
    assert result.computed is RiskLevel.HIGH and (result.answered, result.total) == (1, 6)
    result = school.audit.save_answer(2025, "R01.1", value=4)  # 4 pupils per computer: 0 points
    assert result.share == pytest.approx(50.0) and result.computed is RiskLevel.MEDIUM
    view = school.audit.view(2025)
    assert view is not None
    assert view.answer("R01.2").comment == "проекторы в 3 из 12 кабинетов"
    assert view.answer("R01.2").evidence == "акт"
    assert view.answer("R01.1").value == 4 and not view.answer("R01.3").is_answered
    assert view.completeness.detail() == "2 из 62"
    with school.db.session() as s:
        stored = s.get(RiskAssessment, stable_id("assessment", _audit_id(s, 2025), "R01"))
        assert stored is not None and stored.computed_level is RiskLevel.MEDIUM
        assert stored.score == pytest.approx(50.0)
    # clearing an answer makes it unanswered again
    result = school.audit.save_answer(2025, "R01.2")
    assert result.answered == 1 and result.computed is RiskLevel.NONE


def _audit_id(s: Session, year: int) -> str:
    return stable_id("audit", own_site_id(s), year)


@pytest.mark.parametrize(
    ("code", "kwargs", "message"),
    [
        ("R02.2", {"value": 101.0}, "вне допустимого диапазона от 0 до 100 %"),
        ("R02.2", {"value": -1.0}, "вне допустимого диапазона"),
        ("R01.2", {"score": 3}, "вне шкалы"),
        ("R01.2", {"value": 1.0}, "по шкале"),
        ("R02.2", {"score": 1}, "требует числа"),
    ],
)
def test_bad_answers_change_nothing(
    school: Services, code: str, kwargs: dict[str, float], message: str
) -> None:
    school.audit.ensure(2025, ON)
    school.audit.save_answer(2025, code, **({"value": 30.0} if code == "R02.2" else {"score": 1}))
    before = school.db.change_count
    with pytest.raises(Invalid, match=message):
        school.audit.save_answer(2025, code, **kwargs)  # type: ignore[arg-type]
    assert school.db.change_count == before
    view = school.audit.view(2025)
    assert view is not None and view.answer(code).is_answered


def test_unknown_criterion_and_missing_audit(school: Services) -> None:
    with pytest.raises(NotFound, match="Самоаудита за 2024 год ещё нет"):
        school.audit.save_answer(2024, "R01.1", value=1)
    school.audit.ensure(2024, ON)
    with pytest.raises(NotFound):
        school.audit.save_answer(2024, "R01.99", score=1)
    with pytest.raises(NotFound):  # R11 is off by default
        school.audit.save_answer(2024, "R11.2", score=1)


def test_optional_factor_can_be_switched_on(school: Services) -> None:
    school.audit.ensure(2025, ON)
    school.audit.enable_factor(2025, "R11", True)
    school.audit.save_answer(2025, "R11.1", value=12)
    view = school.audit.view(2025)
    assert view is not None and view.completeness.detail() == "1 из 66"
    assert view.results["R11"].computed is RiskLevel.HIGH
    school.audit.enable_factor(2025, "R11", False)
    view = school.audit.view(2025)
    assert view is not None and "R11" not in view.results
    with pytest.raises(Invalid):
        school.audit.enable_factor(2025, "R01", False)


def test_override_requires_reason_and_applies_to_profile(school: Services) -> None:
    school.audit.ensure(2025, ON)
    fill_factor(school, 2025, "R06", 0)  # every criterion at full risk → high
    before = school.db.change_count
    with pytest.raises(Invalid, match="Укажите причину"):
        school.audit.set_override(2025, "R06", RiskLevel.LOW, "   ")
    assert school.db.change_count == before
    result = school.audit.set_override(2025, "R06", RiskLevel.LOW, "Анкета устарела")
    assert result.computed is RiskLevel.HIGH and result.level is RiskLevel.LOW
    assert result.reason == "Анкета устарела"
    with school.db.session() as s:
        profile = risk_profile(s, own_site_id(s), 2025, catalogues_dir=CATALOGUES)
    assert profile is not None and profile.levels["R06"] is RiskLevel.LOW
    result = school.audit.set_override(2025, "R06", None)
    assert result.level is RiskLevel.HIGH and result.reason == ""


def test_comparison_with_previous_year(school: Services) -> None:
    school.audit.ensure(2024, ON)
    fill_factor(school, 2024, "R07", 0)
    school.audit.ensure(2025, ON)
    fill_factor(school, 2025, "R07", 2)
    changes = {c.code: c for c in school.audit.comparison(2025)}
    assert len(changes) == 10
    r07 = changes["R07"]
    assert r07.previous_year == 2024
    assert r07.previous is not None and r07.previous.level is RiskLevel.HIGH
    assert r07.current is not None and r07.current.level is RiskLevel.NONE
    assert changes["R01"].previous is not None and changes["R01"].previous.level is None
    first = {c.code: c for c in school.audit.comparison(2024)}
    assert first["R07"].previous is None and first["R07"].previous_year is None


def test_create_measures_twice_adds_nothing(school: Services) -> None:
    school.audit.ensure(2025, ON)
    added = school.audit.create_measures(2025, ["R07", "R03"], on=ON)
    assert added == 6
    assert school.audit.create_measures(2025, ["R07", "R03"], on=ON) == 0
    linked = school.audit.linked_items("R07")
    assert len(linked) == 3
    assert linked[0].title.startswith("Выявление обучающихся с рисками")
    roadmap = school.roadmap.current(ON)
    assert roadmap is not None
    sections = [s.title for s in school.roadmap.sections(roadmap.id)]
    assert "Антирисковые меры по итогам самоаудита 2025 года" in sections
    # a measure the school deleted is not brought back
    school.roadmap.delete_items([linked[0].id])
    assert school.audit.create_measures(2025, ["R07"], on=ON) == 0
    assert len(school.audit.linked_items("R07")) == 2
    with pytest.raises(Invalid):
        school.audit.create_measures(2025, [], on=ON)
    with school.db.session() as s:
        item = s.get(RoadmapItem, linked[1].id)
        assert item is not None and item.risk_factor_code == "R07"


def _publish_v2(services: Services) -> None:
    content = (FIXTURES / "audit" / "risk_factors_v2.json").read_text(encoding="utf-8")
    with services.db.session() as s:
        s.add(
            CatalogueVersion(
                id=stable_id("catalogue", CatalogueKind.RISK_FACTORS, 2),
                owner=own_site_id(s),
                kind=CatalogueKind.RISK_FACTORS,
                version=2,
                content=content,
            )
        )


def test_catalogue_version_change_keeps_old_audits_readable(school: Services) -> None:
    school.audit.ensure(2024, ON)
    fill_factor(school, 2024, "R02", 0)
    _publish_v2(school)
    assert school.audit.catalogue().version == 2
    new = school.audit.ensure(2025, ON)
    assert new.catalogue_version == 2 and [f.code for f in new.factors] == ["R01", "R02"]
    school.audit.save_answer(2025, "R01.10", score=0)
    with pytest.raises(NotFound):
        school.audit.save_answer(2025, "R01.1", value=3)  # a v1 criterion is not in v2
    old = school.audit.view(2024)
    assert old is not None and old.catalogue_version == 1 and len(old.factors) == 10
    assert old.results["R02"].level is RiskLevel.HIGH and old.answer("R02.2").value is not None
    with school.db.session() as s:
        p2024 = risk_profile(s, own_site_id(s), 2024, catalogues_dir=CATALOGUES)
        p2025 = risk_profile(s, own_site_id(s), 2025, catalogues_dir=CATALOGUES)
    assert p2024 is not None and p2024.levels["R02"] is RiskLevel.HIGH
    assert p2025 is not None and p2025.levels == {"R01": RiskLevel.HIGH}
    changes = {c.code: c for c in school.audit.comparison(2025)}
    assert changes["R02"].previous is not None
    assert changes["R02"].previous.level is RiskLevel.HIGH


def test_answers_are_keyed_by_audit_and_criterion(school: Services) -> None:
    school.audit.ensure(2025, ON)
    school.audit.save_answer(2025, "R05.4", value=80)
    school.audit.save_answer(2025, "R05.4", value=95)
    with school.db.session() as s:
        rows = s.exec(select(AuditAnswer).where(AuditAnswer.criterion_code == "R05.4")).all()
        assert [r.id for r in rows] == [stable_id("answer", _audit_id(s, 2025), "R05.4")]
        assert rows[0].value == 95


def test_damaged_catalogue_refused_at_start(school: Services, tmp_path: Path) -> None:
    import shutil
    from dataclasses import replace

    resources = tmp_path / "resources"
    shutil.copytree(school.paths.resources_dir / "catalogues", resources / "catalogues")
    (resources / "catalogues" / "risk_factors_v1.json").write_text("{", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"risk_factors_v1\.json"):
        build_services(school.db, replace(school.paths, resources_dir=resources))
