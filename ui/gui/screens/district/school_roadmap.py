"""A school's roadmap in «Школы», read-only: nested sections, items, every date of an item.

The same rows as the school's own «Дорожная карта» (`build_rows`): what the district reads is
what the school sees, with each year of a recurring item on its own row and the district's open
comments under an item's title.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from services.district import SchoolView
from services.roadmap import RoadmapItemRead
from ui.gui.screens.roadmap.columns import ColumnChooser
from ui.gui.screens.roadmap.rows import build_rows
from ui.gui.table_models.roadmap import (
    SPAN,
    ItemRow,
    OccurrenceRow,
    RoadmapTableModel,
    SectionRow,
    WrapDelegate,
)
from ui.gui.widgets.columns import keep_readable


class SchoolRoadmapTable(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_ = RoadmapTableModel(None, self)  # no editor: read-only
        self.setModel(self.model_)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.setItemDelegate(WrapDelegate(self))
        self.verticalHeader().setVisible(False)
        # «Мероприятие» takes the width the others leave; its text wraps again when it changes
        self.columns = ColumnChooser(self, None, self.resizeRowsToContents)
        keep_readable(self)

    def show_view(self, view: SchoolView | None) -> None:
        if view is None or view.figures is None:
            self.model_.set_rows([])
            return
        comments: dict[str, list[str]] = {}
        for c in view.comments:
            if not c.resolved and c.target_table == "roadmap_item":
                comments.setdefault(c.target_id, []).append(c.text)
        several = {i.id for i in view.roadmap_items if len(i.occurrences) > 1}
        rows = build_rows(view.sections, view.roadmap_items, view.figures, view.as_of,
                          expanded=several, comments=comments)  # fmt: skip
        self.model_.set_rows(rows)
        self.clearSpans()
        for n, row in enumerate(rows):
            if isinstance(row, SectionRow):
                self.setSpan(n, 1, 1, SPAN)
        self.resizeRowsToContents()

    def selected_item(self) -> RoadmapItemRead | None:
        """The selected row's item (of an occurrence row too: comments are per item)."""
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.model_.row_at(rows[0].row())
        return row.item if isinstance(row, ItemRow | OccurrenceRow) else None

    def item(self, item_id: str) -> RoadmapItemRead | None:
        return next((i.item for i in self.model_.rows()
                     if isinstance(i, ItemRow) and i.item.id == item_id), None)  # fmt: skip
