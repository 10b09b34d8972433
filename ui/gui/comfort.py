"""Help where the user is, and a larger font for those who need it.

- «Справка → Руководство пользователя» (F1) shows the Russian guide shipped in
  `resources/help/`: one HTML page per screen, opened at the page of the current screen.
- «Вид → Крупный шрифт» scales the whole interface (the application font) and is remembered
  in `ui.ini` of the data directory, so it applies from the next start before the first paint.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

LARGE_FONT_KEY = "view/large_font"
LARGE_FACTOR = 1.25
BASE_SIZE_PROPERTY = "opora_base_point_size"


def settings(data_dir: Path) -> QSettings:
    """The interface settings of this installation (never synced, never in the database)."""
    return QSettings(str(data_dir / "ui.ini"), QSettings.Format.IniFormat)


def large_font_on(data_dir: Path) -> bool:
    return str(settings(data_dir).value(LARGE_FONT_KEY, "false")).lower() == "true"


def apply_font_scale(app: QApplication, large: bool) -> None:
    """Set the application font to the normal or the large size; every widget follows it."""
    base = app.property(BASE_SIZE_PROPERTY)
    if not base:
        base = app.font().pointSizeF()
        if base <= 0:
            base = 9.0
        app.setProperty(BASE_SIZE_PROPERTY, base)
    font = QFont(app.font())
    font.setPointSizeF(float(base) * (LARGE_FACTOR if large else 1.0))
    app.setFont(font)


def set_large_font(data_dir: Path, large: bool) -> None:
    """Apply the choice now and remember it for the next start."""
    store = settings(data_dir)
    store.setValue(LARGE_FONT_KEY, "true" if large else "false")
    store.sync()
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_font_scale(app, large)


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
