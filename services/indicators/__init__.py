"""Indicators computed from a school's rows, the same code at the school and the district.

The names below are what the front ends may use; they load on first use, so importing the
package costs nothing (the window paints before any area is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.indicators.catalogue import (
        IndicatorDef as IndicatorDef,
    )
    from services.indicators.compute import (
        SUBJECT_SEPARATOR as SUBJECT_SEPARATOR,
    )
    from services.indicators.compute import (
        IndicatorValue as IndicatorValue,
    )
    from services.indicators.compute import (
        as_of_for as as_of_for,
    )
    from services.indicators.units import (
        value_bounds as value_bounds,
    )

_EXPORTS = {
    "IndicatorDef": "services.indicators.catalogue",
    "IndicatorValue": "services.indicators.compute",
    "SUBJECT_SEPARATOR": "services.indicators.compute",
    "as_of_for": "services.indicators.compute",
    "value_bounds": "services.indicators.units",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
