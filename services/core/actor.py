"""Who is doing this: the staff login recorded on log entries, comments and statuses.

On PostgreSQL each staff member connects with their own login, and the server says who it is
(`current_user`, which a client cannot fake without the password). On SQLite the database is one
person's file: the operating-system user stands for the login. The login never leaves the
installation (see `models.local.RowActor`).
"""

from __future__ import annotations

import getpass
import weakref
from datetime import UTC, datetime

from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from models import RowActor

ACTOR_MAX = 200

# The server's answer per engine: an engine's URL names one login, so `current_user` cannot
# change within it, and asking once per applied package costs a round trip each.
_LOGINS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def current_actor(s: Session) -> str:
    """The login of the staff member working in session `s`; "" when it cannot be told."""
    bind = s.get_bind()
    if bind.dialect.name == "postgresql":
        engine = bind if isinstance(bind, Engine) else bind.engine
        login = _LOGINS.get(engine)
        if login is None:
            login = str(s.execute(text("SELECT current_user")).scalar() or "")[:ACTOR_MAX]
            _LOGINS[engine] = login
        return login
    try:
        return getpass.getuser()[:ACTOR_MAX]
    except (OSError, KeyError, ImportError):  # no user name in the environment or passwd
        return ""


def note_actor(s: Session, table: str, row_id: str) -> None:
    """Record that the current staff member wrote row `row_id` of synced table `table`."""
    actor = current_actor(s)
    with s.no_autoflush:
        row = s.get(RowActor, (table, row_id))
    if row is None:
        row = RowActor(table_name=table, row_id=row_id, created_by=actor, changed_at=_now())
    row.changed_by, row.changed_at = actor, _now()
    s.add(row)


def actors_of(s: Session, table: str, row_ids: list[str]) -> dict[str, RowActor]:
    """Row id → who created and last changed it here, for the rows that have a record."""
    stmt = select(RowActor).where(RowActor.table_name == table, col(RowActor.row_id).in_(row_ids))
    return {r.row_id: r for r in s.exec(stmt)}


def _now() -> datetime:
    return datetime.now(UTC)
