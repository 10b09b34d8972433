"""A Core SELECT of model columns and SQL expressions (aggregates), for set-based loaders.

`sqlmodel.select` types at most four columns; the batch loaders of the dashboard select more
(owner, keys and several sums), so they build plain SQLAlchemy selects through this helper and
run them with `session.execute` (autoflush as usual; rows are tuples, no ORM objects).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session


def columns(*items: Any) -> Any:
    """`SELECT items…` (model attributes, `func.sum(...)`, `case(...)`, labels)."""
    return select(*items)


def table_columns(model: type[Any]) -> Any:
    """The Core columns of a table model (`Model.__table__.c`): no ORM layer in the statement."""
    return model.__table__.c


def fetch(session: Session, statement: Any) -> list[Any]:
    """All rows of a statement at once (one `fetchall`, not a driver call per row)."""
    return list(session.execute(statement).all())
