"""`import-xlsx KIND FILE.xlsx [--append|--replace]` (DESIGN §10)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.cli.runner import CliContext

KINDS = ("roadmap", "results")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import-xlsx", help="загрузить заполненный шаблон Excel")
    p.add_argument("kind", choices=KINDS, metavar="KIND", help="что загружать: roadmap или results")
    p.add_argument("file", metavar="FILE.xlsx", help="заполненный шаблон")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--append",
        dest="mode",
        action="store_const",
        const="append",
        help="добавить к имеющимся данным",
    )
    mode.add_argument(
        "--replace", dest="mode", action="store_const", const="replace", help="заменить"
    )
    p.set_defaults(handler="ui.cli.xlsx_cmds:cmd_import_xlsx", mode="ask")


def cmd_import_xlsx(args: argparse.Namespace, ctx: CliContext) -> int:
    from pathlib import Path

    from services.documents import ImportMode, import_xlsx

    summary = import_xlsx(ctx.services(), args.kind, Path(args.file), ImportMode(args.mode))
    ctx.say(summary)
    return 0
