"""«О программе»: version, data directory, licences."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


class AboutDialog(QDialog):
    def __init__(self, version: str, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("О программе"))
        text = QLabel(
            self.tr(
                "<h2>Опора</h2><p>Версия {0}</p>"
                "<p>Дорожные карты, самоаудит, планы профессионального развития педагогов и "
                "результаты школ с низкими образовательными результатами. Работает без "
                "интернета.</p>"
                "<p><b>Папка данных:</b><br>{1}</p>"
                "<p>Шрифты Liberation — лицензия SIL Open Font License 1.1.</p>"
            ).format(version, str(data_dir)),
            self,
        )
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.data_dir_text = str(data_dir)
        self.version_text = version
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(460, 280)
