"""The GUI opens its log file after the first paint; nothing logged before is lost."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from main import deferred_logging


@pytest.fixture
def clean_root() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield root
    for handler in root.handlers:
        if handler not in saved[0]:
            handler.close()
    root.handlers[:], root.level = saved


def test_records_before_the_log_opens_are_written_first(
    tmp_path: Path, clean_root: logging.Logger
) -> None:
    open_log = deferred_logging(tmp_path / "logs")
    logging.getLogger("opora.test").warning("до первой отрисовки")
    assert not (tmp_path / "logs").exists()  # nothing touched the disk yet
    open_log()
    logging.getLogger("opora.test").info("после")
    open_log()  # a second call changes nothing
    for handler in clean_root.handlers:
        handler.flush()
    lines = (tmp_path / "logs" / "opora.log").read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == ["до первой отрисовки", "после"]
