"""What a real GUI start has loaded when the main window is first painted.

Start-up speed is measured by tests/bench/startup.py; this checks, without timing anything, that
the work it found not needed for the first paint stays after it: each item below cost that paint
milliseconds (PySide6 builds a Qt type on its first use; a module costs its import).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.e2e.cli_support import run_cli

# Runs main.py as `python main.py` does, and reports at the main window's first paint.
PROBE = """
import json, runpy, sys
sys.path.insert(0, ".")
import ui.gui.main_window as main_window
paint = main_window.MainWindow.paintEvent

def first_paint(self, event):
    if not self._painted:
        import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
        qt = [n for m in (PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets) for n in vars(m)]
        shortcuts = [a.shortcut().toString() for a in self.findChildren(main_window.QAction)]
        report = {"qt": qt, "modules": sorted(sys.modules), "title": self.windowTitle(),
                  "shortcuts": [s for s in shortcuts if s]}
        print("AT-PAINT", json.dumps(report), flush=True)
    paint(self, event)

main_window.MainWindow.paintEvent = first_paint
sys.argv = ["main.py", *sys.argv[1:]]
runpy.run_path("main.py", run_name="__main__")
"""

NOT_BEFORE_PAINT = (
    "sqlalchemy",  # the data layer: loaded while the window shows «Загрузка данных…»
    "sqlmodel",
    "filelock",  # the instance lock is taken after the paint
    "logging.handlers",  # the log file is opened after it (with socket, pickle, queue)
    "platformdirs",  # not needed when the data folder is given
    "uuid",  # imports `platform` too
    "services.app",
    "services.core.files",
    "ui.gui.tasks",  # the thread pool and the progress dialog
    "ui.gui.dialogs.help",
)
QT_NOT_BEFORE_PAINT = (
    "Qt",  # the enum namespace (≈ 15 ms): the first `setShortcut` builds it
    "QKeySequence",
    "QMessageBox",
    "QProgressDialog",
    "QTextBrowser",
    "QFont",  # only a large font needs it
)


def at_first_paint(data: Path) -> dict[str, list[str] | str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("OPORA_DATA_DIR", None)
    argv = [sys.executable, "-c", PROBE, "--data-dir", str(data), "--exit-after-paint"]
    out = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("AT-PAINT "))
    report: dict[str, list[str] | str] = json.loads(line.removeprefix("AT-PAINT "))
    return report


def test_the_first_paint_loads_only_what_it_shows(tmp_path: Path) -> None:
    data = tmp_path / "data"
    init = run_cli(data, "init", "--role", "school", "--name", "МОУ СОШ № 1", "--code", "47")
    assert init.returncode == 0, init.stderr
    report = at_first_paint(data)
    assert report["title"] == "Опора — МОУ СОШ № 1"  # the real window, from the quick identity
    modules = set(report["modules"])
    assert "PySide6.QtWidgets" in modules  # the probe sees what it should
    assert [m for m in NOT_BEFORE_PAINT if m in modules] == []
    assert [name for name in QT_NOT_BEFORE_PAINT if name in report["qt"]] == []
    assert report["shortcuts"] == []  # F1 and Ctrl+Q are set when the services arrive
