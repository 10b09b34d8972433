"""«Импорт пакетов»: read → check → merge → ledger, with one trust policy.

The names below are what the front ends may use; they load on first use, so importing the
package costs nothing (the window paints before any area is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.sync.enroll import (
        Enrolled as Enrolled,
    )
    from services.sync.report import (
        SEQ_TEXT as SEQ_TEXT,
    )
    from services.sync.report import (
        VERDICT_TEXT as VERDICT_TEXT,
    )
    from services.sync.report import (
        Code as Code,
    )
    from services.sync.report import (
        ImportLogRead as ImportLogRead,
    )
    from services.sync.report import (
        ImportReport as ImportReport,
    )
    from services.sync.report import (
        QuarantineRead as QuarantineRead,
    )
    from services.sync.report import (
        SeqStatus as SeqStatus,
    )
    from services.sync.report import (
        Verdict as Verdict,
    )
    from services.sync.report import (
        package_code as package_code,
    )

_EXPORTS = {
    "Code": "services.sync.report",
    "package_code": "services.sync.report",
    "Enrolled": "services.sync.enroll",
    "ImportLogRead": "services.sync.report",
    "ImportReport": "services.sync.report",
    "QuarantineRead": "services.sync.report",
    "SEQ_TEXT": "services.sync.report",
    "SeqStatus": "services.sync.report",
    "Verdict": "services.sync.report",
    "VERDICT_TEXT": "services.sync.report",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
