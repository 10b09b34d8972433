"""Parts of «Шаблоны и пороги»: the editable table model, the value editor, the threshold dialog."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from models.catalogue import Comparison
from services.district import NOTE_MAX, SIGNS, ThresholdDraft, ThresholdItem
from services.indicators import SUBJECT_SEPARATOR, IndicatorDef, value_bounds
from ui.gui.table_models.row_model import ROW_ROLE, Column, RowTableModel
from ui.gui.widgets.conflict import Outcome, save_checked
from ui.gui.widgets.forms import NumberField, ProblemsLabel

Index = QModelIndex | QPersistentModelIndex
VALUE_COLUMN, NOTE_COLUMN = 2, 3
INHERITED_COLOR = QColor("#f2f2f2")
EXAMPLE_COLOR = QColor("#fff6d5")


@dataclass(frozen=True, slots=True)
class Line:
    """A row of the table: a threshold of the shown year, or an earlier one still in force."""

    item: ThresholdItem
    inherited: bool = False


def number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


class ThresholdModel(RowTableModel[Line]):
    """Thresholds with the value and the note editable in place; edits go to `on_edit`."""

    def __init__(
        self,
        columns: Sequence[Column[Line]],
        on_edit: Callable[[Line, int, Any], bool],
        parent: Any = None,
    ) -> None:
        super().__init__(columns, parent, row_background=_background)
        self._on_edit = on_edit

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() in (VALUE_COLUMN, NOTE_COLUMN):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.isValid():
            line = self.row_at(index.row())
            return line.item.value if index.column() == VALUE_COLUMN else line.item.note
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self._on_edit(self.row_at(index.row()), index.column(), value)


def _background(line: Line) -> QColor | None:
    if line.inherited:
        return INHERITED_COLOR
    return EXAMPLE_COLOR if line.item.is_example else None


def configure_spin(spin: QDoubleSpinBox, unit: str) -> None:
    """Limit a spin box to the allowed values of a threshold in `unit`."""
    bounds = value_bounds(unit)
    spin.setLocale(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    spin.setDecimals(0 if bounds.whole else 1)
    spin.setRange(bounds.low, bounds.high)
    spin.setSuffix(f" {unit}" if unit else "")


class ValueDelegate(QStyledItemDelegate):
    """Edits a threshold's value with a spin box limited to the indicator's range."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        spin = QDoubleSpinBox(parent)
        line = index.data(ROW_ROLE)
        configure_spin(spin, line.item.unit if isinstance(line, Line) else "%")
        return spin

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QDoubleSpinBox):
            editor.setValue(float(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QDoubleSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class ThresholdDialog(QDialog):
    """Add a threshold, or change one (its indicator then stays)."""

    def __init__(
        self,
        indicators: Sequence[IndicatorDef],
        year: int,
        item: ThresholdItem | None = None,
        parent: QWidget | None = None,
        save: Callable[[ThresholdDraft], object] | None = None,
        seen: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._save, self._seen = save, seen or {}
        self.outcome = Outcome.STAYED
        self._year = year
        self._defs = list(indicators)
        self.setWindowTitle(
            self.tr("Порог на {0} год").format(year) if item is None
            else self.tr("Изменение порога на {0} год").format(year)
        )  # fmt: skip
        self.indicator = QComboBox(self)
        for d in self._defs:
            self.indicator.addItem(d.name, d.code)
        self.subject = QLineEdit(self)
        self.subject.setPlaceholderText(self.tr("весь показатель"))
        self.comparison = QComboBox(self)
        words = (self.tr("больше"), self.tr("не меньше"), self.tr("меньше"), self.tr("не больше"))
        for c, word in zip(Comparison, words, strict=True):
            self.comparison.addItem(f"{SIGNS[c]}  {word}", c.value)
        self.value = NumberField(self)
        self.note = QLineEdit(self)
        self.note.setMaxLength(NOTE_MAX)
        self.indicator.currentIndexChanged.connect(self._on_indicator_changed)
        self._build(item)

    def _build(self, item: ThresholdItem | None) -> None:
        hint = QLabel(
            self.tr("Школа отмечается в сводке, если значение показателя удовлетворяет условию."),
            self,
        )
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Показатель:"), self.indicator)
        form.addRow(self.tr("Предмет ВПР:"), self.subject)
        form.addRow(self.tr("Отмечать, если значение:"), self.comparison)
        form.addRow(self.tr("Порог:"), self.value)
        form.addRow(self.tr("Пояснение:"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        self.problems = ProblemsLabel(self, buttons, self._problems)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        if item is not None:
            code, _sep, subject = item.indicator_code.partition(SUBJECT_SEPARATOR)
            self.indicator.setCurrentIndex(max(self.indicator.findData(code), 0))
            self.indicator.setEnabled(False)
            self.subject.setText(subject)
            self.subject.setReadOnly(True)
            self.comparison.setCurrentIndex(self.comparison.findData(item.comparison.value))
            self.note.setText(item.note)
        self._on_indicator_changed(self.indicator.currentIndex())
        if item is not None:
            self.value.set_value(item.value)
        self.problems.refresh()
        self.resize(620, self.sizeHint().height())

    def _problems(self) -> list[str]:
        problem = self.value.problem()
        return [self.tr("Порог: {0}.").format(problem)] if problem else []

    def _on_indicator_changed(self, index: int) -> None:
        if not 0 <= index < len(self._defs):
            return
        d = self._defs[index]
        bounds = value_bounds(d.unit)
        self.value.set_range(bounds.low, bounds.high, decimals=bounds.decimals, unit=d.unit)
        self.subject.setEnabled(d.per_subject)
        if not d.per_subject:
            self.subject.clear()
        if self.indicator.isEnabled():
            lower = d.better == "higher"  # a share that should be high is flagged when low
            self.comparison.setCurrentIndex(
                self.comparison.findData((Comparison.LT if lower else Comparison.GT).value)
            )

    def draft(self) -> ThresholdDraft:
        code = str(self.indicator.currentData())
        subject = self.subject.text().strip()
        return ThresholdDraft(
            year=self._year,
            indicator_code=f"{code}{SUBJECT_SEPARATOR}{subject}" if subject else code,
            comparison=Comparison(self.comparison.currentData()),
            value=self.value.value() or 0.0,
            note=self.note.text(),
        )

    def accept(self) -> None:
        """With `save`, save from the dialog (refused: it stays open with the input).

        The save goes over the version of the key the screen listed (`seen`, stamps by key).
        """
        if self._save is None:
            super().accept()
            return
        save, draft = self._save, self.draft()
        expected = self._seen.get(draft.indicator_code, "")
        self.outcome = save_checked(self, lambda e: save(replace(draft, expected=e)), expected)
        if self.outcome is not Outcome.STAYED:
            super().accept()

    @classmethod
    def edit_saved(
        cls,
        parent: QWidget | None,
        indicators: Sequence[IndicatorDef],
        year: int,
        item: ThresholdItem | None,
        save: Callable[[ThresholdDraft], object],
        seen: Mapping[str, str],
    ) -> Outcome:
        """Add or change a threshold, saved from the dialog; what became of the user's input."""
        dialog = cls(indicators, year, item, parent, save, seen)
        dialog.exec()
        return dialog.outcome
