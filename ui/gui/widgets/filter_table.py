"""A table with an instant filter box and column sorting (DESIGN §9: every table has both)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.gui.table_models.row_model import ROW_ROLE, SORT_ROLE
from ui.gui.widgets.frozen_column import FrozenColumnView

FIT_SAMPLE_ROWS = 40  # rows measured when columns are fitted to their contents


class NothingFound(QWidget):
    """«Ничего не найдено по фильтру «…»» with a button that clears the filter.

    An empty table under a filter looks like lost data to a newcomer; this line says why it is
    empty and how to get the rows back.
    """

    clear_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.clear_button = QPushButton(self.tr("Очистить фильтр"), self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.clear_button)
        self.clear_button.clicked.connect(self.clear_requested)
        self.setVisible(False)

    def show_for(self, criteria: str) -> None:
        """Show the line for `criteria` (what the user filtered by); "" hides it."""
        self.label.setText(self.tr("Ничего не найдено по фильтру «{0}».").format(criteria))
        self.setVisible(bool(criteria))


class FilterTable(QWidget):
    """Filter box above a sortable table; emits `activated_row(dto)` on double click/Enter."""

    activated_row = Signal(object)

    def __init__(
        self,
        model: QAbstractItemModel,
        parent: QWidget | None = None,
        *,
        frozen_first: bool = False,
    ) -> None:
        """`frozen_first`: the first column stays in view when the table scrolls sideways."""
        super().__init__(parent)
        self._frozen_first = frozen_first
        self.source_model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Фильтр: начните вводить текст…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.view = FrozenColumnView(self) if self._frozen_first else QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        # Qt's default indicator is descending: a registry opened Я→А. А→Я by the first column
        # until the user sorts (screens that keep the service's order call `proxy.sort(-1)`).
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        # Fitting columns to their contents measures every cell of up to 1000 rows by default:
        # 0.8 s on the GUI thread for «Сводка» of 300 schools. A sample of rows is enough.
        self.view.horizontalHeader().setResizeContentsPrecision(FIT_SAMPLE_ROWS)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        from ui.gui.widgets.columns import keep_readable

        keep_readable(self.view)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        self.nothing_found = NothingFound(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.nothing_found)
        layout.addWidget(self.view, 1)
        self._update_count()

    def _connect(self) -> None:
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        self.nothing_found.clear_requested.connect(self.filter_edit.clear)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)

    def _on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_count()

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        self.activated_row.emit(index.data(ROW_ROLE))

    def _update_count(self, *_: Any) -> None:
        shown, total = self.proxy.rowCount(), self.source_model.rowCount()
        text = self.tr("Строк: {0}").format(total)
        if shown != total:
            text = self.tr("Показано {0} из {1}").format(shown, total)
        self.count_label.setText(text)
        self.nothing_found.show_for(self.filter_edit.text() if total and not shown else "")

    def selected_rows(self) -> list[Any]:
        """DTOs of the selected rows, in view order."""
        rows = self.view.selectionModel().selectedRows()
        return [self.proxy.data(i, ROW_ROLE) for i in sorted(rows, key=lambda i: i.row())]
