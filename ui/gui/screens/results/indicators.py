"""The «Показатели» tab: indicators with value, last year, target and flag.

The selected indicator's detail and a small dynamics chart (QtCharts) are shown beside the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QItemSelection, QMargins, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from services.core.formatting import NO_DATA
from services.indicators import IndicatorValue
from ui.gui.table_models.row_model import ROW_ROLE, Column, RowTableModel
from ui.gui.widgets.columns import fit_to_view
from ui.gui.widgets.filter_table import FilterTable

FLAG_COLOUR = QColor("#F8D7D3")
OFF_TARGET_COLOUR = QColor("#FFF1C2")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


def _change(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}".replace(".", ",")


def status_text(v: IndicatorValue) -> str:
    notes = []
    if v.flagged and v.threshold is not None:
        notes.append(f"порог управления {v.threshold.text()}")
    if v.off_target:
        notes.append("цель не достигнута")
    return "; ".join(notes)


def _background(v: IndicatorValue) -> QColor | None:
    if v.flagged:
        return FLAG_COLOUR
    return OFF_TARGET_COLOUR if v.off_target else None


COLUMNS: list[Column[IndicatorValue]] = [
    # the subject in the indicator's line: a column of its own left no room at 1024 px, and
    # without it «Доля отметок «2» по ВПР» repeated with nothing to tell the rows apart
    Column("Показатель", lambda v: f"{v.name} ({v.subject})" if v.subject else v.name),
    Column("Значение, %", lambda v: v.ratio.value, lambda x: _value_text(x), RIGHT,
           sort_key=lambda x: -1.0 if x is None else x),
    Column("Из чего", lambda v: v.ratio.detail() if v.ratio.value is not None else v.note),
    Column("Год назад, %", lambda v: v.previous.value if v.previous else None,
           lambda x: _value_text(x), RIGHT, sort_key=lambda x: -1.0 if x is None else x),
    Column("Изм., п. п.", lambda v: v.change, _change, RIGHT,
           sort_key=lambda x: 0.0 if x is None else x),
    Column("Цель", lambda v: v.target, _number, RIGHT, sort_key=lambda x: -1.0 if x is None else x),
    Column("Отметка", status_text),
]  # fmt: skip


def _value_text(value: float | None) -> str:
    return NO_DATA if value is None else f"{value:.1f}".replace(".", ",")


class IndicatorsPanel(QWidget):
    """Table of indicators and the selected one's detail; asks the screen to set a target."""

    target_requested = Signal(object)  # IndicatorValue

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RowTableModel[IndicatorValue] = RowTableModel(
            COLUMNS, self, row_background=_background
        )
        self._history: dict[str, list[tuple[int, float | None]]] = {}
        self._current: IndicatorValue | None = None
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.table = FilterTable(self.model, self)
        self.table.view.setColumnWidth(0, 330)
        # Beside the chart the table has 450 px at 1024: the indicator keeps 200 px, the
        # columns the detail on the right repeats hide first (source, change, last year, target).
        fit_to_view(self.table.view, 0, (2, 4, 3, 5))
        self.table.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.proxy.sort(-1)  # catalogue order until the user sorts
        self.title_label = QLabel(self)
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-weight: bold;")
        self.detail_label = QLabel(self)
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = QChart()
        self.chart.legend().hide()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(200)
        self.target_button = QPushButton(self.tr("Задать цель…"), self)
        self.target_button.setEnabled(False)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.title_label)
        side_layout.addWidget(self.detail_label)
        side_layout.addWidget(self.chart_view, 1)
        side_layout.addWidget(self.target_button)
        splitter = QSplitter(self)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.table.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.target_button.clicked.connect(self._on_target_button_clicked)
        self.table.activated_row.connect(self.target_requested.emit)

    def set_values(
        self,
        values: Sequence[IndicatorValue],
        history: dict[str, list[tuple[int, float | None]]],
    ) -> None:
        key = self._current.key if self._current else None
        self._history = history
        self.model.set_rows(values)
        rows = self.model.rows()
        chosen = next((i for i, v in enumerate(rows) if v.key == key), 0 if rows else -1)
        if chosen >= 0:
            index = self.table.proxy.mapFromSource(self.model.index(chosen, 0))
            self.table.view.selectRow(index.row())
        else:
            self.show_detail(None)

    def _on_selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        indexes = selected.indexes()
        self.show_detail(indexes[0].data(ROW_ROLE) if indexes else None)

    def _on_target_button_clicked(self) -> None:
        if self._current is not None:
            self.target_requested.emit(self._current)

    def show_detail(self, v: IndicatorValue | None) -> None:
        self._current = v
        self.target_button.setEnabled(v is not None)
        if v is None:
            self.title_label.setText(self.tr("Выберите показатель в таблице."))
            self.detail_label.setText("")
            self._draw([], None)
            return
        self.title_label.setText(v.title)
        self.detail_label.setText(self._detail_text(v))
        self._draw(self._history.get(v.key, []), v.target)

    def _detail_text(self, v: IndicatorValue) -> str:
        previous = v.previous.text() if v.previous is not None else NO_DATA
        lines = [
            self.tr("Значение: {0} ({1})").format(v.ratio.text(), v.ratio.detail())
            if v.ratio.value is not None or not v.note
            else self.tr("Значение: {0}").format(v.note),
            self.tr("Прошлый год: {0}").format(previous),
            self.tr("Цель: {0}; базовое значение: {1}").format(
                _number(v.target) or "—", _number(v.baseline) or "—"
            ),
            self.tr("Лучше, когда значение {0}.").format(
                self.tr("выше") if v.better == "higher" else self.tr("ниже")
            ),
        ]
        if v.threshold is not None:
            state = self.tr("выполнено — школа отмечена") if v.flagged else self.tr("не выполнено")
            lines.append(self.tr("Порог управления: {0} ({1})").format(v.threshold.text(), state))
        return "\n".join(lines)

    def _draw(self, points: Sequence[tuple[int, float | None]], target: float | None) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        known = [(y, value) for y, value in points if value is not None]
        years = [y for y, _ in known]
        if not known:
            self.chart.setTitle(self.tr("Нет данных для графика"))
            return
        self.chart.setTitle(self.tr("Динамика по годам, %"))
        line, dots = QLineSeries(), QScatterSeries()
        dots.setMarkerSize(8)
        for year, value in known:
            line.append(year, value)
            dots.append(year, value)
        series: list[Any] = [line, dots]
        if target is not None:
            goal = QLineSeries()
            goal.append(years[0], target)
            goal.append(years[-1], target)
            goal.setPen(QPen(QColor("#2E7D32"), 1.5, Qt.PenStyle.DashLine))
            series.append(goal)
        x_axis, y_axis = QValueAxis(), QValueAxis()
        x_axis.setRange(years[0] - 0.5, years[-1] + 0.5)
        x_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        x_axis.setTickAnchor(years[0])
        x_axis.setTickInterval(1)
        x_axis.setLabelFormat("%d")
        y_axis.setRange(0, 100)
        y_axis.setLabelFormat("%d")
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for s in series:
            self.chart.addSeries(s)
            s.attachAxis(x_axis)
            s.attachAxis(y_axis)

    def chart_points(self) -> list[tuple[float, float]]:
        """The plotted values (for tests)."""
        for s in self.chart.series():
            if isinstance(s, QScatterSeries):
                return [(p.x(), p.y()) for p in s.points()]
        return []
