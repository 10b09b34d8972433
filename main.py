"""Опора: composition root and command-line entry.

Parses arguments, builds paths, logging, the database and services, then starts the GUI or runs
one command. No logic of its own.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

_STARTED = time.perf_counter()


def resources_dir() -> Path:
    return Path(__file__).resolve().parent / "resources"


def setup_logging(log_dir: Path) -> None:
    import logging
    from logging.handlers import RotatingFileHandler

    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            log_dir / "opora.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def main(argv: list[str] | None = None) -> int:
    from services.version import app_version
    from ui.cli.parser import build_parser, parse_gui_start

    argv = sys.argv[1:] if argv is None else argv
    args = parse_gui_start(argv) or build_parser().parse_args(argv)
    if args.version:
        print(f"Опора {app_version()}")  # noqa: T201
        return 0
    from services.config import AppPaths, default_data_dir

    paths = AppPaths(resources_dir=resources_dir(), data_dir=default_data_dir(args.data_dir))
    setup_logging(paths.log_dir)
    if args.command is None:
        from ui.gui.app import run_gui

        # the version is read from the package metadata after the first paint (≈ 20 ms)
        return run_gui(
            paths, version=app_version, started=_STARTED, exit_after_paint=args.exit_after_paint
        )
    from ui.cli.runner import run_command

    return run_command(args, paths)


if __name__ == "__main__":
    sys.exit(main())
