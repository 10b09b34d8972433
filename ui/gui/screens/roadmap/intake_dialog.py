"""The roadmap's preview dialog: the shared intake dialog with the roadmap's columns and rows.

Shows what `import-xlsx roadmap --dry-run` prints: the mapping (reassignable), the sections
found (nested ones indented, with their numbers), the first rows as they will be stored with
each deadline as understood (not understood ones flagged), the counts and every warning; and
the period the deadlines are read in, with where it came from, which the user may change.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QWidget

from services.core.errors import AppError
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
from ui.gui.errors import show_error
from ui.gui.tasks import run_task
from ui.gui.widgets.intake_dialog import LEAVE_OUT, IntakeKind, IntakeView
from ui.gui.widgets.intake_dialog import IntakeDialog as SharedIntakeDialog
from ui.gui.widgets.intake_period import PeriodRow

__all__ = ["LEAVE_OUT", "IntakeDialog", "roadmap_kind"]
INDENT = "\u2003\u2003"


def _tr(text: str) -> str:
    return QCoreApplication.translate("IntakeDialog", text)


class Previews:
    """The kind's `preview`: the table mapped once per mapping, read in the chosen period.

    `base` is the preview of the mapping on screen in the period found (title, roadmap,
    school year); `period` is the user's (None: the one found).
    """

    def __init__(
        self, path: Path, vocabulary: Vocabulary, existing: ExistingRoadmap | None
    ) -> None:
        self._path, self._vocabulary, self._existing = path, vocabulary, existing
        self._key: tuple[object, ...] | None = None
        self.base: RoadmapPreview | None = None
        self.period: tuple[date, date] | None = None

    def __call__(self, overrides: dict[str, str], pick: str | None) -> RoadmapPreview:
        key = (tuple(sorted(overrides.items())), pick)
        if key != self._key or self.base is None:
            self.base, self._key = None, None
            self.base = preview_roadmap(
                self._path, self._vocabulary, overrides=overrides, pick=pick,
                existing=self._existing,
            )  # fmt: skip
            self._key = key
        return with_period(self.base, self.period) if self.period else self.base


def roadmap_kind(
    path: Path,
    vocabulary: Vocabulary,
    existing: ExistingRoadmap | None = None,
    previews: Previews | None = None,
) -> IntakeKind[RoadmapPreview]:
    labels = {
        f: label for f, label in vocabulary.field_labels().items() if f not in ("start", "end")
    }
    preview = previews or Previews(path, vocabulary, existing)

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
        cells = [
            f.number,
            f.title,
            f.deadline_text,
            understood_text(item.deadline, item.planned),
            f.responsible,
        ]
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
        self._previews = Previews(path, vocabulary, existing)
        self._asked = 0  # the latest period change: an older re-read that ends later is dropped
        super().__init__(path, roadmap_kind(path, vocabulary, existing, self._previews), parent)
        self.sections = self.details
        self.period_row = PeriodRow(self)
        self.insert_row(self.period_row)
        self.period_row.changed.connect(self._on_period_row_changed)
        if self.preview is not None:
            self._show_period(self.preview)
        else:
            self.period_row.setVisible(False)

    def set_period(self, period: tuple[date, date] | None) -> None:
        """Read the deadlines in `period` (None: the period the preview found).

        A large table takes longer than a keystroke (≈ 40 ms for 500 items on a loaded
        machine), so the re-read runs in a task; «Загрузить» waits for it.
        """
        self._previews.period = period
        base = self._previews.base
        if base is None:  # the mapping on screen is refused: nothing to re-read yet
            self.refresh()
            return
        self._asked += 1
        asked = self._asked
        self.load_button.setEnabled(False)

        def done(preview: RoadmapPreview) -> None:
            if asked == self._asked:
                self.show_preview(preview)

        def failed(exc: BaseException) -> None:
            if asked != self._asked:
                return
            if isinstance(exc, AppError):
                self.show_refused(exc)  # inline, as a refused mapping is
            else:
                show_error(self, exc)

        run_task(self, lambda _progress: with_period(base, period), done, on_error=failed)

    def _on_period_row_changed(self, period: tuple[date, date] | None) -> None:
        self.set_period(period)

    def _show(self, preview: RoadmapPreview) -> None:
        super()._show(preview)
        if hasattr(self, "period_row"):
            self._show_period(preview)

    def _show_period(self, preview: RoadmapPreview) -> None:
        note = mismatch_text(preview.chosen, preview.existing, fields=True)
        self.period_row.setVisible(True)
        self.period_row.show_period(preview.period, preview.chosen.source_text(), note)
        self.period_row.reset.setEnabled(self._previews.period is not None)

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
