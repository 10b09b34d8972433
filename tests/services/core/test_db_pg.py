"""The workspace on a PostgreSQL server: URLs, refusals, migration under the advisory lock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import psycopg
import pytest

from services.core import db_pg
from services.core.db import Database, head_revision
from services.core.db_pg import Workspace, check_url, load_workspace, save_workspace
from services.core.errors import Invalid, NewerDatabase, StorageError
from tests import pgserver
from tests.conftest import REPO


def test_a_password_in_the_url_is_refused_with_where_to_put_it() -> None:
    with pytest.raises(Invalid) as err:
        check_url("postgresql://metodist:secret@db.rono.local/opora")
    assert ".pgpass" in str(err.value) and "PGPASSWORD" in str(err.value)
    assert "secret" not in str(err.value)


@pytest.mark.parametrize(
    "url", ["postgresql://db.rono.local/opora", "postgresql://metodist@db.rono.local/"]
)
def test_a_url_without_user_or_database_is_refused(url: str) -> None:
    with pytest.raises(Invalid, match="ПОЛЬЗОВАТЕЛЬ@СЕРВЕР"):
        check_url(url)


def test_settings_keep_the_url_and_a_node_private_to_the_user(tmp_path: Path) -> None:
    ws = Workspace.new("postgres://metodist@db.rono.local:5433/opora")
    path = save_workspace(tmp_path, ws)
    assert load_workspace(tmp_path) == ws
    assert ws.url == "postgresql://metodist@db.rono.local:5433/opora"
    assert len(ws.node) == 16 and ws.node != Workspace.new(ws.url).node
    assert path.stat().st_mode & 0o777 == 0o600


def test_damaged_settings_say_how_to_reconnect(tmp_path: Path) -> None:
    (tmp_path / db_pg.WORKSPACE_FILE).write_text("{", encoding="utf-8")
    with pytest.raises(StorageError, match="init --join"):
        load_workspace(tmp_path)


def test_an_unreachable_server_names_the_host_and_what_to_check() -> None:
    with pytest.raises(StorageError) as err:
        Database.open_server(Workspace.new("postgresql://metodist@127.0.0.1:1/opora"))
    text = str(err.value)
    assert "127.0.0.1:1" in text and "pg_hba.conf" in text and ".pgpass" in text


def test_a_newer_schema_is_refused_and_left_untouched(pg_database: str) -> None:
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(NewerDatabase, match="9999"):
        Database.open_server(Workspace.new(pg_database))
    with psycopg.connect(pg_database) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999",)]


def test_a_database_of_another_program_is_refused_untouched(
    pg_server: pgserver.PgServer,
) -> None:
    url = pg_server.create_database("foreign_app")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(StorageError, match="не рабочее пространство Опоры"):
        Database.open_server(Workspace.new(url))
    with psycopg.connect(url) as conn:
        assert db_tables(conn) == ["invoices"]


def db_tables(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


MIGRATE_ONE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from services.core import db_pg
    from services.core.db import known_revisions, migrate
    url, go = sys.argv[1], Path(sys.argv[2])
    engine = db_pg.make_engine(url)
    db_pg.preflight(engine, url, known_revisions())  # both see an empty database
    while not go.exists():
        time.sleep(0.01)
    print(db_pg.migrate_locked(engine, known_revisions(), migrate))
    """
)


def test_two_clients_starting_at_once_on_an_empty_database_migrate_it_once(
    pg_server: pgserver.PgServer, tmp_path: Path
) -> None:
    url = pg_server.create_database("race")
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    clients = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE_ONE, url, str(go)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    go.touch()
    results = [c.communicate(timeout=300) for c in clients]
    assert [c.returncode for c in clients] == [0, 0], [err for _out, err in results]
    assert sorted(out.strip() for out, _err in results) == ["False", "True"]
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (head_revision(),)
        ]


def test_each_staff_member_stamps_with_a_node_of_their_own(pg_database: str) -> None:
    first = Database.open_server(Workspace(pg_database, "node-one"))
    second = Database.open_server(Workspace(pg_database, "node-two"))
    try:
        assert first.clock.now().endswith("node-one")
        assert second.clock.now().endswith("node-two")
    finally:
        first.close()
        second.close()


def test_the_server_fixture_runs_for_an_ordinary_user() -> None:
    """The fixture starts a server as root (through `runuser`) and as anyone else."""
    if pgserver.bin_dir() is None:
        pytest.skip("PostgreSQL not installed")
    if os.geteuid() != 0:
        cmd, cwd, folder = [sys.executable, "-m", "tests.pgserver"], REPO, None
    else:
        # `nobody` can read neither root's checkout nor its Python: a copy of the script (it
        # needs only the standard library) in a folder of its own, run by the system Python.
        folder = Path(tempfile.mkdtemp(prefix="opora-pg-nobody-"))
        shutil.copy(Path(pgserver.__file__), folder / "pgserver.py")
        for path in (folder, folder / "pgserver.py"):
            shutil.chown(path, "nobody")
        python = shutil.which("python3", path="/usr/bin:/bin") or "python3"
        cmd, cwd = ["runuser", "-u", "nobody", "--", python, "pgserver.py"], folder
    try:
        done = subprocess.run(
            cmd, cwd=cwd, capture_output=True, text=True, timeout=180, check=False
        )
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    assert done.returncode == 0, done.stderr[-2000:]
    url, user, uid = done.stdout.split()
    assert url.startswith("postgresql://opora_admin@127.0.0.1:") and user == "opora_admin"
    assert int(uid) != 0


def test_roles_set_up_by_a_superuser_let_staff_check_an_import_s_keys_once(
    pg_database: str,
) -> None:
    """As docs/server-setup.sql does: staff may switch off the per-row foreign-key triggers
    for an import's transaction (`merge_pg.switch_off_row_triggers`)."""
    asked = "SELECT has_parameter_privilege('opora_staff', 'session_replication_role', 'SET')"
    with psycopg.connect(pg_database, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'opora_staff'").fetchone():
            conn.execute("REVOKE SET ON PARAMETER session_replication_role FROM opora_staff")
        db = Database.open_server(Workspace(pg_database, "roles"))
        try:
            assert db_pg.set_up_roles(db.engine) is None
        finally:
            db.close()
        assert conn.execute(asked).fetchone() == (True,)
