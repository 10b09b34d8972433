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

# Commands that change the database, and the reason of the backup made before each (the same
# copies the window makes: the day's first, then one before the change). `restore` makes its
# own «before-restore» copy; the rest (`verify`, `report`, `card`, …) change nothing.
BACKUP_BEFORE = {
    "demo": "before-demo",
    "import-xlsx": "before-xlsx",
    "import": "before-import",
    "enroll": "before-enroll",
    "export": "before-export",
}
PATH_ARGUMENTS = ("file", "files", "out", "package", "district_card", "portable")


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

    def use(self, services: Services) -> Services:
        """Services a command opened itself (a workspace on a server); closed with the rest."""
        self._services = services
        return services

    def login(self) -> str:
        """The server login of the open workspace ("" before it is open, or on SQLite)."""
        access = self._services.db.access if self._services is not None else None
        return access.login if access is not None else ""

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
        absolute_paths(args)
        if getattr(args, "needs_db", True):
            from ui.cli.keys_cmds import unlock_keys
            from ui.cli.read_only import refuse_if_read_only

            refuse_if_read_only(args, ctx)  # a read-only login: before any prompt or copy
            unlock_keys(args, ctx)  # before the backup: a wrong passphrase changes nothing
        backup_before(args, ctx)
        return resolve_handler(args.handler)(args, ctx)
    except AppError as exc:
        ctx.fail(f"Ошибка: {exc}")
        if exc.details:
            log.info("details: %s", exc.details)
        return 1
    except KeyboardInterrupt:
        ctx.fail("Прервано.")
        return 1
    except Exception as exc:
        from services.core.db_pg import ReadOnlyLogin, is_permission_error
        from services.core.files import disk_full_text, is_disk_full

        if is_permission_error(exc):  # the server refused a write this login may not make
            ctx.fail(f"Ошибка: {ReadOnlyLogin(ctx.login())}")
            return 1
        if is_disk_full(exc):
            ctx.fail(f"Ошибка: {disk_full_text(paths.data_dir, None, 'Команда не выполнена')}")
            return 1
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


def absolute_paths(args: argparse.Namespace) -> None:
    """Make every path argument absolute against the current folder, once, before any use."""
    from pathlib import Path

    def absolute(value: str) -> str:
        return str(Path(value).expanduser().absolute())

    for name in PATH_ARGUMENTS:
        value = getattr(args, name, None)
        if isinstance(value, str) and value:
            setattr(args, name, absolute(value))
        elif isinstance(value, list):
            setattr(args, name, [absolute(v) for v in value])


def backup_before(args: argparse.Namespace, ctx: CliContext) -> None:
    """Back up before a state-changing command; a copy that fails refuses the command."""
    reason = BACKUP_BEFORE.get(args.command)
    if reason is None or getattr(args, "dry_run", False):
        return
    services = ctx.services()
    if services.db.db_path is not None:
        services.backups.before_change(reason)
