"""The curators of one school in the status dialog of «Школы»: a small table edited in place.

A school may have several curators; each row is a name, position, organisation and contacts.
Rows keep their ids, so an edited curator stays the same row in the school's bulletin.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.district import Curator

COLUMNS = (("name", "ФИО", 200), ("job_title", "Должность", 130),
           ("org", "Организация", 160), ("contact", "Контакты", 130))  # fmt: skip


class CuratorsEditor(QWidget):
    """Add, edit in place and remove curators; `curators()` reads the table back."""

    changed = Signal()

    def __init__(self, curators: tuple[Curator, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr(title) for _k, title, _n in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        # «ФИО» takes the width the others leave (≥ 200 px in the dialog's full width); the
        # others keep their whole titles, so no column hides behind a scroll bar
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, (_key, _title, width) in enumerate(COLUMNS[1:], 1):
            self.table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.add_button = QPushButton(self.tr("Добавить куратора"), self)
        self.remove_button = QPushButton(self.tr("Удалить куратора"), self)
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        for curator in curators:
            self._append(curator)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())

    def _append(self, c: Curator) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, (key, _title, _limit) in enumerate(COLUMNS):
            item = QTableWidgetItem(getattr(c, key))
            if column == 0:
                item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.table.setItem(row, column, item)

    def _on_add_clicked(self) -> None:
        self._append(Curator(""))
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, 0)
        if (item := self.table.item(row, 0)) is not None:
            self.table.editItem(item)
        self.changed.emit()

    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def curators(self) -> list[Curator]:
        """The rows in order; a row left entirely empty is dropped."""
        out = []
        for row in range(self.table.rowCount()):
            values = {key: self._text(row, n) for n, (key, _t, _l) in enumerate(COLUMNS)}
            if not any(values.values()):
                continue
            first = self.table.item(row, 0)
            row_id = first.data(Qt.ItemDataRole.UserRole) if first is not None else None
            out.append(Curator(id=row_id or None, **values))
        return out

    def problems(self) -> list[str]:
        found = []
        for n, c in enumerate(self.curators(), start=1):
            if not c.name:
                found.append(self.tr("Куратор № {0}: укажите ФИО.").format(n))
            for key, title, limit in COLUMNS:
                if len(getattr(c, key)) > limit:
                    found.append(
                        self.tr("Куратор № {0}: «{1}» — не больше {2} символов.").format(
                            n, self.tr(title), limit
                        )
                    )
        return found
