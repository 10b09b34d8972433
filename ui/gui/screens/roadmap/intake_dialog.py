"""The mapping preview of a roadmap file: what will be stored, before anything is.

Shows what `import-xlsx roadmap --dry-run` prints: each source column with a combo to reassign
its field (or leave it out), the columns left out, the sections found, the first rows as they
will be stored with each deadline as understood (not understood ones flagged), the counts and
every warning. «Загрузить» hands back exactly the preview on screen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError
from services.intake import RoadmapPreview, Vocabulary, preview_roadmap, understood_text

LEAVE_OUT = "-"
SHOWN_ROWS = 10
FLAG = QColor("#b00020")


class IntakeDialog(QDialog):
    """Preview `path` as a roadmap; `preview` is what «Загрузить» accepts (None until valid)."""

    def __init__(self, path: Path, vocabulary: Vocabulary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Загрузка дорожной карты: {0}").format(path.name))
        self.setMaximumSize(1000, 700)
        self.resize(960, 660)
        self._path = path
        self._vocabulary = vocabulary
        self._overrides: dict[str, str] = {}
        self.preview: RoadmapPreview | None = None
        self.combos: list[QComboBox] = []
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.columns_box = QGroupBox(self.tr("Столбцы файла → поля дорожной карты"), self)
        self.columns_grid = QGridLayout(self.columns_box)
        self.sections = QLabel(self)
        self.sections.setWordWrap(True)
        self.sections.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rows = QTableWidget(0, 5, self)
        self.rows.setHorizontalHeaderLabels(
            [self.tr("№"), self.tr("Мероприятие"), self.tr("Срок в файле"),
             self.tr("Как понят срок"), self.tr("Ответственные")]
        )  # fmt: skip
        self.rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rows.setMinimumHeight(240)
        self.rows.horizontalHeader().setStretchLastSection(True)
        self.rows.verticalHeader().setVisible(False)
        self.warnings = QPlainTextEdit(self)
        self.warnings.setReadOnly(True)
        self.warnings.setMinimumHeight(120)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        for widget in (self.summary, self.error, self.columns_box, self.sections, self.rows):
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
        self._refresh()

    @classmethod
    def ask(
        cls, path: Path, vocabulary: Vocabulary, parent: QWidget | None = None
    ) -> RoadmapPreview | None:
        """The preview the user accepted, or None when cancelled."""
        dialog = cls(path, vocabulary, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.preview if accepted else None

    def reassign(self, column: int, field: str) -> None:
        """Give source column #`column` (from 1) to `field`, or leave it out with «-»."""
        self._overrides[f"#{column}"] = field
        self._refresh()

    def _refresh(self) -> None:
        try:
            self.preview = preview_roadmap(
                self._path, self._vocabulary, overrides=dict(self._overrides)
            )
        except AppError as exc:
            self.preview = None
            self.error.setText(str(exc))
            self.error.setVisible(True)
            self.load_button.setEnabled(False)
            return
        self.error.setVisible(False)
        self.load_button.setEnabled(True)
        self._show(self.preview)

    def _show(self, preview: RoadmapPreview) -> None:
        d = preview.detected
        source = self.tr("из заголовка") if preview.period_from_title else self.tr("учебный год")
        start, end = (day.strftime("%d.%m.%Y") for day in preview.period)
        self.summary.setText(
            self.tr(
                "Файл: {0}; таблица: {1}. Период карты ({2}): {3} – {4}.\n"
                "Будет загружено: мероприятий — {5}, разделов — {6}; срок не распознан — {7}."
            ).format(preview.source, d.label, source, start, end, len(preview.items),
                     len(preview.section_titles), len(preview.not_understood))
        )  # fmt: skip
        self._show_columns(preview)
        left_out = [f"#{c.index + 1} «{c.header or '—'}»" for c in d.columns if not c.field]
        self.columns_box.setToolTip(
            self.tr("Не загружаются: {0}").format(", ".join(left_out)) if left_out else ""
        )
        titles = preview.section_titles
        listed = "\n".join(f"• {t}" for t in titles) if titles else self.tr("нет")
        self.sections.setText(self.tr("Разделы ({0}):\n{1}").format(len(titles), listed))
        self._show_rows(preview)
        self.warnings.setPlainText("\n".join(f"• {w}" for w in preview.warnings) or "—")

    def _show_columns(self, preview: RoadmapPreview) -> None:
        while self.columns_grid.count():
            item = self.columns_grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.combos = []
        labels = self._vocabulary.field_labels()
        for row, column in enumerate(preview.detected.columns):
            header = column.header or self.tr("без заголовка")
            name = QLabel(f"#{column.index + 1} «{header[:80]}»", self.columns_box)
            combo = QComboBox(self.columns_box)
            combo.addItem(self.tr("— не загружать"), LEAVE_OUT)
            for field, label in labels.items():
                if field not in ("start", "end"):
                    combo.addItem(f"{label} ({field})", field)
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

    def _show_rows(self, preview: RoadmapPreview) -> None:
        shown = preview.items[:SHOWN_ROWS]
        self.rows.setRowCount(len(shown))
        for r, item in enumerate(shown):
            f = item.fields
            understood = understood_text(item.deadline)
            for c, text in enumerate(
                (f.number, f.title, f.deadline_text, understood, f.responsible)
            ):
                cell = QTableWidgetItem(text.replace("\n", " "))
                cell.setToolTip(text)
                if c == 3 and not item.deadline.understood:
                    cell.setForeground(QBrush(FLAG))
                self.rows.setItem(r, c, cell)
        self.rows.resizeColumnsToContents()
        for c, widest in ((1, 340), (2, 180), (3, 170), (4, 220)):
            self.rows.setColumnWidth(c, min(self.rows.columnWidth(c), widest))
