"""The district workspace on a PostgreSQL server (DESIGN §5): the one module that knows it.

The data directory keeps only `workspace.json` (the URL without a password and this staff
member's node id, the device id of the hybrid clock); passwords reach libpq through `.pgpass` or
`PGPASSWORD`, never a file of ours. Schema migrations run under a PostgreSQL advisory lock: the
first client after an upgrade migrates, the others wait for it and then find the schema at head.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from services.core.errors import Invalid, NewerDatabase, ServerUnreachable, StorageError
from services.core.files import PRIVATE_FILE, make_private
from services.core.quickstate import WORKSPACE_FILE as WORKSPACE_FILE

log = logging.getLogger(__name__)

SCHEMES = ("postgresql://", "postgres://")
# The key of the advisory lock migrations hold: any fixed 64-bit number no other program uses.
MIGRATION_LOCK = 0x4F706F7261_01  # "Opora", 1
CONNECT_TIMEOUT_S = 10
CHECK_ACCESS = (
    "Проверьте, что сервер запущен и доступен с этого компьютера, что адрес, порт, имя базы и "
    "пользователя указаны верно, что файл pg_hba.conf сервера разрешает подключение, а пароль "
    "записан в файле .pgpass или в переменной PGPASSWORD."
)


def is_server_url(target: str) -> bool:
    return target.startswith(SCHEMES)


def check_url(target: str) -> str:
    """The URL of a workspace, normalised; `Invalid` for a password in it or a part missing."""
    try:
        url = make_url(target)
    except ArgumentError as exc:
        raise Invalid(f"Адрес базы данных «{target}» не разобран: {exc}") from exc
    if url.password is not None:
        raise Invalid(
            "Пароль в адресе базы данных не принимается: он остался бы в истории команд и в "
            "настройках. Запишите его в файл .pgpass (или в переменную PGPASSWORD) и укажите "
            "адрес без пароля: postgresql://ПОЛЬЗОВАТЕЛЬ@СЕРВЕР/БАЗА."
        )
    if not url.host or not url.database or not url.username:
        raise Invalid(
            f"В адресе «{target}» не хватает сервера, пользователя или имени базы: "
            "укажите его так: postgresql://ПОЛЬЗОВАТЕЛЬ@СЕРВЕР[:ПОРТ]/БАЗА."
        )
    clean: str = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return clean


def where(url: str) -> str:
    """«база B на сервере H:P (пользователь U)» for messages."""
    u = make_url(url)
    return f"база «{u.database}» на сервере {u.host}:{u.port or 5432} (пользователь {u.username})"


def make_engine(url: str) -> Engine:
    """An engine for a workspace URL (psycopg 3), checked before each use of a pooled link."""
    u: URL = make_url(url).set(drivername="postgresql+psycopg")
    return create_engine(
        u,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "opora"},
    )


class PasswordNeeded(ServerUnreachable):
    """The server asks for this login's password, and none (or a wrong one) was given."""

    def __init__(self, message: str, *, login: str, wrong: bool, details: str = "") -> None:
        super().__init__(message, details=details)
        self.login, self.wrong = login, wrong


# libpq's words when it has no password to send; the server's code and words (English or
# Russian, as its lc_messages says) for a wrong one: a failed connection carries no code.
NO_PASSWORD = "no password supplied"
WRONG_PASSWORD = "28P01"
WRONG_PASSWORD_WORDS = ("password authentication failed", "(по паролю)")
PASSWORD_HINT = (
    "Окно программы спросит его при запуске; для команд запишите его в файл .pgpass "
    "(или в переменную PGPASSWORD)."
)


def unreachable(url: str, exc: BaseException) -> ServerUnreachable:
    orig = getattr(exc, "orig", exc)
    detail = " ".join(str(orig).strip().splitlines()[:3])
    wrong = getattr(orig, "sqlstate", None) == WRONG_PASSWORD or any(
        w in detail for w in WRONG_PASSWORD_WORDS
    )
    if wrong or NO_PASSWORD in detail:
        text = (
            f"Пароль не подошёл: {where(url)}. Проверьте раскладку клавиатуры и Caps Lock."
            if wrong
            else f"Сервер просит пароль: {where(url)}. {PASSWORD_HINT}"
        )
        login = make_url(url).username or ""
        return PasswordNeeded(text, login=login, wrong=wrong, details=detail)
    return ServerUnreachable(
        f"Не удалось подключиться к базе данных: {where(url)}. {CHECK_ACCESS}", details=detail
    )


def stored_revision(conn: Connection) -> str | None:
    """The schema revision of the workspace; StorageError for a database that is not ours."""
    if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar() is not None:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if foreign_tables(conn):
        raise StorageError(
            "В этой базе данных уже есть таблицы, но это не рабочее пространство Опоры. "
            "Укажите пустую базу (её создаёт администратор сервера) или базу Опоры."
        )
    return None


def foreign_tables(conn: Connection) -> list[str]:
    """Tables of the current schema (an empty database has none)."""
    rows = conn.execute(
        text(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name"
        )
    )
    return [str(r[0]) for r in rows]


def refuse_newer(revision: str | None, known: list[str]) -> None:
    if revision is not None and revision not in known:
        raise NewerDatabase(
            f"База данных на сервере обновлена более новой версией Опоры (версия схемы "
            f"«{revision}»), а эта программа знает схемы до «{known[-1]}». База не изменена. "
            "Установите новую версию Опоры, чтобы работать с этими данными."
        )


def preflight(engine: Engine, url: str, known: list[str]) -> str | None:
    """Connect, read the revision and refuse a newer or foreign database, changing nothing."""
    try:
        with engine.connect() as conn:
            revision = stored_revision(conn)
    except OperationalError as exc:
        raise unreachable(url, exc) from exc
    refuse_newer(revision, known)
    return revision


def migrate_locked(engine: Engine, known: list[str], upgrade: Any) -> bool:
    """Run `upgrade(engine)` under the advisory lock unless the schema is at head already.

    True when this client migrated. A client that waited finds the head written by the one
    before it and does nothing.
    """
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
        conn.commit()  # the lock is the session's; no transaction stays open while we wait
        try:
            revision = stored_revision(conn)
            conn.commit()
            refuse_newer(revision, known)
            if revision == known[-1]:
                return False
            owner = as_role(engine, owner_role(conn))
            conn.commit()
            try:
                upgrade(owner)  # as opora_staff where it may: any staff member migrates next
                with owner.begin() as granting:
                    grant_roles(granting)
            finally:
                if owner is not engine:
                    owner.dispose()
            return True
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
            conn.commit()


@dataclass(frozen=True, slots=True)
class Workspace:
    """The connection settings of a data directory whose workspace is on a server."""

    url: str
    node: str  # this staff member's device id for the hybrid clock

    @classmethod
    def new(cls, url: str) -> Workspace:
        return cls(check_url(url), uuid.uuid4().hex[:16])


def workspace_path(data_dir: Path) -> Path:
    return data_dir / WORKSPACE_FILE


def load_workspace(data_dir: Path) -> Workspace | None:
    """The settings of `data_dir`, or None for a data directory on SQLite."""
    path = workspace_path(data_dir)
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Workspace(check_url(str(raw["url"])), str(raw["node"]))
    except (OSError, ValueError, KeyError, TypeError, Invalid) as exc:
        raise StorageError(
            f"Файл настроек подключения «{path}» повреждён ({exc}). Удалите его и подключитесь "
            "заново: python main.py init --join --database postgresql://ПОЛЬЗОВАТЕЛЬ@СЕРВЕР/БАЗА."
        ) from exc


def remember_identity(data_dir: Path, role: str, short_name: str) -> None:
    """Keep who the workspace is beside its settings; a start writes only when it changed."""
    from services.core.quickstate import QuickIdentity, read_server_identity

    ws = load_workspace(data_dir)
    if ws is None or read_server_identity(data_dir) == QuickIdentity(role, short_name):
        return
    save_workspace(data_dir, ws, {"role": role, "short_name": short_name})


def save_workspace(data_dir: Path, ws: Workspace, identity: dict[str, str] | None = None) -> Path:
    """Write the settings atomically, private to the user.

    `identity` (role, short name) lets the next start paint the window before connecting
    (`quickstate.read_server_identity`); it is never read as the truth.
    """
    path = workspace_path(data_dir)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    settings: dict[str, object] = {"url": ws.url, "node": ws.node}
    if identity is not None:
        settings["identity"] = identity
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(settings, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
    make_private(path)
    return path


def dump_commands(url: str) -> str:
    """What to run instead of the app's own backup and restore for a server workspace."""
    u = make_url(url)
    port = u.port or 5432
    target = f"-h {u.host} -p {port} -U {u.username}"
    return (
        "Рабочее пространство находится на сервере PostgreSQL: резервные копии программы к нему "
        "не относятся, их делает pg_dump. Сделать копию:\n"
        f"  pg_dump {target} -Fc -f opora-$(date +%Y%m%d).dump {u.database}\n"
        "Восстановить из копии (в пустую базу; остановите программу у всех сотрудников):\n"
        f"  pg_restore {target} -d {u.database} --no-owner opora-ГГГГММДД.dump"
    )


# -- logins and roles ------------------------------------------------------------------------
# Staff log in as themselves; two group roles carry the rights (the server recipe creates them,
# `init --database` too when the login may): `opora_staff` reads and writes, `opora_readonly`
# only reads. The schema belongs to `opora_staff` wherever the server allows it, so any staff
# member can run the next version's migrations.
STAFF_ROLE = "opora_staff"
READONLY_ROLE = "opora_readonly"
INSUFFICIENT_PRIVILEGE = "42501"  # SQLSTATE of «permission denied»
READ_ONLY = (
    "У вашей учётной записи на сервере ({login}) только просмотр: изменять данные она не "
    "может, ничего не изменено. Если вам нужно изменять данные, попросите администратора "
    f"сервера включить вашу учётную запись в роль {STAFF_ROLE}."
)
ROLES_NOT_MADE = (
    f"Роли {STAFF_ROLE} и {READONLY_ROLE} на сервере не созданы: у учётной записи {{login}} "
    "нет права создавать роли. Попросите администратора сервера выполнить сценарий "
    "docs/server-setup.sql (см. README, раздел о сервере)."
)


class ReadOnlyLogin(Invalid):
    """The login may only read; a write was refused (by us up front, or by the server)."""

    def __init__(self, login: str) -> None:
        super().__init__(READ_ONLY.format(login=login or "?"))


def outdated_read_only(revision: str | None, login: str) -> StorageError:
    return StorageError(
        f"База данных на сервере создана прежней версией Опоры (версия схемы «{revision}»), а "
        f"у вашей учётной записи ({login}) только просмотр: обновить базу может только "
        "сотрудник с правом записи. Ничего не изменено. Попросите его запустить новую версию "
        "Опоры (она обновит базу при запуске), затем откройте программу снова."
    )


@dataclass(frozen=True, slots=True)
class Access:
    login: str
    writable: bool


def access(engine: Engine) -> Access:
    """Who this connection is and whether it may write (`has_table_privilege` on app_state).

    Before the schema exists nothing can be told: the migration's own error speaks then.
    """
    with engine.connect() as conn:
        login = str(conn.execute(text("SELECT current_user")).scalar() or "")
        if conn.execute(text("SELECT to_regclass('app_state')")).scalar() is None:
            return Access(login, True)
        may = conn.execute(text("SELECT has_table_privilege('app_state', 'INSERT')")).scalar()
        return Access(login, bool(may))


def is_permission_error(exc: BaseException) -> bool:
    """The server refused a statement for lack of rights (a read-only login's write)."""
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE


def owner_role(conn: Connection) -> str | None:
    """`opora_staff` when this login may act as it and it may create in the schema."""
    found = conn.execute(
        text(
            "SELECT pg_has_role(current_user, oid, 'MEMBER') "
            "AND has_schema_privilege(rolname, current_schema(), 'CREATE') "
            "FROM pg_roles WHERE rolname = :r"
        ),
        {"r": STAFF_ROLE},
    ).scalar()
    return STAFF_ROLE if found else None


def as_role(engine: Engine, role: str | None) -> Engine:
    """An engine whose connections act as `role` (objects they create belong to it)."""
    if role is None:
        return engine
    return create_engine(
        engine.url,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "opora",
            "options": f"-c role={role}",
        },
    )


def set_up_roles(engine: Engine) -> str | None:
    """Create the group roles if missing and grant them the schema; a note if not allowed."""
    with engine.begin() as conn:
        login = str(conn.execute(text("SELECT current_user")).scalar() or "")
        missing = [
            r
            for r in (STAFF_ROLE, READONLY_ROLE)
            if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": r}).first()
            is None
        ]
        may_create = conn.execute(
            text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar()
        if missing and not may_create:
            return ROLES_NOT_MADE.format(login=login)
        for role in missing:
            conn.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
        superuser = conn.execute(
            text(
                "SELECT rolsuper AND current_setting('server_version_num')::int >= 150000 "
                "FROM pg_roles WHERE rolname = current_user"
            )
        ).scalar()
        if superuser:  # as docs/server-setup.sql: imports check foreign keys once per key
            conn.execute(text(f"GRANT SET ON PARAMETER session_replication_role TO {STAFF_ROLE}"))
        grant_roles(conn)
    return None


def grant_roles(conn: Connection) -> None:
    """The rights of both group roles on every table and sequence, now and for new ones.

    Run as the owner of the tables (`opora_staff` where the login may act as it), so the
    default privileges are the owner's and a dump restores them; existing roles only.
    """
    if (owner := owner_role(conn)) is not None:
        conn.execute(text(f'SET LOCAL ROLE "{owner}"'))
    present = {
        str(r[0])
        for r in conn.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname IN (:s, :r)"),
            {"s": STAFF_ROLE, "r": READONLY_ROLE},
        )
    }
    statements = []
    if STAFF_ROLE in present:
        statements += [
            f"GRANT USAGE ON SCHEMA public TO {STAFF_ROLE}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {STAFF_ROLE}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {STAFF_ROLE}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {STAFF_ROLE}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {STAFF_ROLE}",
        ]
    if READONLY_ROLE in present:
        statements += [
            f"GRANT USAGE ON SCHEMA public TO {READONLY_ROLE}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READONLY_ROLE}",
            f"GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {READONLY_ROLE}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {READONLY_ROLE}",
        ]
    for statement in statements:
        conn.execute(text(statement))
