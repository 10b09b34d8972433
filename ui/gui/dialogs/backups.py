"""The list of backups with «Восстановить» (DESIGN §5)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.site import BackupInfo, BackupService
from ui.gui.errors import show_error


class BackupsDialog(QDialog):
    def __init__(self, backups: BackupService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._backups = backups
        self.restored_from: BackupInfo | None = None
        self.setWindowTitle(self.tr("Резервные копии"))
        self.resize(560, 420)
        self.list = QListWidget(self)
        self.info = QLabel(
            self.tr(
                "Копии делаются автоматически: при запуске, каждые 30 минут работы, перед "
                "импортом и восстановлением. Перед восстановлением текущее состояние тоже "
                "сохраняется в копию, поэтому восстановление можно отменить."
            ),
            self,
        )
        self.info.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("Восстановить выбранную копию"), self)
        self.restore_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(lambda row: self.restore_button.setEnabled(row >= 0))
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self._load()

    def _load(self) -> None:
        self.list.clear()
        for b in self._backups.entries():
            text = f"{b.created:%d.%m.%Y %H:%M:%S} — {b.reason_text} ({b.size // 1024} КБ)"
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, b)
        if self.list.count() == 0:
            empty = QListWidgetItem(self.tr("Резервных копий пока нет."), self.list)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)

    def selected(self) -> BackupInfo | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item else None
        return value if isinstance(value, BackupInfo) else None

    def _on_restore_button_clicked(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Восстановление"),
            self.tr(
                "Восстановить данные на {0}? Текущее состояние будет сохранено в новую "
                "резервную копию."
            ).format(f"{chosen.created:%d.%m.%Y %H:%M}"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._backups.restore(chosen.path)
        except Exception as exc:
            show_error(self, exc)
            return
        self.restored_from = chosen
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, backups: BackupService) -> bool:
        """Show the list; return True if the database was restored."""
        dialog = cls(backups, parent)
        return dialog.exec() == QDialog.DialogCode.Accepted
