"""Run one parsed command.

Opens the data directory under the instance lock, maps errors to exit codes (0 done, 1 refused
or failed, 2 wrong usage) and prints Russian messages.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from services.app import Services
    from services.core.config import AppPaths

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace, "CliContext"], int]


class CliContext:
    """What a command handler gets: paths, lazily opened services, and output streams."""

    def __init__(self, paths: AppPaths, out: TextIO, err: TextIO) -> None:
        self.paths = paths
        self.out = out
        self.err = err
        self._services: Services | None = None

    def services(self) -> Services:
        if self._services is None:
            from services.app import open_services

            self._services = open_services(self.paths)
        return self._services

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def fail(self, text: str) -> None:
        print(text, file=self.err)

    def close(self) -> None:
        if self._services is not None:
            self._services.db.close()


def resolve_handler(spec: str) -> Handler:
    module, _, name = spec.partition(":")
    handler: Handler = getattr(importlib.import_module(module), name)
    return handler


def run_command(
    args: argparse.Namespace, paths: AppPaths, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    """Run the command named in `args`; never raises for expected failures."""
    from services.core.errors import AppError
    from services.core.instance import InstanceLock

    ctx = CliContext(paths, out, err)
    lock: InstanceLock | None = None
    try:
        if getattr(args, "needs_db", True):
            from services.core.config import ensure_writable_dir

            ensure_writable_dir(paths.data_dir)
            lock = InstanceLock(paths.lock_path)
            lock.acquire()
        return resolve_handler(args.handler)(args, ctx)
    except AppError as exc:
        ctx.fail(f"Ошибка: {exc}")
        if exc.details:
            log.info("details: %s", exc.details)
        return 1
    except KeyboardInterrupt:
        ctx.fail("Прервано.")
        return 1
    except Exception:
        log.exception("unexpected error in command %s", args.command)
        ctx.fail(
            "Внутренняя ошибка программы. Подробности записаны в журнал: "
            f"{paths.log_dir / 'opora.log'}"
        )
        return 1
    finally:
        ctx.close()
        if lock is not None:
            lock.release()
