"""The risk profile as a bar chart (QtCharts): risk share per factor, last year beside this year."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QResizeEvent
from PySide6.QtWidgets import QWidget

from services.audit import FactorChange

THIS_YEAR, LAST_YEAR = QColor("#C0392B"), QColor("#A9B7C6")


NARROW_CHART = 480  # px: about 40 px per factor code


class ProfileChart(QChartView):
    """Grouped bars: one category per factor code, one set per year (0–100 %)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._chart = QChart()
        super().__init__(self._chart, parent)
        self._chart.setMargins(QMargins(2, 2, 2, 2))
        layout = self._chart.layout()
        if layout is not None:  # no grey frame around the chart: its width goes to the bars
            layout.setContentsMargins(0, 0, 0, 0)
        self._chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.series = QBarSeries()
        self._chart.addSeries(self.series)
        self.x_axis = QBarCategoryAxis()
        font = QFont(self.x_axis.labelsFont())
        font.setPointSizeF(7.5)
        self.x_axis.setLabelsFont(font)
        self._codes: list[str] = []
        self._narrow = False  # a narrow chart labels its factors «1» … «10» instead of «R01»
        self.y_axis = QValueAxis()
        self.y_axis.setRange(0, 100)
        self.y_axis.setTickCount(6)
        self.y_axis.setLabelFormat("%d")  # the title says «%»
        self.y_axis.setLabelsFont(font)
        self._chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.x_axis)
        self.series.attachAxis(self.y_axis)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Below ≈ 40 px per factor the codes («R01») are cut to «…»: show their numbers."""
        super().resizeEvent(event)
        narrow = event.size().width() < NARROW_CHART
        if narrow != self._narrow:
            self._narrow = narrow
            self._label_factors()

    def _label_factors(self) -> None:
        font = QFont(self.x_axis.labelsFont())
        font.setPointSizeF(6.5 if self._narrow else 7.5)
        self.x_axis.setLabelsFont(font)
        self.x_axis.clear()
        if self._codes:
            self.x_axis.append([_short(c) if self._narrow else c for c in self._codes])

    def categories(self) -> list[str]:
        """The factor labels under the bars (what the chart shows; used by tests)."""
        return list(self.x_axis.categories())

    def set_profile(self, changes: Sequence[FactorChange], year: int | None) -> None:
        """Draw the shares of `year` and, when there is one, of the previous audit."""
        self.series.clear()
        self._codes = []
        self._label_factors()
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
        self._codes = [c.code for c in changes]
        self._label_factors()

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


def _short(code: str) -> str:
    """«R01» → «1»: the factor's number, for a chart too narrow for its code."""
    number = code.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ").lstrip("0")
    return number or code
