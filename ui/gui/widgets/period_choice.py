"""A choice of the monitoring period for «Документы»: half-years and years around today.

The values are what `report roadmap --monitoring --period` takes («2025-H1», «2025/26», «2026»);
the roadmap's own period decides whether a plain year is the school or the calendar year.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QWidget


def period_choices(today: date) -> list[tuple[str, str | None]]:
    """(text, code): all time, then this school year and the two before it, newest first."""
    first = today.year if today.month >= 9 else today.year - 1
    choices: list[tuple[str, str | None]] = [("за всё время (на сегодня)", None)]
    for y in range(first, first - 3, -1):
        label = f"{y}/{(y + 1) % 100:02d}"
        choices += [
            (f"II полугодие {label} (март–август)", f"{y}-H2"),
            (f"I полугодие {label} (сентябрь–февраль)", f"{y}-H1"),
            (f"{label} учебный год", f"{y}/{(y + 1) % 100:02d}"),
        ]
    for y in range(today.year, today.year - 3, -1):
        choices.append((f"{y} год (для карты на календарный год)", str(y)))
    return choices


class PeriodChoice(QComboBox):
    """`code()` is None for «за всё время», else the period's code."""

    def __init__(self, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for text, code in period_choices(today or date.today()):
            self.addItem(text, code)

    def code(self) -> str | None:
        value = self.currentData()
        return str(value) if value else None
