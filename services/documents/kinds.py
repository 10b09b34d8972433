"""The kinds of printable documents (DESIGN §10), in menu order: the one list of them.

Areas register a `DocumentSpec` under each kind (`services.documents.registry`); `report KIND`
offers exactly these. This module imports nothing, so the command line's `--help` stays cheap.
"""

from __future__ import annotations

DOCUMENT_KINDS: tuple[str, ...] = (
    "roadmap",
    "roadmap-template",
    "audit-blank",
    "audit",
    "ippr",
    "results",
    "results-template",
    "cover-sheet",
    "district-summary",
    "import",
    "protocol",
)
