"""«Самоаудит»: the risk-factor catalogue, answers, levels and the audit printouts.

The names below are what the front ends may use; they load on first use, so importing the
package costs nothing (the window paints before any area is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.audit.catalogue import (
        Criterion as Criterion,
    )
    from services.audit.catalogue import (
        Factor as Factor,
    )
    from services.audit.levels import (
        LEVEL_TITLES as LEVEL_TITLES,
    )
    from services.audit.levels import (
        FactorResult as FactorResult,
    )
    from services.audit.levels import (
        level_title as level_title,
    )
    from services.audit.service import (
        AnswerRead as AnswerRead,
    )
    from services.audit.service import (
        AuditService as AuditService,
    )
    from services.audit.service import (
        AuditView as AuditView,
    )
    from services.audit.service import (
        FactorChange as FactorChange,
    )

_EXPORTS = {
    "Criterion": "services.audit.catalogue",
    "Factor": "services.audit.catalogue",
    "FactorResult": "services.audit.levels",
    "LEVEL_TITLES": "services.audit.levels",
    "level_title": "services.audit.levels",
    "AnswerRead": "services.audit.service",
    "AuditService": "services.audit.service",
    "AuditView": "services.audit.service",
    "FactorChange": "services.audit.service",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
