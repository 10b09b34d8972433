"""Parts of the «Сводка» screen: the schools table model, the risk heatmap, the dynamics chart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.audit import RiskLevel
from models.catalogue import Comparison
from services.core.ratio import Ratio
from services.district import (
    LEVEL_LETTER,
    LEVEL_TEXT,
    PERSISTENT_TEXT,
    SHORT_NAMES,
    DistrictSummary,
    SchoolSummary,
    pct,
)
from ui.gui.table_models.row_model import Column, Index, RowTableModel
from ui.gui.widgets.filter_table import FIT_SAMPLE_ROWS

FLAG_COLOUR = QColor("#F8D7D3")
PERSISTENT_COLOUR = QColor("#F4B6AE")
LOW_ROW_COLOUR = QColor("#FDEDEB")
LEVEL_COLOURS = {
    RiskLevel.NONE: QColor("#F2F2F2"),
    RiskLevel.LOW: QColor("#C5E1A5"),
    RiskLevel.MEDIUM: QColor("#FFD54F"),
    RiskLevel.HIGH: QColor("#E57373"),
}
TABLE_CODES = (
    "CERT_9_11",
    "REPEATERS",
    "VPR_FAIL",
    "VPR_QUALITY",
    "VPR_OBJECTIVITY",
    "GIA_BELOW_MIN",
    "TEACHER_ACTIVE",
)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _sort_value(value: float | None) -> float:
    return -1.0 if value is None else value


def _mark(s: SchoolSummary) -> str:
    marks = [PERSISTENT_TEXT] if s.persistently_low else []
    if s.revoked:
        marks.append("ключ отозван")
    if s.risks is None:
        marks.append("нет самообследования")
    return "; ".join(marks)


def _high_risks(s: SchoolSummary) -> int | None:
    return None if s.risks is None else sum(1 for lvl in s.risks.values() if lvl is RiskLevel.HIGH)


def _indicator_column(code: str) -> Column[SchoolSummary]:
    def value(s: SchoolSummary) -> float | None:
        v = s.indicator(code)
        return None if v is None else v.ratio.value

    return Column(SHORT_NAMES.get(code, code) + ", %", value, _percent, RIGHT, sort_key=_sort_value)


def _percent(value: float | None) -> str:
    return pct(None if value is None else Ratio(value, 100))


def _district_column(code: str) -> Column[SchoolSummary]:
    """An indicator the district defined: headed by its code (the tooltip names it)."""

    def value(s: SchoolSummary) -> float | None:
        v = s.indicator(code)
        return None if v is None else v.ratio.value

    return Column(code, value, _percent, RIGHT, sort_key=_sort_value)


def summary_columns(
    district_codes: Sequence[str] = (),
) -> list[tuple[Column[SchoolSummary], str | None]]:
    """The table's columns, each with the indicator code whose flag colours its cells.

    `district_codes`: the district's own indicators, after the shipped ones.
    """
    cols: list[tuple[Column[SchoolSummary], str | None]] = [
        (Column("Школа", lambda s: s.name), None),
        (Column("Статус", lambda s: ", ".join(s.flags.labels())), None),
        (
            Column(
                "Исполнение ДК, %",
                lambda s: s.execution.value,
                _percent,
                RIGHT,
                sort_key=_sort_value,
            ),
            "ROADMAP_EXEC",
        ),
        (Column("Просрочено", lambda s: s.overdue, str, RIGHT), None),
    ]
    cols += [(_indicator_column(code), code) for code in TABLE_CODES]
    cols += [(_district_column(code), code) for code in district_codes]
    cols += [
        (
            Column(
                "ПК за 3 года, %", lambda s: s.pk_3y.value, _percent, RIGHT, sort_key=_sort_value
            ),
            "TEACHER_PK",
        ),
        (
            Column(
                "Высоких рисков",
                _high_risks,
                lambda v: "—" if v is None else str(v),
                RIGHT,
                sort_key=lambda v: -1 if v is None else v,
            ),
            None,
        ),
        (Column("Отметка", _mark), None),
    ]
    return cols


class SummaryModel(RowTableModel[SchoolSummary]):
    """Schools; a flagged indicator's cell is coloured (darker when flagged two years)."""

    def __init__(self, parent: Any = None) -> None:
        spec = summary_columns()
        super().__init__([c for c, _code in spec], parent, row_background=self._row_colour)
        self._codes = [code for _c, code in spec]
        self.district_codes: tuple[str, ...] = ()

    def show_summary(self, summary: DistrictSummary) -> None:
        """The schools of `summary`, with a column per indicator the district defined."""
        shown = {*TABLE_CODES, *SHORT_NAMES}
        extra = tuple(c for c, _n, _b in summary.indicator_names if c not in shown)
        if extra != self.district_codes:
            spec = summary_columns(extra)
            self.beginResetModel()
            self._columns = [c for c, _code in spec]
            self._codes = [code for _c, code in spec]
            self.district_codes = extra
            self.endResetModel()
        self.set_rows(summary.schools)

    @staticmethod
    def _row_colour(s: SchoolSummary) -> QColor | None:
        return LOW_ROW_COLOUR if s.persistently_low else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            mark = self._flag_mark(index)
            text = super().data(index, role)
            return f"{mark} {text}" if mark else text
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            code = self._codes[index.column()]
            row = self.row_at(index.row())
            if code is not None and code in row.flagged:
                return QBrush(PERSISTENT_COLOUR if code in row.persistent else FLAG_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            code = self._codes[index.column()]
            v = self.row_at(index.row()).indicator(code) if code else None
            if v is not None:
                # in the indicator's own unit: a count's target of 250 is not «250 %»
                tip = f"{v.name}: {v.ratio.detail()}; год назад {pct(v.previous)} {v.unit}"
                if v.target is not None:
                    tip += f"; цель школы {pct(Ratio(v.target, 100))} {v.unit}"
                return tip + (f"; порог {v.threshold.text()}" if v.threshold else "")
        return super().data(index, role)

    def _flag_mark(self, index: Index) -> str:
        """▲ above the district's threshold, ▼ below it; doubled when flagged two years running.

        The cell is coloured too, but colour alone is lost on a grey printout, a projector or
        to a colour-blind reader.
        """
        code = self._codes[index.column()]
        row = self.row_at(index.row())
        if code is None or code not in row.flagged:
            return ""
        value = row.indicator(code)
        below = (
            value is not None
            and value.threshold is not None
            and (value.threshold.comparison in (Comparison.LT, Comparison.LE))
        )
        mark = "▼" if below else "▲"
        return mark * 2 if code in row.persistent else mark


def summary_legend() -> str:
    """What the marks and colours of the table and the heatmap mean (shown under them)."""
    levels = ", ".join(
        f"«{LEVEL_LETTER[level]}» {LEVEL_TEXT[level]}" for level in reversed(RiskLevel)
    )
    return (
        "Обозначения: ▲ — выше порога района, ▼ — ниже порога (ячейка розовая); ▲▲ / ▼▼ — "
        "за порогом два года подряд (ячейка темнее); розовая строка — "
        f"{PERSISTENT_TEXT} (см. столбец «Отметка»). Карта рисков: уровень риска буквой — "
        f"{levels} (и цветом: от красного к зелёному)."
    )


class RiskHeatmap(QTableWidget):
    """Schools × risk factors, each cell coloured by the level of the school's latest audit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setDefaultSectionSize(22)
        self.horizontalHeader().setMinimumSectionSize(44)

    def set_summary(self, summary: DistrictSummary) -> None:
        self.clearSpans()
        codes = [code for code, _t in summary.factors]
        self.setRowCount(len(summary.schools))
        self.setColumnCount(len(codes) + 1)
        self.setHorizontalHeaderLabels([self.tr("Год"), *codes])
        self.setVerticalHeaderLabels([s.name for s in summary.schools])
        for col, (code, title) in enumerate(summary.factors, start=1):
            header = self.horizontalHeaderItem(col)
            if header is not None:
                header.setToolTip(f"{code} — {title}")
        for row, s in enumerate(summary.schools):
            self._fill_row(row, s, codes, dict(summary.factors))
        # A sample of rows: measuring all 300 schools' cells blocks the window (see FilterTable).
        self.horizontalHeader().setResizeContentsPrecision(FIT_SAMPLE_ROWS)
        self.resizeColumnsToContents()

    def _fill_row(
        self, row: int, s: SchoolSummary, codes: Sequence[str], titles: dict[str, str]
    ) -> None:
        if s.risks is None:
            self.setItem(row, 0, QTableWidgetItem(self.tr("нет самообследования")))
            if codes:
                self.setSpan(row, 0, 1, len(codes) + 1)
            return
        self.setItem(row, 0, QTableWidgetItem(str(s.risk_year)))
        for col, code in enumerate(codes, start=1):
            level = s.risk(code)
            item = QTableWidgetItem(LEVEL_LETTER[level] if level else "")
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if level is not None:
                item.setBackground(QBrush(LEVEL_COLOURS[level]))
                item.setToolTip(f"{titles.get(code, code)}: {LEVEL_TEXT[level]}")
            self.setItem(row, col, item)

    def level_text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return item.text() if item is not None else ""


class DynamicsChart(QWidget):
    """Bars of one indicator over the years: the district (pooled) and the selected school."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._summary: DistrictSummary | None = None
        self._school: SchoolSummary | None = None
        self.indicator_combo = QComboBox(self)
        self.chart = QChart()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Показатель:"), self))
        top.addWidget(self.indicator_combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.chart_view, 1)
        self.indicator_combo.currentIndexChanged.connect(self._on_indicator_combo_changed)

    def set_summary(self, summary: DistrictSummary) -> None:
        self._summary = summary
        current = self.indicator_combo.currentData()
        self.indicator_combo.blockSignals(True)
        self.indicator_combo.clear()
        for code, name, _better in summary.indicator_names:
            self.indicator_combo.addItem(name, code)
        found = self.indicator_combo.findData(current or "VPR_FAIL")
        self.indicator_combo.setCurrentIndex(max(found, 0))
        self.indicator_combo.blockSignals(False)
        self.redraw()

    def set_school(self, school: SchoolSummary | None) -> None:
        self._school = school
        self.redraw()

    def _on_indicator_combo_changed(self, _index: int) -> None:
        self.redraw()

    def series_values(self) -> dict[str, list[float]]:
        """The plotted bars per series name (for tests)."""
        result: dict[str, list[float]] = {}
        for series in self.chart.series():
            if isinstance(series, QBarSeries):
                for bar_set in series.barSets():
                    result[bar_set.label()] = [bar_set.at(i) for i in range(bar_set.count())]
        return result

    def redraw(self) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        code = self.indicator_combo.currentData()
        if self._summary is None or not code:
            return
        summary = self._summary
        series = QBarSeries()
        district = QBarSet(self.tr("Район"))
        district.append(
            [
                summary.district_value(code, previous=True).value or 0.0,
                summary.district_value(code).value or 0.0,
            ]
        )
        district.setColor(QColor("#2F5F98"))
        series.append(district)
        v = self._school.indicator(code) if self._school is not None else None
        if self._school is not None and v is not None:
            school = QBarSet(self._school.name)
            school.append([(v.previous.value if v.previous else None) or 0.0, v.ratio.value or 0.0])
            school.setColor(QColor("#C0392B"))
            series.append(school)
        self.chart.addSeries(series)
        self.chart.setTitle(self.tr("Динамика, %: {0}").format(self.indicator_combo.currentText()))
        years = QBarCategoryAxis()
        years.append([str(summary.year - 1), str(summary.year)])
        values = QValueAxis()
        values.setRange(0, 100)
        values.setLabelFormat("%d")
        self.chart.addAxis(years, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(years)
        series.attachAxis(values)
