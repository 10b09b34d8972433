"""A server that asks for a password at a later start: the window asks for it (hidden while
typed), tries again after a wrong one, and writes it nowhere; «Отмена» opens nothing.

The throwaway server trusts its logins; one login here must give a password (a line of its
own at the top of pg_hba.conf), as on a real server without `.pgpass`.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from PySide6.QtWidgets import QInputDialog, QLineEdit
from pytestqt.qtbot import QtBot

from services.app import open_services
from services.core.config import AppPaths
from services.core.db_pg import PasswordNeeded
from tests import pgserver
from tests.conftest import RESOURCES
from tests.e2e.test_workspace_cli import PHRASE, create
from ui.gui.app import open_with_recovery

LOGIN, PASSWORD = "opora_pw", "Секрет-пароль-42"


@pytest.fixture(scope="module")
def password_url(pg_server: pgserver.PgServer) -> str:
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {LOGIN} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
        conn.execute(f"CREATE DATABASE {LOGIN} OWNER {LOGIN}")
        hba = Path(str(conn.execute("SHOW hba_file").fetchone()[0]))  # type: ignore[index]
        rules = hba.read_text(encoding="utf-8")
        hba.write_text(f"host all {LOGIN} 127.0.0.1/32 scram-sha-256\n{rules}", encoding="utf-8")
        conn.execute("SELECT pg_reload_conf()")
    return pg_server.url(LOGIN, user=LOGIN)


@pytest.fixture
def paths(password_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    phrase = tmp_path / "phrase.txt"
    phrase.write_text(PHRASE + "\n", encoding="utf-8")
    monkeypatch.setenv("OPORA_PASSPHRASE_FILE", str(phrase))
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no.pgpass"))
    monkeypatch.setenv("PGPASSWORD", PASSWORD)  # the first start: the wizard's password
    data = tmp_path / "data"
    with psycopg.connect(password_url) as conn:  # a workspace of its own each time
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    code, _out, err = create(data, password_url)
    assert code == 0, err
    monkeypatch.delenv("PGPASSWORD")  # a later start: nothing remembers it
    return AppPaths(RESOURCES, data)


def answer(monkeypatch: pytest.MonkeyPatch, *typed: tuple[str, bool]) -> list[str]:
    asked: list[str] = []
    answers = list(typed)

    def get_text(_parent: object, _title: str, label: str, echo: object) -> tuple[str, bool]:
        assert echo == QLineEdit.EchoMode.Password
        asked.append(label)
        return answers.pop(0)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return asked


def test_without_a_password_the_server_says_it_wants_one(paths: AppPaths) -> None:
    with pytest.raises(PasswordNeeded) as caught:
        open_services(paths)
    assert not caught.value.wrong and caught.value.login == LOGIN
    assert "Сервер просит пароль" in str(caught.value)


def test_the_window_asks_again_after_a_wrong_password_and_keeps_it_nowhere(
    paths: AppPaths, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answer(monkeypatch, ("не тот", True), (PASSWORD, True))
    services = open_with_recovery(paths)
    assert services is not None
    try:
        assert services.db.is_server and services.site.is_initialized()
        assert len(asked) == 2
        assert "Сервер просит пароль" in asked[0] and "Пароль не подошёл" in asked[1]
        written = [p for p in paths.data_dir.rglob("*") if p.is_file()]
        assert written and not any(PASSWORD.encode() in p.read_bytes() for p in written)
    finally:
        services.db.close()


def test_cancelling_the_password_opens_nothing(
    paths: AppPaths, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answer(monkeypatch, ("", False))
    assert open_with_recovery(paths) is None
    assert len(asked) == 1
