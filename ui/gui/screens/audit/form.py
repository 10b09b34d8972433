"""The criteria of one risk factor as a keyboard-friendly form (self-audit screen).

A scale question is a combo box (нет ответа / 0 — нет / 1 — частично / 2 — да), a number a spin
box limited to the criterion's range (its lowest step shows «нет ответа»). Every change is saved
at once through the `save` callback; a refused answer is shown and the field is put back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from services.audit import AnswerRead, Criterion, Factor

SaveAnswer = Callable[[AnswerRead], bool]  # True when saved, False when refused (already shown)
NO_ANSWER = -1
NARROW_FORM = 600  # px: below it a criterion's comment and evidence go under its question


class CriterionRow:
    """The widgets of one criterion: answer, comment, evidence."""

    def __init__(self, form: FactorForm, criterion: Criterion, answer: AnswerRead) -> None:
        self.criterion = criterion
        self._form = form
        self._saved = answer
        self.code = QLabel(f"<b>{criterion.code}</b>", form.body)
        self.question = QLabel(criterion.question, form.body)
        self.question.setWordWrap(True)
        self.hint = QLabel(criterion.risk_text(), form.body)
        self.hint.setStyleSheet("color: #666; font-size: 9pt;")
        self.combo: QComboBox | None = None
        self.spin: QDoubleSpinBox | None = None
        if criterion.is_scale:
            self.combo = QComboBox(form.body)
            for text, score in form.scale_items():
                self.combo.addItem(text, score)
            self.combo.activated.connect(self._save)
            self.editor: QWidget = self.combo
        else:
            self.spin = QDoubleSpinBox(form.body)
            self.spin.setLocale(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
            self.spin.setDecimals(1)
            step = 0.1
            self.spin.setRange(criterion.minimum - step, criterion.maximum)
            self.spin.setSpecialValueText(form.tr("нет ответа"))
            self.spin.setSuffix(f" {criterion.unit}" if criterion.unit else "")
            self.spin.setKeyboardTracking(False)
            self.spin.setToolTip(criterion.range_text())
            self.spin.editingFinished.connect(self._save)
            self.editor = self.spin
        self.comment = QLineEdit(form.body)
        self.comment.setPlaceholderText(form.tr("Комментарий"))
        self.comment.editingFinished.connect(self._save)
        self.evidence = QLineEdit(form.body)
        self.evidence.setPlaceholderText(form.tr("Подтверждение (документ, анкета)"))
        self.evidence.editingFinished.connect(self._save)
        self.show(answer)

    def show(self, answer: AnswerRead) -> None:
        self._saved = answer
        if self.combo is not None:
            score = NO_ANSWER if answer.score is None else answer.score
            self.combo.setCurrentIndex(max(self.combo.findData(score), 0))
        if self.spin is not None:
            self.spin.setValue(self.spin.minimum() if answer.value is None else answer.value)
        for edit, text in ((self.comment, answer.comment), (self.evidence, answer.evidence)):
            edit.setText(text)
            edit.setCursorPosition(0)  # a long text shows its beginning, not its last words

    def current(self) -> AnswerRead:
        score: int | None = None
        value: float | None = None
        if self.combo is not None:
            data = self.combo.currentData()
            score = None if data in (None, NO_ANSWER) else int(data)
        if self.spin is not None and self.spin.value() > self.spin.minimum():
            value = self.spin.value()
        return AnswerRead(
            self.criterion.code, score, value, self.comment.text(), self.evidence.text()
        )

    def _save(self, *_args: object) -> None:
        answer = self.current()
        if answer == self._saved:
            return
        if self._form.save(answer):
            self._saved = answer
        else:
            self.show(self._saved)


class FactorForm(QWidget):
    """All criteria of the selected factor; emits `saved` with the factor code after a save."""

    saved = Signal(str)

    def __init__(self, save: SaveAnswer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._factor: Factor | None = None
        self.rows: list[CriterionRow] = []
        self._narrow = False
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.body = QWidget(self)
        self.grid = QGridLayout(self.body)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)

    def scale_items(self) -> list[tuple[str, int]]:
        return [
            (self.tr("— нет ответа —"), NO_ANSWER),
            (self.tr("0 — нет"), 0),
            (self.tr("1 — частично"), 1),
            (self.tr("2 — да"), 2),
        ]

    def set_factor(self, factor: Factor | None, answers: dict[str, AnswerRead]) -> None:
        """Rebuild the form for `factor` (None empties it); tab order follows the criteria."""
        for widget in self._take_all():
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        self.rows = []
        self._factor = factor
        if factor is None:
            self.title.setText(self.tr("Выберите фактор риска слева."))
            return
        self.title.setText(f"{factor.code}. {factor.title}")
        previous: QWidget | None = None
        for criterion in factor.criteria:
            row = CriterionRow(
                self, criterion, answers.get(criterion.code, AnswerRead(criterion.code))
            )
            self.rows.append(row)
            for widget in (row.editor, row.comment, row.evidence):
                if previous is not None:
                    QWidget.setTabOrder(previous, widget)
                previous = widget
        self._place()
        if self.rows:
            self.rows[0].editor.setFocus()
        QTimer.singleShot(0, self, self.fit_questions)  # not after the form is gone

    def _take_all(self) -> list[QWidget]:
        """Empty the grid; return the widgets it held (still alive)."""
        widgets: list[QWidget] = []
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widgets.append(widget)
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 0)
        return widgets

    def _is_narrow(self) -> bool:
        return self.width() < NARROW_FORM

    def _place(self) -> None:
        """Put each criterion's widgets on the grid for the current width.

        Wide: the question and the answer, with the comment and the evidence in a third column.
        Narrow (a 1024-px screen): the comment and the evidence on a line of their own under the
        question, so that both stay wide enough to type in. Remembers which one it placed.
        """
        self._take_all()
        self._narrow = narrow = self._is_narrow()
        stretches = (3, 2, 0) if narrow else (3, 1, 2)
        for column, stretch in enumerate(stretches):
            self.grid.setColumnStretch(column, stretch)
        per = 4 if narrow else 3
        top = Qt.AlignmentFlag.AlignTop
        for n, row in enumerate(self.rows):
            base = n * per
            self.grid.addWidget(row.code, base, 0)
            self.grid.addWidget(row.question, base + 1, 0)
            self.grid.addWidget(row.editor, base + 1, 1, top)
            if narrow:
                self.grid.addWidget(row.hint, base + 2, 0, 1, 2)
                self.grid.addWidget(row.comment, base + 3, 0)
                self.grid.addWidget(row.evidence, base + 3, 1)
            else:
                self.grid.addWidget(row.hint, base + 2, 0)
                self.grid.addWidget(row.comment, base + 1, 2)
                self.grid.addWidget(row.evidence, base + 2, 2)
        self.grid.setRowStretch(len(self.rows) * per, 1)

    def fit_questions(self) -> None:
        """Give each wrapped question the height its text needs at the current width.

        (A scroll area would otherwise squeeze word-wrapped labels to a single line.)
        """
        for row in self.rows:
            width = max(row.question.width(), 200)
            row.question.setMinimumHeight(row.question.heightForWidth(width))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.rows and self._is_narrow() != self._narrow:
            self._place()
        QTimer.singleShot(0, self, self.fit_questions)  # not after the form is gone

    def row(self, code: str) -> CriterionRow:
        return next(r for r in self.rows if r.criterion.code == code)

    def save(self, answer: AnswerRead) -> bool:
        ok = self._save(answer)
        if ok and self._factor is not None:
            self.saved.emit(self._factor.code)
        return ok
