"""«Резервная копия на флешку» and «Восстановить с флешки»: the database and keys in one file.

Both dialogs stay open on a refusal (a wrong passphrase, a damaged file) so nothing typed is
lost; the slow parts (scrypt, the copy) run through `run_task`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.site import MIN_PASSPHRASE
from ui.gui.errors import show_error
from ui.gui.tasks import run_task

if TYPE_CHECKING:
    from services.site import PortableResult, PortableService, RestoreResult

FILTER = "Копия Опоры для флешки (*.opora-backup);;Все файлы (*)"
SUFFIX = ".opora-backup"


class _PortableDialog(QDialog):
    """A file, a passphrase (twice when creating), an inline error line and OK/Cancel."""

    def __init__(
        self, portable: PortableService, intro: str, twice: bool, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self._portable = portable
        self.resize(560, 0)
        self.path = QLineEdit(self)
        self.browse = QPushButton(self.tr("Выбрать…"), self)
        self.phrase = QLineEdit(self)
        self.phrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setVisible(twice)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        info = QLabel(intro, self)
        info.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.tr("Файл:"), row)
        form.addRow(self.tr("Парольная фраза:"), self.phrase)
        if twice:
            form.addRow(self.tr("Ещё раз:"), self.again)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self._on_ok)
        self.browse.clicked.connect(self._on_browse)

    def _checked(self) -> tuple[Path, str] | None:
        """The file and passphrase, or None with the reason shown under the fields."""
        text, phrase = self.path.text().strip(), self.phrase.text()
        if not text:
            return self._refuse(self.tr("Выберите файл."))
        if len(phrase) < MIN_PASSPHRASE:
            return self._refuse(
                self.tr("Парольная фраза слишком короткая: нужно не меньше {0} символов.").format(
                    MIN_PASSPHRASE
                )
            )
        if self.again.isVisible() and self.again.text() != phrase:
            return self._refuse(self.tr("Фразы не совпали: введите одну и ту же фразу дважды."))
        self.error.clear()
        return Path(text).expanduser().absolute(), phrase

    def _refuse(self, text: str) -> tuple[Path, str] | None:
        self.error.setText(text)
        return None

    def _busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        show_error(self, exc)

    def _on_browse(self) -> None:
        raise NotImplementedError

    def _on_ok(self) -> None:
        raise NotImplementedError


class PortableBackupDialog(_PortableDialog):
    def __init__(self, portable: PortableService, parent: QWidget | None = None) -> None:
        intro = (
            "В файл попадут база данных и ключи организации, зашифрованные парольной фразой. "
            "С ним можно перенести работу на новый компьютер. Запишите фразу и храните её "
            "отдельно от флешки: без неё файл не открыть."
        )
        super().__init__(portable, intro, True, parent)
        self.setWindowTitle(self.tr("Резервная копия на флешку"))
        self.result_info: PortableResult | None = None

    def _on_browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Сохранить копию"), f"opora{SUFFIX}", FILTER
        )
        if name:
            self.path.setText(name if name.endswith(SUFFIX) else name + SUFFIX)

    def _on_ok(self) -> None:
        checked = self._checked()
        if checked is None:
            return
        target, phrase = checked
        portable = self._portable
        self._busy(True)
        run_task(self, lambda _p: portable.create(target, phrase), self._done,
                 on_error=self._failed, title=self.tr("Копия на флешку…"))  # fmt: skip

    def _done(self, result: PortableResult) -> None:
        self._busy(False)
        self.result_info = result
        QMessageBox.information(
            self, self.tr("Копия сохранена"), self.tr("Копия сохранена: {0}").format(result.path)
        )
        self.accept()


class PortableRestoreDialog(_PortableDialog):
    def __init__(self, portable: PortableService, parent: QWidget | None = None) -> None:
        intro = (
            "Восстановление базы данных и ключей организации из копии на флешке. Если в "
            "программе уже есть данные, перед заменой будет сделана обычная резервная копия."
        )
        super().__init__(portable, intro, False, parent)
        self.setWindowTitle(self.tr("Восстановить с флешки"))
        self.restored: RestoreResult | None = None

    def _on_browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Копия на флешке"), "", FILTER)
        if name:
            self.path.setText(name)

    def _on_ok(self) -> None:
        checked = self._checked()
        if checked is None:
            return
        source, phrase = checked
        portable = self._portable

        def check(_p: object) -> tuple[str, str | None]:
            contents = portable.read(source, phrase)  # a wrong phrase is said before anything
            return contents.manifest.organisation, portable.occupant()

        def checked_ok(found: tuple[str, str | None]) -> None:
            organisation, occupant = found
            if occupant is not None and not self._confirm(organisation, occupant):
                self._busy(False)
                return
            title = self.tr("Восстановление…")
            run_task(self, lambda _p: portable.restore(source, phrase, replace=True),
                     self._done, on_error=self._failed, title=title)  # fmt: skip

        self._busy(True)
        run_task(self, check, checked_ok, on_error=self._failed,
                 title=self.tr("Проверка копии…"))  # fmt: skip

    def _confirm(self, organisation: str, occupant: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Заменить данные?"),
            self.tr(
                "В программе уже есть данные организации «{0}». Заменить их данными и ключами "
                "«{1}» из копии? Перед заменой будет сделана обычная резервная копия."
            ).format(occupant, organisation),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _done(self, result: RestoreResult) -> None:
        self._busy(False)
        self.restored = result
        QMessageBox.information(
            self,
            self.tr("Данные восстановлены"),
            self.tr(
                "Данные и ключи «{0}» восстановлены. Программа закроется: запустите её снова, "
                "чтобы работать с восстановленными данными."
            ).format(result.manifest.organisation),
        )
        self.accept()
