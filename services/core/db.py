"""The database: engine, sessions, migrations, integrity and backups (DESIGN §5).

With `services.core.db_pg` (a district workspace on a PostgreSQL server) this is the only module
that knows which engine holds the data: a SQLite file by default. Every edit commits at once
(autosave); `Database.session()` is the only place a `Session` is made.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

import models
from models import AppState, SyncFields
from services.core import db_pg
from services.core.config import ensure_writable_dir as ensure_writable_dir
from services.core.db_pg import Workspace
from services.core.db_sqlite import SQLITE_HEADER as SQLITE_HEADER
from services.core.db_sqlite import check_backup_file as check_backup_file
from services.core.db_sqlite import copy_database as copy_database
from services.core.db_sqlite import preflight as preflight
from services.core.db_sqlite import state_in_file as state_in_file
from services.core.errors import StorageError
from services.core.files import (
    create_private_file,
)
from services.core.hlc import HybridClock

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

# Every schema revision, oldest first. Kept here so a start-up on an up-to-date database needs
# neither Alembic nor its scripts; a test checks it against the migration scripts. Add each new
# revision here when you add its script.
SCHEMA_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
)

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
HLC_KEY = "hlc.last"
DEVICE_KEY = "device_id"


def _set_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def make_engine(db_path: Path | None) -> Engine:
    """Create the engine for a database file, or for a private in-memory database (tests)."""
    if db_path is None:
        engine = create_engine(
            "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
        )
    else:
        engine = create_engine(
            f"sqlite:///{db_path}", connect_args={"check_same_thread": False, "timeout": 30}
        )
    event.listen(engine, "connect", _set_pragmas)
    return engine


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def known_revisions() -> list[str]:
    """Schema revisions this program knows, oldest first."""
    return list(SCHEMA_REVISIONS)


def script_revisions() -> list[str]:
    """The revisions of the migration scripts on disk, oldest first (slow: imports Alembic)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def head_revision() -> str:
    return known_revisions()[-1]


class Database:
    """The open database of this installation: engine, clock, sessions."""

    def __init__(
        self,
        engine: Engine,
        db_path: Path | None,
        *,
        server: Workspace | None = None,
        access: db_pg.Access | None = None,
    ) -> None:
        self.engine = engine
        self.db_path = db_path  # None: in memory, or on a server (`server`)
        self.server = server
        self.access = access  # on a server: the login, and whether it may write
        self.change_count = 0
        self._batch: Session | None = None
        self._batch_thread: int | None = None
        device, last = self._load_clock_state()
        self.clock = HybridClock(device, last=last)

    @property
    def is_server(self) -> bool:
        """The workspace is on a PostgreSQL server (no file, no file backups)."""
        return self.server is not None

    @property
    def read_only(self) -> bool:
        """The login may only read (a server's `opora_readonly`): writes are refused up front."""
        return self.access is not None and not self.access.writable

    def refuse_if_read_only(self) -> None:
        if self.access is not None and not self.access.writable:
            raise db_pg.ReadOnlyLogin(self.access.login)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, db_path: Path | None) -> Database:
        """Open (creating or upgrading) the database; refuse newer or damaged files untouched."""
        revision = None
        if db_path is not None:
            ensure_writable_dir(db_path.parent)
            revision = preflight(db_path)
        return cls.open_checked(db_path, revision)

    @classmethod
    def open_checked(cls, db_path: Path | None, revision: str | None) -> Database:
        """`open` for a file that `preflight` has just passed, at `revision` (None: new file).

        The integrity check reads the whole file (≈ 0.8 s for a 300-school district): a caller
        that has run it already does not pay for it twice.
        """
        if db_path is not None and not db_path.exists():
            create_private_file(db_path)  # SQLite gives its -wal and -shm files the same mode
        engine = make_engine(db_path)
        try:
            if revision != head_revision():
                migrate(engine)
        except Exception:
            engine.dispose()
            raise
        return cls(engine, db_path)

    @classmethod
    def open_server(cls, ws: Workspace) -> Database:
        """Open the workspace on a server, migrating it under the advisory lock if it is older.

        Unreachable, newer or foreign databases are refused with a Russian message, unchanged.
        """
        engine = db_pg.make_engine(ws.url)
        try:
            revision = db_pg.preflight(engine, ws.url, known_revisions())
            access = db_pg.access(engine)
            if revision != head_revision():
                if not access.writable:  # a read-only login never tries to migrate
                    raise db_pg.outdated_read_only(revision, access.login)
                db_pg.migrate_locked(engine, known_revisions(), migrate)
            return cls(engine, None, server=ws, access=access)
        except OperationalError as exc:
            engine.dispose()
            raise db_pg.unreachable(ws.url, exc) from exc
        except BaseException:
            engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def _load_clock_state(self) -> tuple[str, str | None]:
        with Session(self.engine) as s:
            if self.server is not None:  # each staff member's clock has a node of its own
                last = s.get(AppState, HLC_KEY)
                return self.server.node, (last.value if last and last.value else None)
            device = s.get(AppState, DEVICE_KEY)
            if device is None:
                device = AppState(key=DEVICE_KEY, value=uuid.uuid4().hex[:16])
                s.add(device)
                s.commit()
            last = s.get(AppState, HLC_KEY)
            return device.value, (last.value if last and last.value else None)

    # -- sessions ------------------------------------------------------------------------

    @contextmanager
    def session(self, *, stamp: bool = True) -> Iterator[Session]:
        """Open a unit of work: commit on success, roll back on error, always close.

        With `stamp` (the default) every new or changed syncable row gets a fresh HLC and,
        if it has none, the local site as owner. The merge engine passes `stamp=False` to
        write incoming rows with their own versions. Inside `batch()` (same thread) the
        session is the batch's: it is flushed here and committed with the whole batch.
        """
        outer = self._batch
        if outer is not None and self._batch_thread == threading.get_ident():
            before = outer.info["stamp"]
            outer.info["stamp"] = stamp
            try:
                yield outer
                outer.flush()
            finally:
                outer.info["stamp"] = before
            return
        sess = Session(self.engine, expire_on_commit=False)
        sess.info["stamp"] = stamp
        event.listen(sess, "before_flush", self._before_flush)
        try:
            yield sess
            sess.commit()
        except BaseException as exc:
            sess.rollback()
            if self.access is not None and db_pg.is_permission_error(exc):
                raise db_pg.ReadOnlyLogin(self.access.login) from exc  # the server said no
            raise
        finally:
            sess.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for many service calls: all of them are kept, or none.

        Every `session()` opened on this thread until the block ends joins it; an error rolls
        everything back (the demo fill runs this way so a full disk leaves nothing half-done).
        """
        if self._batch is not None:
            raise RuntimeError("batches do not nest")
        with self.session() as sess:
            self._batch, self._batch_thread = sess, threading.get_ident()
            try:
                yield
            finally:
                self._batch, self._batch_thread = None, None

    def _before_flush(self, sess: Session, _ctx: Any, _instances: Any) -> None:
        for obj in sess.deleted:
            if isinstance(obj, SyncFields):
                raise RuntimeError("syncable rows are never deleted; set deleted=True instead")
        if not sess.info.get("stamp", True):
            return
        stamped = False
        for obj in list(sess.new) + [o for o in sess.dirty if sess.is_modified(o)]:
            if isinstance(obj, SyncFields):
                obj.hlc = self.clock.now()
                if not obj.owner:
                    obj.owner = self.site_id_in(sess) or ""
                stamped = True
        if stamped:
            self.change_count += 1
            with sess.no_autoflush:
                state = sess.get(AppState, HLC_KEY)
                if state is None:
                    sess.add(AppState(key=HLC_KEY, value=self.clock.last))
                else:
                    state.value = self.clock.last

    @staticmethod
    def site_id_in(sess: Session) -> str | None:
        with sess.no_autoflush:
            row = sess.get(AppState, "site_id")
        return row.value if row else None

    def remember_clock(self) -> None:
        """Persist the clock after absorbing remote stamps (used by the merge engine)."""
        with self.session(stamp=False) as s:
            s.merge(AppState(key=HLC_KEY, value=self.clock.last))

    # -- state ---------------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        with Session(self.engine) as s:
            row = s.get(AppState, key)
            return row.value if row else None

    def revision(self) -> str | None:
        with closing(self.engine.raw_connection()) as conn:
            cur = conn.cursor()
            cur.execute("SELECT version_num FROM alembic_version")
            row = cur.fetchone()
            return str(row[0]) if row else None

    def integrity_ok(self) -> list[str]:
        """Run PRAGMA integrity_check; return the problems (empty when the file is sound).

        A server checks its own pages (checksums, WAL); there is no file here to check.
        """
        if self.is_server:
            return []
        with closing(self.engine.raw_connection()) as conn:
            cur = conn.cursor()
            cur.execute("PRAGMA integrity_check")
            rows = [str(r[0]) for r in cur.fetchall()]
        return [] if rows == ["ok"] else rows

    # -- backup and restore ----------------------------------------------------------------

    def backup_to(self, dst: Path) -> None:
        """Write a consistent copy of the live database to `dst` (SQLite backup API)."""
        self._refuse_on_server()
        if self.db_path is None:
            raise StorageError("Резервная копия базы данных в памяти невозможна.")
        if not dst.exists():
            create_private_file(dst)
        with closing(self.engine.raw_connection()) as raw, closing(sqlite3.connect(dst)) as d:
            src = raw.driver_connection
            assert isinstance(src, sqlite3.Connection)
            src.backup(d)
            d.commit()

    def restore_from(self, src: Path) -> None:
        """Replace the live database content with a checked backup, then migrate it."""
        self._refuse_on_server()
        if self.db_path is None:
            raise StorageError("Восстановление базы данных в памяти невозможно.")
        self.engine.dispose()
        src = Path(src).absolute()
        with (
            closing(sqlite3.connect(f"{src.as_uri()}?mode=ro", uri=True)) as s,
            closing(sqlite3.connect(self.db_path)) as d,
        ):
            s.backup(d)
            d.commit()
        migrate(self.engine)
        _device, last = self._load_clock_state()
        # Keep our clock ahead of anything we stamped before the restore.
        if last:
            self.clock.observe(last)

    def _refuse_on_server(self) -> None:
        if self.server is not None:
            raise StorageError(db_pg.dump_commands(self.server.url))


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (an empty database gets the whole schema)."""
    from alembic import command

    assert models.SYNC_TABLES  # the table modules are imported, so the metadata is complete
    command.upgrade(alembic_config(engine), "head")


def migrate_in(conn: Connection) -> None:
    """`migrate` inside the open transaction of `conn` (PostgreSQL's DDL is transactional)."""
    from alembic import command

    cfg = alembic_config(conn.engine)
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def driver_errors() -> tuple[type[Exception], ...]:
    """The errors a DB-API cursor of either engine raises (psycopg only once it is loaded)."""
    return _with_psycopg((SQLAlchemyError, sqlite3.Error), "Error")


def integrity_errors() -> tuple[type[Exception], ...]:
    """`driver_errors` for a broken constraint."""
    return _with_psycopg((IntegrityError, sqlite3.IntegrityError), "IntegrityError")


def _with_psycopg(found: tuple[type[Exception], ...], name: str) -> tuple[type[Exception], ...]:
    psycopg = sys.modules.get("psycopg")
    return found if psycopg is None else (*found, getattr(psycopg, name))


def fsync_dir(path: Path) -> None:
    """Flush a directory entry to disk after a rename (no-op where unsupported)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
