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
    from services.roadmap.execution import (
        Execution as Execution,
    )
    from services.roadmap.fields import (
        ItemFields as ItemFields,
    )
    from services.roadmap.fields import (
        OccurrenceFields as OccurrenceFields,
    )
    from services.roadmap.monitoring import (
        parse_period as parse_period,
    )
    from services.roadmap.programme import (
        Programme as Programme,
    )
    from services.roadmap.programme import (
        ProgrammeService as ProgrammeService,
    )
    from services.roadmap.programme import (
        StaffFields as StaffFields,
    )
    from services.roadmap.programme import (
        StaffRead as StaffRead,
    )
    from services.roadmap.queries import (
        STATUS_TITLES as STATUS_TITLES,
    )
    from services.roadmap.queries import (
        OccurrenceRead as OccurrenceRead,
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
    from services.roadmap.queries import (
        status_text as status_text,
    )
    from services.roadmap.sections import (
        SectionGroup as SectionGroup,
    )
    from services.roadmap.sections import (
        group_by_section as group_by_section,
    )
    from services.roadmap.service import (
        RoadmapService as RoadmapService,
    )

_EXPORTS = {
    "parse_deadline": "services.roadmap.deadlines",
    "parse_period": "services.roadmap.monitoring",
    "OccurrenceRead": "services.roadmap.queries",
    "RoadmapItemRead": "services.roadmap.queries",
    "RoadmapRead": "services.roadmap.queries",
    "STATUS_TITLES": "services.roadmap.queries",
    "SectionRead": "services.roadmap.queries",
    "status_text": "services.roadmap.queries",
    "SectionGroup": "services.roadmap.sections",
    "group_by_section": "services.roadmap.sections",
    "ItemFields": "services.roadmap.fields",
    "OccurrenceFields": "services.roadmap.fields",
    "Execution": "services.roadmap.execution",
    "RoadmapService": "services.roadmap.service",
    "Programme": "services.roadmap.programme",
    "ProgrammeService": "services.roadmap.programme",
    "StaffFields": "services.roadmap.programme",
    "StaffRead": "services.roadmap.programme",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
