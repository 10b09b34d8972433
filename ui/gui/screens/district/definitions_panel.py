"""«Показатели управления» on «Шаблоны и пороги»: indicators the district defines by formula.

Each one is computed at the district and, after the next «Рассылка школам», at every school with
the same code; thresholds and targets are set for it like for the shipped indicators. The form
checks the formula on every keystroke and names the place and the reason of a mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError
from services.district import (
    BETTER_TITLES,
    DefinitionDraft,
    DefinitionItem,
    ThresholdService,
    check_definition,
    reference_lines,
)

EXAMPLE = "percent(gia9_no_fail, gia9_admitted)"


class DefinitionDialog(QDialog):
    """Add or change one indicator of the district's own; «Сохранить» waits for a valid form."""

    def __init__(
        self, taken: set[str], draft: DefinitionDraft | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._taken = taken
        self.setWindowTitle(self.tr("Показатель управления"))
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("MUN_GIA9")
        self.name = QLineEdit(self)
        self.unit = QLineEdit("%", self)
        self.better = QComboBox(self)
        for value, title in BETTER_TITLES.items():
            self.better.addItem(title, value)
        self.formula = QPlainTextEdit(self)
        self.formula.setPlaceholderText(EXAMPLE)
        self.formula.setTabChangesFocus(True)
        self.note = QLineEdit(self)
        self._build_ui()
        if draft is not None:
            self._fill(draft)
        self.formula.textChanged.connect(self._on_changed)
        for line in (self.code, self.name, self.unit, self.note):
            line.textChanged.connect(self._on_changed)
        self._on_changed()

    def _build_ui(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Код:"), self.code)
        form.addRow(self.tr("Название:"), self.name)
        form.addRow(self.tr("Единица:"), self.unit)
        form.addRow(self.tr("Значение лучше:"), self.better)
        form.addRow(self.tr("Формула:"), self.formula)
        form.addRow(self.tr("Пояснение:"), self.note)
        help_text = QPlainTextEdit(self)
        help_text.setReadOnly(True)
        help_text.setPlainText(
            self.tr(
                "Числа, имена входных данных, + − × ÷, скобки, сравнения (< <= > >= = !=), "
                "and, or, not. percent(a, b) — доля a от b в процентах. "
                "sum(таблица.поле where условие) — сумма по строкам, например "
                'sum(vpr.confirmed where grade = 4 and subject in ("Русский язык", "Математика")).'
            )
            + "\n\n"
            + "\n".join(reference_lines())
        )
        help_text.setMaximumHeight(140)
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
        layout.addWidget(QLabel(self.tr("Что можно писать в формуле:"), self))
        layout.addWidget(help_text)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())

    def _fill(self, d: DefinitionDraft) -> None:
        self.code.setText(d.code)
        self.name.setText(d.name)
        self.unit.setText(d.unit)
        self.better.setCurrentIndex(max(self.better.findData(d.better), 0))
        self.formula.setPlainText(d.formula)
        self.note.setText(d.note)

    def draft(self) -> DefinitionDraft:
        return DefinitionDraft(
            code=self.code.text(),
            name=self.name.text(),
            formula=self.formula.toPlainText(),
            unit=self.unit.text(),
            better=str(self.better.currentData()),
            note=self.note.text(),
        )

    def problem(self) -> str:
        try:
            check_definition(self.draft(), self._taken)
        except AppError as exc:
            return str(exc)
        return ""

    def _on_changed(self, *_: object) -> None:
        problem = self.problem()
        self.problems.setText(problem)
        self.problems.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problem)

    @classmethod
    def ask(
        cls, parent: QWidget | None, taken: set[str], draft: DefinitionDraft | None = None
    ) -> DefinitionDraft | None:
        dialog = cls(taken, draft, parent)
        return dialog.draft() if dialog.exec() == QDialog.DialogCode.Accepted else None


class DefinitionsPanel(QGroupBox):
    """The district's indicators: a table and «Добавить…», «Изменить…», «Удалить»."""

    def __init__(
        self,
        service: ThresholdService,
        on_error: Callable[[AppError], None],
        tell: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._on_error = on_error
        self._tell = tell
        self.items: list[DefinitionItem] = []
        self.setTitle(self.tr("Показатели управления (по формулам)"))
        self.add_button = QPushButton(self.tr("Добавить показатель…"), self)
        self.edit_button = QPushButton(self.tr("Изменить…"), self)
        self.delete_button = QPushButton(self.tr("Удалить"), self)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Код"), self.tr("Показатель"), self.tr("Формула")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(130)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.edit_selected())

    def load(self) -> None:
        self.items = self._service.definitions()
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            for column, text in enumerate((item.code, item.name, item.formula)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnToContents(0)
        self._update_buttons()

    def selected(self) -> DefinitionItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _taken(self) -> set[str]:
        mine = {d.code for d in self.items}
        return {d.code for d in self._service.indicators()} - mine

    def add(self) -> None:
        self._edit(None)

    def edit_selected(self) -> None:
        item = self.selected()
        if item is not None and self.edit_button.isEnabled():  # not for a read-only login
            self._edit(item)

    def lock_writes(self) -> None:
        from ui.gui.widgets.read_only import lock

        lock([self.add_button, self.edit_button, self.delete_button])

    def _edit(self, item: DefinitionItem | None) -> None:
        draft = None if item is None else _draft_of(item)
        while True:  # a refused save reopens the form with everything typed
            draft = DefinitionDialog.ask(self, self._taken(), draft)
            if draft is None:
                return
            try:
                saved = self._service.save_definition(draft, item.code if item else "")
            except AppError as exc:
                self._on_error(exc)
                continue
            break
        self._tell(
            self.tr("Показатель {0} сохранён: школы получат его со следующей «Рассылкой "
                    "школам».").format(saved.code)
        )  # fmt: skip
        self.load()

    def delete_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        text = self.tr("Удалить показатель {0} «{1}»? Школы перестанут его считать после "
                       "следующей рассылки.").format(item.code, item.name)  # fmt: skip
        answer = QMessageBox.question(self, self.tr("Удаление показателя"), text)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._service.delete_definition(item.code)
        except AppError as exc:
            self._on_error(exc)
            return
        self._tell(self.tr("Показатель {0} удалён.").format(item.code))
        self.load()


def _draft_of(item: DefinitionItem) -> DefinitionDraft:
    return DefinitionDraft(item.code, item.name, item.formula, item.unit, item.better, item.note)


__all__: Sequence[str] = ("DefinitionDialog", "DefinitionsPanel")
