"""Real-window tests: a real X server (Xvfb at 1024 × 768 with openbox), the xcb platform.

They run in a process of their own (`make realwindow`, which `make test` calls), because the
rest of the suite runs offscreen. Without an X server they skip with one line, unless
OPORA_REQUIRE_XVFB=1 (set by CI), when that is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

OUT = Path(__file__).resolve().parent / "out"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("QT_QPA_PLATFORM") == "xcb" and os.environ.get("DISPLAY"):
        return
    missing = "" if shutil.which("Xvfb") else " (Xvfb не установлен)"
    reason = f"реальное окно: нужен X-сервер, тесты запускает make realwindow{missing}"
    if os.environ.get("OPORA_REQUIRE_XVFB") == "1":
        raise pytest.UsageError(reason + " — OPORA_REQUIRE_XVFB=1 требует его")
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "realwindow" in str(item.fspath):
            item.add_marker(skip)
