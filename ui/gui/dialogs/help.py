"""Help where the user is: «Справка → Руководство пользователя» (F1).

The Russian guide shipped in `resources/help/`: one HTML page per screen, opened at the page of
the current screen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


def help_page(help_dir: Path, screen_key: str | None) -> Path:
    """The guide's page of a screen, or its contents when the screen has none."""
    page = help_dir / f"{screen_key}.html" if screen_key else None
    return page if page is not None and page.is_file() else help_dir / "index.html"


class HelpDialog(QDialog):
    """The user guide in a browser with links between pages (no network, no web engine)."""

    def __init__(self, page: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Руководство пользователя"))
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setSearchPaths([str(page.parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(page)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Закрыть"))
        buttons.rejected.connect(self.reject)
        back = buttons.addButton(self.tr("Содержание"), QDialogButtonBox.ButtonRole.ActionRole)
        back.clicked.connect(self._on_contents_clicked)
        self._index = page.parent / "index.html"
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        room = self.screen().availableGeometry()
        self.resize(min(760, room.width() - 40), min(600, room.height() - 80))

    def _on_contents_clicked(self) -> None:
        self.browser.setSource(QUrl.fromLocalFile(str(self._index)))

    def page(self) -> str:
        return Path(self.browser.source().toLocalFile()).name
