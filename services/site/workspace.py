"""A district workspace on a PostgreSQL server: create it, join it, move a local one there.

The data directory then holds `workspace.json` (see `services.core.db_pg`) instead of the
SQLite file; the keys live sealed in the workspace's vault. Every step checks before it writes: a
refused command leaves the server and the data directory as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import SQLModel

from models import Role
from services.core import db_pg
from services.core.config import AppPaths
from services.core.db import (
    Database,
    fsync_dir,
    head_revision,
    known_revisions,
    migrate_in,
    preflight,
)
from services.core.db_pg import Workspace, load_workspace, save_workspace
from services.core.errors import Conflict, Invalid, NotFound
from services.site.backup import backup_database_file
from services.site.profile import ROLE_KEY, SITE_KEY

if TYPE_CHECKING:
    from services.app import Services

log = logging.getLogger(__name__)

CHUNK = 1000
MOVED_NAME = "opora-moved-to-server-{:%Y%m%d-%H%M%S}.sqlite3"


@dataclass(frozen=True, slots=True)
class Joined:
    name: str  # the district's full name
    settings: Path


@dataclass(frozen=True, slots=True)
class Moved:
    rows: int
    kept: Path  # the SQLite file, renamed: the copy the data directory had before
    settings: Path


def _refuse_settled(paths: AppPaths) -> None:
    """A data directory already on a server, or with a local database, is not set up again."""
    if load_workspace(paths.data_dir) is not None:
        raise Conflict(
            f"Папка данных «{paths.data_dir}» уже подключена к базе данных на сервере. Чтобы "
            "подключиться к другой, укажите другую папку (--data-dir)."
        )


def _refuse_local(paths: AppPaths) -> None:
    if paths.db_path.exists() and paths.db_path.stat().st_size > 0:
        raise Conflict(
            f"В папке данных «{paths.data_dir}» уже есть база данных этого компьютера. Чтобы "
            "перенести её на сервер, добавьте --from-local; чтобы начать с нуля, укажите "
            "другую папку (--data-dir)."
        )


def open_new_workspace(paths: AppPaths, url: str) -> tuple[Database, Workspace]:
    """Create the schema of a new workspace on the server; the caller sets the site up.

    Refuses a database that holds anything but an unconfigured Опора schema.
    """
    _refuse_settled(paths)
    _refuse_local(paths)
    ws = Workspace.new(url)
    db = Database.open_server(ws)
    if db.get_state(SITE_KEY) is not None:
        db.close()
        raise Conflict(
            "В этой базе данных уже есть рабочее пространство Опоры. Чтобы работать в нём, "
            f"выполните: python main.py init --join --database {ws.url}"
        )
    return db, ws


@dataclass(frozen=True, slots=True)
class Created:
    """A new workspace: its services (the caller closes them), settings file, roles note."""

    services: Services
    settings: Path
    roles_note: str | None


def create_workspace(
    paths: AppPaths, url: str, name: str, code: str, short_name: str, passphrase: str
) -> Created:
    """A new district workspace on the server: schema, organisation and keys, all or nothing.

    The keys are made in memory and stored only in the workspace's vault under `passphrase`
    (never in a file here); the organisation and the sealed keys are written in one
    transaction. What `init --database` and the first-run wizard both run.
    """
    from services.app import build_services
    from services.packages.vault import check_new_passphrase, seal_new_keys

    check_new_passphrase(passphrase)  # before the server is touched
    db, ws = open_new_workspace(paths, url)
    try:
        with db.batch():  # the keys and the organisation: both on the server, or neither
            seal_new_keys(db, passphrase)
            services = build_services(db, paths)  # reading its keys from the vault
            services.site.initialize(Role.DISTRICT, name, code, short_name=short_name)
        settings = save_workspace(paths.data_dir, ws)
        note = db_pg.set_up_roles(db.engine)
        services.exchange.own_card()
    except BaseException:
        db.close()
        raise
    return Created(services, settings, note)


def join_workspace(paths: AppPaths, url: str) -> Joined:
    """Connect this data directory to an existing district workspace; the server is untouched."""
    _refuse_settled(paths)
    _refuse_local(paths)
    ws = Workspace.new(url)
    name = district_at(ws.url)
    if name is None:
        raise NotFound(
            "В этой базе данных нет рабочего пространства Опоры. Его создаёт первый "
            "сотрудник: python main.py init --role district --name … --code … "
            f"--database {ws.url}"
        )
    return Joined(name, save_workspace(paths.data_dir, ws))


def district_at(url: str) -> str | None:
    """The name of the district whose workspace the server database holds.

    None when it holds no Опора schema; `NotFound` for a schema nobody has set up yet. Changes
    nothing.
    """
    engine = db_pg.make_engine(url)
    try:
        if db_pg.preflight(engine, url, known_revisions()) is None:
            return None
        return _district_name(engine, url)
    finally:
        engine.dispose()


def _district_name(engine: Engine, url: str) -> str:
    try:
        with engine.connect() as conn:
            state: dict[str, str] = dict(
                conn.execute(
                    text("SELECT key, value FROM app_state WHERE key IN (:s, :r)"),
                    {"s": SITE_KEY, "r": ROLE_KEY},
                ).all()
            )
            site = state.get(SITE_KEY)
            row = conn.execute(
                text("SELECT full_name FROM site WHERE id = :i"), {"i": site}
            ).first()
    except OperationalError as exc:
        raise db_pg.unreachable(url, exc) from exc
    if site is None or row is None:
        raise NotFound(
            "Рабочее пространство на сервере ещё не настроено: первый сотрудник должен "
            "выполнить python main.py init --role district … --database с этим адресом."
        )
    if state.get(ROLE_KEY) != Role.DISTRICT.value:
        raise Invalid("На сервере может работать только управление образования, а это база школы.")
    return str(row[0])


def move_to_server(paths: AppPaths, url: str) -> Moved:
    """Copy the local district database into an empty server database in one transaction.

    Then the data directory points at the server and the SQLite file is kept, renamed.
    """
    _refuse_settled(paths)
    ws = Workspace.new(url)
    source = _open_local_district(paths)
    engine = db_pg.make_engine(ws.url)
    try:
        rows = _copy_all(source.engine, engine, ws.url)
    finally:
        engine.dispose()
        source.close()
    kept = paths.db_path.with_name(MOVED_NAME.format(datetime.now()))
    paths.db_path.rename(kept)
    for suffix in ("-wal", "-shm"):  # empty after the close; SQLite removes them itself
        paths.db_path.with_name(paths.db_path.name + suffix).unlink(missing_ok=True)
    fsync_dir(paths.data_dir)
    return Moved(rows, kept, save_workspace(paths.data_dir, ws))


def _open_local_district(paths: AppPaths) -> Database:
    revision = preflight(paths.db_path)
    if revision is None:
        raise NotFound(f"В папке данных «{paths.data_dir}» нет базы данных, переносить нечего.")
    if revision != head_revision():
        backup_database_file(paths.db_path, paths.backups_dir, "before-migration")
    db = Database.open_checked(paths.db_path, revision)
    if db.get_state(ROLE_KEY) != Role.DISTRICT.value or db.get_state(SITE_KEY) is None:
        db.close()
        raise Invalid(
            "На сервер переносится только настроенная база управления образования; "
            "школы работают со своей базой на своём компьютере."
        )
    return db


def _copy_all(source: Engine, target: Engine, url: str) -> int:
    """Schema and every row, in one transaction on the target: all of it, or nothing."""
    try:
        with target.begin() as dst, source.connect() as src:
            dst.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": db_pg.MIGRATION_LOCK})
            tables = db_pg.foreign_tables(dst)
            if tables:
                raise Conflict(
                    f"База данных на сервере не пуста (таблиц: {len(tables)}, например "
                    f"«{tables[0]}»). Перенос возможен только в пустую базу: попросите "
                    "администратора сервера создать новую."
                )
            if (owner := db_pg.owner_role(dst)) is not None:  # as a migration by init would
                dst.execute(text(f'SET LOCAL ROLE "{owner}"'))
            migrate_in(dst)
            db_pg.grant_roles(dst)
            return sum(_copy_table(src, dst, t) for t in SQLModel.metadata.sorted_tables)
    except OperationalError as exc:
        raise db_pg.unreachable(url, exc) from exc


def _copy_table(src: Connection, dst: Connection, table: Table) -> int:
    rows = [dict(r) for r in src.execute(select(table)).mappings()]
    count = 0
    for chunk in _chunks(parents_first(table, rows)):
        dst.execute(table.insert(), chunk)
        count += len(chunk)
    return count


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), CHUNK):
        yield rows[i : i + CHUNK]


def parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows ordered so that one referencing a row of the same table comes after it.

    PostgreSQL checks foreign keys per statement (sections nest, teachers have mentors).
    """
    columns = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    if not columns:
        return rows
    by_id: Mapping[Any, dict[str, Any]] = {r["id"]: r for r in rows}
    placed: set[Any] = set()
    out: list[dict[str, Any]] = []
    for row in rows:
        out.extend(_with_parents(row, by_id, columns, placed))
    return out


def _with_parents(
    row: dict[str, Any], by_id: Mapping[Any, dict[str, Any]], columns: list[str], placed: set[Any]
) -> Iterable[dict[str, Any]]:
    chain: list[dict[str, Any]] = []
    current: dict[str, Any] | None = row
    while current is not None and current["id"] not in placed:
        placed.add(current["id"])
        chain.append(current)
        parent = next((current[c] for c in columns if current[c] is not None), None)
        current = by_id.get(parent) if parent is not None else None
    chain.reverse()
    return chain
