"""«Результаты»: the year's assessment by class and subject, and ВПР entered as percentages.

The percentages form shows the counts they stand for (converted as the ФИС ОКО reader converts)
before anything is saved; a refused save reopens it with everything typed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError
from services.results import (
    ASSESSMENT_PERIODS,
    VPR_GRADES,
    VPR_SUBJECTS,
    AssessmentEntry,
    ResultsService,
    VprEntry,
    VprShares,
    check_assessment,
)
from ui.gui.errors import show_error
from ui.gui.screens.results.dialogs import CountField, FieldSpec
from ui.gui.screens.results.tabs import RIGHT, EntryTab, TabSpec, _choices, number_column
from ui.gui.table_models.row_model import Column
from ui.gui.widgets.forms import NumberField

MARKS = ("«2»", "«3»", "«4»", "«5»")
JOURNAL = ("понизили", "подтвердили", "повысили")


def assessment_tab(results: ResultsService, parent: QWidget | None = None) -> EntryTab:
    spec = TabSpec(
        title="Успеваемость и качество знаний",
        columns=[
            Column("Период", lambda e: ASSESSMENT_PERIODS.get(e.period, e.period)),
            Column("Класс", lambda e: e.grade, align=RIGHT),
            Column("Буква", lambda e: e.class_label),
            Column("Предмет", lambda e: e.subject),
            *(number_column(n) for n in ("pupils", "achieved", "quality")),
        ],
        fields=[
            FieldSpec("period", "choice", _choices(list(ASSESSMENT_PERIODS), ASSESSMENT_PERIODS)),
            FieldSpec("grade", "choice", _choices(range(1, 12))),
            FieldSpec("class_label", "text"),
            FieldSpec("subject", "choice", _choices(VPR_SUBJECTS), editable=True),
            FieldSpec("pupils"),
            FieldSpec("achieved"),
            FieldSpec("quality"),
        ],
        new=lambda year: AssessmentEntry(year, 5, "Математика", 0, 0, 0),
        check=check_assessment,
        list_rows=results.assessment,
        save=results.save_assessment,
        delete=results.delete_assessment,
    )
    return EntryTab(spec, parent)


class VprSharesDialog(QDialog):
    """One ВПР row from a ФИС ОКО report: participants and percentages → counts, shown live."""

    def __init__(self, results: ResultsService, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._results = results
        self._year = year
        self.entry: VprEntry | None = None  # the counts of the form as it stands
        self.setWindowTitle(self.tr("ВПР из процентов ФИС ОКО: {0} год").format(year))
        self._build_ui()
        self._on_changed()

    def _build_ui(self) -> None:
        self.grade = QComboBox(self)
        for g in VPR_GRADES:
            self.grade.addItem(str(g), g)
        self.class_label = QLineEdit(self)
        self.subject = QComboBox(self)
        self.subject.setEditable(True)
        self.subject.addItems(list(VPR_SUBJECTS))
        self.participants = CountField(self)
        self.marks = [self._share() for _ in MARKS]
        self.journal = [self._share(optional=True) for _ in JOURNAL]
        form = QFormLayout()
        form.addRow(self.tr("Класс:"), self.grade)
        form.addRow(self.tr("Буква класса:"), self.class_label)
        form.addRow(self.tr("Предмет:"), self.subject)
        form.addRow(self.tr("Участников:"), self.participants)
        for title, field in zip(MARKS, self.marks, strict=True):
            form.addRow(self.tr("{0}, %:").format(title), field)
        for title, field in zip(JOURNAL, self.journal, strict=True):
            form.addRow(self.tr("Отметку {0}, %:").format(title), field)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #B00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        for line in self.findChildren(QLineEdit):
            line.textChanged.connect(self._on_changed)
        for combo in (self.grade, self.subject):
            combo.currentTextChanged.connect(self._on_changed)
        self.setMinimumWidth(440)

    def _share(self, *, optional: bool = False) -> NumberField:
        field = NumberField(self, optional=optional)
        field.set_range(0, 100, decimals=2, unit="%")
        return field

    def _problems(self) -> list[str]:
        named: list[tuple[str, NumberField]] = [(self.tr("Участников"), self.participants)]
        named += [(self.tr("{0}, %").format(t), f) for t, f in zip(MARKS, self.marks, strict=True)]
        named += [(t, f) for t, f in zip(JOURNAL, self.journal, strict=True)]
        found = [f"{title}: {field.problem()}" for title, field in named if field.problem()]
        given = [f.text().strip() != "" for f in self.journal]
        if any(given) and not all(given):
            found.append(self.tr("заполните все три процента сравнения с журналом или ни одного"))
        return found

    def shares(self) -> VprShares:
        journal = [f.value() for f in self.journal]
        return VprShares(
            year=self._year,
            grade=int(self.grade.currentData()),
            subject=self.subject.currentText(),
            participants=self.participants.count() or 0,
            marks=tuple(f.value() or 0.0 for f in self.marks),  # type: ignore[arg-type]
            class_label=self.class_label.text(),
            objectivity=None if None in journal else tuple(journal),  # type: ignore[arg-type]
        )

    def _on_changed(self, *_: Any) -> None:
        problems = self._problems()
        self.entry = None
        if not problems:
            try:
                self.entry = self._results.vpr_from_shares(self.shares())
            except AppError as exc:
                problems = [str(exc)]
        self.problems.setText("\n".join(f"• {p}" for p in problems))
        self.problems.setVisible(bool(problems))
        self.preview.setText(self._preview_text())
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.entry is not None)

    def _preview_text(self) -> str:
        e = self.entry
        if e is None:
            return self.tr("Количества появятся, когда проценты будут введены без ошибок.")
        text = self.tr("Будет сохранено: «2» — {0}, «3» — {1}, «4» — {2}, «5» — {3}").format(
            e.n2, e.n3, e.n4, e.n5
        )
        if e.confirmed is not None:
            text += self.tr("; понизили — {0}, подтвердили — {1}, повысили — {2}").format(
                e.lowered, e.confirmed, e.raised
            )
        return text + self.tr(" (из {0} участников).").format(e.participants)


def enter_vpr_from_shares(tab: EntryTab, results: ResultsService) -> None:
    """Open the percentages form on the ВПР tab; save the shown counts (reopen when refused)."""
    dialog = VprSharesDialog(results, tab.year, tab)
    while dialog.exec() == QDialog.DialogCode.Accepted and dialog.entry is not None:
        try:
            results.save_vpr(dialog.entry)
        except AppError as exc:
            show_error(tab, exc)
            continue  # the same dialog, with everything typed
        tab.load(tab.year)
        tab.changed.emit()
        return
