"""Long work shows its progress dialog by 0.5 s, started through the real action.

Each job is replaced by a stub that blocks until released and reports no progress at all:
the dialog must appear on its own (`minimumDuration` ≤ 500 ms) while the work is still going.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from services.indicators.compute import as_of_for
from tests.services.district_support import YEAR, craft
from ui.gui.app import ensure_initialized
from ui.gui.dialogs.first_run import FirstRunChoice, FirstRunWizard
from ui.gui.screens.district.package_import import ImportScreen
from ui.gui.screens.district.summary import SummaryScreen
from ui.gui.tasks import idle

SHOWN_BY_MS = 500


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # never leave a worker blocked


def _blocking(release: threading.Event, result: Any = None) -> Callable[..., Any]:
    def stub(*_args: object, **_kwargs: object) -> Any:
        assert release.wait(30), "the test never released the job"
        return result

    return stub


def _progress_dialogs() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w.isVisible()]  # fmt: skip


def _assert_progress_shown(qtbot: QtBot, release: threading.Event) -> str:
    qtbot.waitUntil(lambda: bool(_progress_dialogs()), timeout=5000)
    dialog = _progress_dialogs()[0]
    assert not release.is_set()  # shown while the work still runs
    assert dialog.minimumDuration() <= SHOWN_BY_MS
    text = dialog.labelText()
    release.set()
    qtbot.waitUntil(idle, timeout=5000)
    return text


def test_the_district_demo_of_the_first_run_shows_progress(
    services: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, release: threading.Event
) -> None:
    choice = FirstRunChoice(Role.DISTRICT, "Управление образования", "", "5105000001", None, True)
    monkeypatch.setattr(FirstRunWizard, "exec", lambda self: 1)
    monkeypatch.setattr(FirstRunWizard, "choice", lambda self: choice)
    monkeypatch.setattr(services.demo, "fill", _blocking(release))
    seen: list[str] = []

    def look() -> None:  # runs inside the wait of `ensure_initialized`
        if _progress_dialogs():
            seen.append(_progress_dialogs()[0].labelText())
            assert _progress_dialogs()[0].minimumDuration() <= SHOWN_BY_MS
            release.set()
        elif not release.is_set():
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    QTimer.singleShot(10_000, release.set)  # a failing run ends instead of hanging
    assert ensure_initialized(services)
    assert seen and "демонстрационных" in seen[0]


def test_importing_packages_shows_progress(
    district: Services,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(district.sync, "import_files", _blocking(release, []))
    screen = ImportScreen(district)
    qtbot.addWidget(screen)
    screen.show()
    package = tmp_path / "school.opora"
    package.write_bytes(b"not read by the stub")
    screen.add_paths([package])  # the preview (a dry run) is long work too
    assert "Проверка пакетов" in _assert_progress_shown(qtbot, release)


def test_the_spravka_shows_progress(
    district: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, release: threading.Event,
    tmp_path: Path,
) -> None:  # fmt: skip
    craft(district)
    screen = SummaryScreen(district.dashboard, _blocking(release))
    qtbot.addWidget(screen)
    screen.show()
    screen.show_summary(district.dashboard.summary(YEAR, as_of_for(YEAR)))
    monkeypatch.setattr(screen, "ask_path", lambda fmt: tmp_path / f"справка.{fmt}")
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information", lambda *a, **k: None)
    screen.pdf_button.click()
    assert "справки" in _assert_progress_shown(qtbot, release)
