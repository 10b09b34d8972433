"""Edit forms of the «Результаты» screen: one generic entry form with inline validation.

The consistency rules are the service's own (`services.results.rules.check_*`), run on every
change: the problems are listed under the form and «Сохранить» stays disabled until none remain.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from services.indicators import value_bounds
from services.results import FIELD_TITLES, Problems
from ui.gui.widgets.forms import NumberField

NONE_VALUE = -1  # spin boxes show «—» (no value) at their minimum


class CountField(NumberField):
    """A count typed as text: a whole number ≥ 0, read whole.

    «abc150» and «12,5» are refused with the reason, never cut; empty means «не введено» when
    the field is optional.
    """

    def __init__(self, parent: QWidget | None = None, *, optional: bool = False) -> None:
        super().__init__(parent, optional=optional)
        self.set_range(0, 100_000, decimals=0)
        if optional:
            self.setPlaceholderText("не введено")

    def problem(self) -> str:
        found = super().problem()
        number = self._parsed()
        if not found and number is not None and not number.is_integer():
            return f"«{self.text().strip()}» — нужно целое число"
        return found

    def count(self) -> int | None:
        number = self.value()
        return None if number is None else int(number)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One form field: `kind` is "int", "float", "text" or "choice" (value, title) pairs."""

    name: str
    kind: str = "int"
    choices: tuple[tuple[Any, str], ...] = ()
    optional: bool = False
    editable: bool = False  # a choice that also accepts typed text (subjects)
    maximum: float = 100_000

    @property
    def title(self) -> str:
        return FIELD_TITLES.get(self.name, self.name)


def target_fields(unit: str) -> list[FieldSpec]:
    """The baseline and target fields of an indicator measured in `unit`.

    A share is 0–100; a count of people is a whole number; any other number is ≥ 0 (a district
    indicator counting graduates may aim at 250).
    """
    bounds = value_bounds(unit)
    kind = "int" if bounds.whole else "float"
    return [
        FieldSpec(name, kind, optional=True, maximum=bounds.high) for name in ("baseline", "target")
    ]


class EntryDialog(QDialog):
    """Add or change one entry; returns the new entry (the same type as `initial`)."""

    def __init__(
        self,
        title: str,
        fields: Sequence[FieldSpec],
        initial: Any,
        check: Callable[[Any], Problems],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._fields = list(fields)
        self._initial = initial
        self._check = check
        self._widgets: dict[str, QWidget] = {}
        self._build_ui()
        self._connect()
        self._on_value_changed()

    def _build_ui(self) -> None:
        form = QFormLayout()
        for spec in self._fields:
            widget = self._make_widget(spec, getattr(self._initial, spec.name))
            self._widgets[spec.name] = widget
            form.addRow(spec.title + ":", widget)
        self.problems_label = QLabel(self)
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #B00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Сохранить"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Отмена"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def _make_widget(self, spec: FieldSpec, value: Any) -> QWidget:
        if spec.kind == "choice":
            combo = QComboBox(self)
            combo.setEditable(spec.editable)
            for data, text in spec.choices:
                combo.addItem(text, data)
            index = combo.findData(value)
            if index >= 0:
                combo.setCurrentIndex(index)
            elif spec.editable:
                combo.setEditText(str(value or ""))
            return combo
        if spec.kind == "text":
            return QLineEdit(str(value or ""), self)
        if spec.kind == "float":
            field = NumberField(self, optional=spec.optional)
            field.set_range(0, spec.maximum)
            field.set_value(value)
            return field
        count = CountField(self, optional=spec.optional)
        count.set_range(0, spec.maximum, decimals=0)
        if spec.optional:
            count.setPlaceholderText(self.tr("не введено"))
        count.set_value(value)
        return count

    def _connect(self) -> None:
        for widget in self._widgets.values():
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._on_value_changed)
                widget.editTextChanged.connect(self._on_value_changed)
            elif isinstance(widget, QLineEdit):  # NumberField too
                widget.textChanged.connect(self._on_value_changed)
            elif isinstance(widget, QSpinBox | QDoubleSpinBox):
                widget.valueChanged.connect(self._on_value_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def value_of(self, spec: FieldSpec) -> Any:
        widget = self._widgets[spec.name]
        if isinstance(widget, QComboBox):
            data = widget.currentData()
            text = widget.currentText().strip()
            if spec.editable and (data is None or widget.itemText(widget.currentIndex()) != text):
                return text
            return data
        if isinstance(widget, CountField):
            count = widget.count()
            return count if count is not None or spec.optional else 0
        if isinstance(widget, NumberField):
            return widget.value()
        if isinstance(widget, QLineEdit):
            return widget.text().strip()
        assert isinstance(widget, QSpinBox | QDoubleSpinBox)
        number = widget.value()
        return None if spec.optional and number <= NONE_VALUE else number

    def entry(self) -> Any:
        """The entry as the form now stands."""
        values = {spec.name: self.value_of(spec) for spec in self._fields}
        return dataclasses.replace(self._initial, **values)

    def problems(self) -> Problems:
        typed = [
            (spec.name, widget.problem())
            for spec in self._fields
            if isinstance(widget := self._widgets[spec.name], NumberField) and widget.problem()
        ]
        return [*typed, *self._check(self.entry())]

    def _on_value_changed(self, *_: Any) -> None:
        problems = self.problems()
        text = "\n".join(
            f"• {FIELD_TITLES.get(field, field)}: {message}" for field, message in problems
        )
        self.problems_label.setText(text)
        self.problems_label.setVisible(bool(problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problems)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        fields: Sequence[FieldSpec],
        initial: Any,
        check: Callable[[Any], Problems],
    ) -> Any | None:
        """Show the form; the edited entry, or None when cancelled."""
        dialog = cls(title, fields, initial, check, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.entry()
