"""Tables in from real documents (Word, Excel, LibreOffice, CSV): detect → map → preview → apply.

The names below are what the front ends may use; they load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.intake.apply import apply_roadmap as apply_roadmap
    from services.intake.preview import RoadmapPreview as RoadmapPreview
    from services.intake.preview import preview_roadmap as preview_roadmap
    from services.intake.preview import render as render
    from services.intake.preview import understood_text as understood_text
    from services.intake.readers import FORMATS as FORMATS
    from services.intake.vocabulary import Vocabulary as Vocabulary
    from services.intake.vocabulary import load_vocabulary as load_vocabulary

_EXPORTS = {
    "apply_roadmap": "services.intake.apply",
    "RoadmapPreview": "services.intake.preview",
    "preview_roadmap": "services.intake.preview",
    "render": "services.intake.preview",
    "understood_text": "services.intake.preview",
    "FORMATS": "services.intake.readers",
    "Vocabulary": "services.intake.vocabulary",
    "load_vocabulary": "services.intake.vocabulary",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
