"""The keys' passphrase in the command line: `passphrase`, and unlocking before a command.

A shared workspace keeps its keys sealed with a passphrase (DESIGN §6). The command line takes
it from a terminal prompt or from the first line of the file named by `OPORA_PASSPHRASE_FILE`
(`OPORA_NEW_PASSPHRASE_FILE` for the new one of `passphrase`); never from an argument, which
other users of the computer could read in the process list and the shell's history.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from services.core.errors import Invalid

if TYPE_CHECKING:
    from services.app import Services
    from ui.cli.runner import CliContext

PASSPHRASE_FILE_ENV = "OPORA_PASSPHRASE_FILE"
NEW_PASSPHRASE_FILE_ENV = "OPORA_NEW_PASSPHRASE_FILE"
MAX_LINE = 4096  # a passphrase is a line, not a file's worth
ATTEMPTS = 3  # at a terminal: a mistyped phrase is asked again, this many times in all
# Commands that sign or decrypt packages; the others never need the passphrase.
NEEDS_KEYS = frozenset({"import", "export", "enroll", "verify", "demo"})


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "passphrase",
        help="сменить парольную фразу ключей (общая база на сервере)",
        description=(
            "Текущая и новая фразы вводятся в терминале или читаются из файлов, названных в "
            f"переменных {PASSPHRASE_FILE_ENV} и {NEW_PASSPHRASE_FILE_ENV} (первая строка)."
        ),
    )
    p.add_argument(
        "--new-keys",
        action="store_true",
        help="фраза утеряна: создать новые ключи под новой фразой (школы подтвердят новую "
        "карточку управления по телефону)",
    )
    p.set_defaults(handler="ui.cli.keys_cmds:cmd_passphrase")


def _from_file(variable: str) -> str | None:
    name = os.environ.get(variable)
    if not name:
        return None
    try:
        with Path(name).expanduser().open(encoding="utf-8") as fh:
            line = fh.readline(MAX_LINE)
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(
            f"Не удалось прочитать парольную фразу из файла {name} (переменная {variable}): "
            f"{getattr(exc, 'strerror', None) or exc}."
        ) from exc
    line = line.rstrip("\r\n")
    if not line:
        raise Invalid(f"Файл {name} (переменная {variable}) пуст: запишите фразу первой строкой.")
    return line


def _no_terminal(variable: str) -> Invalid:
    return Invalid(
        "Нужна парольная фраза ключей, а спросить её негде: команда запущена не в терминале. "
        f"Запустите её в терминале или запишите фразу первой строкой в файл, доступный только "
        f"вам, и укажите путь к нему в переменной {variable}."
    )


def ask(prompt: str, variable: str = PASSPHRASE_FILE_ENV) -> str:
    """The passphrase from the file named by `variable`, else from the terminal."""
    found = _from_file(variable)
    if found is not None:
        return found
    if not sys.stdin.isatty():
        raise _no_terminal(variable)
    return getpass.getpass(prompt)


def ask_new(variable: str = NEW_PASSPHRASE_FILE_ENV) -> str:
    """A new passphrase: from the file named by `variable`, else typed twice at a terminal."""
    from services.packages import check_new_passphrase

    found = _from_file(variable)
    if found is not None:
        return check_new_passphrase(found)
    if not sys.stdin.isatty():
        raise _no_terminal(variable)
    first = check_new_passphrase(getpass.getpass("Новая парольная фраза: "))
    if getpass.getpass("Повторите новую парольную фразу: ") != first:
        raise Invalid("Фразы не совпадают; парольная фраза не изменена.")
    return first


def _is_package(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(2) == b"PK"
    except OSError:  # `enroll` says what is wrong with the file
        return False


def unlock_keys(args: argparse.Namespace, ctx: CliContext) -> None:
    """Open the vault's keys before a command that signs or decrypts (nothing for file keys)."""
    if args.command not in NEEDS_KEYS:
        return
    if args.command == "enroll" and not _is_package(Path(args.file)):
        return  # a card: nothing to decrypt (`enroll` tells them apart the same way)
    keys = ctx.services().keys
    if not keys.locked:
        return
    from services.packages import WrongPassphrase

    from_file = bool(os.environ.get(PASSPHRASE_FILE_ENV))
    for attempt in range(1, ATTEMPTS + 1):
        try:
            keys.unlock(ask("Парольная фраза ключей управления: "))
            return
        except WrongPassphrase as exc:
            if from_file or attempt == ATTEMPTS:
                raise
            ctx.fail(exc.message)


def cmd_passphrase(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    keys = services.keys
    keys.require_vault()
    if args.new_keys:
        return _new_keys(ctx, services)
    old = ask("Текущая парольная фраза: ")
    new = ask_new()
    keys.change_passphrase(old, new)
    ctx.say("Парольная фраза ключей изменена. Сообщите новую фразу сотрудникам, которые работают")
    ctx.say("с пакетами; прежняя фраза больше не подходит.")
    return 0


def _new_keys(ctx: CliContext, services: Services) -> int:
    """A lost passphrase: new keys under a new one; the schools confirm the new card."""
    if services.db.db_path is not None:
        services.backups.before_change("before-key-change")
    services.keys.replace_lost(ask_new())
    card = services.exchange.own_card()
    ctx.say("Созданы новые ключи управления под новой парольной фразой.")
    ctx.say(f"Новый отпечаток: {card.fingerprint}")
    ctx.say(
        "Запишите карточку («python main.py card --out ФАЙЛ») и передайте её школам. Каждая "
        "школа загружает её командой «python main.py enroll ФАЙЛ --confirm ОТПЕЧАТОК "
        "--replace-key», сверив отпечаток по телефону, и выгружает пакет заново: пакеты, "
        "зашифрованные прежним ключом, открыть уже нельзя."
    )
    return 0
