"""«Протоколы»: meeting protocols, their decisions' deadlines and the protocol printout.

The names below are what the front ends may use; they load on first use, so importing the
package costs nothing (the window paints before any area is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.protocols.deadline import (
        DecisionDeadline as DecisionDeadline,
    )
    from services.protocols.deadline import (
        deadline_of as deadline_of,
    )
    from services.protocols.deadline import (
        find_wording as find_wording,
    )
    from services.protocols.deadline import (
        read_deadline as read_deadline,
    )
    from services.protocols.documents import (
        protocol_choice as protocol_choice,
    )
    from services.protocols.dto import (
        DECISIONS_SECTION as DECISIONS_SECTION,
    )
    from services.protocols.dto import (
        AgendaFields as AgendaFields,
    )
    from services.protocols.dto import (
        DecisionFields as DecisionFields,
    )
    from services.protocols.dto import (
        DecisionRead as DecisionRead,
    )
    from services.protocols.dto import (
        ProtocolDocument as ProtocolDocument,
    )
    from services.protocols.dto import (
        ProtocolFields as ProtocolFields,
    )
    from services.protocols.dto import (
        ProtocolRow as ProtocolRow,
    )
    from services.protocols.dto import (
        RoadmapLink as RoadmapLink,
    )
    from services.protocols.dto import (
        SaveResult as SaveResult,
    )
    from services.protocols.service import (
        ProtocolService as ProtocolService,
    )

_EXPORTS = {
    "DecisionDeadline": "services.protocols.deadline",
    "deadline_of": "services.protocols.deadline",
    "find_wording": "services.protocols.deadline",
    "protocol_choice": "services.protocols.documents",
    "read_deadline": "services.protocols.deadline",
    "DECISIONS_SECTION": "services.protocols.dto",
    "AgendaFields": "services.protocols.dto",
    "DecisionFields": "services.protocols.dto",
    "DecisionRead": "services.protocols.dto",
    "ProtocolDocument": "services.protocols.dto",
    "ProtocolFields": "services.protocols.dto",
    "ProtocolRow": "services.protocols.dto",
    "RoadmapLink": "services.protocols.dto",
    "SaveResult": "services.protocols.dto",
    "ProtocolService": "services.protocols.service",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
