"""The mapping preview of a table a user brings: what will be stored, before anything is.

One dialog for every kind (roadmap, teachers, ИППР): it shows what `import-xlsx KIND --dry-run`
prints: the tables of the file (a combo when there are several), each source column with a combo
to reassign its field (or leave it out), a summary, the first rows as they will be stored (cells
the program did not understand flagged), and every warning. «Загрузить» hands back exactly the
preview on screen. A kind supplies how to preview and how to show a preview (`IntakeKind`).

The file is read once in the background before the dialog opens (`ui.gui.widgets.intake_flow`);
re-mapping here only re-runs detect → map on the tables already read, which takes milliseconds.
A kind whose deadlines are read in a period (roadmap, ИППР) gets the period row under the summary
(`IntakeKind.period`): the user may change the dates, and the deadlines are re-read in a task.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError
from ui.gui.errors import show_error
from ui.gui.tasks import run_task
from ui.gui.widgets.intake_period import PeriodHooks, PeriodRow

LEAVE_OUT = "-"
SHOWN_ROWS = 10
FLAG = QColor("#b00020")
P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class IntakeView:
    """A preview as the dialog shows it."""

    summary: str
    details: str  # sections found, duplicates, …
    rows: list[tuple[list[str], set[int]]]  # cells of a row, and which of them to flag
    warnings: list[str]


@dataclass(frozen=True)
class IntakeKind(Generic[P]):
    """What the dialog previews: `preview(overrides, pick)` raises `AppError` when refused."""

    title: str  # «Загрузка дорожной карты: {0}»
    columns_title: str
    row_headers: list[str]
    labels: dict[str, str]  # field → label, in combo order
    preview: Callable[[dict[str, str], str | None], P]
    view: Callable[[P], IntakeView]
    widths: Sequence[int] = field(default_factory=tuple)
    period: PeriodHooks[P] | None = None  # its `previews` is then `preview`


class IntakeDialog(QDialog, Generic[P]):
    """Preview `path` as `kind`; `preview` is what «Загрузить» accepts (None until valid)."""

    def __init__(self, path: Path, kind: IntakeKind[P], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(kind.title.format(path.name))
        self.setMaximumSize(1000, 700)
        self.resize(960, 660)
        self._kind = kind
        self._overrides: dict[str, str] = {}
        self._pick: str | None = None
        self.preview: P | None = None
        self.combos: list[QComboBox] = []
        self.tables = QComboBox(self)
        self.tables.activated.connect(lambda _i: self.pick_table(self.tables.currentData()))
        self.tables_row = QWidget(self)
        pick_row = QHBoxLayout(self.tables_row)
        pick_row.setContentsMargins(0, 0, 0, 0)
        pick_row.addWidget(QLabel(self.tr("Таблица файла:"), self.tables_row))
        pick_row.addWidget(self.tables, 1)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.columns_box = QGroupBox(kind.columns_title, self)
        self.columns_grid = QGridLayout(self.columns_box)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rows = QTableWidget(0, len(kind.row_headers), self)
        self.rows.setHorizontalHeaderLabels(kind.row_headers)
        self.rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rows.setMinimumHeight(240)
        self.rows.horizontalHeader().setStretchLastSection(True)
        self.rows.verticalHeader().setVisible(False)
        self.warnings = QPlainTextEdit(self)
        self.warnings.setReadOnly(True)
        self.warnings.setMinimumHeight(120)
        self._layout()
        self.period_row: PeriodRow | None = None
        self._asked = 0  # the latest period change: an older re-read that ends later is dropped
        if kind.period is not None:
            self.period_row = PeriodRow(self, kind.period.label, kind.period.reset_tip)
            self.insert_row(self.period_row)
            self.period_row.changed.connect(self._on_period_row_changed)
            self.period_row.setVisible(False)  # until a preview names the period
        self._refresh()

    def _layout(self) -> None:
        body = QWidget(self)
        layout = self._body = QVBoxLayout(body)
        for widget in (self.tables_row, self.summary, self.error, self.columns_box, self.details,
                       self.rows):  # fmt: skip
            layout.addWidget(widget)
        layout.addWidget(QLabel(self.tr("Предупреждения:"), body))
        layout.addWidget(self.warnings)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.buttons = QDialogButtonBox(self)
        self.load_button = self.buttons.addButton(
            self.tr("Загрузить"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Отмена"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.buttons)

    def insert_row(self, widget: QWidget) -> None:
        """Put a kind's own row (the roadmap's period) under the summary."""
        self._body.insertWidget(self._body.indexOf(self.summary) + 1, widget)

    def refresh(self) -> None:
        """Preview again (the kind's inputs changed): mapping and table pick are kept."""
        self._refresh()

    def reassign(self, column: int, field_name: str) -> None:
        """Give source column #`column` (from 1) to `field_name`, or leave it out with «-»."""
        self._overrides[f"#{column}"] = field_name
        self._refresh()

    def pick_table(self, number: int | None) -> None:
        """Preview the file's table number `number` (from 1), or the one found (None).

        The mapping starts afresh.
        """
        self._pick = str(number) if number else None
        self._overrides = {}
        self._refresh()

    def _refresh(self) -> None:
        try:
            preview = self._kind.preview(dict(self._overrides), self._pick)
        except AppError as exc:
            self.show_refused(exc)
            return
        self.show_preview(preview)

    def show_preview(self, preview: P) -> None:
        """Show `preview` (made here or in a kind's task): what «Загрузить» accepts."""
        self.preview = preview
        self.error.setVisible(False)
        self.load_button.setEnabled(True)
        self._show(preview)

    def show_refused(self, exc: AppError) -> None:
        """Say why nothing can be loaded as mapped; «Загрузить» waits for a valid preview."""
        self.preview = None
        self.error.setText(str(exc))
        self.error.setVisible(True)
        self.load_button.setEnabled(False)

    def set_period(self, period: tuple[date, date] | None) -> None:
        """Read the deadlines in `period` (None: the period the preview found).

        A large table takes longer than a keystroke (≈ 40 ms for 500 items on a loaded
        machine), so the re-read runs in a task; «Загрузить» waits for it.
        """
        hooks = self._kind.period
        if hooks is None:
            return
        hooks.previews.period = period
        base = hooks.previews.base
        if base is None:  # the mapping on screen is refused: nothing to re-read yet
            self.refresh()
            return
        self._asked += 1
        asked = self._asked
        self.load_button.setEnabled(False)

        def done(preview: P) -> None:
            if asked == self._asked:
                self.show_preview(preview)

        def failed(exc: BaseException) -> None:
            if asked != self._asked:
                return
            if isinstance(exc, AppError):
                self.show_refused(exc)  # inline, as a refused mapping is
            else:
                show_error(self, exc)

        reread = hooks.previews.reread
        run_task(self, lambda _progress: reread(base, period), done, on_error=failed)

    def _on_period_row_changed(self, period: tuple[date, date] | None) -> None:
        self.set_period(period)

    def _show_period(self, preview: P) -> None:
        hooks, row = self._kind.period, self.period_row
        if hooks is None or row is None:
            return
        period, source, note = hooks.describe(preview)
        row.setVisible(True)
        row.show_period(period, source, note)
        row.reset.setEnabled(hooks.previews.period is not None)

    def _show(self, preview: P) -> None:
        self._show_period(preview)
        detected: Any = getattr(preview, "detected", None)
        self._show_tables(detected)
        view = self._kind.view(preview)
        self.summary.setText(view.summary)
        self._show_columns(detected.columns if detected is not None else [])
        left_out = [
            f"#{c.index + 1} «{c.header or '—'}»"
            for c in (detected.columns if detected else [])
            if not c.field
        ]
        self.columns_box.setToolTip(
            self.tr("Не загружаются: {0}").format(", ".join(left_out)) if left_out else ""
        )
        self.details.setText(view.details)
        self.details.setVisible(bool(view.details))
        self._show_rows(view.rows)
        self.warnings.setPlainText("\n".join(f"• {w}" for w in view.warnings) or "—")

    def _show_tables(self, detected: Any) -> None:
        candidates: list[str] = list(detected.candidates) if detected is not None else []
        self.tables.blockSignals(True)
        self.tables.clear()
        if detected is not None:
            more = detected.parts - 1
            also = self.tr(" и ещё {0} с тем же заголовком").format(more) if more else ""
            self.tables.addItem(self.tr("Найденная: {0}{1}").format(detected.label, also), 0)
        for n, text in enumerate(candidates, 1):
            self.tables.addItem(f"{n}. {text}", n)
            if self._pick == str(n):
                self.tables.setCurrentIndex(n)
        self.tables.blockSignals(False)
        self.tables_row.setVisible(len(candidates) > 1)

    def _show_columns(self, columns: list[Any]) -> None:
        while self.columns_grid.count():
            item = self.columns_grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.combos = []
        for row, column in enumerate(columns):
            header = column.header or self.tr("без заголовка")
            name = QLabel(f"#{column.index + 1} «{header[:80]}»", self.columns_box)
            combo = QComboBox(self.columns_box)
            combo.addItem(self.tr("— не загружать"), LEAVE_OUT)
            for field_name, label in self._kind.labels.items():
                combo.addItem(f"{label} ({field_name})", field_name)
            combo.setCurrentIndex(max(combo.findData(column.field or LEAVE_OUT), 0))
            combo.activated.connect(
                lambda _i, c=combo, n=column.index + 1: self.reassign(n, str(c.currentData()))
            )
            how = QLabel(
                column.how if column.field else self.tr("не загружается"), self.columns_box
            )
            self.columns_grid.addWidget(name, row, 0)
            self.columns_grid.addWidget(combo, row, 1)
            self.columns_grid.addWidget(how, row, 2)
            self.combos.append(combo)

    def _show_rows(self, rows: list[tuple[list[str], set[int]]]) -> None:
        shown = rows[:SHOWN_ROWS]
        self.rows.setRowCount(len(shown))
        for r, (cells, flagged) in enumerate(shown):
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text.replace("\n", " "))
                cell.setToolTip(text)
                if c in flagged:
                    cell.setForeground(QBrush(FLAG))
                self.rows.setItem(r, c, cell)
        self.rows.resizeColumnsToContents()
        for c, widest in enumerate(self._kind.widths):
            self.rows.setColumnWidth(c, min(self.rows.columnWidth(c), widest))


def ask_preview(path: Path, kind: IntakeKind[P], parent: QWidget | None = None) -> P | None:
    """The preview the user accepted in the dialog, or None when cancelled."""
    dialog: IntakeDialog[P] = IntakeDialog(path, kind, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    return dialog.preview if accepted else None
