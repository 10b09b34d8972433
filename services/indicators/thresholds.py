"""The district's thresholds as the indicators read them: which one applies, and the flag."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session

from models.catalogue import Comparison
from services.core.sql_select import rows

_THRESHOLDS = (
    "SELECT year, indicator_code, comparison, value, is_example, note, id FROM threshold "
    "WHERE deleted = 0"
)
THRESHOLDS = _THRESHOLDS + " ORDER BY year"
THRESHOLDS_UP_TO = _THRESHOLDS + " AND year <= ? ORDER BY year"


@dataclass(frozen=True, slots=True)
class ThresholdRead:
    """A district threshold: a school is flagged when `value comparison threshold` holds."""

    year: int
    indicator_code: str
    comparison: Comparison
    value: float
    is_example: bool = False
    note: str = ""
    id: str = ""

    def holds(self, value: float | None) -> bool:
        """Whether an indicator value meets the flag condition (never for «нет данных»)."""
        if value is None:
            return False
        if self.comparison is Comparison.GT:
            return value > self.value
        if self.comparison is Comparison.GE:
            return value >= self.value
        if self.comparison is Comparison.LT:
            return value < self.value
        return value <= self.value

    def text(self) -> str:
        """«> 30» — the condition as shown next to a flag."""
        number = f"{self.value:g}".replace(".", ",")
        return f"{self.comparison.value} {number}"


def applicable_threshold(
    thresholds: Iterable[ThresholdRead], key: str, year: int
) -> ThresholdRead | None:
    """The threshold of `key` for `year`, else the latest one of an earlier year."""
    best: ThresholdRead | None = None
    for t in thresholds:
        if t.indicator_code != key or t.year > year:
            continue
        if best is None or t.year > best.year:
            best = t
    return best


def load_thresholds(session: Session, year: int | None = None) -> list[ThresholdRead]:
    """The district's thresholds present in this database (all years, or up to `year`)."""
    found = rows(session, THRESHOLDS) if year is None else rows(session, THRESHOLDS_UP_TO, (year,))
    return [
        ThresholdRead(
            year=int(t_year),
            indicator_code=code,
            comparison=Comparison[comparison],
            value=float(value),
            is_example=bool(is_example),
            note=note,
            id=threshold_id,
        )
        for t_year, code, comparison, value, is_example, note, threshold_id in found
    ]
