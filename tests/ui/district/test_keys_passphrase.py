"""The unlock dialog of a district whose keys are sealed with a passphrase, asked once per session
when an import or a bulletin needs the keys, and «Сменить парольную фразу…» (pytest-qt)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from services.app import build_services
from services.packages import vault
from tests.services.pair_support import Pair, make_pair
from ui.gui.dialogs import keys_passphrase
from ui.gui.dialogs.keys_passphrase import ChangePassphraseDialog, UnlockDialog
from ui.gui.screens.district.bulletin import BulletinScreen
from ui.gui.screens.district.package_import import ImportScreen
from ui.gui.tasks import idle

PHRASE = "зелёный трамвай едет в Тулу"
NEW = "синий троллейбус стоит у депо"


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    vault.seal_files(p.district.db, p.district.paths.keys_dir, PHRASE)
    p.district = build_services(p.district.db, p.district.paths)  # as the next start
    yield p
    p.close()


@pytest.fixture
def unlock_threads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each unlock: whether it ran on the GUI (main) thread."""
    on_main: list[bool] = []
    real = vault.unlock

    def recorded(db: object, phrase: str) -> vault.Unlocked:
        on_main.append(threading.current_thread() is threading.main_thread())
        return real(db, phrase)  # type: ignore[arg-type]

    monkeypatch.setattr(vault, "unlock", recorded)
    return on_main


def _dialog(screen: object, qtbot: QtBot) -> UnlockDialog:
    found: list[UnlockDialog] = []

    def shown() -> bool:
        found[:] = [d for d in screen.findChildren(UnlockDialog) if d.isVisible()]  # type: ignore[attr-defined]
        return bool(found)

    qtbot.waitUntil(shown, timeout=10_000)
    return found[0]


def test_an_import_asks_the_passphrase_once_and_unlocks_off_the_gui_thread(
    pair: Pair, qtbot: QtBot, unlock_threads: list[bool]
) -> None:
    package = pair.school_package()
    screen = ImportScreen(pair.district)
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(idle, timeout=10_000)
    screen.add_paths([package])
    dialog = _dialog(screen, qtbot)
    assert screen.preview.rowCount() == 0  # nothing read before the keys are open

    dialog.phrase.setText("не та фраза совсем")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "Неверная парольная фраза" in dialog.error.text(), timeout=60_000)
    assert dialog.isVisible() and pair.district.keys.locked and dialog.buttons.isEnabled()

    dialog.phrase.setText(PHRASE)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: screen.preview.rowCount() == 1, timeout=60_000)
    [preview] = screen.preview.rows()
    assert preview.verdict == "dry-run", preview.reason  # decrypted and checked
    screen.apply()
    qtbot.waitUntil(
        lambda: screen.preview.rows()[0].verdict == "applied" and idle(), timeout=60_000
    )
    assert not pair.district.keys.locked and unlock_threads == [False, False]

    bulletins = BulletinScreen(pair.district)  # the same session: not asked again
    qtbot.addWidget(bulletins)
    bulletins.refresh()
    qtbot.waitUntil(idle, timeout=10_000)
    bulletins.choose_target(pair.out)
    bulletins.send()
    qtbot.waitUntil(lambda: bulletins.last_results is not None, timeout=60_000)
    assert not [d for d in bulletins.findChildren(UnlockDialog) if d.isVisible()]
    assert len(unlock_threads) == 2


def test_the_passphrase_is_changed_in_the_dialog(pair: Pair, qtbot: QtBot) -> None:
    dialog = ChangePassphraseDialog(pair.district.keys)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.current.setText(PHRASE)
    dialog.new.setText("короткая")
    dialog.again.setText("короткая")
    dialog.buttons.accepted.emit()
    assert "не меньше 12 символов" in dialog.error.text()
    dialog.new.setText(NEW)
    dialog.buttons.accepted.emit()
    assert "не совпали" in dialog.error.text()
    dialog.again.setText(NEW)
    dialog.current.setText("не та фраза совсем")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "Неверная парольная фраза" in dialog.error.text(), timeout=60_000)
    dialog.current.setText(PHRASE)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not dialog.isVisible() and idle(), timeout=60_000)
    assert dialog.result() == ChangePassphraseDialog.DialogCode.Accepted
    vault.unlock(pair.district.db, NEW)
    with pytest.raises(vault.WrongPassphrase):
        vault.unlock(pair.district.db, PHRASE)


def test_file_keys_have_no_passphrase_to_change(
    template_db: Path, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_pair(template_db, tmp_path, enroll=False)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    try:
        screen = BulletinScreen(p.district)
        qtbot.addWidget(screen)
        keys_passphrase.change_passphrase(screen, p.district.keys)
        ran: list[bool] = []
        keys_passphrase.with_keys(screen, p.district.keys, lambda: ran.append(True))
    finally:
        p.close()
    assert len(said) == 1 and "хранятся в файлах папки данных" in said[0]
    assert ran == [True] and screen.findChildren(UnlockDialog) == []
