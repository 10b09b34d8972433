"""«Программа»: the roadmap's programme data and its «Кадровое обеспечение» table.

The goal, tasks, mechanisms, coordinator and period are edited in «Общие сведения…»; here they
are shown, and the staffing rows are added, edited, moved and deleted. Every change goes through
an `UndoHistory` (Ctrl+Z in the dialog). A row the service refuses is offered again with
everything typed, and the reason shown above its buttons.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import AppError
from services.roadmap import Programme, ProgrammeService, SectionRead, StaffFields, StaffRead
from ui.gui.tasks import wait_all
from ui.gui.widgets.forms import checked_layout
from ui.gui.widgets.undo import UndoHistory

LIMITS = (("person", 200, "ФИО"), ("job_title", 300, "Место работы, должность"),
          ("role", 1000, "Функции"), ("curates", 1000, "Курирует"))  # fmt: skip
HEADERS = ("№", "ФИО специалиста", "Место работы, должность", "Функции в программе", "Курирует")


class StaffDialog(QDialog):
    """One row of «Кадровое обеспечение»; «Сохранить» waits until the row is complete."""

    def __init__(
        self,
        values: StaffFields | None,
        sections: list[SectionRead],
        parent: QWidget | None = None,
        error: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Специалист программы"))
        self.resize(600, 360)
        v = values or StaffFields(person="")
        self.person = QLineEdit(v.person, self)
        self.job_title = QLineEdit(v.job_title, self)
        self.role = QPlainTextEdit(v.role, self)
        self.role.setTabChangesFocus(True)
        self.role.setPlaceholderText(self.tr("например: Куратор механизма «Система …»"))
        self.role.setMinimumHeight(60)
        self.section = QComboBox(self)
        # a long section title must not widen the form past the screen
        self.section.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.section.setMinimumContentsLength(30)
        self.section.addItem(self.tr("— не выбран —"), None)
        for x in sections:
            self.section.addItem(x.title, x.id)
        found = self.section.findData(v.section_id)
        self.section.setCurrentIndex(max(found, 0))
        self.curates = QLineEdit(v.curates, self)
        self.curates.setPlaceholderText(self.tr("направление или механизм своими словами"))
        form = QFormLayout()
        form.addRow(self.tr("ФИО*"), self.person)
        form.addRow(self.tr("Место работы, должность"), self.job_title)
        form.addRow(self.tr("Функции в программе"), self.role)
        form.addRow(self.tr("Курирует раздел"), self.section)
        form.addRow(self.tr("Курирует (текстом)"), self.curates)
        self.refused = QLabel(error, self)
        self.refused.setWordWrap(True)
        self.refused.setStyleSheet("color: #B00020;")
        self.refused.setVisible(bool(error))
        form.addRow(self.refused)
        self.problems = checked_layout(self, form, self._problems)

    def _texts(self) -> dict[str, str]:
        return {
            "person": self.person.text().strip(),
            "job_title": self.job_title.text().strip(),
            "role": self.role.toPlainText().strip(),
            "curates": self.curates.text().strip(),
        }

    def _problems(self) -> list[str]:
        texts = self._texts()
        problems = [] if texts["person"] else [self.tr("Укажите ФИО специалиста.")]
        for key, limit, title in LIMITS:
            if len(texts[key]) > limit:
                problems.append(
                    self.tr("«{0}»: не больше {1} символов, сейчас {2}.").format(
                        title, limit, len(texts[key])
                    )
                )
        return problems

    def values(self) -> StaffFields:
        return StaffFields(section_id=self.section.currentData(), **self._texts())

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        values: StaffFields | None,
        sections: list[SectionRead],
        error: str = "",
    ) -> StaffFields | None:
        dialog = cls(values, sections, parent, error)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ProgrammeDialog(QDialog):
    """The programme's data and its staffing table, edited row by row with undo."""

    def __init__(
        self, service: ProgrammeService, roadmap_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Программа: кадровое обеспечение"))
        self.resize(960, 600)  # fits 1024×768 with the window frame
        self._service = service
        self._roadmap_id = roadmap_id
        self._programme: Programme | None = None
        self._error = ""
        self.history = UndoHistory(self, ["roadmap"], reload=self.reload, on_error=self._on_error)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = self._make_table()
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #B00020;")
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(self.tr("Кадровое обеспечение реализации программы:"), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(self._buttons())
        self.reload()

    def _make_table(self) -> QTableWidget:
        table = QTableWidget(0, len(HEADERS), self)
        table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((40, 170, 220, 280)):
            table.setColumnWidth(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # wrapped texts take the height their column's final width needs
        header.sectionResized.connect(lambda *_a: table.resizeRowsToContents())
        table.doubleClicked.connect(lambda _i: self._on_edit())
        return table

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, shortcut, slot in (
            ("add", "Добавить…", "Ins", self._on_add),
            ("edit", "Изменить…", "Return", self._on_edit),
            ("up", "Выше", "Ctrl+Up", lambda: self._on_move(-1)),
            ("down", "Ниже", "Ctrl+Down", lambda: self._on_move(1)),
            ("delete", "Удалить", "Del", self._on_delete),
            ("undo", "Отменить", QKeySequence.StandardKey.Undo, self.history.undo),
        ):
            button = QPushButton(self.tr(text), self)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            action = QAction(self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            self.addAction(action)
            row.addWidget(button)
            self.buttons[key] = button
        self.history.stack.canUndoChanged.connect(self.buttons["undo"].setEnabled)
        self.buttons["undo"].setEnabled(False)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        return row

    # -- data --------------------------------------------------------------------------------

    def reload(self) -> None:
        wait_all()  # a reload of the screen in flight first: one database user at a time
        try:
            self._programme = self._service.programme(self._roadmap_id)
        except AppError as exc:
            self._on_error(exc)
            return
        self._show(self._programme)

    def _show(self, p: Programme) -> None:
        r = p.roadmap
        lines = [
            self.tr("Период: {0:%d.%m.%Y} – {1:%d.%m.%Y}").format(r.period_start, r.period_end),
            self.tr("Координатор: {0}").format(r.coordinator or self.tr("не указан")),
            self.tr("Цель, задачи, механизмы реализации и координатор — в «Общих сведениях…»."),
        ]
        self.summary.setText("\n".join(lines))
        current = self.current()
        self.table.setRowCount(len(p.staff))
        for n, row in enumerate(p.staff):
            cells = (f"{n + 1}.", row.person, row.job_title, row.role, p.curated(row))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                self.table.setItem(n, column, item)
        self.table.resizeRowsToContents()
        if current is not None:
            self.select(current.id)

    def staff(self) -> tuple[StaffRead, ...]:
        return self._programme.staff if self._programme else ()

    def current(self) -> StaffRead | None:
        n = self.table.currentRow()
        rows = self.staff()
        return rows[n] if 0 <= n < len(rows) and self.table.selectedItems() else None

    def select(self, staff_id: str) -> None:
        for n, row in enumerate(self.staff()):
            if row.id == staff_id:
                self.table.selectRow(n)
                return

    def _on_error(self, exc: AppError) -> None:
        self._error = str(exc)
        self.error_label.setText(self._error)
        self.error_label.show()

    def _sections(self) -> list[SectionRead]:
        return list(self._programme.sections) if self._programme else []

    # -- commands ----------------------------------------------------------------------------

    def _on_add(self) -> None:
        self._ask_until_saved(None, None)

    def _on_edit(self) -> None:
        row = self.current()
        if row is not None:
            self._ask_until_saved(row, row.fields())

    def _ask_until_saved(self, row: StaffRead | None, values: StaffFields | None) -> None:
        """Ask for the row; when the service refuses it, ask again with what was typed."""
        error = ""
        while True:
            self._error = ""
            got = StaffDialog.ask(self, values, self._sections(), error)
            if got is None or self._save(row, got):
                return
            values, error = got, self._error

    def _save(self, row: StaffRead | None, values: StaffFields) -> bool:
        s, rid = self._service, self._roadmap_id
        if row is None:
            added = self.history.push(self.tr("Добавление"), lambda: s.add_staff(rid, values),
                                      s.delete_staff)  # fmt: skip
            saved = added.value if added is not None else None
        else:
            before = row.fields()
            changed = self.history.push(
                self.tr("Изменение"),
                lambda: s.update_staff(row.id, values),
                lambda _r: s.update_staff(row.id, before),
            )
            saved = row.id if changed is not None else None
        if saved is not None:
            self.error_label.hide()
            self.select(saved)
        return saved is not None

    def _on_move(self, delta: int) -> None:
        row = self.current()
        if row is None or not 0 <= self.table.currentRow() + delta < len(self.staff()):
            return  # nothing moves at the edge, and nothing must be undone later
        s = self._service
        self.history.push(self.tr("Перемещение"), lambda: s.move_staff(row.id, delta),
                          lambda _r: s.move_staff(row.id, -delta))  # fmt: skip
        self.select(row.id)

    def _on_delete(self) -> None:
        row = self.current()
        if row is None:
            return
        s = self._service
        self.history.push(self.tr("Удаление"), lambda: s.delete_staff(row.id),
                          lambda _r: s.restore_staff(row.id))  # fmt: skip
