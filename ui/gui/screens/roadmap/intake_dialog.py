"""The roadmap's preview dialog: the shared intake dialog with the roadmap's columns and rows.

Shows what `import-xlsx roadmap --dry-run` prints: the mapping (reassignable), the sections
found (nested ones indented, with their numbers), the first rows as they will be stored with
each deadline as understood (not understood ones flagged), the counts and every warning; and
the period the deadlines are read in, with where it came from, which the user may change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QWidget

from services.intake import (
    ExistingRoadmap,
    RoadmapPreview,
    Vocabulary,
    mismatch_text,
    preview_roadmap,
    span_text,
    understood_text,
    with_period,
)
from ui.gui.widgets.intake_dialog import LEAVE_OUT, IntakeKind, IntakeView
from ui.gui.widgets.intake_dialog import IntakeDialog as SharedIntakeDialog
from ui.gui.widgets.intake_period import PeriodRow

__all__ = ["LEAVE_OUT", "IntakeDialog", "roadmap_kind"]
INDENT = "\u2003\u2003"


def _tr(text: str) -> str:
    return QCoreApplication.translate("IntakeDialog", text)


@dataclass
class PeriodChoice:
    """The period the user typed in the preview (None: the one the preview found)."""

    period: tuple[date, date] | None = None


def roadmap_kind(
    path: Path,
    vocabulary: Vocabulary,
    existing: ExistingRoadmap | None = None,
    choice: PeriodChoice | None = None,
) -> IntakeKind[RoadmapPreview]:
    labels = {
        f: label for f, label in vocabulary.field_labels().items() if f not in ("start", "end")
    }
    chosen = choice or PeriodChoice()
    found: dict[tuple[object, ...], RoadmapPreview] = {}

    def preview(overrides: dict[str, str], pick: str | None) -> RoadmapPreview:
        # A new period re-reads the deadlines of the table already mapped: a few milliseconds
        # for 500 items, so it runs as the user types a date.
        key = (tuple(sorted(overrides.items())), pick)
        if key not in found:
            found.clear()
            found[key] = preview_roadmap(
                path, vocabulary, overrides=overrides, pick=pick, existing=existing
            )
        base = found[key]
        return with_period(base, chosen.period) if chosen.period else base

    return IntakeKind(
        _tr("Загрузка дорожной карты: {0}"),
        _tr("Столбцы файла → поля дорожной карты"),
        [
            _tr("№"),
            _tr("Мероприятие"),
            _tr("Срок в файле"),
            _tr("Как понят срок"),
            _tr("Ответственные"),
        ],
        labels,
        preview,
        _view,
        (60, 340, 180, 170, 220),
    )


def _view(preview: RoadmapPreview) -> IntakeView:
    d = preview.detected
    summary = _tr(
        "Файл: {0}; таблица: {1}. Период карты: {2} ({3}).\n"
        "Будет загружено: мероприятий — {4}, разделов — {5}; срок не распознан — {6}."
    ).format(preview.source, d.label, span_text(preview.period), preview.chosen.source_text(),
             len(preview.items), len(preview.sections), len(preview.not_understood))  # fmt: skip
    titles = preview.section_titles
    # nested sections indented by their depth (em spaces: a label keeps them)
    lines = [f"{INDENT * (s.level - 1)}• {s.number} {s.title}".replace("•  ", "• ")
             for s in preview.sections]  # fmt: skip
    listed = "\n".join(lines) or _tr("нет")
    rows = []
    for item in preview.items:
        f = item.fields
        cells = [f.number, f.title, f.deadline_text, understood_text(item.deadline), f.responsible]
        rows.append((cells, set() if item.deadline.understood else {3}))
    return IntakeView(
        summary, _tr("Разделы ({0}):\n{1}").format(len(titles), listed), rows, preview.warnings
    )


class IntakeDialog(SharedIntakeDialog[RoadmapPreview]):
    """Preview `path` as a roadmap; `preview` is what «Загрузить» accepts (None until valid).

    `existing` is the roadmap the import goes into: its period is the default when the file's
    title names none, and the preview says when the two differ.
    """

    def __init__(
        self,
        path: Path,
        vocabulary: Vocabulary,
        parent: QWidget | None = None,
        existing: ExistingRoadmap | None = None,
    ) -> None:
        self._choice = PeriodChoice()
        super().__init__(path, roadmap_kind(path, vocabulary, existing, self._choice), parent)
        self.sections = self.details
        self.period_row = PeriodRow(self)
        self.insert_row(self.period_row)
        self.period_row.changed.connect(self._on_period_row_changed)
        if self.preview is not None:
            self._show_period(self.preview)
        else:
            self.period_row.setVisible(False)

    def set_period(self, period: tuple[date, date] | None) -> None:
        """Read the deadlines in `period` (None: the period the preview found)."""
        self._choice.period = period
        self.refresh()

    def _on_period_row_changed(self, period: tuple[date, date] | None) -> None:
        self.set_period(period)

    def _show(self, preview: RoadmapPreview) -> None:
        super()._show(preview)
        if hasattr(self, "period_row"):
            self._show_period(preview)

    def _show_period(self, preview: RoadmapPreview) -> None:
        note = mismatch_text(preview.chosen, preview.existing)
        self.period_row.setVisible(True)
        self.period_row.show_period(preview.period, preview.chosen.source_text(), note)
        self.period_row.reset.setEnabled(self._choice.period is not None)

    @classmethod
    def ask(
        cls,
        path: Path,
        vocabulary: Vocabulary,
        parent: QWidget | None = None,
        existing: ExistingRoadmap | None = None,
    ) -> RoadmapPreview | None:
        """The preview the user accepted, or None when cancelled."""
        dialog = cls(path, vocabulary, parent, existing)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.preview if accepted else None
