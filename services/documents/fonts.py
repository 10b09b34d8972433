"""Register the shipped Liberation fonts with reportlab once (base-14 fonts lack Cyrillic)."""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.graphics import shapes
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import tables

SERIF = "LiberationSerif"
SANS = "LiberationSans"

_FILES = {
    "": "Regular",
    "-Bold": "Bold",
    "-Italic": "Italic",
    "-BoldItalic": "BoldItalic",
}
_lock = threading.Lock()
_registered: set[str] = set()


def register_fonts(fonts_dir: Path) -> None:
    """Register serif and sans families with bold/italic mapping; idempotent and thread-safe."""
    with _lock:
        for family in (SERIF, SANS):
            if family in _registered:
                continue
            for suffix, style in _FILES.items():
                path = fonts_dir / f"{family}-{style}.ttf"
                pdfmetrics.registerFont(TTFont(family + suffix, str(path)))
            pdfmetrics.registerFontFamily(
                family,
                normal=family,
                bold=family + "-Bold",
                italic=family + "-Italic",
                boldItalic=family + "-BoldItalic",
            )
            for bold in (0, 1):
                for italic in (0, 1):
                    name = family + {(0, 0): "", (1, 0): "-Bold", (0, 1): "-Italic"}.get(
                        (bold, italic), "-BoldItalic"
                    )
                    addMapping(family, bold, italic, name)
            _registered.add(family)
        # A table cell without FONTNAME (an empty spacer cell, say) falls back to reportlab's
        # Helvetica, which is then named in the PDF without being embedded (and has no
        # Cyrillic): every Опора table defaults to the embedded serif instead.
        tables.CellStyle.fontname = SERIF
        # Charts start each drawing in the default graphics font the same way.
        shapes.STATE_DEFAULTS["fontName"] = SANS
