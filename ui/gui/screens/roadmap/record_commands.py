"""The roadmap screen's commands on occurrences (a year's record) and on sections, with undo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QTableView, QWidget

from models.roadmap import ItemStatus
from services.roadmap import (
    OccurrenceFields,
    OccurrenceRead,
    RoadmapRead,
    RoadmapService,
    SectionRead,
)
from ui.gui.screens.roadmap.record_dialogs import OccurrenceDialog, SectionDialog
from ui.gui.table_models.roadmap import ItemRow, OccurrenceRow, Row, one_occurrence
from ui.gui.widgets.undo import UndoHistory


class RecordCommands(QWidget):
    """Record on occurrences (one, or «Отметить выполненными» on many); add and edit sections."""

    _service: RoadmapService
    _today: Callable[[], date]
    _roadmap: RoadmapRead | None
    _sections: list[SectionRead]
    history: UndoHistory
    view: QTableView

    def refresh(self, select: str | None = None) -> None:
        raise NotImplementedError

    def _selected(self) -> list[Row]:
        raise NotImplementedError

    def _current_section(self) -> SectionRead | None:
        raise NotImplementedError

    def _selected_occurrences(self) -> list[OccurrenceRead]:
        """The occurrences the selected rows record on; a collapsed recurring item: its current."""
        rows = self._selected()
        chosen = {r.occurrence.id: r.occurrence for r in rows if isinstance(r, OccurrenceRow)}
        opened = {r.item.id for r in rows if isinstance(r, OccurrenceRow)}
        for row in rows:
            if isinstance(row, ItemRow) and row.item.id not in opened:
                occ = one_occurrence(row) or row.item.current
                if occ is not None:
                    chosen.setdefault(occ.id, occ)
        return list(chosen.values())

    def _record(self, item_id: str, occ: OccurrenceRead, after: OccurrenceFields) -> bool:
        """Record on one occurrence, with «Отменить» putting back what it held."""
        before = OccurrenceFields.of(occ)
        if after.status is not ItemStatus.DONE:
            after = after.changed(completion_date=None)
        if after == before:
            return False
        applied = self.history.push(
            self.tr("Отметка о выполнении"),
            lambda: self._service.update_occurrence(occ.id, after),
            lambda _r: self._service.update_occurrence(occ.id, before),
            reload=False,
        )
        self.refresh(select=occ.id)
        return applied is not None

    def _edit_occurrence(self, row: OccurrenceRow) -> None:
        values = OccurrenceDialog.ask(self, row.item.title, row.occurrence)
        if values is not None:
            self._record(row.item.id, row.occurrence, values)

    def _on_done_triggered(self) -> None:
        chosen = self._selected_occurrences()
        if not chosen:
            return
        before = {o.id: OccurrenceFields.of(o) for o in chosen}
        ids = list(before)

        def undo(_r: object) -> None:
            for occurrence_id, values in before.items():
                self._service.update_occurrence(occurrence_id, values)

        self.history.push(
            self.tr("Отметка о выполнении"),
            lambda: self._service.set_occurrence_status(ids, ItemStatus.DONE, self._today()),
            undo,
        )

    def _edit_section(self, section: SectionRead) -> None:
        values = SectionDialog.ask(self, section, [])
        if values is None:
            return
        old = (section.number, section.title, section.task)
        new = (values.number, values.title, values.task)
        if new == old:
            return
        sid = section.id

        def put(v: tuple[str, str, str]) -> None:
            self._service.update_section(sid, number=v[0], title=v[1], task=v[2])

        self.history.push(self.tr("Изменение раздела"), lambda: put(new), lambda _r: put(old))

    def _on_section_triggered(self) -> None:
        if self._roadmap is None:
            return
        # inside the section of the current row; at the top level when no row is current
        here = self._current_section() if self.view.currentIndex().isValid() else None
        preferred = (here.parent_id or here.id) if here else None
        tops = [s for s in self._sections if s.level == 1]
        values = SectionDialog.ask(self, None, tops, preferred)
        if values is None:
            return
        rid = self._roadmap.id
        created: list[str] = []

        def do() -> None:
            if created:
                self._service.restore_section(created[0])
            else:
                created.append(self._service.add_section(
                    rid, values.title, parent_id=values.parent_id, number=values.number,
                    task=values.task))  # fmt: skip

        self.history.push(self.tr("Новый раздел"), do,
                          lambda _r: self._service.delete_section(created[0]))  # fmt: skip
