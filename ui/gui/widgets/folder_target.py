"""«Куда:» — where a package is written: a removable drive first, or any folder the user picks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStorageInfo
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

REMOVABLE_ROOTS = ("/media/", "/run/media/", "/mnt/")


def export_targets() -> list[tuple[str, Path]]:
    """Writable volumes, removable drives (USB sticks) first, then the home folder."""
    removable: list[tuple[str, Path]] = []
    for volume in QStorageInfo.mountedVolumes():
        if not volume.isValid() or not volume.isReady() or volume.isReadOnly():
            continue
        root = volume.rootPath()
        if root.startswith(REMOVABLE_ROOTS) or (len(root) <= 3 and root[:1] not in "Cc/"):
            name = volume.displayName() or root
            removable.append((f"Флешка: {name} ({root})", Path(root)))
    home = Path.home()
    return [*removable, (f"Папка пользователя ({home})", home)]


class FolderTarget(QWidget):
    """A list of writable volumes and a «Другая папка…» button; keeps the choice on refresh."""

    def __init__(self, browse_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._browse_title = browse_title
        self.combo = QComboBox(self)
        self.browse_button = QPushButton(self.tr("Другая папка…"), self)
        self.browse_button.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Куда:"), self))
        row.addWidget(self.combo, 1)
        row.addWidget(self.browse_button)

    def refresh(self) -> None:
        """List the volumes again (a stick may have been plugged in), keeping the choice."""
        current = self.folder()
        self.combo.clear()
        for title, path in export_targets():
            self.combo.addItem(title, str(path))
        if current is not None:
            self.choose(current)

    def choose(self, folder: Path) -> None:
        index = self.combo.findData(str(folder))
        if index < 0:
            self.combo.insertItem(0, str(folder), str(folder))
            index = 0
        self.combo.setCurrentIndex(index)

    def folder(self) -> Path | None:
        data = self.combo.currentData()
        return Path(str(data)) if data else None

    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self._browse_title)
        if folder:
            self.choose(Path(folder))
