"""Read who this installation is (role, name) straight from the database file, fast.

Used only to paint the main window before the full data layer is loaded; imports nothing but
sqlite3. Any doubt (no file, not set up, unreadable, damaged) answers None and the caller takes
the full, checked path.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROLE_NAMES = {"school": "Школа", "district": "Управление образования"}
# A data directory working on a PostgreSQL server keeps its connection settings here
# (`services.core.db_pg`), and who the workspace is, remembered at the last start.
WORKSPACE_FILE = "workspace.json"


@dataclass(frozen=True, slots=True)
class QuickIdentity:
    role: str  # "school" or "district" (values of models.Role)
    short_name: str

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]


def read_identity(db_path: Path) -> QuickIdentity | None:
    """Role and short name of an initialized database, or None."""
    if not db_path.exists():
        return None
    try:
        with closing(_connect(db_path)) as conn:
            state = dict(
                conn.execute("SELECT key, value FROM app_state WHERE key IN ('site_id', 'role')")
            )
            if state.get("role") not in ROLE_NAMES or "site_id" not in state:
                return None
            row = conn.execute(
                "SELECT short_name, full_name FROM site WHERE id = ?", (state["site_id"],)
            ).fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    return QuickIdentity(state["role"], row[0] or row[1])


def on_server(data_dir: Path) -> bool:
    return (data_dir / WORKSPACE_FILE).exists()


def read_server_identity(data_dir: Path) -> QuickIdentity | None:
    """Role and short name of a server workspace as of the last start here, or None.

    Only for painting the window while it connects: the server is not asked (that takes a
    connection and the schema's check, seconds on a slow network).
    """
    try:
        raw = json.loads((data_dir / WORKSPACE_FILE).read_text(encoding="utf-8"))
        role, name = raw["identity"]["role"], raw["identity"]["short_name"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if role not in ROLE_NAMES or not isinstance(name, str) or not name:
        return None
    return QuickIdentity(role, name)


def read_teacher_names(db_path: Path) -> list[str] | None:
    """The names of this school's live teachers, or None (then take the full, checked path).

    `import-xlsx teachers --dry-run` compares the file with them without loading the data
    model (about two seconds of start-up on a school's PC).
    """
    if not db_path.exists():
        return None
    try:
        with closing(_connect(db_path)) as conn:
            site = _own_site(conn)
            if site is None:
                return None
            rows = conn.execute(
                "SELECT full_name FROM teacher WHERE owner = ? AND deleted = 0", (site,)
            ).fetchall()
    except sqlite3.Error:
        return None
    return [str(r[0]) for r in rows]


def read_current_roadmap(db_path: Path, on: date) -> tuple[date, date, int] | None:
    """Period and live item count of this site's roadmap holding `on` (else its latest), or None.

    The choice of `services.roadmap.queries.current_roadmap`. `import-xlsx roadmap --dry-run`
    reads the period the import would go into without loading the data model or creating a
    database; None also when in doubt (the preview then reads as for a new roadmap).
    """
    if not db_path.exists():
        return None
    try:
        with closing(_connect(db_path)) as conn:
            site = _own_site(conn)
            if site is None:
                return None
            rows = conn.execute(
                "SELECT id, period_start, period_end FROM roadmap WHERE owner = ? AND deleted = 0"
                " ORDER BY period_start DESC, id",
                (site,),
            ).fetchall()
            maps = [(str(i), date.fromisoformat(s), date.fromisoformat(e)) for i, s, e in rows]
            found = next((m for m in maps if m[1] <= on <= m[2]), maps[0] if maps else None)
            if found is None:
                return None
            (count,) = conn.execute(
                "SELECT count(*) FROM roadmap_item WHERE roadmap_id = ? AND deleted = 0",
                (found[0],),
            ).fetchone()
    except (sqlite3.Error, ValueError):
        return None
    return found[1], found[2], int(count)


def _connect(db_path: Path) -> sqlite3.Connection:
    """A read-only connection that never writes to the file (nor to its WAL when there is none)."""
    has_wal = db_path.with_name(db_path.name + "-wal").exists()
    uri = f"{db_path.as_uri()}?mode=ro" + ("" if has_wal else "&immutable=1")
    return sqlite3.connect(uri, uri=True)


def _own_site(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM app_state WHERE key = 'site_id'").fetchone()
    return None if row is None else str(row[0])
