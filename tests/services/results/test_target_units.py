"""Targets and thresholds of a district indicator follow its unit (services.indicators.units)."""

from __future__ import annotations

import pytest

from services.app import Services
from services.core.errors import Invalid
from services.district.definitions import DefinitionDraft
from services.district.thresholds import ThresholdDraft
from services.results.rules import TargetEntry

YEAR = 2024


def _define(district: Services) -> None:
    district.thresholds.save_definition(
        DefinitionDraft("MUN_GRADUATES", "Выпускники 11 классов", "graduates_11", unit="чел.")
    )
    district.thresholds.save_definition(
        DefinitionDraft("MUN_HOURS", "Часов на ученика", "graduates_11 / pupils", unit="ч")
    )


def test_a_count_target_of_250_and_a_ratio_above_100_are_kept(district: Services) -> None:
    _define(district)
    district.results.save_target(TargetEntry(YEAR, "MUN_GRADUATES", 180, 250))
    district.results.save_target(TargetEntry(YEAR, "MUN_HOURS", 0.5, 120.5))
    saved = {t.indicator_code: (t.baseline, t.target) for t in district.results.targets(YEAR)}
    assert saved == {"MUN_GRADUATES": (180, 250), "MUN_HOURS": (0.5, 120.5)}


@pytest.mark.parametrize(
    ("code", "target", "reason"),
    [
        ("SHARE_2_VPR", 150, "значение в процентах должно быть от 0 до 100"),
        ("MUN_GRADUATES", 12.5, "введите целое число"),
        ("MUN_GRADUATES", -3, "не может быть отрицательным"),
        ("MUN_HOURS", -0.5, "не может быть отрицательным"),
        ("MUN_HOURS", float("inf"), "должно быть числом"),
    ],
)
def test_a_target_outside_its_unit_is_refused_in_russian(
    district: Services, code: str, target: float, reason: str
) -> None:
    _define(district)
    with pytest.raises(Invalid, match=reason):
        district.results.save_target(TargetEntry(YEAR, code, None, target))
    assert district.results.targets(YEAR) == []


def test_a_count_threshold_is_a_whole_number(district: Services) -> None:
    _define(district)
    kept = district.thresholds.save(ThresholdDraft(YEAR, "MUN_GRADUATES", "<", 250))
    assert kept.value == 250
    with pytest.raises(Invalid, match="укажите целое число, а не 2,5"):
        district.thresholds.save(ThresholdDraft(YEAR, "MUN_GRADUATES", "<", 2.5))
