"""The risk-profile chart of the printed audit: risk share per factor, this year and the last."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors

from services.documents.fonts import SANS

if TYPE_CHECKING:
    from services.audit.service import FactorChange

THIS_YEAR, LAST_YEAR = "#C0392B", "#A9B7C6"
LABEL_X = 40


def _share(result: object) -> float:
    share = getattr(result, "share", None)
    return 0.0 if share is None else float(share)


def profile_chart(
    changes: Sequence[FactorChange],
    bounds: tuple[float, float, float],
    year: int,
    width: float,
) -> Drawing:
    """Horizontal bars of the risk share (%) per factor, R01 on top; dashed level bounds."""
    ordered = list(reversed(changes))  # a horizontal chart draws the first category at the bottom
    previous_year = next((c.previous_year for c in changes if c.previous_year), None)
    plot_h = 22.0 * len(ordered) if previous_year else 15.0 * len(ordered)
    d = Drawing(width, plot_h + 62)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = LABEL_X, 40, width - LABEL_X - 20, plot_h
    series = [[_share(c.current) for c in ordered]]
    names = [f"{year} г."]
    palette = [THIS_YEAR]
    if previous_year:
        series.insert(0, [_share(c.previous) for c in ordered])
        names.insert(0, f"{previous_year} г.")
        palette.insert(0, LAST_YEAR)
    chart.data = series
    chart.categoryAxis.categoryNames = [c.code for c in ordered]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labelTextFormat = "%d %%"
    chart.barSpacing = 1
    chart.groupSpacing = 4
    for k, colour in enumerate(palette):
        chart.bars[k].fillColor = colors.HexColor(colour)
        chart.bars[k].strokeColor = colors.white
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = SANS
        axis.labels.fontSize = 8
    chart.barLabelFormat = "%.0f"
    chart.barLabels.fontName = SANS
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 7
    d.add(chart)
    for bound, label in zip(bounds, ("низкий", "средний", "высокий"), strict=True):
        x = chart.x + chart.width * bound / 100.0
        line = Line(x, chart.y, x, chart.y + plot_h + 4)
        line.strokeColor = colors.HexColor("#777777")
        line.strokeDashArray = [3, 2]
        line.strokeWidth = 0.6
        d.add(line)
        d.add(String(x + 2, chart.y + plot_h + 6, label, fontName=SANS, fontSize=7))
    legend = Legend()
    legend.x, legend.y = LABEL_X, 12
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = SANS
    legend.fontSize = 8
    legend.dx = legend.dy = 8
    legend.deltax = 70
    legend.colorNamePairs = [(colors.HexColor(c), n) for c, n in zip(palette, names, strict=True)]
    d.add(legend)
    return d
