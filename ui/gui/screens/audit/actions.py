"""The changes of «Самоаудит»: start, answers, overrides, factors, details, anti-risk measures.

Each is one fast service call made at once (the form saves on every change, focus stays put).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QTableWidget, QWidget

from models.audit import RiskLevel
from services.audit import AnswerRead, AuditService, AuditView, Factor, FactorResult, level_title
from services.core.errors import AppError
from ui.gui.screens.audit.dialogs import Details, DetailsDialog, FactorChoice, MeasuresDialog
from ui.gui.tasks import Notifier


class AuditActions(QWidget):
    """The screen supplies the data, the widgets and the loaders named below."""

    _audit: AuditService
    _today: Callable[[], date]
    _view: AuditView | None
    _year: int | None
    _notifier: Notifier
    year_combo: QComboBox
    message: QLabel
    factors: QTableWidget

    def refresh(self) -> None:
        raise NotImplementedError

    def load_year(self, year: int) -> None:
        raise NotImplementedError

    def selected_code(self) -> str | None:
        raise NotImplementedError

    def _fill_row(self, n: int, factor: Factor, result: FactorResult) -> None:
        raise NotImplementedError

    def _show_completeness(self, view: AuditView) -> None:
        raise NotImplementedError

    def _show_level(self, code: str | None) -> None:
        raise NotImplementedError

    def _show_linked(self, code: str | None) -> None:
        raise NotImplementedError

    def _fill_chart(self) -> None:
        raise NotImplementedError

    def _show_error(self, exc: AppError) -> None:
        raise NotImplementedError

    def _changed(self, *areas: str) -> None:
        """Announce a change made here (the status bar and the overview follow)."""
        self._notifier.announce(areas or ("audit",), self)

    # actions -----------------------------------------------------------------------------------

    def _on_year_chosen(self, _index: int) -> None:
        self.message.clear()
        self.load_year(int(self.year_combo.currentData()))

    def _start(self) -> None:
        if self._year is None:
            return
        try:
            self._audit.ensure(self._year, self._today())
        except AppError as exc:
            self._show_error(exc)
            return
        self.refresh()
        self._changed()

    def _save_answer(self, answer: AnswerRead) -> bool:
        if self._year is None:
            return False
        try:
            self._audit.save_answer(
                self._year,
                answer.criterion_code,
                score=answer.score,
                value=answer.value,
                comment=answer.comment,
                evidence=answer.evidence,
            )
        except AppError as exc:
            self._show_error(exc)
            return False
        self._changed()
        return True

    def _on_saved(self, code: str) -> None:
        """Update the badges, completeness and chart without rebuilding the form (focus stays)."""
        if self._year is None:
            return
        self._view = self._audit.view(self._year)
        if self._view is None:
            return
        self.factors.blockSignals(True)  # the row stays selected; the form is not rebuilt
        for n, factor in enumerate(self._view.factors):
            if factor.code == code:
                self._fill_row(n, factor, self._view.results[code])
        self.factors.blockSignals(False)
        self._show_completeness(self._view)
        self._show_level(code)
        self._fill_chart()
        self.message.setText(self.tr("Ответ сохранён."))

    def _apply_override(self, level: RiskLevel | None, reason: str) -> None:
        code = self.selected_code()
        if self._year is None or code is None:
            return
        try:
            self._audit.set_override(self._year, code, level, reason)
        except AppError as exc:
            self._show_error(exc)
            return
        self.load_year(self._year)
        self.message.setText(self.tr("Уровень риска фактора {0} сохранён.").format(code))
        self._changed()

    def _toggle_factor(self, code: str, on: bool) -> None:
        if self._year is None:
            return
        try:
            self._audit.enable_factor(self._year, code, on)
        except AppError as exc:
            self._show_error(exc)
        else:
            self._changed()
        self.load_year(self._year)

    def _edit_details(self) -> None:
        view = self._view
        if view is None or self._year is None:
            return
        details = DetailsDialog.ask(
            self, Details(view.working_group, view.notes, view.completed_on)
        )
        if details is None:
            return
        try:
            self._audit.set_details(
                self._year, details.working_group, details.notes, details.completed_on
            )
        except AppError as exc:
            self._show_error(exc)
            return
        self.load_year(self._year)
        self._changed()

    def _create_measures(self) -> None:
        view = self._view
        if view is None or self._year is None:
            return
        choices = [
            FactorChoice(f.code, f.title, level_title(r.level), r.level is RiskLevel.HIGH)
            for f in view.factors
            if (r := view.results[f.code])
        ]
        codes = MeasuresDialog.ask(self, choices)
        if not codes:
            return
        try:
            added = self._audit.create_measures(self._year, codes, self._today())
        except AppError as exc:
            self._show_error(exc)
            return
        self.message.setText(
            self.tr("В дорожную карту добавлено мероприятий: {0}.").format(added)
            if added
            else self.tr("Меры выбранных факторов уже есть в дорожной карте — ничего не добавлено.")
        )
        self._show_linked(self.selected_code())
        if added:
            self._changed("audit", "roadmap")
