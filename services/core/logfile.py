"""The log file of an installation.

Apart from `services.core.files` because `logging.handlers` (with socket, pickle and queue) costs
several milliseconds to import, and the GUI opens its log only after the main window is painted.
"""

from __future__ import annotations

import logging
import sys
from contextlib import suppress
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from services.core.files import create_private_file


class QuietLogHandler(RotatingFileHandler):
    """The log file: private (0600), and a write that fails (a full disk) is no traceback.

    logging's default prints a traceback for every record it cannot write; the user then sees
    70 lines of Python instead of the one message that matters. One line is said, once.
    """

    _warned = False

    def _open(self) -> Any:
        path = Path(self.baseFilename)
        if not path.exists():
            with suppress(FileExistsError):
                create_private_file(path)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        if not self._warned:
            self._warned = True
            with suppress(Exception):
                sys.stderr.write(f"Опора: журнал {self.baseFilename} не записывается.\n")
