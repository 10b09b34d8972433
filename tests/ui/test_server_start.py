"""Start-up on a workspace whose PostgreSQL server does not answer: the reason and a retry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from services.core.config import AppPaths
from services.core.errors import ServerUnreachable
from tests.conftest import RESOURCES
from ui.gui import app as gui_app

DOWN = ServerUnreachable(
    "Не удалось подключиться к базе данных: база «opora» на сервере rono:5432."
)


def test_unreachable_server_offers_a_retry_that_opens_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qtbot: Any
) -> None:
    answers = [QMessageBox.StandardButton.Retry]
    shown: list[str] = []
    attempts: list[int] = []
    opened = object()

    def warning(_parent: Any, title: str, text: str, *_a: Any) -> QMessageBox.StandardButton:
        shown.append(f"{title}: {text}")
        return answers.pop(0)

    def open_services(_paths: AppPaths) -> object:
        attempts.append(1)
        if len(attempts) < 2:
            raise DOWN
        return opened

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    monkeypatch.setattr("services.app.open_services", open_services)
    result = gui_app.open_with_recovery(AppPaths(RESOURCES, tmp_path))
    assert result is opened and len(attempts) == 2
    assert shown == [f"Опора — нет связи с сервером: {DOWN}"]


def test_closing_the_box_gives_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qtbot: Any
) -> None:
    def warning(*_a: Any) -> QMessageBox.StandardButton:
        return QMessageBox.StandardButton.Close

    def open_services(_paths: AppPaths) -> object:
        raise DOWN

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    monkeypatch.setattr("services.app.open_services", open_services)
    assert gui_app.open_with_recovery(AppPaths(RESOURCES, tmp_path)) is None
