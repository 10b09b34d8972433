"""«Результаты»: ВПР, ГИА, progression and indicators of the school for a year (issue 6).

Tables are edited through a form with inline validation (the service's own rules); workbooks are
imported and exported in the background. The screen talks to `ResultsService` only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError
from services.core.progress import Progress
from services.documents import ImportMode
from services.indicators import IndicatorValue
from services.results import ResultsService, TargetEntry
from ui.gui.errors import show_error
from ui.gui.screens.results.dialogs import EntryDialog, target_fields
from ui.gui.screens.results.indicators import IndicatorsPanel
from ui.gui.screens.results.new_inputs import assessment_tab, enter_vpr_from_shares
from ui.gui.screens.results.tabs import EntryTab, gia_tab, progression_tab, vpr_tab
from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets.flow_layout import FlowLayout

XLSX_FILTER = "Книга Excel (*.xlsx)"


@dataclass(frozen=True)
class _Loaded:
    """What the screen shows, read in the background."""

    years: list[int]
    year: int
    rows: list[Sequence[Any]]
    indicators: list[IndicatorValue]
    history: dict[str, list[tuple[int, float | None]]]


@dataclass(frozen=True)
class ResultsFiles:
    """Workbook actions, bound to the services by the screen factory."""

    import_xlsx: Callable[[Path, ImportMode, Progress], str]
    export: Callable[[Path, int, Progress], None]
    template: Callable[[Path, int, Progress], None]


class ResultsScreen(QWidget):
    loads_when_built = True  # the main window does not refresh it right after

    def __init__(
        self,
        results: ResultsService,
        files: ResultsFiles,
        parent: QWidget | None = None,
        *,
        notifier: Notifier | None = None,
    ) -> None:
        super().__init__(parent)
        self._results = results
        self._files = files
        self._notifier = notifier or Notifier(self)
        self._build_ui()
        self._connect()
        self.refresh()

    def _build_ui(self) -> None:
        heading = QLabel(f"<h2>{self.tr('Результаты')}</h2>", self)
        self.year_combo = QComboBox(self)
        self.import_button = QPushButton(self.tr("Загрузить из Excel…"), self)
        self.import_button.setToolTip(
            self.tr(
                "Шаблон Опоры или отчёты ФИС ОКО «Статистика по отметкам» и «Сравнение "
                "отметок с отметками по журналу»"
            )
        )
        self.template_button = QPushButton(self.tr("Шаблон Excel…"), self)
        self.export_button = QPushButton(self.tr("Сохранить в Excel…"), self)
        # Wraps onto a second line with «Крупный шрифт» at 1024 px instead of widening the window.
        top = FlowLayout()
        year = QWidget(self)
        year_row = QHBoxLayout(year)
        year_row.setContentsMargins(0, 0, 12, 0)
        year_row.addWidget(QLabel(self.tr("Год:"), year))
        year_row.addWidget(self.year_combo)
        for widget in (heading, year, self.import_button, self.template_button):
            top.addWidget(widget)
        top.addWidget(self.export_button)
        self.tabs = QTabWidget(self)
        self.vpr_tab = vpr_tab(self._results, self)
        self.gia_tab = gia_tab(self._results, self)
        self.progression_tab = progression_tab(self._results, self)
        self.assessment_tab = assessment_tab(self._results, self)
        self.shares_button = self.vpr_tab.add_action(self.tr("Из процентов ФИС ОКО…"))
        self.shares_button.setToolTip(
            self.tr("Ввести строку ВПР процентами и числом участников: Опора покажет "
                    "количества, которые сохранит")
        )  # fmt: skip
        self.indicators = IndicatorsPanel(self)
        self.tabs.addTab(self.vpr_tab, self.tr("ВПР"))
        self.tabs.addTab(self.gia_tab, self.tr("ОГЭ и ЕГЭ"))
        self.tabs.addTab(self.progression_tab, self.tr("Переводы и выпуск"))
        self.tabs.addTab(self.assessment_tab, self.tr("Успеваемость"))
        self.tabs.addTab(self.indicators, self.tr("Показатели"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def _connect(self) -> None:
        self.year_combo.activated.connect(self._on_year_combo_activated)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.template_button.clicked.connect(self._on_template_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        for tab in self.entry_tabs():
            tab.changed.connect(self._on_tab_changed)
        self.shares_button.clicked.connect(self._on_shares_button_clicked)
        self.indicators.target_requested.connect(self._on_indicators_target_requested)

    def entry_tabs(self) -> list[EntryTab]:
        return [self.vpr_tab, self.gia_tab, self.progression_tab, self.assessment_tab]

    # -- data --------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        data = self.year_combo.currentData()
        return int(data) if data is not None else date.today().year

    def refresh(self) -> None:
        """Reload years and the selected year's tables (each time the screen shows).

        Read in the background: on a filled school the reads block the window for ≈ 50 ms,
        which made the screen's first show exceed 100 ms.
        """
        results, chosen = self._results, self.year_combo.currentData()
        lists = [tab.spec.list_rows for tab in self.entry_tabs()]

        def job(_progress: Progress) -> _Loaded:
            known = results.years()
            listed = sorted(set(known) | {date.today().year}, reverse=True)
            if chosen is None:
                year = known[0] if known else date.today().year
            else:  # a year whose rows were all deleted is no longer listed
                year = chosen if chosen in listed else listed[0]
            return _Loaded(listed, year, [list_rows(year) for list_rows in lists],
                           results.indicators(year), results.history(year))  # fmt: skip

        run_task(self, job, self._show_loaded, on_error=lambda exc: show_error(self, exc))

    def _show_loaded(self, loaded: _Loaded) -> None:
        self.year_combo.clear()
        for y in loaded.years:
            self.year_combo.addItem(str(y), y)
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(loaded.year), 0))
        for tab, rows in zip(self.entry_tabs(), loaded.rows, strict=True):
            tab.show_rows(loaded.year, rows)
        self.indicators.set_values(loaded.indicators, loaded.history)

    def _load(self) -> None:
        year = self.year
        for tab in self.entry_tabs():
            tab.load(year)
        self._load_indicators()

    def _load_indicators(self) -> None:
        year = self.year
        self.indicators.set_values(self._results.indicators(year), self._results.history(year))

    # -- slots --------------------------------------------------------------------------------

    def _on_year_combo_activated(self, _index: int) -> None:
        self._load()

    def _on_tab_changed(self) -> None:
        self._load_indicators()
        self._notifier.announce(["results"], self)

    def _on_shares_button_clicked(self) -> None:
        enter_vpr_from_shares(self.vpr_tab, self._results)

    def _on_indicators_target_requested(self, value: IndicatorValue) -> None:
        fields = target_fields(value.unit)
        existing = next(
            (t for t in self._results.targets(self.year) if t.indicator_code == value.key), None
        )
        initial = existing or TargetEntry(self.year, value.key, value.baseline, value.target)
        title = self.tr("Цель на {0} год: {1}").format(self.year, value.title)
        entry = EntryDialog.ask(self, title, fields, initial, lambda _e: [])
        if entry is None:
            return
        try:
            self._results.save_target(entry)
        except AppError as exc:
            show_error(self, exc)
            return
        self._load_indicators()
        self._notifier.announce(["results"], self)

    def _on_import_button_clicked(self) -> None:
        path = self.ask_open_path()
        if path is None:
            return
        self.import_button.setEnabled(False)
        run_task(
            self,
            lambda progress: self._files.import_xlsx(path, ImportMode.APPEND, progress),
            self._on_import_done,
            title=self.tr("Загрузка результатов из Excel…"),
            on_error=self._on_job_failed,
            notifier=self._notifier,
            changes=["results"],
        )

    def _on_import_done(self, summary: str) -> None:
        self.import_button.setEnabled(True)
        self.refresh()
        self.tell(summary)

    def _on_job_failed(self, exc: BaseException) -> None:
        self.import_button.setEnabled(True)
        show_error(self, exc)

    def _on_template_button_clicked(self) -> None:
        path = self.ask_save_path(f"Шаблон результатов {self.year}.xlsx")
        if path is not None:
            year = self.year
            run_task(self, lambda p: self._files.template(path, year, p), self._on_saved(path))

    def _on_export_button_clicked(self) -> None:
        path = self.ask_save_path(f"Результаты {self.year}.xlsx")
        if path is not None:
            year = self.year
            run_task(self, lambda p: self._files.export(path, year, p), self._on_saved(path))

    def _on_saved(self, path: Path) -> Callable[[Any], None]:
        return lambda _result: self.tell(self.tr("Файл сохранён: {0}").format(path))

    # -- seams for tests -------------------------------------------------------------------------

    def ask_open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Загрузить результаты"), "", XLSX_FILTER
        )
        return Path(name) if name else None

    def ask_save_path(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Сохранить"), suggested, XLSX_FILTER)
        return Path(name) if name else None

    def tell(self, text: str) -> None:
        QMessageBox.information(self, self.tr("Опора"), text)


def make_results_screen(services: Any, notifier: Notifier | None = None) -> ResultsScreen:
    """The screen factory of `screens_for`: binds the workbook actions to `services`."""
    from services.documents import DocOptions, get_spec, import_xlsx

    def export(path: Path, year: int, progress: Progress) -> None:
        spec = get_spec("results", services.site.profile().role, path)
        spec.render(services, path, DocOptions(year=year), progress)

    def template(path: Path, year: int, progress: Progress) -> None:
        spec = get_spec("results-template", services.site.profile().role, path)
        spec.render(services, path, DocOptions(year=year), progress)

    files = ResultsFiles(
        import_xlsx=lambda path, mode, progress: import_xlsx(
            services, "results", path, mode, progress
        ),
        export=export,
        template=template,
    )
    return ResultsScreen(services.results, files, notifier=notifier)
