"""A throwaway PostgreSQL server for the tests that run on both storage engines.

Our own ~100 lines instead of `pytest-postgresql`: that plugin runs `pg_ctl` as the current
user, and initdb refuses root, which is who the CI container runs as. Here every server command
runs as the `postgres` system user when we are root (`runuser`), as ourselves otherwise; the
server listens on 127.0.0.1 at a free port and a socket in its own temporary folder, with
`trust` authentication and no fsync (the data is thrown away).

`python -m tests.pgserver` starts one, queries it with `psql`, prints its URL and the answer,
and stops it (standard library only): a child process runs that as `nobody` to prove the
fixture works for an ordinary user too.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ADMIN = "opora_admin"
REQUIRE_ENV = "OPORA_REQUIRE_POSTGRES"


def bin_dir() -> Path | None:
    """The folder of `initdb` and `pg_ctl`: the newest Debian install, else PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_major)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _major(path: Path) -> int:
    name = path.parent.parent.name
    return int(name) if name.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class PgServer:
    """A running server: its folder, port and the admin role's URL for a database."""

    root: Path
    port: int
    bindir: Path
    as_postgres: bool

    def url(self, database: str = "postgres", user: str = ADMIN) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, *, template: bool = False) -> str:
        """A new database, empty or a copy of «opora_template»; its URL."""
        import psycopg

        copy = ' TEMPLATE "opora_template" STRATEGY FILE_COPY' if template else ""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def stop(self) -> None:
        _run(self, "pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _run(server: PgServer, tool: str, *args: str) -> None:
    cmd = [str(server.bindir / tool), *args]
    if server.as_postgres:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)


def start() -> PgServer:
    """initdb a new cluster in a temporary folder and start it; raise if that is impossible."""
    bindir = bin_dir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL is not installed (no initdb found)")
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="opora-pg-"))
    server = PgServer(root, _free_port(), bindir, as_postgres)
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    root.chmod(0o700)
    data, sock = root / "data", str(root)
    try:
        _run(server, "initdb", "-D", str(data), "-U", ADMIN, "-A", "trust", "-E", "UTF8")
        options = f"-p {server.port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run(server, "pg_ctl", "-D", str(data), "-o", options, "-l", f"{root}/log", "-w", "start")
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server


if __name__ == "__main__":
    srv = start()
    try:
        psql = [str(srv.bindir / "psql"), "-At", "-c", "SELECT current_user", srv.url()]
        who = subprocess.run(psql, check=True, capture_output=True, text=True, timeout=60)
        print(srv.url(), who.stdout.strip(), os.geteuid())  # noqa: T201
    finally:
        srv.stop()
