"""Getting a file ready for the intake dialog: an old Word file converted, the tables read.

Both happen in the background (`run_task`), so the window stays responsive on a slow disk or a
large document; the dialog then re-maps the tables already read. A .doc or .rtf is converted by
LibreOffice when it is installed and the user agrees («Преобразовать с помощью LibreOffice?»);
otherwise the message says how to save it as .docx in Word or LibreOffice.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from services.core.errors import Invalid
from ui.gui.errors import show_error
from ui.gui.tasks import run_task

TABLE_FILES = "*.docx *.xlsx *.xlsm *.xls *.ods *.csv *.doc *.rtf"


def open_table(parent: QWidget, path: Path, on_ready: Callable[[Path], None]) -> None:
    """Read `path` (converting a .doc/.rtf first) off the GUI thread, then `on_ready(path)`.

    `on_ready` gets the file to preview (a converted copy is removed when it returns).
    """
    from services.intake import CONVERTIBLE, office, old_format_text, read_tables

    if path.suffix.lower() not in CONVERTIBLE:
        run_task(
            parent,
            lambda _p: _read(read_tables, path),
            on_ready,
            title=parent.tr("Чтение файла…"),
            on_error=lambda e: show_error(parent, e),
        )
        return
    if office() is None:
        show_error(parent, Invalid(old_format_text(path.suffix)))
        return
    answer = QMessageBox.question(
        parent,
        parent.tr("Файл старого формата"),
        parent.tr(
            "Файл {0} сохранён в старом формате Word, который Опора не читает. На компьютере "
            "установлен LibreOffice: он может сохранить копию файла в формате .docx.\n\n"
            "Преобразовать с помощью LibreOffice?"
        ).format(path.name),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return
    _convert(parent, path, on_ready)


def _read(read: Callable[[Path], object], path: Path) -> Path:
    read(path)  # kept by the reader: the dialog's previews do not read the file again
    return path


def _convert(parent: QWidget, path: Path, on_ready: Callable[[Path], None]) -> None:
    from services.intake import convert_to_docx, read_tables

    folder = Path(tempfile.mkdtemp(prefix="opora-convert-"))

    def job(_progress: object) -> Path:
        return _read(read_tables, convert_to_docx(path, folder))

    def done(converted: Path) -> None:
        try:
            on_ready(converted)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def failed(exc: BaseException) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        show_error(parent, exc)

    run_task(parent, job, done, title=parent.tr("Преобразование в .docx (LibreOffice)…"),
             on_error=failed)  # fmt: skip
