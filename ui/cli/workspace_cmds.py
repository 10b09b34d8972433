"""`init --database`: a district workspace on a PostgreSQL server (DESIGN §5, §10)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.core.db import Database
    from ui.cli.runner import CliContext

SCHOOL_REFUSED = (
    "Ошибка: база данных на сервере — только для управления образования (--role district). "
    "Школа хранит свои данные на своём компьютере: выполните init без --database."
)


def cmd_init_server(args: argparse.Namespace, ctx: CliContext) -> int:
    """Init with --database: create, join (--join) or move a local district (--from-local)."""
    from services.core.db_pg import check_url
    from services.core.errors import Invalid

    if usage := _usage_error(args):
        ctx.fail(f"Ошибка: {usage}")
        return 2
    try:
        url = check_url(args.database)
    except Invalid as exc:
        ctx.fail(f"Ошибка: {exc}")
        return 2
    if args.join:
        return _join(url, ctx)
    if args.from_local:
        return _move(url, ctx)
    return _create(args, url, ctx)


def _usage_error(args: argparse.Namespace) -> str:
    from ui.cli.base_cmds import missing_identity

    if not args.database:
        return "--join и --from-local указываются вместе с --database postgresql://…"
    if args.join:
        extra = [n for n in ("role", "name", "code", "district_card") if getattr(args, n)]
        if extra or args.from_local or args.fisoko_login:
            return "с --join указывается только --database: организация уже есть на сервере."
        return ""
    if args.role == "school" or args.district_card or args.fisoko_login:
        return SCHOOL_REFUSED.removeprefix("Ошибка: ")
    if args.from_local:
        return "" if args.role == "district" else "не указан обязательный аргумент: --role district"
    if missing := missing_identity(args):
        return f"не указаны обязательные аргументы: {missing}"
    return ""


def _join(url: str, ctx: CliContext) -> int:
    from services.core.db_pg import where
    from services.site import join_workspace

    joined = join_workspace(ctx.paths, url)
    ctx.say(f"Подключено к рабочему пространству «{joined.name}»: {where(url)}.")
    ctx.say(f"Настройки подключения: {joined.settings}")
    return 0


def _move(url: str, ctx: CliContext) -> int:
    from services.core.db_pg import where
    from services.core.formatting import plural
    from services.packages import seal_files, seal_leftovers
    from services.site import move_to_server

    passphrase = _new_passphrase()  # asked before anything moves: a refusal changes nothing
    moved = move_to_server(ctx.paths, url)
    ctx.say(f"База управления перенесена на сервер: {where(url)}.")
    ctx.say(f"Перенесено {plural(moved.rows, 'запись', 'записи', 'записей')}.")
    ctx.say(f"Прежний файл базы сохранён как копия: {moved.kept}")
    ctx.say(f"Настройки подключения: {moved.settings}")
    services = ctx.services()
    _roles(services.db, ctx)
    seal_files(services.db, ctx.paths.keys_dir, passphrase)
    ctx.say("Ключи управления помещены в общую базу под парольной фразой; файлы ключей удалены.")
    if leftovers := seal_leftovers(ctx.paths.keys_dir, passphrase):
        ctx.say(
            f"Прежние (заменённые) ключи зашифрованы той же фразой и оставлены в папке "
            f"{ctx.paths.keys_dir} ({len(leftovers)} файла *.key.age): они нужны, только если "
            "придёт пакет, зашифрованный до смены ключей."
        )
    return 0


def _create(args: argparse.Namespace, url: str, ctx: CliContext) -> int:
    from services.core.db_pg import where
    from services.site import create_workspace

    passphrase = _new_passphrase()  # asked before the server is touched
    created = create_workspace(
        ctx.paths, url, args.name, args.code, args.short_name or "", passphrase
    )
    services = ctx.use(created.services)  # closed with the context, whatever happens next
    if created.roles_note:
        ctx.say(created.roles_note)
    profile, own = services.site.profile(), services.exchange.own_card()
    ctx.say(f"Готово: управление образования «{profile.site.full_name}», код {profile.site.code}.")
    ctx.say(f"Рабочее пространство создано на сервере: {where(url)}.")
    ctx.say(f"Настройки подключения: {created.settings}")
    ctx.say(
        "Ключи управления созданы и хранятся только в общей базе, зашифрованные парольной "
        "фразой; сообщите её сотрудникам, которые будут принимать пакеты и рассылать сводки."
    )
    ctx.say(f"Отпечаток этой организации: {own.fingerprint}")
    return 0


def _roles(db: Database, ctx: CliContext) -> None:
    """The group roles' rights on the new tables (the roles made too where this login may)."""
    from services.core.db_pg import set_up_roles

    if note := set_up_roles(db.engine):
        ctx.say(note)


def _new_passphrase() -> str:
    """The keys' new passphrase: from OPORA_PASSPHRASE_FILE, else typed twice at a terminal."""
    from ui.cli.keys_cmds import PASSPHRASE_FILE_ENV, ask_new

    return ask_new(PASSPHRASE_FILE_ENV)
