"""Running `python main.py` in a subprocess as a user would (one helper for the CLI tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def run_cli(data: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """`python main.py --data-dir DATA ARGS…` offscreen, without an inherited OPORA_DATA_DIR."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("OPORA_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
