"""«Сводка» (district role, issue 9 part 2): every school's figures, risks and dynamics.

The figures come from `DashboardService.summary` (computed in the background: with hundreds of
schools it takes a while); the справка is saved through the documents registry, so the file
equals what the screen shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Protocol

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.core.formatting import date_short
from services.core.progress import Progress
from services.district import DistrictSummary, SchoolSummary
from services.indicators import as_of_for
from ui.gui.errors import show_error
from ui.gui.screens.district.summary_widgets import (
    DynamicsChart,
    RiskHeatmap,
    SummaryModel,
    summary_legend,
)
from ui.gui.table_models.row_model import ROW_ROLE
from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets.columns import ColumnFitter
from ui.gui.widgets.filter_table import FilterTable
from ui.gui.widgets.flow_layout import FlowLayout
from ui.gui.widgets.focus import tab_bar_first

SaveDocument = Callable[[Path, int, Progress], None]


class Dashboard(Protocol):
    def summary(self, year: int, as_of: date) -> DistrictSummary: ...

    def years(self) -> list[int]: ...


class SummaryScreen(QWidget):
    def __init__(
        self,
        dashboard: Dashboard,
        save_document: SaveDocument,
        parent: QWidget | None = None,
        *,
        notifier: Notifier | None = None,
    ) -> None:
        super().__init__(parent)
        self._dashboard = dashboard
        self._save_document = save_document
        self.summary: DistrictSummary | None = None
        self._loading = False
        self._waiting: int | None = None
        self._heatmap_stale = False
        self.model = SummaryModel(self)
        self._build_ui()
        self._connect()
        if notifier is not None:  # packages imported, statuses or thresholds changed
            notifier.follow(self, ["import", "schools", "thresholds"], self.refresh)

    def _build_ui(self) -> None:
        self.year_combo = QComboBox(self)
        self.as_of_label = QLabel(self)
        self.pdf_button = QPushButton(self.tr("Аналитическая справка (PDF)…"), self)
        self.xlsx_button = QPushButton(self.tr("Сводная книга (Excel)…"), self)
        # A flow, not a box: with «Крупный шрифт» the buttons go to a second line at 1024 px.
        self.as_of_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        top = FlowLayout()
        year = QWidget(self)
        year_row = QHBoxLayout(year)
        year_row.setContentsMargins(0, 0, 0, 0)
        year_row.addWidget(QLabel(self.tr("Год результатов:"), year))
        year_row.addWidget(self.year_combo)
        for widget in (year, self.as_of_label, self.pdf_button, self.xlsx_button):
            top.addWidget(widget)
        self.totals_label = QLabel(self)
        self.totals_label.setWordWrap(True)
        # sixteen columns scroll sideways at 1024 px: the school names stay in view
        self.table = FilterTable(self.model, self, frozen_first=True)
        self.table.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.proxy.sort(-1)  # by name (the summary's order) until the user sorts
        # the school name: readable (≥ 200 px) but not the whole legal name
        self.fitter = ColumnFitter(self.table.view, {0: (200, 300)})
        self.heatmap = RiskHeatmap(self)
        self.chart = DynamicsChart(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.chart, self.tr("Динамика показателей"))
        self.tabs.addTab(self.heatmap, self.tr("Карта рисков"))
        tab_bar_first(self.tabs)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.totals_label)
        layout.addWidget(splitter, 1)
        self.legend = QLabel(summary_legend(), self)
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        self._set_enabled(False)

    def _connect(self) -> None:
        self.year_combo.activated.connect(self._on_year_combo_activated)
        self.pdf_button.clicked.connect(self._on_pdf_button_clicked)
        self.xlsx_button.clicked.connect(self._on_xlsx_button_clicked)
        self.table.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.tabs.currentChanged.connect(self._fill_heatmap)

    def _set_enabled(self, on: bool) -> None:
        self.pdf_button.setEnabled(on)
        self.xlsx_button.setEnabled(on)

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the years and the selected year's summary in the background."""
        dashboard = self._dashboard
        run_task(self, lambda _p: dashboard.years(), self._show_years)

    def _show_years(self, found: list[int]) -> None:
        years = found or [date.today().year]
        current = self.year_combo.currentData()
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(str(y), y)
        index = self.year_combo.findData(current) if current in years else 0
        self.year_combo.setCurrentIndex(max(index, 0))
        self.load(int(self.year_combo.currentData()))

    def load(self, year: int) -> None:
        """Compute `year` in the background; while one runs, only the latest request waits."""
        if self._loading:
            self._waiting = year
            return
        self._loading, self._waiting = True, None
        self.totals_label.setText(self.tr("Сбор показателей школ…"))
        self._set_enabled(False)
        dashboard = self._dashboard
        run_task(
            self,
            lambda _p: dashboard.summary(year, as_of_for(year)),
            self._loaded,
            on_error=self._failed,
        )

    def _loaded(self, summary: DistrictSummary) -> None:
        self._loading = False
        if not shiboken6.isValid(self.year_combo):  # the window closed while it was computed
            return
        if self._waiting is not None and self._waiting != summary.year:
            self.load(self._waiting)
            return
        self.show_summary(summary)

    def _failed(self, exc: BaseException) -> None:
        self._loading, self._waiting = False, None
        if not shiboken6.isValid(self.totals_label):
            return
        self.totals_label.setText("")
        show_error(self, exc)

    def _on_year_combo_activated(self, _index: int) -> None:
        self.load(int(self.year_combo.currentData()))

    def show_summary(self, summary: DistrictSummary) -> None:
        self.summary = summary
        if self.year_combo.findData(summary.year) < 0:
            self.year_combo.addItem(str(summary.year), summary.year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(summary.year))
        self.model.show_summary(summary)
        self.fitter.start()
        self.as_of_label.setText(self.tr("данные на {0}").format(date_short(summary.as_of)))
        self.totals_label.setText(self._totals(summary))
        self._heatmap_stale = True  # filled when its tab is shown: 300 rows of items
        self._fill_heatmap()
        self.chart.set_summary(summary)
        self.chart.set_school(None)
        self._set_enabled(bool(summary.schools))

    def _fill_heatmap(self, *_: object) -> None:
        if (
            self._heatmap_stale
            and self.summary is not None
            and self.tabs.currentWidget() is self.heatmap
        ):
            self._heatmap_stale = False
            self.heatmap.set_summary(self.summary)

    def _totals(self, summary: DistrictSummary) -> str:
        if not summary.schools:
            return self.tr("Школ пока нет: импортируйте пакеты школ («Импорт пакетов»).")
        flagged = sum(1 for s in summary.schools if s.flagged)
        return self.tr(
            "Школ: {0}. Ниже порогов района хотя бы по одному показателю: {1}. "
            "Устойчиво низкие результаты (два года подряд): {2}. Без самообследования: {3}."
        ).format(
            len(summary.schools),
            flagged,
            len(summary.persistently_low),
            sum(1 for s in summary.schools if s.risks is None),
        )

    def _on_selection_changed(self, *_: object) -> None:
        self.chart.set_school(self.selected_school())

    def selected_school(self) -> SchoolSummary | None:
        rows = self.table.view.selectionModel().selectedRows()
        if not rows:
            return None
        school: SchoolSummary | None = rows[0].data(ROW_ROLE)
        return school

    # -- saving ----------------------------------------------------------------------------

    def _on_pdf_button_clicked(self) -> None:
        self._ask_and_save("pdf")

    def _on_xlsx_button_clicked(self) -> None:
        self._ask_and_save("xlsx")

    def ask_path(self, fmt: str) -> Path | None:
        """The file to save into (tests monkeypatch this)."""
        year = self.summary.year if self.summary else date.today().year
        filters = {"pdf": "PDF (*.pdf)", "xlsx": "Excel (*.xlsx)"}
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Сохранить справку"), f"Аналитическая справка {year}.{fmt}", filters[fmt]
        )
        return Path(name).with_suffix(f".{fmt}") if name else None

    def _ask_and_save(self, fmt: str) -> None:
        out = self.ask_path(fmt)
        if out is not None:
            self.save(out)

    def save(self, out: Path) -> None:
        """Write the справка of the shown year in the background."""
        if self.summary is None:
            return
        year, save = self.summary.year, self._save_document

        def done(_result: None) -> None:
            QMessageBox.information(
                self, self.tr("Справка сохранена"), self.tr("Файл сохранён:\n{0}").format(out)
            )

        run_task(
            self,
            lambda progress: save(out, year, progress),
            done,
            title=self.tr("Формирование справки…"),
            on_error=lambda exc: show_error(self, exc),
        )
