"""A read-only login (the server's `opora_readonly`): its write commands are refused up front.

The server would refuse the writes anyway (the grants); refusing before anything starts gives
the Russian message at once, with exit code 1, and leaves no half-done work (no backup, no
unlocked keys, no log entry).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.cli.runner import CliContext

# Commands that always change the workspace, and those that do unless they only preview.
WRITES = frozenset({"demo", "enroll", "export", "rotate-key", "passphrase", "restore"})
WRITES_UNLESS_DRY_RUN = frozenset({"import", "import-xlsx"})


def changes_data(args: argparse.Namespace) -> bool:
    command = args.command
    if command in WRITES:
        return True
    if command in WRITES_UNLESS_DRY_RUN:
        return not getattr(args, "dry_run", False)
    return command == "profile" and getattr(args, "fisoko_login", None) is not None


def refuse_if_read_only(args: argparse.Namespace, ctx: CliContext) -> None:
    """`db_pg.ReadOnlyLogin` before a write command of a read-only login on a server."""
    if not changes_data(args):
        return  # a preview loads no storage module here (`import-xlsx --dry-run` stays light)
    from services.core.db_pg import load_workspace

    if load_workspace(ctx.paths.data_dir) is None:
        return
    ctx.services().db.refuse_if_read_only()
