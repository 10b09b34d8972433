"""What the first-run wizard needs to put a district on a server (DESIGN §5, §10).

The wizard checks the server first (`probe_server`, changing nothing), then the GUI drops the
blank local database this start created (`drop_blank_local`) and creates or joins the
workspace with the services behind `init --database` / `init --join`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from services.core import db_pg
from services.core.config import AppPaths
from services.core.db import Database
from services.core.errors import Conflict, NotFound
from services.site.profile import SITE_KEY
from services.site.workspace import district_at


@dataclass(frozen=True, slots=True)
class Probe:
    """What a server database holds: nothing of ours yet (`name` empty), or whose workspace."""

    url: str
    name: str

    @property
    def where(self) -> str:
        return db_pg.where(self.url)


def server_url(host: str, port: int, database: str, user: str) -> str:
    """The workspace URL from the wizard's fields; `Invalid` (db_pg's words) if one is missing."""
    host = host.strip()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return db_pg.check_url(f"postgresql://{user.strip()}@{host}:{port}/{database.strip()}")


def use_password(password: str) -> None:
    """The password typed in the wizard, for this run of the program only.

    libpq reads PGPASSWORD at each connection; nothing is written to a file. Empty: .pgpass
    (or a PGPASSWORD set before the start) is used as before.
    """
    if password:
        os.environ["PGPASSWORD"] = password


def probe_server(url: str) -> Probe:
    """Connect and read what is there, changing nothing; db_pg's Russian errors otherwise."""
    url = db_pg.check_url(url)
    try:
        return Probe(url, district_at(url) or "")
    except NotFound:  # the schema of a workspace nobody has set up: a new one goes there
        return Probe(url, "")


def drop_blank_local(paths: AppPaths, db: Database) -> None:
    """Close and remove the local database of this first start: nothing was entered in it.

    Refused (and the database left open) once the site is set up there.
    """
    if db.is_server or db.db_path is None or db.get_state(SITE_KEY) is not None:
        raise Conflict(
            "В папке данных уже есть настроенная база этого компьютера. Чтобы перенести её на "
            "сервер, выполните: python main.py init --role district --from-local --database …"
        )
    db.close()
    for suffix in ("", "-wal", "-shm"):
        db.db_path.with_name(db.db_path.name + suffix).unlink(missing_ok=True)
