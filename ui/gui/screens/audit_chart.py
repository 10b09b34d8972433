"""The risk profile as a bar chart (QtCharts): risk share per factor, last year beside this year."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

from services.audit_service import FactorChange

THIS_YEAR, LAST_YEAR = QColor("#C0392B"), QColor("#A9B7C6")


class ProfileChart(QChartView):
    """Grouped bars: one category per factor code, one set per year (0–100 %)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._chart = QChart()
        super().__init__(self._chart, parent)
        self._chart.setMargins(QMargins(2, 2, 2, 2))
        self._chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.series = QBarSeries()
        self._chart.addSeries(self.series)
        self.x_axis = QBarCategoryAxis()
        font = QFont(self.x_axis.labelsFont())
        font.setPointSizeF(7.5)
        self.x_axis.setLabelsFont(font)
        self.y_axis = QValueAxis()
        self.y_axis.setRange(0, 100)
        self.y_axis.setTickCount(6)
        self.y_axis.setLabelFormat("%d %%")
        self.y_axis.setLabelsFont(font)
        self._chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.x_axis)
        self.series.attachAxis(self.y_axis)

    def set_profile(self, changes: Sequence[FactorChange], year: int | None) -> None:
        """Draw the shares of `year` and, when there is one, of the previous audit."""
        self.series.clear()
        self.x_axis.clear()
        if not changes or year is None:
            self._chart.setTitle(self.tr("Самоаудит за выбранный год ещё не начат"))
            return
        self._chart.setTitle(self.tr("Доля риска по факторам, %"))
        previous_year = next((c.previous_year for c in changes if c.previous_year), None)
        if previous_year is not None:
            self.series.append(
                self._set(f"{previous_year}", LAST_YEAR, [c.previous for c in changes])
            )
        self.series.append(self._set(f"{year}", THIS_YEAR, [c.current for c in changes]))
        self.x_axis.append([c.code for c in changes])

    @staticmethod
    def _set(label: str, colour: QColor, results: Sequence[object]) -> QBarSet:
        bars = QBarSet(label)
        bars.setColor(colour)
        for r in results:
            share = getattr(r, "share", None)
            bars.append(0.0 if share is None else float(share))
        return bars

    def values(self) -> dict[str, list[float]]:
        """Each set's label and values (what the chart shows; used by tests)."""
        sets = self.series.barSets()
        return {s.label(): [s.at(i) for i in range(s.count())] for s in sets}
