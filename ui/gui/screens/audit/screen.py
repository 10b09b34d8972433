"""«Самоаудит»: the self-audit by risk factors of one year.

Left: the factors with level badges and completeness, and the risk profile chart (this year beside
the previous audit). Right: the selected factor's criteria as a form (each change is saved at
once), its level with a manual override (a reason is required), and the roadmap items linked to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.audit import (
    AuditService,
    AuditView,
    Factor,
    FactorChange,
    FactorResult,
    level_title,
)
from services.core.errors import AppError
from services.core.progress import Progress
from services.roadmap import STATUS_TITLES
from ui.gui.errors import show_error
from ui.gui.screens.audit.actions import AuditActions
from ui.gui.screens.audit.chart import ProfileChart
from ui.gui.screens.audit.form import FactorForm
from ui.gui.screens.audit.level import BADGE, LevelPanel
from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets.columns import fit_to_view
from ui.gui.widgets.focus import tab_after


@dataclass(frozen=True)
class _Loaded:
    """What the screen shows, read in the background."""

    years: set[int]
    year: int
    view: AuditView | None
    comparison: list[FactorChange]


class AuditScreen(AuditActions):
    loads_when_built = True  # the main window does not refresh it right after

    def __init__(
        self,
        audit: AuditService,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
        *,
        notifier: Notifier | None = None,
    ) -> None:
        super().__init__(parent)
        self._audit = audit
        self._notifier = notifier or Notifier(self)
        self._today = today
        self._view: AuditView | None = None
        self._year: int | None = None
        self._build_ui()
        self.refresh()

    # building ----------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.year_combo = QComboBox(self)
        self.year_combo.activated.connect(self._on_year_chosen)
        self.start_button = QPushButton(self.tr("Начать самоаудит"), self)
        self.start_button.clicked.connect(self._start)
        self.completeness = QLabel(self)
        # wraps rather than widening the window («…ещё не начат» at 1024 px made it 1280 wide)
        self.completeness.setWordWrap(True)
        self.details_button = QPushButton(self.tr("Рабочая группа и выводы…"), self)
        self.details_button.clicked.connect(self._edit_details)
        self.measures_button = QPushButton(self.tr("Создать антирисковые меры…"), self)
        self.measures_button.clicked.connect(self._create_measures)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Год:"), self))
        top.addWidget(self.year_combo)
        top.addWidget(self.start_button)
        top.addWidget(self.completeness, 1)
        # the actions on a row of their own: one row of everything needs ~1100 px
        actions = QHBoxLayout()
        actions.addWidget(self.details_button)
        actions.addWidget(self.measures_button)
        actions.addStretch(1)

        self.factors = QTableWidget(0, 3, self)
        self.factors.setHorizontalHeaderLabels(
            [self.tr("Фактор риска"), self.tr("Уровень"), self.tr("Отвечено")]
        )
        self.factors.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.factors.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.factors.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.factors.verticalHeader().hide()
        # a factor's name wraps in its narrow column: the row takes the lines it needs
        self.factors.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.factors.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        fit_to_view(self.factors, 0, (2,))  # a narrow list drops «Отвечено» before the names
        self.factors.itemSelectionChanged.connect(self._on_factor_selected)
        self.optional = QWidget(self)
        self.optional_layout = QVBoxLayout(self.optional)
        self.optional_layout.setContentsMargins(0, 0, 0, 0)
        self.chart = ProfileChart(self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.factors, 3)
        left_layout.addWidget(self.optional)
        left_layout.addWidget(self.chart, 2)

        self.form = FactorForm(self._save_answer, self)
        self.form.saved.connect(self._on_saved)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.form, 1)
        self.level = LevelPanel(self)
        self.level.apply_requested.connect(self._apply_override)
        right_layout.addWidget(self.level)
        right_layout.addWidget(self._linked_box())

        self.splitter = splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self._split_once = True
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        # keyboard: move between factors without leaving the form
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda step=step: self.step_factor(step))
        self.factors.setToolTip(self.tr("Ctrl+PgDown / Ctrl+PgUp — следующий / предыдущий фактор"))

    def _linked_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Мероприятия дорожной карты по фактору"), self)
        self.linked = QListWidget(box)
        self.linked.setMaximumHeight(80)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(box)
        layout.addWidget(self.linked)
        return box

    # loading -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the years and the chosen year's audit in the background, then show them.

        The reads take 40–70 ms on a filled school: on the GUI thread they made the first show
        of the screen block the window for over 100 ms.
        """
        audit, this_year, wanted = self._audit, self._today().year, self._year

        def job(_progress: Progress) -> _Loaded:
            years = set(audit.years())
            chosen = wanted or (max(years) if years else this_year)
            view = audit.view(chosen)
            return _Loaded(years, chosen, view, audit.comparison(chosen) if view else [])

        run_task(self, job, self._show_loaded, on_error=lambda exc: show_error(self, exc))

    def _show_loaded(self, loaded: _Loaded) -> None:
        this_year = self._today().year
        self.year_combo.clear()
        for year in sorted(loaded.years | {this_year}, reverse=True):
            label = str(year) if year in loaded.years else self.tr("{0} (не начат)").format(year)
            self.year_combo.addItem(label, year)
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(loaded.year), 0))
        self._show_year(loaded.year, loaded.view, loaded.comparison)

    def load_year(self, year: int) -> None:
        try:
            view = self._audit.view(year)
            comparison = self._audit.comparison(year) if view is not None else []
        except AppError as exc:
            show_error(self, exc)
            return
        self._show_year(year, view, comparison)

    def _show_year(self, year: int, view: AuditView | None, comparison: list[FactorChange]) -> None:
        code = self.selected_code()
        self._year, self._view = year, view
        started = view is not None
        self.start_button.setVisible(not started)
        self.start_button.setText(self.tr("Начать самоаудит за {0} год").format(year))
        for widget in (self.details_button, self.measures_button, self.factors):
            widget.setEnabled(started)
        self._fill_factors()
        self._fill_optional()
        self.chart.set_profile(comparison, year if started else None)
        self._select(code)

    def _fill_factors(self) -> None:
        view = self._view
        self.factors.blockSignals(True)
        self.factors.setRowCount(0 if view is None else len(view.factors))
        if view is not None:
            for n, factor in enumerate(view.factors):
                self._fill_row(n, factor, view.results[factor.code])
            self._show_completeness(view)
        else:
            self.completeness.setText(self.tr("Самоаудит за этот год ещё не начат."))
        self.factors.blockSignals(False)

    def _show_completeness(self, view: AuditView) -> None:
        self.completeness.setText(
            self.tr("Отвечено критериев: {0} ({1})").format(
                view.completeness.detail(), view.completeness.text()
            )
        )

    def _fill_row(self, n: int, factor: Factor, result: FactorResult) -> None:
        name = QTableWidgetItem(f"{factor.code}. {factor.title}")
        name.setData(Qt.ItemDataRole.UserRole, factor.code)
        name.setToolTip(factor.title)
        mark = " *" if result.override is not None else ""
        level = QTableWidgetItem(level_title(result.level) + mark)
        if result.level is not None:
            level.setBackground(BADGE[result.level])
        if result.override is not None:
            level.setToolTip(self.tr("Изменён вручную: {0}").format(result.reason))
        done = QTableWidgetItem(result.completeness.detail())
        for column, item in enumerate((name, level, done)):
            self.factors.setItem(n, column, item)

    def _fill_optional(self) -> None:
        while self.optional_layout.count():
            item = self.optional_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        view = self._view
        if view is None:
            return
        boxes: list[QWidget] = []
        for factor in view.catalogue.factors:
            if factor.enabled_by_default:
                continue
            line = QWidget(self.optional)
            # the title under its box: beside it, it had a third of the column and four lines
            row = QVBoxLayout(line)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(0)
            box = QCheckBox(self.tr("Учитывать фактор {0}:").format(factor.code), line)
            box.setChecked(factor.code in view.results)
            box.toggled.connect(lambda on, code=factor.code: self._toggle_factor(code, on))
            title = QLabel(factor.title, line)
            title.setWordWrap(True)
            title.setBuddy(box)
            title.setIndent(box.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + 6)
            row.addWidget(box)
            row.addWidget(title)
            self.optional_layout.addWidget(line)
            boxes.append(box)
        tab_after(self.factors, boxes)  # made after the form on the right: Tab goes down first

    def _fill_chart(self) -> None:
        if self._view is None or self._year is None:
            self.chart.set_profile([], None)
            return
        try:
            self.chart.set_profile(self._audit.comparison(self._year), self._year)
        except AppError as exc:
            show_error(self, exc)

    def _select(self, code: str | None) -> None:
        codes = [self._code_at(r) for r in range(self.factors.rowCount())]
        row = codes.index(code) if code in codes else 0
        self.factors.blockSignals(True)
        if codes:
            self.factors.selectRow(row)
        self.factors.blockSignals(False)
        self._on_factor_selected()

    def _code_at(self, row: int) -> str:
        item = self.factors.item(row, 0)
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def selected_code(self) -> str | None:
        rows = self.factors.selectionModel().selectedRows() if self.factors.rowCount() else []
        return self._code_at(rows[0].row()) if rows else None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._split_once:  # the first time: 42 % for the factors and chart, the rest the form
            self._split_once = False
            total = sum(self.splitter.sizes())
            if total > 0:
                self.splitter.setSizes([total * 42 // 100, total - total * 42 // 100])

    def step_factor(self, step: int) -> None:
        """Select the next (+1) or previous (−1) factor; the form gets the focus."""
        rows = self.factors.rowCount()
        if not rows:
            return
        current = self.factors.currentRow()
        self.factors.selectRow(min(max(current + step, 0), rows - 1))

    def _on_factor_selected(self) -> None:
        view, code = self._view, self.selected_code()
        factor = view.catalogue.factor(code) if view and code else None
        self.form.set_factor(factor, view.answers if view else {})
        self._show_level(code)
        self._show_linked(code)

    def _show_level(self, code: str | None) -> None:
        self.level.show_result(self._view.results.get(code) if self._view and code else None)

    def _show_linked(self, code: str | None) -> None:
        self.linked.clear()
        if not code or self._view is None:
            return
        try:
            items = self._audit.linked_items(code)
        except AppError as exc:
            show_error(self, exc)
            return
        for item in items:
            self.linked.addItem(f"{item.number} {item.title} — {STATUS_TITLES[item.status]}")
        if not items:
            self.linked.addItem(self.tr("Нет связанных мероприятий."))

    def _show_error(self, exc: AppError) -> None:
        show_error(self, exc)
