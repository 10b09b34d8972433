"""«Педагоги и ИППР»: teachers, development plans and their printouts.

The names below are what the front ends may use; they load on first use, so importing the
package costs nothing (the window paints before any area is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.staff.queries import (
        AREA_TITLES as AREA_TITLES,
    )
    from services.staff.queries import (
        FORM_TITLES as FORM_TITLES,
    )
    from services.staff.queries import (
        SOURCE_TITLES as SOURCE_TITLES,
    )
    from services.staff.queries import (
        STATUS_TITLES as STATUS_TITLES,
    )
    from services.staff.queries import (
        ActivityRead as ActivityRead,
    )
    from services.staff.queries import (
        DeficitCount as DeficitCount,
    )
    from services.staff.queries import (
        DeficitRead as DeficitRead,
    )
    from services.staff.queries import (
        PlanRead as PlanRead,
    )
    from services.staff.queries import (
        StaffCoverage as StaffCoverage,
    )
    from services.staff.queries import (
        TeacherRead as TeacherRead,
    )
    from services.staff.service import (
        StaffService as StaffService,
    )

_EXPORTS = {
    "AREA_TITLES": "services.staff.queries",
    "ActivityRead": "services.staff.queries",
    "DeficitCount": "services.staff.queries",
    "DeficitRead": "services.staff.queries",
    "FORM_TITLES": "services.staff.queries",
    "PlanRead": "services.staff.queries",
    "SOURCE_TITLES": "services.staff.queries",
    "STATUS_TITLES": "services.staff.queries",
    "StaffCoverage": "services.staff.queries",
    "TeacherRead": "services.staff.queries",
    "StaffService": "services.staff.service",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
