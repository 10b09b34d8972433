"""The district's screens: «Сводка», «Школы», «Шаблоны и пороги», «Рассылка школам».

The names below are what the front ends may use; they load on first use, so importing the
package costs nothing (the window paints before any area is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.district.bulletin import (
        BulletinResult as BulletinResult,
    )
    from services.district.curators import (
        Curator as Curator,
    )
    from services.district.definitions import (
        BETTER_TITLES as BETTER_TITLES,
    )
    from services.district.definitions import (
        DefinitionDraft as DefinitionDraft,
    )
    from services.district.definitions import (
        DefinitionItem as DefinitionItem,
    )
    from services.district.definitions import (
        check_definition as check_definition,
    )
    from services.district.key_change import (
        KeyRotated as KeyRotated,
    )
    from services.district.key_change import (
        KeyState as KeyState,
    )
    from services.district.school_view import (
        SchoolView as SchoolView,
    )
    from services.district.school_view import (
        ViewItem as ViewItem,
    )
    from services.district.schools import (
        KEY_STATES as KEY_STATES,
    )
    from services.district.schools import (
        CommentRead as CommentRead,
    )
    from services.district.schools import (
        RegistryEntry as RegistryEntry,
    )
    from services.district.summary import (
        LEVEL_LETTER as LEVEL_LETTER,
    )
    from services.district.summary import (
        LEVEL_TEXT as LEVEL_TEXT,
    )
    from services.district.summary import (
        PERSISTENT_TEXT as PERSISTENT_TEXT,
    )
    from services.district.summary import (
        SHORT_NAMES as SHORT_NAMES,
    )
    from services.district.summary import (
        DistrictSummary as DistrictSummary,
    )
    from services.district.summary import (
        SchoolSummary as SchoolSummary,
    )
    from services.district.summary import (
        pct as pct,
    )
    from services.district.thresholds import (
        MAX_YEAR as MAX_YEAR,
    )
    from services.district.thresholds import (
        MIN_YEAR as MIN_YEAR,
    )
    from services.district.thresholds import (
        NOTE_MAX as NOTE_MAX,
    )
    from services.district.thresholds import (
        SIGNS as SIGNS,
    )
    from services.district.thresholds import (
        CatalogueEntry as CatalogueEntry,
    )
    from services.district.thresholds import (
        ThresholdDraft as ThresholdDraft,
    )
    from services.district.thresholds import (
        ThresholdItem as ThresholdItem,
    )
    from services.district.thresholds import (
        ThresholdService as ThresholdService,
    )
    from services.indicators.names import (
        reference_lines as reference_lines,
    )

_EXPORTS = {
    "Curator": "services.district.curators",
    "BulletinResult": "services.district.bulletin",
    "KeyRotated": "services.district.key_change",
    "KeyState": "services.district.key_change",
    "SchoolView": "services.district.school_view",
    "ViewItem": "services.district.school_view",
    "CommentRead": "services.district.schools",
    "KEY_STATES": "services.district.schools",
    "RegistryEntry": "services.district.schools",
    "DistrictSummary": "services.district.summary",
    "LEVEL_LETTER": "services.district.summary",
    "LEVEL_TEXT": "services.district.summary",
    "PERSISTENT_TEXT": "services.district.summary",
    "SHORT_NAMES": "services.district.summary",
    "SchoolSummary": "services.district.summary",
    "pct": "services.district.summary",
    "CatalogueEntry": "services.district.thresholds",
    "MAX_YEAR": "services.district.thresholds",
    "MIN_YEAR": "services.district.thresholds",
    "NOTE_MAX": "services.district.thresholds",
    "SIGNS": "services.district.thresholds",
    "ThresholdDraft": "services.district.thresholds",
    "BETTER_TITLES": "services.district.definitions",
    "DefinitionDraft": "services.district.definitions",
    "DefinitionItem": "services.district.definitions",
    "check_definition": "services.district.definitions",
    "reference_lines": "services.indicators.names",
    "ThresholdItem": "services.district.thresholds",
    "ThresholdService": "services.district.thresholds",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
