"""Which values an indicator's unit allows: one rule for targets, baselines and thresholds.

A percentage lies in 0–100. A count of people or things («чел.», «шт.») is a whole number
≥ 0. Anything else (a ratio, hours, rates, an average) is any finite number ≥ 0: a district
indicator counting graduates may well have a target of 250.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

# the upper limit of a value that is not a share, so that entry fields have a finite range
NUMBER_MAX = 1e9
_PERCENT_UNITS = frozenset({"%", "процент", "процентов", "проц"})
# units that only count whole people or things; «уроков» is left out on purpose: the shipped
# catalogue uses it for an average per pupil
_COUNT_UNITS = frozenset(
    {
        "чел",
        "человек",
        "шт",
        "ед",
        "школ",
        "классов",
        "педагогов",
        "учителей",
        "обучающихся",
        "выпускников",
        "мероприятий",
        "случаев",
    }
)


class UnitKind(Enum):
    PERCENT = "percent"
    COUNT = "count"
    NUMBER = "number"


def unit_kind(unit: str) -> UnitKind:
    """The kind of values `unit` measures («%» → share, «чел.» → count, else a number)."""
    text = unit.strip().lower()
    if text in _PERCENT_UNITS:
        return UnitKind.PERCENT
    return UnitKind.COUNT if text.rstrip(".") in _COUNT_UNITS else UnitKind.NUMBER


@dataclass(frozen=True, slots=True)
class ValueBounds:
    """The values allowed in a unit: `low` ≤ value ≤ `high`, whole numbers only when `whole`."""

    low: float
    high: float
    whole: bool
    unit: str

    @property
    def decimals(self) -> int:
        return 0 if self.whole else 2

    def problem(self, value: float) -> str:
        """Why `value` is not allowed, in Russian (a lower-case phrase); empty when it is."""
        if not math.isfinite(value):
            return "значение должно быть числом"
        if self.high == 100.0 and not self.low <= value <= self.high:
            return "значение в процентах должно быть от 0 до 100"
        if value < self.low:
            return "значение не может быть отрицательным"
        if value > self.high:
            return f"значение не может быть больше {NUMBER_MAX:,.0f}".replace(",", " ")
        if self.whole and not float(value).is_integer():
            unit = f" ({self.unit})" if self.unit else ""
            return f"значение — число людей или предметов{unit}: введите целое число"
        return ""


def value_bounds(unit: str) -> ValueBounds:
    """The allowed values of a target, baseline or threshold of an indicator in `unit`."""
    kind = unit_kind(unit)
    if kind is UnitKind.PERCENT:
        return ValueBounds(0.0, 100.0, whole=False, unit=unit)
    return ValueBounds(0.0, NUMBER_MAX, whole=kind is UnitKind.COUNT, unit=unit)
