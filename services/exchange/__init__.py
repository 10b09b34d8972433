"""«Обмен с управлением» (school side): export of the report package, the district card.

The names below are what the front ends may use; they load on first use, so importing the
package costs nothing (the window paints before any area is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.exchange.service import (
        ExportEntry as ExportEntry,
    )
    from services.exchange.service import (
        ExportResult as ExportResult,
    )

_EXPORTS = {
    "ExportEntry": "services.exchange.service",
    "ExportResult": "services.exchange.service",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
