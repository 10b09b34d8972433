"""«Загрузить из файла…» on «Педагоги и ИППР»: a teachers' list, or the selected teacher's ИППР.

The same pipeline and preview dialog as the roadmap (`ui.gui.widgets.intake_dialog`): the file is
read in the background, the preview shows the mapping (reassignable), the first rows, the names
already stored and every warning; «Загрузить» stores exactly that preview in one transaction,
after a backup (`services.intake.apply_teachers` / `apply_ippr`, wired in `ui.gui.screens`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from services.core.errors import AppError
from services.intake import (
    IpprPreview,
    TeachersPreview,
    ippr_with_period,
    load_vocabulary,
    preview_ippr,
    preview_teachers,
    understood_text,
)
from ui.gui.screens.staff.actions import StaffActions
from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets import intake_dialog
from ui.gui.widgets.intake_dialog import IntakeKind, IntakeView
from ui.gui.widgets.intake_flow import TABLE_FILES, open_table
from ui.gui.widgets.intake_period import PeriodHooks, PeriodPreviews


@dataclass(frozen=True)
class StaffImporter:
    """How the screen stores what the user accepted (wired to `services.intake`)."""

    intake_dir: Path  # `AppPaths.intake_dir`
    store_teachers: Callable[[TeachersPreview, bool], str]  # (preview, update stored names)
    store_ippr: Callable[[IpprPreview, str], str]  # (preview, teacher id)


def _tr(text: str) -> str:
    return QCoreApplication.translate("StaffIntake", text)


def teachers_kind(path: Path, directory: Path, existing: list[str]) -> IntakeKind[TeachersPreview]:
    words = load_vocabulary(directory / "teachers")

    def preview(overrides: dict[str, str], pick: str | None) -> TeachersPreview:
        return preview_teachers(path, words, overrides=overrides, pick=pick, existing=existing)

    return IntakeKind(
        _tr("Загрузка списка педагогов: {0}"), _tr("Столбцы файла → сведения о педагоге"),
        [_tr("ФИО"), _tr("Должность"), _tr("Предметы"), _tr("Категория"), _tr("Стаж"),
         _tr("В Опоре")],
        words.field_labels(), preview, _teachers_view, (260, 180, 200, 120, 50, 90),
    )  # fmt: skip


def _teachers_view(preview: TeachersPreview) -> IntakeView:
    rows = []
    for t in preview.teachers:
        there = preview.is_stored(t.full_name)
        years = "" if t.experience_years is None else str(t.experience_years)
        cells = [t.full_name, t.position, t.subjects, t.category, years,
                 _tr("уже есть") if there else ""]  # fmt: skip
        rows.append((cells, {5} if there else set()))
    summary = _tr(
        "Файл: {0}; таблица: {1}.\nНовых педагогов — {2}; уже есть в Опоре — {3}; "
        "повторов в файле — {4}."
    ).format(preview.source, preview.detected.label, len(preview.new()),
             len(preview.duplicates), len(preview.repeated))  # fmt: skip
    details = ""
    if preview.duplicates:
        details = _tr("Уже есть в Опоре: {0}").format(", ".join(preview.duplicates))
    return IntakeView(summary, details, rows, preview.warnings)


def ippr_kind(path: Path, directory: Path, teacher: str) -> IntakeKind[IpprPreview]:
    """The ИППР preview, its deadlines read in the period row's dates (as the roadmap's)."""
    words = load_vocabulary(directory / "ippr")

    def read(overrides: dict[str, str], pick: str | None) -> IpprPreview:
        return preview_ippr(path, words, overrides=overrides, pick=pick)

    previews = PeriodPreviews(read, ippr_with_period)

    def view(p: IpprPreview) -> IntakeView:
        start, end = (day.strftime("%d.%m.%Y") for day in p.period)
        summary = _tr(
            "Педагог: {0}. Файл: {1}; таблица: {2}. План на {3} – {4}.\n"
            "Будет загружено мероприятий — {5}; срок не распознан — {6}."
        ).format(teacher, p.source, p.detected.label, start, end, len(p.items),
                 len(p.not_understood))  # fmt: skip
        rows = [
            ([i.fields.title, i.fields.form, i.deadline_text, understood_text(i.deadline),
              i.fields.report_form], set() if i.deadline.understood else {3})
            for i in p.items
        ]  # fmt: skip
        return IntakeView(summary, "", rows, p.warnings)

    return IntakeKind(
        _tr("Загрузка ИППР: {0}"), _tr("Столбцы файла → поля мероприятия ИППР"),
        [_tr("Мероприятие"), _tr("Форма"), _tr("Срок в файле"), _tr("Как понят срок"),
         _tr("Форма отчётности")],
        words.field_labels(), previews, view, (340, 120, 160, 160, 200),
        PeriodHooks(previews, lambda p: (p.period, p.chosen.source_text(), None),
                    _tr("Период плана"), _tr("Вернуть период из заголовка файла или учебный год")),
    )  # fmt: skip


class StaffIntake(StaffActions):
    """The screen's «Загрузить из файла…» actions."""

    _importer: StaffImporter | None
    _notifier: Notifier | None

    def _import_teachers(self) -> None:
        name = self._ask_file(self.tr("Загрузить список педагогов"))
        if name:
            self.import_teachers_file(Path(name))

    def _import_ippr(self) -> None:
        teacher = self.selected_teacher()
        if teacher is None:
            QMessageBox.information(self, self.tr("Загрузка ИППР"),
                                    self.tr("Выберите педагога в списке слева."))  # fmt: skip
            return
        name = self._ask_file(self.tr("Загрузить ИППР: {0}").format(teacher.full_name))
        if name:
            self.import_ippr_file(Path(name))

    def _ask_file(self, title: str) -> str:
        name, _ = QFileDialog.getOpenFileName(
            self, title, "", self.tr("Таблицы ({0})").format(TABLE_FILES)
        )
        return name

    def import_teachers_file(self, path: Path) -> None:
        """Read, preview and store a teachers' list (duplicates: ask whether to update them)."""
        importer = self._importer
        if importer is None:
            return
        existing = [t.full_name for t in self._teachers]

        def ready(ready_path: Path) -> None:
            try:
                kind = teachers_kind(ready_path, importer.intake_dir, existing)
            except AppError as exc:
                self._show_error(exc)
                return
            preview = intake_dialog.ask_preview(ready_path, kind, self)
            if preview is None:
                return
            update = False
            if preview.duplicates:
                answer = QMessageBox.question(self, self.tr("Педагоги уже есть"), self.tr(
                    "Педагоги из файла уже есть в Опоре ({0}). Обновить их сведения из файла? "
                    "«Нет» — оставить как есть и загрузить только новых."
                ).format(len(preview.duplicates)))  # fmt: skip
                update = answer == QMessageBox.StandardButton.Yes
            self._store(lambda: importer.store_teachers(preview, update))

        open_table(self, path, ready)

    def import_ippr_file(self, path: Path) -> None:
        """Read, preview and store activities into the selected teacher's plan."""
        importer, teacher = self._importer, self.selected_teacher()
        if importer is None or teacher is None:
            return

        def ready(ready_path: Path) -> None:
            try:
                kind = ippr_kind(ready_path, importer.intake_dir, teacher.full_name)
            except AppError as exc:
                self._show_error(exc)
                return
            preview = intake_dialog.ask_preview(ready_path, kind, self)
            if preview is not None:
                self._store(lambda: importer.store_ippr(preview, teacher.id))

        open_table(self, path, ready)

    def _store(self, store: Callable[[], str]) -> None:
        def done(summary: str) -> None:
            self.history.clear()
            self.refresh()
            QMessageBox.information(self, self.tr("Загрузка из файла"), summary)

        run_task(self, lambda _p: store(), done, title=self.tr("Загрузка…"),
                 notifier=self._notifier, changes=["staff"])  # fmt: skip
