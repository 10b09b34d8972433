"""`init --database`, `--join`, `--from-local` and the commands that do not apply on a server.

Run in this process (the parser and `run_command` as main.py calls them) against the throwaway
server of `tests.pgserver`: a subprocess per command would cost seconds each.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

from services.app import build_services
from services.core.config import AppPaths
from services.core.db import Database
from services.core.db_pg import Workspace
from tests import pgserver
from tests.conftest import RESOURCES
from ui.cli.parser import build_parser
from ui.cli.runner import run_command

NAME, CODE = "Управление образования администрации Кольского района", "5105000001"


def cli(data: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    parsed = build_parser().parse_args(["--data-dir", str(data), *args])
    code = run_command(parsed, AppPaths(RESOURCES, data), out, err)
    return code, out.getvalue(), err.getvalue()


def create(data: Path, url: str) -> tuple[int, str, str]:
    return cli(
        data, "init", "--role", "district", "--name", NAME, "--code", CODE, "--database", url
    )


def server_state(url: str) -> list[tuple[Any, ...]]:
    """Every row of every table of the workspace: a join must change none."""
    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' ORDER BY 1"
            )
        ]
        return [(t, sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"')))) for t in tables]


PHRASE = "зелёный трамвай едет в Тулу"


@pytest.fixture(autouse=True)
def server_preview(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The keys' passphrase comes from a file, as a script would give it (never an argument)."""
    phrase = tmp_path_factory.mktemp("phrase") / "phrase.txt"
    phrase.write_text(PHRASE + "\n", encoding="utf-8")
    monkeypatch.setenv("OPORA_PASSPHRASE_FILE", str(phrase))


@pytest.fixture
def empty_db(pg_server: pgserver.PgServer, request: pytest.FixtureRequest) -> str:
    return pg_server.create_database(f"cli_{request.node.name[:40].lower()}")


def test_init_creates_the_workspace_on_the_server_and_only_settings_here(
    tmp_path: Path, empty_db: str
) -> None:
    code, out, err = create(tmp_path / "d", empty_db)
    assert code == 0, err
    assert "создано на сервере" in out and "127.0.0.1" in out
    settings = json.loads((tmp_path / "d" / "workspace.json").read_text(encoding="utf-8"))
    assert settings["url"] == empty_db and len(settings["node"]) == 16
    assert not (tmp_path / "d" / "opora.sqlite3").exists()
    assert "только в общей базе" in out
    assert_no_plaintext_key(tmp_path / "d")
    with psycopg.connect(empty_db) as conn:
        sealed = conn.execute("SELECT purpose, secret FROM key_vault ORDER BY 1").fetchall()
    assert [r[0] for r in sealed] == ["age", "signing"]
    assert all(bytes(r[1]).startswith(b"age-encryption.org/v1") for r in sealed)
    with psycopg.connect(empty_db) as conn:
        assert conn.execute("SELECT full_name, role FROM site").fetchall() == [(NAME, "DISTRICT")]
    code, out, _err = cli(tmp_path / "d", "profile")
    assert code == 0 and NAME in out
    # The workspace is there now: a second creation on it is refused, pointing at --join.
    code, _out, err = create(tmp_path / "other", empty_db)
    assert code == 1 and "init --join" in err


def test_join_writes_own_settings_and_changes_nothing_on_the_server(
    tmp_path: Path, empty_db: str
) -> None:
    assert create(tmp_path / "first", empty_db)[0] == 0
    before = server_state(empty_db)
    code, out, err = cli(tmp_path / "second", "init", "--join", "--database", empty_db)
    assert code == 0, err
    assert NAME in out
    assert server_state(empty_db) == before
    first = json.loads((tmp_path / "first" / "workspace.json").read_text(encoding="utf-8"))
    second = json.loads((tmp_path / "second" / "workspace.json").read_text(encoding="utf-8"))
    assert first["url"] == second["url"] and first["node"] != second["node"]
    code, out, _err = cli(tmp_path / "second", "profile")
    assert code == 0 and NAME in out


def test_join_refuses_an_empty_database(tmp_path: Path, empty_db: str) -> None:
    code, _out, err = cli(tmp_path / "d", "init", "--join", "--database", empty_db)
    assert code == 1 and "нет рабочего пространства" in err
    assert not (tmp_path / "d" / "workspace.json").exists()
    assert server_state(empty_db) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--role", "school", "--name", "Школа", "--code", "1"], "только для управления"),
        (["--role", "district", "--name", NAME, "--code", CODE, "--password-free"], None),
    ],
)
def test_school_with_a_database_is_wrong_usage(
    tmp_path: Path, args: list[str], says: str | None
) -> None:
    if says is None:  # argparse's own refusal of an unknown argument, for comparison
        with pytest.raises(SystemExit) as exit_:
            cli(tmp_path, "init", *args, "--database", "postgresql://u@h/db")
        assert exit_.value.code == 2
        return
    code, _out, err = cli(tmp_path, "init", *args, "--database", "postgresql://u@h/db")
    assert code == 2 and says in err
    assert not (tmp_path / "workspace.json").exists()


def test_a_password_in_the_url_is_wrong_usage(tmp_path: Path) -> None:
    code, _out, err = create(tmp_path, "postgresql://metodist:secret@127.0.0.1/opora")
    assert code == 2 and ".pgpass" in err and "PGPASSWORD" in err
    assert not (tmp_path / "workspace.json").exists()


def test_an_unreachable_server_is_a_clear_refusal(tmp_path: Path) -> None:
    code, _out, err = create(tmp_path, "postgresql://metodist@127.0.0.1:1/opora")
    assert code == 1 and "127.0.0.1:1" in err and "pg_hba.conf" in err
    assert not (tmp_path / "workspace.json").exists()


def test_backup_and_restore_give_the_pg_dump_commands(tmp_path: Path, empty_db: str) -> None:
    assert create(tmp_path, empty_db)[0] == 0
    for command in (["backup"], ["restore"], ["restore", str(tmp_path / "x.sqlite3")]):
        code, out, err = cli(tmp_path, *command)
        assert code == 1 and out == ""
        assert "pg_dump -h 127.0.0.1" in err and "pg_restore" in err
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())


def assert_no_plaintext_key(data: Path) -> None:
    """No file under the data directory holds a private key in the clear."""
    for path in data.rglob("*"):
        if path.is_file():
            assert not path.name.endswith(".key"), path
            assert b"AGE-SECRET-KEY-" not in path.read_bytes(), path


def typed_rows(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table read through its column types (bools, dates, enums), ordered by key."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(r) for r in conn.execute(query)]
    return out


def test_from_local_moves_everything_and_keeps_the_file(tmp_path: Path, empty_db: str) -> None:
    data = tmp_path / "d"
    assert cli(data, "init", "--role", "district", "--name", NAME, "--code", CODE)[0] == 0
    assert cli(data, "demo")[0] == 0  # seven schools' packages, import log, sequence state
    local = Database.open(data / "opora.sqlite3")
    before = typed_rows(local)
    fingerprint = build_services(local, AppPaths(RESOURCES, data)).exchange.own_card().fingerprint
    local.close()
    code, out, err = cli(data, "init", "--role", "district", "--database", empty_db, "--from-local")
    assert code == 0, err
    kept = next(data.glob("opora-moved-to-server-*.sqlite3"))
    assert str(kept) in out and not (data / "opora.sqlite3").exists()
    assert before["import_log"] and before["sync_state"] and before["roadmap_item"]
    server = Database.open_server(Workspace(empty_db, "check"))
    try:
        after = typed_rows(server)
        vault_rows = after.pop("key_vault")
        after["app_state"].remove(("keys", "vault"))
        before.pop("key_vault")
        assert after == before
        # The keys went into the vault and the same keys serve there, under the passphrase.
        assert sorted(r[0] for r in vault_rows) == ["age", "signing"]
        services = build_services(server, AppPaths(RESOURCES, data))
        assert services.exchange.own_card().fingerprint == fingerprint
        services.keys.unlock(PHRASE)
    finally:
        server.close()
    assert_no_plaintext_key(data)


def test_from_local_refuses_a_target_that_is_not_empty(tmp_path: Path, empty_db: str) -> None:
    assert create(tmp_path / "first", empty_db)[0] == 0
    data = tmp_path / "d"
    assert cli(data, "init", "--role", "district", "--name", NAME, "--code", CODE)[0] == 0
    code, _out, err = cli(
        data, "init", "--role", "district", "--database", empty_db, "--from-local"
    )
    assert code == 1 and "не пуста" in err
    assert (data / "opora.sqlite3").exists() and not (data / "workspace.json").exists()


def test_init_without_a_passphrase_touches_nothing(
    tmp_path: Path, empty_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    short = tmp_path / "short.txt"
    short.write_text("коротко\n", encoding="utf-8")
    monkeypatch.setenv("OPORA_PASSPHRASE_FILE", str(short))
    code, _out, err = create(tmp_path / "d", empty_db)
    assert code == 1 and "слишком короткая" in err
    assert server_state(empty_db) == []
    assert not (tmp_path / "d" / "workspace.json").exists()
    monkeypatch.delenv("OPORA_PASSPHRASE_FILE")  # and no terminal to ask at (pytest's stdin)
    code, _out, err = create(tmp_path / "d", empty_db)
    assert code == 1 and "OPORA_PASSPHRASE_FILE" in err
    assert server_state(empty_db) == []


def test_from_local_seals_replaced_keys_in_age_files(tmp_path: Path, empty_db: str) -> None:
    from services.packages.vault import open_leftover

    data = tmp_path / "d"
    assert cli(data, "init", "--role", "district", "--name", NAME, "--code", CODE)[0] == 0
    retired = data / "keys" / "retired-age.key"
    identity = (data / "keys" / "age.key").read_text("ascii").strip()
    retired.write_text(identity + "\n", encoding="ascii")  # as a key change leaves it
    code, out, err = cli(data, "init", "--role", "district", "--database", empty_db, "--from-local")
    assert code == 0, err
    assert "*.key.age" in out
    assert_no_plaintext_key(data)
    assert open_leftover(data / "keys" / "retired-age.key.age", PHRASE) == identity
