"""The first-run wizard puts a district on a PostgreSQL server: check, create, join."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services, open_services
from services.core.config import AppPaths
from services.core.db_pg import load_workspace
from services.packages.vault import unlock, uses_vault
from tests.conftest import RESOURCES
from tests.pgserver import _free_port
from ui.gui.app import ensure_initialized
from ui.gui.dialogs.first_run import FirstRunWizard
from ui.gui.dialogs.server_page import ServerPage
from ui.gui.tasks import idle

WAIT_MS = 30_000
PHRASE = "зелёный трамвай едет в Тулу"
NAME = "Управление образования Кольского района"


def _fill(page: ServerPage, url: str) -> None:
    u = urlsplit(url)
    page.host.setText(u.hostname or "")
    page.port.setValue(u.port or 5432)
    page.database.setText(u.path.lstrip("/"))
    page.user.setText(u.username or "")


def _check(qtbot: QtBot, page: ServerPage, url: str) -> str:
    _fill(page, url)
    page.check_button.click()
    qtbot.waitUntil(lambda: idle() and page.check_button.isEnabled(), timeout=WAIT_MS)
    return page.result.text()


def _to_server_page(qtbot: QtBot) -> FirstRunWizard:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.role_page.district.setChecked(True)
    wizard.role_page.server.setChecked(True)
    wizard.next()
    assert wizard.currentPage() is wizard.server_page
    return wizard


def test_the_server_choice_is_offered_to_a_district_only(qtbot: QtBot) -> None:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    assert not wizard.role_page.server.isVisible()  # a school keeps its data on its computer
    wizard.role_page.district.setChecked(True)
    assert wizard.role_page.server.isVisible() and wizard.role_page.local.isVisible()
    assert wizard.role_page.local.isChecked()  # this computer, unless the server is chosen
    wizard.next()
    assert wizard.currentPage() is wizard.org_page


def test_a_closed_port_says_what_failed_and_what_to_check(qtbot: QtBot) -> None:
    wizard = _to_server_page(qtbot)
    text = _check(qtbot, wizard.server_page, f"postgresql://m@127.0.0.1:{_free_port()}/opora")
    assert text.startswith("Не удалось подключиться к базе данных") and ".pgpass" in text
    assert "Ответ сервера:" in text and "refused" in text  # libpq's own words, for the admin
    assert not wizard.server_page.isComplete()
    assert not wizard.button(FirstRunWizard.WizardButton.NextButton).isEnabled()


@pytest.fixture
def data(tmp_path: Path) -> Callable[[str], AppPaths]:
    def make(name: str) -> AppPaths:
        (tmp_path / name).mkdir()
        return AppPaths(RESOURCES, tmp_path / name)

    return make


def _run_wizard(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, url: str, seen: list[str]) -> None:
    """`exec` of the wizard: the server page checked and filled as a person would."""

    def exec_(wizard: FirstRunWizard) -> int:
        wizard.show()
        wizard.role_page.district.setChecked(True)
        wizard.role_page.server.setChecked(True)
        wizard.next()
        page = wizard.server_page
        seen.append(_check(qtbot, page, url))
        if page.create_button.isChecked():  # a new workspace: its keys' passphrase, twice
            assert page.keys.isVisible() and not page.isComplete()
            page.phrase.setText(PHRASE)
            page.phrase_again.setText(PHRASE[:-1])
            assert not page.isComplete() and "не совпадают" in page.phrase_note.text()
            page.phrase_again.setText(PHRASE)
            assert page.isComplete()
        else:
            assert not page.keys.isVisible()
        wizard.next()
        if wizard.currentPage() is wizard.org_page:
            wizard.org_page.full_name.setText(NAME)
            wizard.org_page.code.setText("5105000001")
            wizard.next()
        assert wizard.currentPage() is wizard.finish_page
        assert not wizard.finish_page.demo.isVisible()  # no demo in a shared workspace
        seen.append(wizard.finish_page.text.text())
        wizard.hide()
        return 1

    monkeypatch.setattr(FirstRunWizard, "exec", exec_)


@pytest.fixture
def opened() -> Iterator[list[Services]]:
    found: list[Services] = []
    yield found
    for services in found:
        services.db.close()


def test_create_then_join_through_the_wizard(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    pg_database: str,
    data: Callable[[str], AppPaths],
    opened: list[Services],
) -> None:
    seen: list[str] = []
    _run_wizard(qtbot, monkeypatch, pg_database, seen)
    first_paths = data("first")
    local = open_services(first_paths)  # as the start does before the wizard
    first = ensure_initialized(local)
    assert first is not None and first.db.is_server
    opened.append(first)
    assert "База пуста" in seen[0] and "будет создано" in seen[1]
    assert first.site.profile().site.full_name == NAME
    assert not first_paths.db_path.exists()  # the blank local database is gone
    assert load_workspace(first_paths.data_dir) is not None
    assert not any(p.name.startswith("PGPASS") for p in first_paths.data_dir.iterdir())
    # the keys live only sealed in the workspace: no key file here, the passphrase opens them
    assert uses_vault(first.db)
    assert not [p for p in first_paths.data_dir.rglob("*") if p.suffix == ".key"]
    unlocked = unlock(first.db, PHRASE)
    assert unlocked is not None

    seen.clear()
    second_paths = data("second")
    second = ensure_initialized(open_services(second_paths))
    assert second is not None and second.db.is_server
    opened.append(second)
    assert f"рабочее пространство «{NAME}»" in seen[0] and NAME in seen[1]
    profile = second.site.profile()
    assert profile.role is Role.DISTRICT and profile.site.full_name == NAME
    assert not second_paths.db_path.exists()
