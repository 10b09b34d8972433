"""«Дорожная карта»: roadmaps, sections, items, deadlines and their documents.

The names below are what the front ends may use; they load on first use, so importing the
package costs nothing (the window paints before any area is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.roadmap.deadlines import (
        parse_deadline as parse_deadline,
    )
    from services.roadmap.queries import (
        STATUS_TITLES as STATUS_TITLES,
    )
    from services.roadmap.queries import (
        RoadmapItemRead as RoadmapItemRead,
    )
    from services.roadmap.queries import (
        RoadmapRead as RoadmapRead,
    )
    from services.roadmap.queries import (
        SectionRead as SectionRead,
    )
    from services.roadmap.service import (
        Execution as Execution,
    )
    from services.roadmap.service import (
        ItemFields as ItemFields,
    )
    from services.roadmap.service import (
        RoadmapService as RoadmapService,
    )

_EXPORTS = {
    "parse_deadline": "services.roadmap.deadlines",
    "RoadmapItemRead": "services.roadmap.queries",
    "RoadmapRead": "services.roadmap.queries",
    "STATUS_TITLES": "services.roadmap.queries",
    "SectionRead": "services.roadmap.queries",
    "Execution": "services.roadmap.service",
    "ItemFields": "services.roadmap.service",
    "RoadmapService": "services.roadmap.service",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
