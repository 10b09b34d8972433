"""The roadmap's preview dialog: the shared intake dialog with the roadmap's columns and rows.

Shows what `import-xlsx roadmap --dry-run` prints: the mapping (reassignable), the sections
found, the first rows as they will be stored with each deadline as understood (not understood
ones flagged), the counts and every warning.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QWidget

from services.intake import RoadmapPreview, Vocabulary, preview_roadmap, understood_text
from ui.gui.widgets.intake_dialog import LEAVE_OUT, IntakeKind, IntakeView
from ui.gui.widgets.intake_dialog import IntakeDialog as SharedIntakeDialog

__all__ = ["LEAVE_OUT", "IntakeDialog", "roadmap_kind"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("IntakeDialog", text)


def roadmap_kind(path: Path, vocabulary: Vocabulary) -> IntakeKind[RoadmapPreview]:
    labels = {
        f: label for f, label in vocabulary.field_labels().items() if f not in ("start", "end")
    }

    def preview(overrides: dict[str, str], pick: str | None) -> RoadmapPreview:
        return preview_roadmap(path, vocabulary, overrides=overrides, pick=pick)

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
    source = _tr("из заголовка") if preview.period_from_title else _tr("учебный год")
    start, end = (day.strftime("%d.%m.%Y") for day in preview.period)
    summary = _tr(
        "Файл: {0}; таблица: {1}. Период карты ({2}): {3} – {4}.\n"
        "Будет загружено: мероприятий — {5}, разделов — {6}; срок не распознан — {7}."
    ).format(preview.source, d.label, source, start, end, len(preview.items),
             len(preview.section_titles), len(preview.not_understood))  # fmt: skip
    titles = preview.section_titles
    listed = "\n".join(f"• {t}" for t in titles) if titles else _tr("нет")
    rows = []
    for item in preview.items:
        f = item.fields
        cells = [f.number, f.title, f.deadline_text, understood_text(item.deadline), f.responsible]
        rows.append((cells, set() if item.deadline.understood else {3}))
    return IntakeView(
        summary, _tr("Разделы ({0}):\n{1}").format(len(titles), listed), rows, preview.warnings
    )


class IntakeDialog(SharedIntakeDialog[RoadmapPreview]):
    """Preview `path` as a roadmap; `preview` is what «Загрузить» accepts (None until valid)."""

    def __init__(self, path: Path, vocabulary: Vocabulary, parent: QWidget | None = None) -> None:
        super().__init__(path, roadmap_kind(path, vocabulary), parent)
        self.sections = self.details

    @classmethod
    def ask(
        cls, path: Path, vocabulary: Vocabulary, parent: QWidget | None = None
    ) -> RoadmapPreview | None:
        """The preview the user accepted, or None when cancelled."""
        dialog = cls(path, vocabulary, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.preview if accepted else None
