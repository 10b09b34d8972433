"""Ending a GUI session: the background work ends before the database closes and Python exits.

`--exit-after-paint` quits the event loop right after «ready», without the window's
`closeEvent`; the start-up backup may still be running then, and the screens' modules still
being imported in their thread. The process crashed now and then at that moment (exit code
139 in `tests/bench/startup.py` and in repeated starts).
"""

from __future__ import annotations

import threading
from typing import cast

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from services.core.instance import InstanceLock
from ui.gui.app import GuiSession, build_main_window
from ui.gui.tasks import run_task


def test_closing_the_session_waits_for_the_tasks_and_the_screens_imports(
    qtbot: QtBot, file_services: Services
) -> None:
    file_services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
    window = build_main_window(file_services, "0.1.0")
    qtbot.addWidget(window)
    never = threading.Event()
    importing = threading.Thread(target=never.wait, args=(1.0,))  # a slow import of the screens
    importing.start()
    window.preloading = importing
    written = threading.Event()

    def backup(_progress: object) -> None:  # still writing when the event loop ends
        never.wait(0.5)
        written.set()

    run_task(window, backup, lambda _r: None)
    app = cast(QApplication, QApplication.instance())
    lock = InstanceLock(file_services.paths.lock_path)
    session = GuiSession(app, file_services.paths, lambda: "0.1.0", 0.0, lock, lambda: None)
    session.window, session.services = window, file_services
    session.close()
    assert written.is_set()  # the task finished before the database was closed
    assert not importing.is_alive()
