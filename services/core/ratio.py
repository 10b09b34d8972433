"""A share with its numerator and denominator; an empty denominator means «нет данных»."""

from __future__ import annotations

from dataclasses import dataclass

from services.core.formatting import NO_DATA, percent


@dataclass(frozen=True, slots=True)
class Ratio:
    numerator: float
    denominator: float

    @property
    def value(self) -> float | None:
        """The share in percent (0–100), or None when there is nothing to divide by."""
        if self.denominator <= 0:
            return None
        return 100.0 * self.numerator / self.denominator

    def text(self, digits: int = 1) -> str:
        value = self.value
        return NO_DATA if value is None else percent(value, digits)

    def detail(self) -> str:
        """«12 из 40» — what the percentage is made of."""
        if self.denominator <= 0:
            return NO_DATA
        return f"{_num(self.numerator)} из {_num(self.denominator)}"

    def summary(self, digits: int = 1) -> str:
        """«25,0 % (1 из 4)», or a single «нет данных» (never «нет данных (нет данных)»)."""
        if self.denominator <= 0:
            return NO_DATA
        return f"{self.text(digits)} ({self.detail()})"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}".replace(".", ",")
