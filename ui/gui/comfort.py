"""A larger font for those who need it.

«Вид → Крупный шрифт» scales the whole interface (the application font) and is remembered in
`ui.ini` of the data directory, so it applies from the next start before the first paint (this
module is imported before it, hence light; the guide lives in `ui.gui.dialogs.help`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

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
    if not base and not large:
        return  # never scaled: the font is the normal size (and the start needs no `QFont` type)
    from PySide6.QtGui import QFont

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
