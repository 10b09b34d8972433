"""Start-up on a workspace whose PostgreSQL server does not answer: the reason and a retry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from services.core.config import AppPaths
from services.core.db_pg import Workspace, save_workspace
from services.core.errors import ServerUnreachable
from services.core.instance import InstanceLock
from services.core.quickstate import QuickIdentity, read_server_identity
from tests.conftest import RESOURCES
from tests.e2e.test_workspace_cli import NAME, PHRASE, create
from tests.pgserver import _free_port
from ui.gui import app as gui_app
from ui.gui.tasks import idle

DOWN = ServerUnreachable(
    "Не удалось подключиться к базе данных: база «opora» на сервере rono:5432."
)


class Boxes:
    """Answers the boxes by the text of a button, and keeps what they said and offered."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
        self.answers = list(answers)
        self.shown: list[tuple[str, str, list[str]]] = []
        monkeypatch.setattr(QMessageBox, "exec", lambda box: self.answer(box))

    def answer(self, box: QMessageBox) -> int:
        details = QMessageBox.ButtonRole.ActionRole  # «Показать подробности…»
        buttons = [b.text() for b in box.buttons() if box.buttonRole(b) != details]
        self.shown.append((box.windowTitle(), box.text(), buttons))
        want = self.answers.pop(0)
        next(b for b in box.buttons() if b.text() == want).click()
        return 0


def test_unreachable_server_offers_a_retry_that_opens_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qtbot: Any
) -> None:
    boxes = Boxes(monkeypatch, "Повторить")
    attempts: list[int] = []
    opened = object()

    def open_services(_paths: AppPaths) -> object:
        attempts.append(1)
        if len(attempts) < 2:
            raise DOWN
        return opened

    monkeypatch.setattr("services.app.open_services", open_services)
    result = gui_app.open_with_recovery(AppPaths(RESOURCES, tmp_path))
    assert result is opened and len(attempts) == 2
    assert boxes.shown == [("Опора — нет связи с сервером", str(DOWN), ["Повторить", "Выйти"])]


def test_a_closed_port_says_what_to_check_and_quitting_opens_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qtbot: Any
) -> None:
    paths = AppPaths(RESOURCES, tmp_path / "data")
    paths.data_dir.mkdir()
    url = f"postgresql://metodist@127.0.0.1:{_free_port()}/opora"  # nothing listens there
    save_workspace(paths.data_dir, Workspace.new(url))
    boxes = Boxes(monkeypatch, "Повторить", "Выйти")
    assert gui_app.open_with_recovery(paths) is None
    assert len(boxes.shown) == 2  # asked again after the retry failed too
    _title, text, buttons = boxes.shown[0]
    assert "Не удалось подключиться" in text and "127.0.0.1:" in text and ".pgpass" in text
    assert buttons == ["Повторить", "Выйти"]
    assert sorted(p.name for p in paths.data_dir.iterdir()) == ["workspace.json"]  # no local base


def test_the_session_opens_no_window_when_the_user_quits(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qapp: Any
) -> None:
    paths = AppPaths(RESOURCES, tmp_path / "data")
    paths.data_dir.mkdir()
    save_workspace(paths.data_dir, Workspace.new(f"postgresql://m@127.0.0.1:{_free_port()}/o"))
    boxes = Boxes(monkeypatch, "Выйти")
    lock = InstanceLock(paths.lock_path)
    session = gui_app.GuiSession(qapp, paths, lambda: "test", 0.0, lock, lambda: None)
    try:
        session.start(exit_after_paint=False)
    finally:
        lock.release()
    assert session.window is None and session.services is None and session.exit_code == 1
    assert len(boxes.shown) == 1


class App:
    """The session's calls on the application, without quitting the tests' one."""

    def __init__(self) -> None:
        self.quit_called = False

    def setApplicationVersion(self, _version: str) -> None:
        pass

    def quit(self) -> None:
        self.quit_called = True


@pytest.fixture
def server_paths(pg_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    phrase = tmp_path / "phrase.txt"
    phrase.write_text(PHRASE + "\n", encoding="utf-8")
    monkeypatch.setenv("OPORA_PASSPHRASE_FILE", str(phrase))
    code, _out, err = create(tmp_path / "data", pg_database)
    assert code == 0, err
    return AppPaths(RESOURCES, tmp_path / "data")


def _session(paths: AppPaths, app: Any) -> tuple[gui_app.GuiSession, InstanceLock]:
    lock = InstanceLock(paths.lock_path)
    return gui_app.GuiSession(app, paths, lambda: "test", 0.0, lock, lambda: None), lock


def _run(session: gui_app.GuiSession, app: App, qtbot: Any) -> None:
    """The start, then the first paint's deferred `_load`, until it opened or gave up."""
    session.start(exit_after_paint=False)
    window = session.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.nav.isEnabled() or app.quit_called, timeout=60_000)
    qtbot.waitUntil(idle, timeout=30_000)


def test_a_server_workspace_paints_before_connecting_from_what_the_last_start_kept(
    server_paths: AppPaths, qtbot: Any
) -> None:
    app = App()
    first, lock = _session(server_paths, app)
    try:
        _run(first, app, qtbot)
        assert first.services is not None  # the first start here connects first, as before
    finally:
        first.close()
        lock.release()
    assert read_server_identity(server_paths.data_dir) == QuickIdentity("district", NAME)

    app = App()
    later, lock = _session(server_paths, app)
    try:
        later.start(exit_after_paint=False)
        window = later.window
        assert window is not None and later.services is None  # the window first, nothing open
        qtbot.addWidget(window)
        assert window.loading.text() == "Подключение к серверу…" and not window.nav.isEnabled()
        assert window.windowTitle() == f"Опора — {NAME}"
        qtbot.waitUntil(window.nav.isEnabled, timeout=60_000)  # the paint connects
        qtbot.waitUntil(idle, timeout=30_000)
        assert later.services is not None and later.services.db.is_server
    finally:
        later.close()
        lock.release()


def test_an_unreachable_server_after_the_paint_asks_and_opens_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qtbot: Any
) -> None:
    paths = AppPaths(RESOURCES, tmp_path / "data")
    paths.data_dir.mkdir()
    url = f"postgresql://m@127.0.0.1:{_free_port()}/o"
    save_workspace(paths.data_dir, Workspace.new(url), {"role": "district", "short_name": NAME})
    boxes = Boxes(monkeypatch, "Выйти")
    app = App()
    session, lock = _session(paths, app)
    try:
        _run(session, app, qtbot)
    finally:
        session.close()
        lock.release()
    assert session.window is not None and session.services is None
    assert not session.window.nav.isEnabled() and app.quit_called and session.exit_code == 1
    assert len(boxes.shown) == 1 and boxes.shown[0][0] == "Опора — нет связи с сервером"
