"""«Резервная копия на флешку» and «Восстановить с флешки» dialogs (pytest-qt)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from models import Role
from services.app import Services, open_services
from services.core.config import AppPaths
from tests.conftest import RESOURCES
from ui.gui.dialogs import portable as dialogs

PHRASE = "белая берёза под окном"


@pytest.fixture
def school_files(file_services: Services) -> Services:
    file_services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
    file_services.keys.ensure()
    return file_services


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Services]:
    services = open_services(AppPaths(RESOURCES, tmp_path / "new-computer"))
    yield services
    services.db.close()


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    monkeypatch.setattr(dialogs, "show_error", lambda _p, exc: shown.append(str(exc)))
    return shown


def test_backup_then_restore_on_a_new_computer(
    qtbot, school_files: Services, fresh: Services, tmp_path: Path, messages: list[str]
) -> None:
    made = dialogs.PortableBackupDialog(school_files.portable)
    qtbot.addWidget(made)
    target = tmp_path / "flash.opora-backup"
    made.path.setText(str(target))
    made.phrase.setText(PHRASE)
    made.again.setText(PHRASE + "x")
    made.show()
    made.buttons.accepted.emit()
    assert "не совпали" in made.error.text() and not target.exists()
    made.again.setText(PHRASE)
    made.buttons.accepted.emit()
    qtbot.waitUntil(lambda: made.result_info is not None, timeout=20_000)
    assert target.exists() and "Копия сохранена" in messages[-1]

    restore = dialogs.PortableRestoreDialog(fresh.portable)
    qtbot.addWidget(restore)
    restore.path.setText(str(target))
    restore.phrase.setText(PHRASE + "!")
    restore.show()
    restore.buttons.accepted.emit()
    qtbot.waitUntil(lambda: restore.buttons.isEnabled(), timeout=20_000)
    assert "Неверная парольная фраза" in messages[-1] and restore.restored is None
    assert fresh.portable.occupant() is None
    restore.phrase.setText(PHRASE)
    restore.buttons.accepted.emit()
    qtbot.waitUntil(lambda: restore.restored is not None, timeout=20_000)
    assert fresh.site.profile().site.id == school_files.site.profile().site.id
    assert fresh.keys.age_recipient == school_files.keys.age_recipient


def test_replacing_existing_data_asks_first(
    qtbot, school_files: Services, tmp_path: Path, messages: list[str], monkeypatch
) -> None:
    target = tmp_path / "flash.opora-backup"
    school_files.portable.create(target, PHRASE)
    asked: list[str] = []

    def say_no(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", say_no)
    before = len(school_files.backups.entries())
    restore = dialogs.PortableRestoreDialog(school_files.portable)
    qtbot.addWidget(restore)
    restore.path.setText(str(target))
    restore.phrase.setText(PHRASE)
    restore.show()
    restore.buttons.accepted.emit()
    qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    qtbot.waitUntil(lambda: restore.buttons.isEnabled(), timeout=5_000)
    assert "МОУ Лодейнинская СОШ" in asked[0] and restore.restored is None
    assert len(school_files.backups.entries()) == before  # declined: not even a copy made
