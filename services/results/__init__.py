"""«Результаты»: ВПР, ГИА, progression, targets; their workbooks and printouts.

The names below are what the front ends may use; they load on first use, so importing the
package costs nothing (the window paints before any area is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.results.percentages import (
        VprShares as VprShares,
    )
    from services.results.rules import (
        ASSESSMENT_PERIODS as ASSESSMENT_PERIODS,
    )
    from services.results.rules import (
        EXAM_TITLES as EXAM_TITLES,
    )
    from services.results.rules import (
        FIELD_TITLES as FIELD_TITLES,
    )
    from services.results.rules import (
        GIA_SUBJECTS as GIA_SUBJECTS,
    )
    from services.results.rules import (
        LEVEL_TITLES as LEVEL_TITLES,
    )
    from services.results.rules import (
        OPTIONAL_COUNTS as OPTIONAL_COUNTS,
    )
    from services.results.rules import (
        VPR_GRADES as VPR_GRADES,
    )
    from services.results.rules import (
        VPR_SUBJECTS as VPR_SUBJECTS,
    )
    from services.results.rules import (
        AssessmentEntry as AssessmentEntry,
    )
    from services.results.rules import (
        GiaEntry as GiaEntry,
    )
    from services.results.rules import (
        Problems as Problems,
    )
    from services.results.rules import (
        ProgressionEntry as ProgressionEntry,
    )
    from services.results.rules import (
        TargetEntry as TargetEntry,
    )
    from services.results.rules import (
        VprEntry as VprEntry,
    )
    from services.results.rules import (
        check_assessment as check_assessment,
    )
    from services.results.rules import (
        check_gia as check_gia,
    )
    from services.results.rules import (
        check_progression as check_progression,
    )
    from services.results.rules import (
        check_vpr as check_vpr,
    )
    from services.results.service import (
        ResultsService as ResultsService,
    )

_EXPORTS = {
    "ASSESSMENT_PERIODS": "services.results.rules",
    "AssessmentEntry": "services.results.rules",
    "OPTIONAL_COUNTS": "services.results.rules",
    "VprShares": "services.results.percentages",
    "check_assessment": "services.results.rules",
    "EXAM_TITLES": "services.results.rules",
    "FIELD_TITLES": "services.results.rules",
    "GIA_SUBJECTS": "services.results.rules",
    "GiaEntry": "services.results.rules",
    "LEVEL_TITLES": "services.results.rules",
    "Problems": "services.results.rules",
    "ProgressionEntry": "services.results.rules",
    "TargetEntry": "services.results.rules",
    "VPR_GRADES": "services.results.rules",
    "VPR_SUBJECTS": "services.results.rules",
    "VprEntry": "services.results.rules",
    "check_gia": "services.results.rules",
    "check_progression": "services.results.rules",
    "check_vpr": "services.results.rules",
    "ResultsService": "services.results.service",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
