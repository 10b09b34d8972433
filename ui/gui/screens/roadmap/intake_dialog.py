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
from ui.gui.widgets.intake_period import PeriodHooks, PeriodPreviews, PeriodRow

__all__ = ["LEAVE_OUT", "IntakeDialog", "roadmap_kind"]
INDENT = "\u2003\u2003"


def _tr(text: str) -> str:
    return QCoreApplication.translate("IntakeDialog", text)


class Previews(PeriodPreviews[RoadmapPreview]):
    """The kind's `preview`: the table mapped once per mapping, read in the chosen period.

    `base` is the preview of the mapping on screen in the period found (title, roadmap,
    school year); `period` is the user's (None: the one found).
    """

    def __init__(
        self, path: Path, vocabulary: Vocabulary, existing: ExistingRoadmap | None
    ) -> None:
        def read(overrides: dict[str, str], pick: str | None) -> RoadmapPreview:
            return preview_roadmap(
                path, vocabulary, overrides=overrides, pick=pick, existing=existing
            )

        super().__init__(read, with_period)


def _describe(preview: RoadmapPreview) -> tuple[tuple[date, date], str, str | None]:
    note = mismatch_text(preview.chosen, preview.existing, fields=True)
    return preview.period, preview.chosen.source_text(), note


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
        PeriodHooks(
            preview, _describe, _tr("Период карты"),
            _tr("Вернуть период из заголовка файла или дорожной карты"),
        ),
    )  # fmt: skip


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

    period_row: PeriodRow

    def __init__(
        self,
        path: Path,
        vocabulary: Vocabulary,
        parent: QWidget | None = None,
        existing: ExistingRoadmap | None = None,
    ) -> None:
        super().__init__(path, roadmap_kind(path, vocabulary, existing), parent)
        self.sections = self.details

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
