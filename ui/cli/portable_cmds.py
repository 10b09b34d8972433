"""«Резервная копия на флешку» from the command line: `backup --portable`, `restore --portable`.

The passphrase never comes from an argument (other users see the process list, and the shell
keeps its history): it is typed at a terminal prompt, or read from the file named by
$OPORA_PASSPHRASE_FILE for scripted runs.
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
    from ui.cli.runner import CliContext

PASSPHRASE_ENV = "OPORA_PASSPHRASE_FILE"
MAX_PASSPHRASE_FILE = 4096
ARGUMENT_REFUSED = (
    "Парольную фразу нельзя указывать в командной строке: её видят другие пользователи "
    "компьютера, и она остаётся в истории команд. Введите её по запросу программы или "
    f"запишите в файл и укажите его в переменной {PASSPHRASE_ENV}."
)


def read_passphrase(*, twice: bool) -> str:
    """The passphrase from $OPORA_PASSPHRASE_FILE, else typed (twice when creating)."""
    from services.site import check_passphrase

    named = os.environ.get(PASSPHRASE_ENV)
    if named:
        phrase = _from_file(Path(named).expanduser().absolute())
    elif sys.stdin.isatty():
        phrase = getpass.getpass("Парольная фраза: ")
        if twice and getpass.getpass("Повторите парольную фразу: ") != phrase:
            raise Invalid("Фразы не совпали. Ничего не записано; запустите команду ещё раз.")
    else:
        raise Invalid(
            "Парольная фраза не введена: запустите команду в терминале или запишите фразу "
            f"в файл и укажите его в переменной {PASSPHRASE_ENV}."
        )
    check_passphrase(phrase)
    return phrase


def _from_file(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_PASSPHRASE_FILE:
            raise Invalid(f"Файл «{path}» из {PASSPHRASE_ENV} слишком большой для парольной фразы.")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise Invalid(f"Файл с парольной фразой «{path}» ({PASSPHRASE_ENV}) не найден.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"Не удалось прочитать парольную фразу из «{path}»: {exc}.") from exc
    return text.removesuffix("\n").removesuffix("\r")  # the line end an editor adds


def cmd_backup_portable(args: argparse.Namespace, ctx: CliContext) -> int:
    portable = ctx.services().portable
    phrase = read_passphrase(twice=True)
    result = portable.create(Path(args.portable), phrase)
    ctx.say(f"Копия для флешки сохранена: {result.path}")
    ctx.say(
        "В ней база данных и ключи организации. Без парольной фразы её не открыть: храните "
        "фразу отдельно от флешки."
    )
    return 0


def cmd_restore_portable(args: argparse.Namespace, ctx: CliContext) -> int:
    portable = ctx.services().portable
    source = Path(args.portable)
    phrase = read_passphrase(twice=False)
    replace = bool(args.replace)
    occupant = portable.occupant()
    if occupant is not None and not replace:
        portable.read(source, phrase)  # a wrong phrase or a damaged file is said first
        if not _confirmed(ctx, occupant):
            ctx.fail(
                f"Ошибка: в этой папке данных уже есть данные организации «{occupant}». "
                "Ничего не изменено. Чтобы заменить их данными из копии, добавьте --replace "
                "(перед заменой будет сделана обычная резервная копия)."
            )
            return 1
        replace = True
    result = portable.restore(source, phrase, replace=replace)
    m = result.manifest
    ctx.say(f"Данные и ключи «{m.organisation}» восстановлены из «{source.name}».")
    ctx.say(f"Копия сделана {m.created_at:%d.%m.%Y %H:%M} (Опора {m.app_version}).")
    if occupant is not None:
        ctx.say(f"Прежнее состояние сохранено в «{result.before.path.name}».")
    if result.old_keys is not None:
        ctx.say(f"Прежние ключи сохранены в папке «{result.old_keys}».")
    return 0


def _confirmed(ctx: CliContext, occupant: str) -> bool:
    if not sys.stdin.isatty():
        return False
    ctx.say(f"В этой папке данных уже есть данные организации «{occupant}».")
    answer = input("Заменить их данными из копии? Введите «да», чтобы заменить: ")
    return answer.strip().lower() == "да"
