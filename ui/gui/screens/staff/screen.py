"""«Педагоги и ИППР»: teachers with coverage figures, and the plan editor of the selected one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.core.formatting import date_short
from services.core.progress import Progress
from services.staff import (
    AREA_TITLES,
    ActivityRead,
    DeficitRead,
    PlanRead,
    StaffService,
    TeacherRead,
)
from ui.gui.errors import show_error
from ui.gui.screens.staff.intake import StaffImporter, StaffIntake
from ui.gui.screens.staff.state import StaffState, read_state
from ui.gui.table_models.row_model import RowTableModel
from ui.gui.table_models.staff import (
    activity_background,
    activity_columns,
    deficit_columns,
    teacher_columns,
)
from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets.columns import fit_columns, fit_to_view, keep_readable
from ui.gui.widgets.filter_table import FilterTable
from ui.gui.widgets.flow_layout import FlowLayout
from ui.gui.widgets.undo import UndoHistory

SavePdf = Callable[[str, Path, Progress], None]  # (teacher id, out, progress): the printed ИППР


def _buttons(parent: QWidget, *spec: tuple[str, Callable[[], None]]) -> FlowLayout:
    """A row of buttons that wraps when the screen is narrow."""
    row = FlowLayout()
    for text, slot in spec:
        button = QPushButton(text, parent)
        button.clicked.connect(slot)
        row.addWidget(button)
    return row


class StaffScreen(StaffIntake):
    """Teachers table (left) and the plan editor (right); every change can be undone."""

    loads_when_built = True  # the main window does not refresh it right after

    def __init__(
        self,
        staff: StaffService,
        save_pdf: SavePdf | None = None,
        parent: QWidget | None = None,
        *,
        notifier: Notifier | None = None,
        importer: StaffImporter | None = None,
    ) -> None:
        super().__init__(parent)
        self._staff = staff
        self._save_pdf = save_pdf
        self._importer, self._notifier = importer, notifier
        self.history = UndoHistory(self, ["staff"], reload=self.refresh,
                                   on_error=self._show_error, notifier=notifier)  # fmt: skip
        self._teachers: list[TeacherRead] = []
        self._current_plans: set[str] = set()
        self._build_ui()
        # The first load in a task (≈ 60 ms of reads made the first show exceed 100 ms);
        # `refresh()` after an edit or undo reads at once, as the undo history expects, and
        # a first load that comes back after it is stale.
        self._refreshed = False
        run_task(self, lambda _p: read_state(staff), self._show_first_state,
                 on_error=lambda exc: show_error(self, exc))  # fmt: skip

    # building --------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.coverage_label = QLabel(self)
        self.coverage_label.setWordWrap(True)
        self.deficits_label = QLabel(self)
        self.deficits_label.setWordWrap(True)
        self._names: dict[str, str] = {}
        self.teacher_model: RowTableModel[TeacherRead] = RowTableModel(
            teacher_columns(lambda tid: self._names.get(tid, "")), self
        )
        self.teachers_table = FilterTable(self.teacher_model, self)
        self.teachers_table.view.selectionModel().selectionChanged.connect(self._load_plans)
        self.teachers_table.activated_row.connect(lambda _t: self._edit_teacher())
        self.teachers_table.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        for column, width in enumerate((210, 120, 160, 110, 50, 60)):
            self.teachers_table.view.setColumnWidth(column, width)
        # At 1024 px the two halves of the screen share 780 px: each table keeps its main column
        # readable and hides the least important columns instead of scrolling sideways.
        fit_to_view(self.teachers_table.view, 0, (6, 5, 4, 3, 2, 1))
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.addWidget(self.teachers_table, 1)
        lv.addLayout(
            _buttons(
                left,
                (self.tr("Добавить педагога"), self._add_teacher),
                (self.tr("Изменить"), self._edit_teacher),
                (self.tr("Удалить"), self._delete_teacher),
                (self.tr("Загрузить из файла…"), self._import_teachers),
            )
        )
        right = QWidget(self)
        rv = QVBoxLayout(right)
        self.plan_combo = QComboBox(right)
        self.plan_combo.currentIndexChanged.connect(self._load_plan)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("ИППР:"), right))
        top.addWidget(self.plan_combo, 1)
        rv.addLayout(top)
        rv.addLayout(
            _buttons(
                right,
                (self.tr("Новый план"), self._add_plan),
                (self.tr("Период и утверждение…"), self._edit_plan),
                (self.tr("Копировать на следующий период"), self._copy_plan),
                (self.tr("Удалить план"), self._delete_plan),
                (self.tr("ИППР в PDF…"), self._export_pdf),
                (self.tr("Загрузить ИППР из файла…"), self._import_ippr),
            )
        )
        self.deficit_model: RowTableModel[DeficitRead] = RowTableModel(deficit_columns(), self)
        self.deficit_view = self._table(self.deficit_model, right)
        fit_to_view(self.deficit_view, 1, (2, 0))
        rv.addWidget(QLabel(self.tr("Профессиональные дефициты"), right))
        rv.addWidget(self.deficit_view, 1)
        rv.addLayout(
            _buttons(
                right,
                (self.tr("Добавить дефицит"), self._add_deficit),
                (self.tr("Изменить"), self._edit_deficit),
                (self.tr("Удалить"), self._delete_deficit),
            )
        )
        self.activity_model: RowTableModel[ActivityRead] = RowTableModel(
            activity_columns(), self, row_background=activity_background
        )
        self.activity_view = self._table(self.activity_model, right)
        fit_to_view(self.activity_view, 1, (5, 2, 3, 4, 0))
        rv.addWidget(QLabel(self.tr("Мероприятия (просроченные выделены)"), right))
        rv.addWidget(self.activity_view, 2)
        rv.addLayout(
            _buttons(
                right,
                (self.tr("Добавить мероприятие"), self._add_activity),
                (self.tr("Изменить"), self._edit_activity),
                (self.tr("Удалить"), self._delete_activity),
            )
        )
        self.undo_button = QPushButton(self.tr("Отменить"), self)
        self.undo_button.clicked.connect(self.undo)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([600, 600])  # at 1024 px the teachers keep «ФИО» and «Должность»
        head = QHBoxLayout()
        head.addWidget(self.coverage_label, 1)
        head.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.deficits_label)
        layout.addWidget(splitter, 1)

    def _table(self, model: RowTableModel[Any], parent: QWidget) -> QTableView:
        view = QTableView(parent)
        view.setModel(model)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.setWordWrap(True)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setStretchLastSection(True)
        keep_readable(view)
        return view

    # loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self._refreshed = True
        self._show_state(read_state(self._staff))

    def _show_first_state(self, state: StaffState) -> None:
        if not self._refreshed:
            self._show_state(state)

    def _show_state(self, state: StaffState) -> None:
        selected = self.selected_teacher()
        self._teachers = state.teachers
        self._names = {t.id: t.full_name for t in self._teachers}
        self.teacher_model.set_rows(self._teachers)
        cov = state.coverage
        self.coverage_label.setText(
            self.tr(
                "Педагогов: {0}. С действующим ИППР: {1}. Курсы ПК за 3 года: {2}. "
                "В активных формах: {3}. Молодые специалисты с наставником: {4}."
            ).format(
                cov.teachers,
                cov.with_plan.summary(),
                cov.pk_3y.summary(),
                cov.active_forms.summary(),
                cov.young_with_mentor.summary(),
            )
        )
        self._show_deficit_counts(state)
        self.select_teacher(selected.id if selected else None)
        self.undo_button.setEnabled(self.history.can_undo())

    def _show_deficit_counts(self, state: StaffState) -> None:
        """Deficits of the current plans by area (detail by subject in the tooltip)."""
        parts = [f"{AREA_TITLES[area].lower()} — {n}" for area, n in state.by_area.items()]
        self.deficits_label.setText(
            self.tr("Педагогов с дефицитами по областям: {0}.").format(", ".join(parts))
            if parts
            else self.tr("В действующих планах дефициты не указаны.")
        )
        self.deficits_label.setToolTip(
            "\n".join(
                f"{AREA_TITLES[c.area]}, {c.subject or 'без предмета'}: "
                f"{c.deficits} деф., {c.teachers} пед."
                for c in state.counts
            )
        )

    def select_teacher(self, teacher_id: str | None) -> None:
        table = self.teachers_table
        for row in range(table.proxy.rowCount()):
            source = table.proxy.mapToSource(table.proxy.index(row, 0))
            dto = self.teacher_model.row_at(source.row())
            if teacher_id is None or dto.id == teacher_id:
                table.view.selectRow(row)
                break
        self._load_plans()

    def selected_teacher(self) -> TeacherRead | None:
        rows = self.teachers_table.selected_rows()
        return rows[0] if rows else None

    def current_plan(self) -> PlanRead | None:
        data = self.plan_combo.currentData()
        return data if isinstance(data, PlanRead) else None

    def _load_plans(self, *_: Any) -> None:
        teacher = self.selected_teacher()
        keep = self.current_plan()
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        if teacher is not None:
            for plan in self._staff.plans(teacher.id):
                text = f"{date_short(plan.period_start)} – {date_short(plan.period_end)}"
                self.plan_combo.addItem(text, plan)
                if keep and plan.id == keep.id:
                    self.plan_combo.setCurrentIndex(self.plan_combo.count() - 1)
        self.plan_combo.blockSignals(False)
        self._load_plan()

    def _load_plan(self, *_: Any) -> None:
        plan = self.current_plan()
        self.deficit_model.set_rows(self._staff.deficits(plan.id) if plan else [])
        self.activity_model.set_rows(self._staff.activities(plan.id) if plan else [])
        fit_columns(self.deficit_view)
        fit_columns(self.activity_view)

    def _export_pdf(self) -> None:
        teacher = self.selected_teacher()
        if teacher is None or self._save_pdf is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Сохранить ИППР"), f"ИППР {teacher.full_name}.pdf", "PDF (*.pdf)"
        )
        if name:
            self.export_pdf(teacher.id, Path(name).with_suffix(".pdf"))

    def export_pdf(self, teacher_id: str, out: Path) -> None:
        """Write the teacher's latest plan as the printed ИППР in the background."""
        save = self._save_pdf
        if save is None:
            return

        def done(_result: None) -> None:
            QMessageBox.information(
                self, self.tr("ИППР сохранён"), self.tr("Файл сохранён:\n{0}").format(out)
            )

        run_task(
            self,
            lambda progress: save(teacher_id, out, progress),
            done,
            title=self.tr("Формирование ИППР…"),
            on_error=lambda exc: show_error(self, exc),
        )
