"""Editing actions of «Педагоги и ИППР»: add/edit/delete through the shared `UndoHistory`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QMessageBox, QTableView, QWidget

from models.staff import (
    DevelopmentActivityBase,
    DevelopmentPlanBase,
    ProfessionalDeficitBase,
    TeacherBase,
)
from services.core.errors import AppError
from services.staff import ActivityRead, DeficitRead, PlanRead, StaffService, TeacherRead
from ui.gui.errors import show_error
from ui.gui.screens.staff.dialogs import ActivityDialog, DeficitDialog, PlanDialog, TeacherDialog
from ui.gui.table_models.row_model import RowTableModel
from ui.gui.widgets.undo import UndoHistory


class StaffActions(QWidget):
    """The screen's changes; each success pushes its inverse on `history` and reloads."""

    _staff: StaffService
    history: UndoHistory
    _teachers: list[TeacherRead]
    plan_combo: QComboBox
    deficit_view: QTableView
    deficit_model: RowTableModel[DeficitRead]
    activity_view: QTableView
    activity_model: RowTableModel[ActivityRead]

    def refresh(self) -> None:
        raise NotImplementedError

    def select_teacher(self, teacher_id: str | None) -> None:
        raise NotImplementedError

    def selected_teacher(self) -> TeacherRead | None:
        raise NotImplementedError

    def current_plan(self) -> PlanRead | None:
        raise NotImplementedError

    # changing --------------------------------------------------------------------------

    def _run(self, label: str, change: Callable[[], Any], undo: Callable[[Any], Any]) -> Any:
        """Apply a change; on success remember how to undo it and reload; None if refused."""
        applied = self.history.push(label, change, undo)
        return applied.value if applied is not None else None

    def undo(self) -> None:
        self.history.undo()

    def _show_error(self, exc: AppError) -> None:
        show_error(self, exc)

    def _confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Удаление"), text)
        return answer == QMessageBox.StandardButton.Yes

    def _add_teacher(self) -> None:
        values = TeacherDialog.ask(self, None, self._teachers)
        if values is not None:
            new = self._run("teacher", lambda: self._staff.save_teacher(values),
                            lambda i: self._staff.delete_teacher(i))  # fmt: skip
            if new:
                self.select_teacher(new)

    def _edit_teacher(self) -> None:
        teacher = self.selected_teacher()
        if teacher is None:
            return
        values = TeacherDialog.ask(self, teacher, self._teachers)
        if values is not None:
            old = TeacherBase.model_validate(teacher.model_dump())
            self._run("teacher", lambda: self._staff.save_teacher(values, teacher.id),
                      lambda i: self._staff.save_teacher(old, i))  # fmt: skip

    def _delete_teacher(self) -> None:
        teacher = self.selected_teacher()
        if teacher and self._confirm(self.tr("Удалить педагога {0}?").format(teacher.full_name)):
            self._run("teacher", lambda: self._staff.delete_teacher(teacher.id),
                      lambda _r: self._staff.restore("teacher", teacher.id))  # fmt: skip

    def _add_plan(self) -> None:
        teacher = self.selected_teacher()
        if teacher is None:
            return
        values = PlanDialog.ask(self, teacher.id, None)
        if values is not None:
            self._run("plan", lambda: self._staff.save_plan(values),
                      lambda i: self._staff.delete("plan", i))  # fmt: skip

    def _edit_plan(self) -> None:
        plan = self.current_plan()
        if plan is None:
            return
        values = PlanDialog.ask(self, plan.teacher_id, plan)
        if values is not None:
            old = DevelopmentPlanBase.model_validate(plan.model_dump())
            self._run("plan", lambda: self._staff.save_plan(values, plan.id),
                      lambda i: self._staff.save_plan(old, i))  # fmt: skip

    def _copy_plan(self) -> None:
        plan = self.current_plan()
        if plan is not None:
            self._run("plan", lambda: self._staff.copy_to_next_period(plan.id),
                      lambda i: self._staff.delete("plan", i))  # fmt: skip
            self.plan_combo.setCurrentIndex(0)

    def _delete_plan(self) -> None:
        plan = self.current_plan()
        if plan and self._confirm(self.tr("Удалить план со всеми мероприятиями?")):
            self._run("plan", lambda: self._staff.delete("plan", plan.id),
                      lambda _r: self._staff.restore("plan", plan.id))  # fmt: skip

    def _selected(self, view: QTableView, model: RowTableModel[Any]) -> Any:
        rows = view.selectionModel().selectedRows()
        return model.row_at(rows[0].row()) if rows else None

    def _add_deficit(self) -> None:
        plan = self.current_plan()
        values = DeficitDialog.ask(self, plan.id, None) if plan else None
        if values is not None:
            self._run("deficit", lambda: self._staff.save_deficit(values),
                      lambda i: self._staff.delete("deficit", i))  # fmt: skip

    def _edit_deficit(self) -> None:
        row: DeficitRead | None = self._selected(self.deficit_view, self.deficit_model)
        values = DeficitDialog.ask(self, row.plan_id, row) if row else None
        if row is not None and values is not None:
            old = ProfessionalDeficitBase.model_validate(row.model_dump())
            self._run("deficit", lambda: self._staff.save_deficit(values, row.id),
                      lambda i: self._staff.save_deficit(old, i))  # fmt: skip

    def _delete_deficit(self) -> None:
        row: DeficitRead | None = self._selected(self.deficit_view, self.deficit_model)
        if row is not None:
            self._run("deficit", lambda: self._staff.delete("deficit", row.id),
                      lambda _r: self._staff.restore("deficit", row.id))  # fmt: skip

    def _add_activity(self) -> None:
        plan = self.current_plan()
        if plan is None:
            return
        values = ActivityDialog.ask(self, plan.id, None, self.deficit_model.rows())
        if values is not None:
            self._run("activity", lambda: self._staff.save_activity(values),
                      lambda i: self._staff.delete("activity", i))  # fmt: skip

    def _edit_activity(self) -> None:
        row: ActivityRead | None = self._selected(self.activity_view, self.activity_model)
        if row is None:
            return
        values = ActivityDialog.ask(self, row.plan_id, row, self.deficit_model.rows())
        if values is not None:
            old = DevelopmentActivityBase.model_validate(row.model_dump())
            self._run("activity", lambda: self._staff.save_activity(values, row.id),
                      lambda i: self._staff.save_activity(old, i))  # fmt: skip

    def _delete_activity(self) -> None:
        row: ActivityRead | None = self._selected(self.activity_view, self.activity_model)
        if row is not None:
            self._run("activity", lambda: self._staff.delete("activity", row.id),
                      lambda _r: self._staff.restore("activity", row.id))  # fmt: skip
