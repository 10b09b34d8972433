"""The district demo: seven real school installations, real packages, the real import engine."""

from __future__ import annotations

from sqlmodel import col, select

from models import ImportLog, ImportOutcome, Peer, PeerStatus, Role, Site
from models.results import VprResult
from services.app import Services
from services.district import SchoolSummary
from services.district.demo import SCHOOLS
from services.indicators.compute import as_of_for


def test_district_demo_goes_through_the_engine(file_services: Services) -> None:
    services = file_services
    services.site.initialize(Role.DISTRICT, "Управление образования Кольского района", "5105000001")
    lines = services.demo.fill().lines
    assert any("7 школ" in line and "7 принято" in line for line in lines)
    # the municipal roadmap carries seed 000's programme data
    roadmap = services.roadmap.current()
    assert roadmap is not None
    programme = services.programme.programme(roadmap.id)
    assert programme.roadmap.coordinator.startswith("Гайдай Е.В., начальник отдела")
    assert "мониторинг их исполнения" in programme.roadmap.mechanisms
    assert [r.person for r in programme.staff] == ["Гайдай Е.В.", "Харитонова Н.Ф."]
    with services.db.session() as s:
        logs = s.exec(select(ImportLog)).all()
        assert [log.outcome for log in logs] == [ImportOutcome.APPLIED] * len(SCHOOLS)
        peers = s.exec(select(Peer).where(Peer.role == Role.SCHOOL)).all()
        assert {p.status for p in peers} == {PeerStatus.TRUSTED} and len(peers) == len(SCHOOLS)
        sites = s.exec(select(Site).where(Site.role == Role.SCHOOL)).all()
        owners = {
            r.owner for r in s.exec(select(VprResult).where(col(VprResult.deleted).is_(False)))
        }
        assert owners == {site.id for site in sites}  # every result row arrived from its school
    year = services.dashboard.years()[0]
    summary = services.dashboard.summary(year, as_of_for(year))
    by_name = {s.name: s for s in summary.schools}
    assert set(by_name) == {school.short_name for school in SCHOOLS}
    assert by_name["МОУ Междуреченская СОШ"].risks is None  # the school without an audit
    assert all(s.risks for n, s in by_name.items() if n != "МОУ Междуреченская СОШ")
    low = {s.name for s in summary.persistently_low}
    assert low == {"МОУ Зверосовхозская СОШ", "МОУ Урагубская СОШ"}
    overdue = max(summary.schools, key=lambda s: s.overdue)
    assert overdue.name == "МБОУ «Туломская СОШ»" and "ROADMAP_EXEC" in overdue.flagged
    assert all(s.flags.low_results for s in summary.schools)
    assert by_name["МОУ Лодейнинская СОШ"].flags.curator == "Гайдай Е. В."
    for code in ("VPR_OBJECTIVITY", "GIA_BELOW_MIN", "TEACHER_ACTIVE", "TEACHER_PK"):
        values = [_value(school, code) for school in summary.schools]
        # seven schools, not one school's figures seven times
        assert len(set(values)) >= 3, (code, values)
        assert all(v is not None and 0 <= v <= 100 for v in values), (code, values)


def _value(school: SchoolSummary, code: str) -> float | None:
    v = school.indicator(code)
    return None if v is None else v.ratio.value


def test_district_demo_does_nothing_at_a_school(school: Services) -> None:
    part = next(p for p in school.demo._parts if type(p).__name__ == "DistrictDemo")
    assert "управлении" in part.fill_demo(Role.SCHOOL)
    with school.db.session() as s:
        assert len(s.exec(select(Site).where(Site.role == Role.SCHOOL)).all()) == 1  # itself
        assert s.exec(select(ImportLog)).all() == []
