"""A table whose first column stays in view when the rest scrolls sideways.

«Сводка» has sixteen columns: at 1024 px it scrolls sideways, and without this the school
names went out of view with the first scroll. Qt's "frozen column" pattern: a second view over
the same model, showing only column 0, lies over the left edge of the main view. Both share the
selection model, so a click in either selects the same row; row heights, the first column's
width, the vertical scroll and the sort order follow the main view. The overlay takes no focus:
the keyboard stays in the main view, which scrolls a cell out from under the overlay.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView, QWidget


class FrozenColumnView(QTableView):
    """A QTableView with column 0 frozen at its left edge (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen = QTableView(self)
        self.frozen.setObjectName("frozen_column")
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen.setFrameShape(QFrame.Shape.NoFrame)  # its cells line up with the table's
        self.frozen.verticalHeader().hide()
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.horizontalHeader().setSortIndicatorShown(True)
        self.frozen.horizontalHeader().setSectionsClickable(True)
        self.frozen.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.viewport().stackUnder(self.frozen)
        self.horizontalHeader().sectionResized.connect(self._on_section_resized)
        self.verticalHeader().sectionResized.connect(self._on_row_resized)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.horizontalHeader().sortIndicatorChanged.connect(self._follow_sort)
        self.frozen.horizontalHeader().sortIndicatorChanged.connect(self._sort_from_overlay)
        self.frozen.doubleClicked.connect(self.doubleClicked)
        self.frozen.clicked.connect(self.clicked)

    # -- the overlay follows the main view ---------------------------------------------------

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        if model is not None:
            model.modelReset.connect(self._sync_all)
            model.layoutChanged.connect(self._sync_all)
            model.rowsInserted.connect(self._sync_all)
            model.columnsInserted.connect(self._sync_all)
        self._sync_all()

    def setSelectionBehavior(self, behavior: QAbstractItemView.SelectionBehavior) -> None:
        super().setSelectionBehavior(behavior)
        self.frozen.setSelectionBehavior(behavior)

    def setSelectionMode(self, mode: QAbstractItemView.SelectionMode) -> None:
        super().setSelectionMode(mode)
        self.frozen.setSelectionMode(mode)

    def setWordWrap(self, on: bool) -> None:
        super().setWordWrap(on)
        self.frozen.setWordWrap(on)

    def setAlternatingRowColors(self, enable: bool) -> None:
        super().setAlternatingRowColors(enable)
        self.frozen.setAlternatingRowColors(enable)

    def _sync_all(self, *_: object) -> None:
        model = self.model()
        if model is None:
            return
        for column in range(1, model.columnCount()):
            self.frozen.setColumnHidden(column, True)
        self.frozen.setColumnWidth(0, self.columnWidth(0))
        self.frozen.verticalHeader().setDefaultSectionSize(
            self.verticalHeader().defaultSectionSize()
        )
        for row in range(model.rowCount()):
            self.frozen.setRowHeight(row, self.rowHeight(row))
        header = self.horizontalHeader()
        self._follow_sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._place()

    def _on_section_resized(self, section: int, _old: int, new: int) -> None:
        if section == 0:
            self.frozen.setColumnWidth(0, new)
            self._place()

    def _on_row_resized(self, row: int, _old: int, new: int) -> None:
        self.frozen.setRowHeight(row, new)

    def _follow_sort(self, section: int, order: Qt.SortOrder) -> None:
        header = self.frozen.horizontalHeader()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (section, order):
            header.blockSignals(True)
            header.setSortIndicator(section, order)
            header.blockSignals(False)
            header.viewport().update()

    def _sort_from_overlay(self, section: int, order: Qt.SortOrder) -> None:
        """A click on the overlay's header sorts the table, as a click on the main one does."""
        self.horizontalHeader().setSortIndicator(section, order)
        if not self.isSortingEnabled() and self.model() is not None:
            self.sortByColumn(section, order)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self._place()

    def _place(self) -> None:
        if not hasattr(self, "frozen"):  # called from QTableView's constructor
            return
        frame = self.frameWidth()
        self.frozen.setGeometry(
            self.verticalHeader().width() + frame,
            frame,
            self.columnWidth(0),
            self.viewport().height() + self.horizontalHeader().height(),
        )
        self.frozen.setVisible(not self.isColumnHidden(0))

    # -- the keyboard never leaves a cell under the overlay -----------------------------------

    def scrollTo(
        self,
        index: QModelIndex | QPersistentModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        keep = self.horizontalScrollBar().value()
        super().scrollTo(index, hint)
        if not index.isValid():
            return
        if index.column() == 0:  # always in view on the overlay: scroll rows only
            self.horizontalScrollBar().setValue(keep)
            return
        hidden = self.columnWidth(0) - self.visualRect(index).left()
        if hidden > 0:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - hidden)

    def setSelectionModel(self, model: QItemSelectionModel) -> None:
        super().setSelectionModel(model)
        # QTableView.setModel sets its selection model before the overlay has the model
        if hasattr(self, "frozen") and self.frozen.model() is model.model():
            self.frozen.setSelectionModel(model)
