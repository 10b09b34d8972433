"""A Core SELECT of model columns and SQL expressions (aggregates), for set-based loaders.

`sqlmodel.select` types at most four columns; the batch loaders of the dashboard select more
(owner, keys and several sums), so they build plain SQLAlchemy selects through this helper and
run them with `session.execute` (autoflush as usual; rows are tuples, no ORM objects).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select


def columns(*items: Any) -> Any:
    """`SELECT items…` (model attributes, `func.sum(...)`, `case(...)`, labels)."""
    return select(*items)
