"""«Документы»: the document registry, spreadsheet intake and the PDF and xlsx primitives.

The names below are what the front ends may use; they load on first use, so importing the
package costs nothing (the window paints before any area is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.documents.kinds import (
        DOCUMENT_KINDS as DOCUMENT_KINDS,
    )
    from services.documents.registry import (
        DocOptions as DocOptions,
    )
    from services.documents.registry import (
        DocumentSpec as DocumentSpec,
    )
    from services.documents.registry import (
        available as available,
    )
    from services.documents.registry import (
        get_spec as get_spec,
    )
    from services.documents.spreadsheets import (
        ImportMode as ImportMode,
    )
    from services.documents.spreadsheets import (
        import_xlsx as import_xlsx,
    )

_EXPORTS = {
    "DOCUMENT_KINDS": "services.documents.kinds",
    "DocOptions": "services.documents.registry",
    "DocumentSpec": "services.documents.registry",
    "available": "services.documents.registry",
    "get_spec": "services.documents.registry",
    "ImportMode": "services.documents.spreadsheets",
    "import_xlsx": "services.documents.spreadsheets",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
