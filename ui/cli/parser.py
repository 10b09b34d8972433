"""Argument parsing for every command; imports nothing heavy so `--help` answers at once.

Each area registers its commands from its own module in `COMMAND_MODULES`; a module exposes
`register(subparsers)` and sets `handler="module:function"` defaults, resolved only when run.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

COMMAND_MODULES = (
    "ui.cli.base_cmds",
    "ui.cli.report_cmds",
    "ui.cli.xlsx_cmds",
    "ui.cli.exchange_cmds",
    "ui.cli.sync_cmds",
    "ui.cli.keys_cmds",
)


class RussianHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(
        self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, "Использование: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse with Russian headings and messages (exit code 2 on wrong usage, as usual)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", RussianHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "команды и аргументы"
        self._optionals.title = "параметры"
        self.add_argument("-h", "--help", action="help", help="показать эту справку и выйти")

    def error(self, message: str) -> None:  # type: ignore[override]
        translated = (
            message.replace(
                "the following arguments are required", "не указаны обязательные аргументы"
            )
            .replace("unrecognized arguments", "неизвестные аргументы")
            .replace("invalid choice", "недопустимое значение")
            .replace("choose from", "выберите из")
            .replace("expected one argument", "нужно указать значение")
            .replace("argument", "аргумент")
        )
        self.print_usage()
        self.exit(2, f"Ошибка: {translated}\n")


def parse_gui_start(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of a plain GUI start (`[--data-dir DIR]`), or None for anything else.

    Starting the window is the common case; it needs neither the command modules nor argparse's
    subparsers, which would cost the first paint ≈ 15 ms.
    """
    data_dir: str | None = None
    exit_after_paint = False
    rest = list(argv)
    while rest:
        token = rest.pop(0)
        if token == "--exit-after-paint":
            exit_after_paint = True
        elif token == "--data-dir" and rest and not rest[0].startswith("-"):
            data_dir = rest.pop(0)
        elif token.startswith("--data-dir=") and len(token) > len("--data-dir="):
            data_dir = token.split("=", 1)[1]
        else:
            return None
    return argparse.Namespace(
        command=None, version=False, data_dir=data_dir, exit_after_paint=exit_after_paint
    )


def build_parser() -> Parser:
    parser = Parser(
        prog="python main.py",
        description=(
            "Опора — дорожные карты, самоаудит, ИППР и результаты школ с низкими "
            "образовательными результатами.\nБез команды запускается окно программы."
        ),
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="папка данных (по умолчанию — папка пользователя или $OPORA_DATA_DIR)",
    )
    parser.add_argument("--version", action="store_true", help="показать версию и выйти")
    parser.add_argument("--exit-after-paint", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="КОМАНДА", parser_class=Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser
