"""«Шаблоны и пороги» (district): thresholds of the indicators per year, catalogues to publish.

A school is flagged in «Сводка» when an indicator meets the district's threshold; a year without
its own threshold for an indicator uses the latest earlier one (shown greyed, editable: editing
gives the year its own threshold). Thresholds and published catalogues reach the schools with the
next «Рассылка школам».
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError
from services.district import (
    MAX_YEAR,
    MIN_YEAR,
    CatalogueEntry,
    ThresholdDraft,
    ThresholdItem,
    ThresholdService,
)
from ui.gui.errors import show_error
from ui.gui.screens.district.catalogues_panel import CataloguePanel
from ui.gui.screens.district.definitions_panel import DefinitionsPanel
from ui.gui.screens.district.thresholds_parts import (
    NOTE_COLUMN,
    VALUE_COLUMN,
    Line,
    ThresholdDialog,
    ThresholdModel,
    ValueDelegate,
    number,
)
from ui.gui.table_models.row_model import Column
from ui.gui.tasks import Notifier
from ui.gui.widgets.conflict import Outcome, save_checked
from ui.gui.widgets.flow_layout import FlowLayout


def results_year(today: date | None = None) -> int:
    """The latest results year: a school year's results are complete after the summer."""
    today = today or date.today()
    return today.year if today.month >= 7 else today.year - 1


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


class ThresholdsScreen(QWidget):
    def __init__(
        self,
        service: ThresholdService,
        parent: QWidget | None = None,
        *,
        notifier: Notifier | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._notifier = notifier or Notifier(self)
        self._build_ui()
        self.year.setValue(results_year())
        self.year.valueChanged.connect(self._on_year_changed)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.copy_button.clicked.connect(self.copy_previous)
        self.examples_button.clicked.connect(self.fill_examples)
        self.table.doubleClicked.connect(self._on_double_clicked)
        self.delete_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        self.delete_shortcut.activated.connect(self.delete_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

    # -- layout --------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        intro = QLabel(
            self.tr(
                "Пороговые значения показателей: школа отмечается в «Сводке», если её показатель "
                "удовлетворяет условию. Год без своего порога пользуется порогом предыдущих лет "
                "(серые строки). Жёлтые строки — примеры: проверьте и измените их."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.year = QSpinBox(self)
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setToolTip(self.tr("Год результатов (учебный год, окончившийся летом)"))
        self.add_button = QPushButton(self.tr("Добавить…"), self)
        self.edit_button = QPushButton(self.tr("Изменить…"), self)
        self.delete_button = QPushButton(self.tr("Удалить"), self)
        self.copy_button = QPushButton(self.tr("Скопировать из прошлого года"), self)
        self.examples_button = QPushButton(self.tr("Заполнить примерами"), self)
        top = FlowLayout()  # the year and five buttons wrap with «Крупный шрифт» at 1024 px
        year = QWidget(self)
        year_row = QHBoxLayout(year)
        year_row.setContentsMargins(0, 0, 12, 0)
        year_row.addWidget(QLabel(self.tr("Год:"), year))
        year_row.addWidget(self.year)
        top.addWidget(year)
        for button in (
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.copy_button,
            self.examples_button,
        ):
            top.addWidget(button)
        self.model = ThresholdModel(self._columns(), self._on_cell_edited, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(VALUE_COLUMN, ValueDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        # «Показатель», the column a line is read by, takes the free width; a note wraps in its
        # 160 px, so that the indicator keeps ≥ 200 px with «Крупный шрифт» at 1024 px.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 90), (VALUE_COLUMN, 80), (NOTE_COLUMN, 160), (4, 150)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(column, width)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.status)
        # The district's own indicators and the catalogues share the space under the table as
        # two tabs: stacked, they left the thresholds two lines at «Крупный шрифт» in 1024 × 768.
        self.extras = QTabWidget(self)
        self.definitions = DefinitionsPanel(self._service, self._show_error, self._on_defined, self)
        self.catalogues = CataloguePanel(self._service, self._show_error, self._done, self)
        for panel, title in (
            (self.definitions, self.tr("Показатели управления (по формулам)")),
            (self.catalogues, self.tr("Справочники для школ")),
        ):
            panel.setTitle("")
            panel.setFlat(True)
            self.extras.addTab(panel, title)
        layout.addWidget(self.extras, 0)

    def _columns(self) -> list[Column[Line]]:
        return [
            Column(self.tr("Показатель"), lambda ln: ln.item.name),
            Column(self.tr("Условие"), lambda ln: ln.item.condition),
            Column(
                self.tr("Порог"),
                lambda ln: ln.item.value,
                formatter=number,
                align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                tooltip=self.tr("Дважды щёлкните, чтобы изменить"),
            ),
            Column(self.tr("Пояснение"), lambda ln: ln.item.note),
            Column(self.tr("Отметка"), self._mark),
        ]

    def _mark(self, line: Line) -> str:
        marks = []
        if line.inherited:
            marks.append(self.tr("из {0} г.").format(line.item.year))
        if line.item.is_example:
            marks.append(self.tr("пример"))
        return ", ".join(marks)

    # -- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        year = self.year.value()
        own = [Line(t) for t in self._service.for_year(year)]
        inherited = [Line(t, inherited=True) for t in self._service.inherited(year)]
        order = {d.code: i for i, d in enumerate(self._service.indicators())}
        lines = sorted(own + inherited, key=lambda ln: _order_key(ln.item, order))
        self.model.set_rows(lines)
        if not lines and not self.status.text():
            self.status.setText(
                self.tr("Порогов на {0} год нет: добавьте их, скопируйте из {1} года или "
                        "заполните примерами.").format(year, year - 1)
            )  # fmt: skip
        self.copy_button.setText(self.tr("Скопировать из {0} года").format(year - 1))
        self._update_buttons()
        self.definitions.load()
        self.catalogues.load()

    @property
    def catalogue_rows(self) -> list[tuple[CatalogueEntry, QLabel, QPushButton]]:
        return self.catalogues.rows

    def _show_error(self, exc: AppError) -> None:
        show_error(self, exc)

    def _on_defined(self, text: str) -> None:
        """A district indicator changed: thresholds may name it now (or no longer)."""
        self._done(text)
        self.refresh()

    def _done(self, text: str) -> None:
        """Say what was saved and announce it (the summary and the status bar follow)."""
        self.status.setText(text)
        self._notifier.announce(["thresholds"], self)

    # -- actions -------------------------------------------------------------------------------

    def selected(self) -> Line | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: Any) -> None:
        line = self.selected()
        self.edit_button.setEnabled(line is not None)
        self.delete_button.setEnabled(line is not None and not line.inherited)

    def _on_year_changed(self, _year: int) -> None:
        self.status.clear()
        self.refresh()

    def lock_writes(self) -> None:
        """A read-only login: thresholds and the district's indicators are shown, not changed."""
        from ui.gui.widgets.read_only import lock

        lock([self.add_button, self.edit_button, self.delete_button, self.copy_button,
              self.examples_button, self.delete_shortcut])  # fmt: skip
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.doubleClicked.disconnect(self._on_double_clicked)
        self.definitions.lock_writes()
        self.catalogues.lock_writes()

    def _on_double_clicked(self, index: Any) -> None:
        if index.column() not in (VALUE_COLUMN, NOTE_COLUMN):
            self.edit_selected()

    def add(self) -> None:
        self._edit(None)

    def edit_selected(self) -> None:
        line = self.selected()
        if line is not None:
            self._edit(line.item)

    def _edit(self, item: ThresholdItem | None) -> None:
        outcome = ThresholdDialog.edit_saved(self, self._service.indicators(), self.year.value(),
                                             item, self._service.save, self._seen())  # fmt: skip
        self._after_save(outcome)
        if outcome is not Outcome.STAYED:
            self.refresh()

    def _seen(self) -> dict[str, str]:
        """The version of each of the year's own thresholds as listed: saves go over it."""
        return {ln.item.indicator_code: ln.item.hlc for ln in self.model.rows() if not ln.inherited}

    def _after_save(self, outcome: Outcome) -> None:
        if outcome is Outcome.SAVED:
            self._done(self.tr("Порог сохранён."))
        elif outcome is Outcome.TAKEN:
            self.status.setText(self.tr("Оставлен порог, сохранённый коллегой."))

    def _on_cell_edited(self, line: Line, column: int, value: Any) -> bool:
        item = line.item
        new_value = float(value) if column == VALUE_COLUMN else item.value
        note = str(value) if column == NOTE_COLUMN else item.note
        if (new_value, note.strip()) == (item.value, item.note) and not line.inherited:
            return False
        draft = ThresholdDraft(self.year.value(), item.indicator_code, item.comparison,
                               new_value, note)  # fmt: skip
        service = self._service
        outcome = save_checked(self, lambda e: service.save(replace(draft, expected=e)),
                               "" if line.inherited else item.hlc)  # fmt: skip
        self._after_save(outcome)
        if outcome is not Outcome.STAYED:
            QTimer.singleShot(0, self.refresh)  # not while the view is still committing
        return outcome is Outcome.SAVED

    def delete_selected(self) -> None:
        line = self.selected()
        if line is None or line.inherited:
            return
        text = self.tr("Удалить порог «{0}» на {1} год?").format(line.item.name, line.item.year)
        if not confirm(self, self.tr("Удаление порога"), text):
            return
        try:
            self._service.delete(line.item.id)
        except AppError as exc:
            show_error(self, exc)
            return
        self._done(self.tr("Порог удалён."))
        self.refresh()

    def copy_previous(self) -> None:
        year = self.year.value()
        try:
            added = self._service.copy_previous_year(year)
        except AppError as exc:
            show_error(self, exc)
            return
        if added:
            self._done(self.tr("Скопировано порогов из {0} года: {1}.").format(year - 1, added))
        else:
            self.status.setText(
                self.tr("Все пороги {0} года уже есть в {1} году.").format(year - 1, year)
            )
        self.refresh()

    def fill_examples(self) -> None:
        try:
            added = self._service.fill_examples(self.year.value())
        except AppError as exc:
            show_error(self, exc)
            return
        if added:
            self._done(self.tr("Добавлено примеров: {0}. Проверьте их и измените под свой "
                               "район.").format(added))  # fmt: skip
        else:
            self.status.setText(
                self.tr("Для всех показателей с примерами пороги этого года уже заданы.")
            )
        self.refresh()


def _order_key(item: ThresholdItem, order: dict[str, int]) -> tuple[int, str]:
    code, _sep, subject = item.indicator_code.partition("|")
    return order.get(code, len(order)), subject
