"""The «Обзор» data: other areas' functions are called through their interface signatures."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from models.audit import RiskLevel
from services.app import Services
from services.core.ratio import Ratio


@dataclass(frozen=True)
class FakeItem:
    title: str
    end_date: date | None
    deadline_text: str


@dataclass(frozen=True)
class FakeProfile:
    year: int
    catalogue_version: int
    levels: dict[str, RiskLevel]
    titles: dict[str, str]
    completeness: Ratio


@dataclass(frozen=True)
class FakeCoverage:
    teachers: int
    with_plan: Ratio
    pk_3y: Ratio
    active_forms: Ratio
    young_with_mentor: Ratio


def _module(name: str, **functions: Any) -> ModuleType:
    module = ModuleType(name)
    for key, value in functions.items():
        setattr(module, key, value)
    return module


@pytest.fixture
def producers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, date]]:
    calls: list[tuple[str, date]] = []
    items = [FakeItem(f"Мероприятие {i}", date(2025, 10, i + 1), "") for i in range(6)]
    items.append(FakeItem("Семинар", None, "Октябрь 2025"))

    def execution_ratio(_s: Any, _owner: str, as_of: date) -> Ratio:
        calls.append(("execution", as_of))
        return Ratio(6, 8)

    def overdue_items(_s: Any, _owner: str, as_of: date) -> list[FakeItem]:
        return items

    def risk_profile(
        _s: Any, _owner: str, year: int | None = None, *, catalogues_dir: Path
    ) -> FakeProfile:
        levels = {"R01": RiskLevel.MEDIUM, "R02": RiskLevel.LOW, "R03": RiskLevel.HIGH}
        titles = {"R01": "Мотивация", "R02": "Кадры", "R03": "ОВЗ"}
        return FakeProfile(2025, 1, levels, titles, Ratio(30, 40))

    def staff_coverage(_s: Any, _owner: str, as_of: date) -> FakeCoverage:
        calls.append(("staff", as_of))
        return FakeCoverage(12, Ratio(12, 12), Ratio(9, 12), Ratio(6, 12), Ratio(1, 2))

    fakes: dict[str, dict[str, Any]] = {
        "services.roadmap.queries": {
            "execution_ratio": execution_ratio,
            "overdue_items": overdue_items,
        },
        "services.audit.levels": {"risk_profile": risk_profile},
        "services.staff.queries": {"staff_coverage": staff_coverage},
    }
    for name, functions in fakes.items():
        monkeypatch.setitem(sys.modules, name, _module(name, **functions))
    return calls


def test_overview_from_other_areas(school: Services, producers: list[tuple[str, date]]) -> None:
    on = date(2025, 11, 20)
    data = school.results.overview(on)
    assert data.execution == Ratio(6, 8)
    assert data.overdue_total == 7 and len(data.overdue) == 5
    assert data.overdue[0].deadline == "01.10.2025"
    assert [(r.code, r.level) for r in data.risks] == [
        ("R03", RiskLevel.HIGH), ("R01", RiskLevel.MEDIUM),
    ]  # fmt: skip
    assert [c.ratio for c in data.coverage][:2] == [Ratio(12, 12), Ratio(9, 12)]
    assert ("execution", on) in producers and ("staff", on) in producers


def test_indicators_use_roadmap_and_staff(
    school: Services, producers: list[tuple[str, date]]
) -> None:
    values = {v.key: v for v in school.results.indicators(2025, as_of=date(2025, 11, 20))}
    assert values["ROADMAP_EXEC"].ratio == Ratio(6, 8)
    assert values["TEACHER_PK"].ratio == Ratio(9, 12)
    assert values["TEACHER_ACTIVE"].ratio == Ratio(6, 12)
    assert values["TEACHER_IPPR"].ratio == Ratio(12, 12)
    # last year's values are computed at the end of the previous school year
    assert ("staff", date(2024, 8, 31)) in producers
