"""Опора: composition root and command-line entry.

Parses arguments, builds paths, logging, the database and services, then starts the GUI or runs
one command. No logic of its own.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

_STARTED = time.perf_counter()


def resources_dir() -> Path:
    return Path(__file__).resolve().parent / "resources"


def setup_logging(log_dir: Path) -> None:
    import logging

    root = logging.getLogger()
    root.setLevel(logging.INFO)
    from services.core.logfile import QuietLogHandler

    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler: logging.Handler = QuietLogHandler(
            log_dir / "opora.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def deferred_logging(log_dir: Path) -> Callable[[], None]:
    """Keep log records in memory until the returned function opens the log file.

    The GUI opens it after its first paint (`logging.handlers` costs ≈ 6 ms of start-up);
    the records kept until then are written first, and at exit if it never happened.
    """
    import atexit
    import logging

    pending: list[logging.LogRecord] = []

    class Pending(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            pending.append(record)

    root = logging.getLogger()
    root.setLevel(logging.INFO)
    holder = Pending()
    root.addHandler(holder)

    def open_log() -> None:
        if holder not in root.handlers:
            return
        root.removeHandler(holder)
        setup_logging(log_dir)
        for record in pending:
            root.handle(record)
        pending.clear()

    atexit.register(open_log)
    return open_log


def main(argv: list[str] | None = None) -> int:
    from services.core.version import app_version
    from ui.cli.parser import build_parser, parse_gui_start

    argv = sys.argv[1:] if argv is None else argv
    args = parse_gui_start(argv) or build_parser().parse_args(argv)
    if args.version:
        print(f"Опора {app_version()}")  # noqa: T201
        return 0
    from services.core.config import AppPaths, default_data_dir

    paths = AppPaths(resources_dir=resources_dir(), data_dir=default_data_dir(args.data_dir))
    if args.command is None:
        from ui.gui.app import run_gui

        # the version is read from the package metadata after the first paint (≈ 20 ms)
        return run_gui(
            paths,
            version=app_version,
            started=_STARTED,
            exit_after_paint=args.exit_after_paint,
            open_log=deferred_logging(paths.log_dir),
        )
    setup_logging(paths.log_dir)
    from ui.cli.runner import run_command

    return run_command(args, paths)


if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # A large import reads packages in a second process (services.sync_read); in the built
        # program that process starts this executable again, which must run it and nothing else.
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
