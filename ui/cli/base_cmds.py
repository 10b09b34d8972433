"""Foundation commands: init, demo, backup, restore, self-check."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.cli.runner import CliContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="первичная настройка: роль и организация")
    # Required unless --join (checked by the handler, in argparse's words).
    p.add_argument("--role", choices=["school", "district"], help="роль")
    p.add_argument("--name", help="полное название организации")
    p.add_argument("--code", help="ИНН или региональный код")
    p.add_argument("--short-name", default="", help="краткое название")
    p.add_argument("--district-card", metavar="FILE", help="карточка управления (для школы)")
    p.add_argument(
        "--fisoko-login",
        default="",
        metavar="schNNNNNN",
        help="логин школы в ФИС ОКО (по нему проверяются загружаемые отчёты)",
    )
    p.add_argument(
        "--database",
        metavar="postgresql://USER@HOST/DB",
        help="управление: рабочее пространство на сервере PostgreSQL (пароль — в .pgpass)",
    )
    p.add_argument(
        "--from-local",
        action="store_true",
        help="с --database: перенести на сервер базу управления с этого компьютера",
    )
    p.add_argument(
        "--join",
        action="store_true",
        help="с --database: подключиться к рабочему пространству, созданному коллегой",
    )
    p.set_defaults(handler="ui.cli.base_cmds:cmd_init")

    p = sub.add_parser("profile", help="показать профиль организации или изменить логин ФИС ОКО")
    p.add_argument(
        "--fisoko-login", metavar="schNNNNNN", help="логин школы в ФИС ОКО; «-» — убрать"
    )
    p.set_defaults(handler="ui.cli.base_cmds:cmd_profile")

    p = sub.add_parser("demo", help="заполнить демонстрационными данными для текущей роли")
    p.set_defaults(handler="ui.cli.base_cmds:cmd_demo")

    p = sub.add_parser("backup", help="сделать резервную копию базы данных")
    p.add_argument(
        "--portable",
        metavar="FILE",
        help="копия на флешку: база данных и ключи в одном файле под парольной фразой",
    )
    _passphrase_argument(p)
    p.set_defaults(handler="ui.cli.base_cmds:cmd_backup")

    p = sub.add_parser("restore", help="восстановить базу данных из резервной копии")
    p.add_argument("file", nargs="?", metavar="FILE", help="файл копии; без него — список копий")
    p.add_argument("--portable", metavar="FILE", help="восстановить базу данных и ключи с флешки")
    p.add_argument(
        "--replace",
        action="store_true",
        help="с --portable: заменить данные, которые уже есть в папке данных",
    )
    _passphrase_argument(p)
    p.set_defaults(handler="ui.cli.base_cmds:cmd_restore")

    p = sub.add_parser("self-check", help="проверить, что программа работает на этом компьютере")
    p.set_defaults(handler="ui.cli.base_cmds:cmd_self_check", needs_db=False)


def _passphrase_argument(p: argparse.ArgumentParser) -> None:
    """Accepted only to refuse it with a reason (argparse would just call it unknown)."""
    p.add_argument("--passphrase", "--password", dest="passphrase", help=argparse.SUPPRESS)


def _refuse_passphrase(args: argparse.Namespace, ctx: CliContext) -> bool:
    if getattr(args, "passphrase", None) is None:
        return False
    from ui.cli.portable_cmds import ARGUMENT_REFUSED

    ctx.fail(f"Ошибка: {ARGUMENT_REFUSED}")
    return True


def cmd_init(args: argparse.Namespace, ctx: CliContext) -> int:
    from models import Role

    if args.database or args.join or args.from_local:
        from ui.cli.workspace_cmds import cmd_init_server

        return cmd_init_server(args, ctx)
    if missing := missing_identity(args):
        ctx.fail(f"Ошибка: не указаны обязательные аргументы: {missing}")
        return 2
    services = ctx.services()
    role = Role(args.role)
    if (args.district_card or args.fisoko_login) and role is not Role.SCHOOL:
        ctx.fail("Карточку управления и логин ФИС ОКО указывает только школа (--role school).")
        return 1
    card = None
    if args.district_card:
        from pathlib import Path

        from services.packages import read_card

        card = read_card(Path(args.district_card))  # checked before anything is written
        if card.role != Role.DISTRICT.value:
            ctx.fail("Это карточка школы, а нужна карточка управления образования.")
            return 1
    profile = services.site.initialize(
        role, args.name, args.code, short_name=args.short_name, fisoko_login=args.fisoko_login
    )
    own = services.exchange.own_card()
    ctx.say(
        f"Готово: {profile.role_name.lower()} «{profile.site.full_name}», код {profile.site.code}."
    )
    if profile.fisoko_login:
        ctx.say(f"Логин ФИС ОКО: {profile.fisoko_login}.")
    ctx.say(f"Папка данных: {services.paths.data_dir}")
    ctx.say(f"Ключи созданы. Отпечаток этой организации: {own.fingerprint}")
    if card is not None:
        services.exchange.trust_district_card(card)
        ctx.say(f"Карточка управления «{card.name}» загружена.")
        ctx.say(f"Отпечаток управления: {card.fingerprint} — сверьте его по телефону.")
    return 0


def missing_identity(args: argparse.Namespace) -> str:
    """The init arguments required without --join that are missing, as «--role, --name»."""
    names = [f"--{n}" for n in ("role", "name", "code") if not getattr(args, n)]
    return ", ".join(names)


def cmd_profile(args: argparse.Namespace, ctx: CliContext) -> int:
    site = ctx.services().site
    if args.fisoko_login is not None:
        login = "" if args.fisoko_login.strip() == "-" else args.fisoko_login
        site.update(fisoko_login=login)
    profile = site.profile()
    ctx.say(f"{profile.role_name}: «{profile.site.full_name}», код {profile.site.code}.")
    ctx.say(f"Логин ФИС ОКО: {profile.fisoko_login or 'не указан'}.")
    return 0


def cmd_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    summary = ctx.services().demo.fill()
    ctx.say("Демонстрационные данные добавлены:")
    for line in summary.lines:
        ctx.say(f"  • {line}")
    return 0


def cmd_backup(args: argparse.Namespace, ctx: CliContext) -> int:
    if _refuse_passphrase(args, ctx):
        return 2
    if refuse_on_server(ctx):
        return 1
    if args.portable:
        from ui.cli.portable_cmds import cmd_backup_portable

        return cmd_backup_portable(args, ctx)
    info = ctx.services().backups.create("manual")
    ctx.say(f"Резервная копия сохранена: {info.path}")
    return 0


def cmd_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    from pathlib import Path

    from services.core.errors import DatabaseCorrupt
    from services.site import list_backups, replace_damaged_database

    if _refuse_passphrase(args, ctx):
        return 2
    if refuse_on_server(ctx):
        return 1
    if args.portable:
        if args.file:
            ctx.fail("Ошибка: укажите либо файл обычной копии, либо --portable, но не оба.")
            return 2
        from ui.cli.portable_cmds import cmd_restore_portable

        return cmd_restore_portable(args, ctx)
    if not args.file:
        entries = list_backups(ctx.paths.backups_dir)
        if not entries:
            ctx.say("Резервных копий пока нет.")
            return 0
        ctx.say("Резервные копии (новые сверху):")
        for b in entries:
            ctx.say(f"  {b.created:%d.%m.%Y %H:%M:%S}  {b.reason_text:<24} {b.path}")
        ctx.say("Чтобы восстановить, выполните: python main.py restore ФАЙЛ")
        return 0
    source = Path(args.file)
    try:
        services = ctx.services()
    except DatabaseCorrupt:
        # The live database cannot be opened: put the backup in its place, keeping the damaged
        # file beside it for a specialist.
        moved = replace_damaged_database(ctx.paths.db_path, source)
        ctx.say(f"Данные восстановлены из «{source.name}».")
        if moved is not None:
            ctx.say(f"Повреждённый файл сохранён как «{moved.name}».")
        return 0
    services.backups.before_change("before-restore")  # the day's copy too; refused if it fails
    before = services.backups.restore(source)
    ctx.say(f"Данные восстановлены из «{source.name}».")
    ctx.say(f"Состояние до восстановления сохранено в «{before.path.name}».")
    return 0


def refuse_on_server(ctx: CliContext) -> bool:
    """A workspace on a server is backed up by pg_dump: say so and how (nothing is changed)."""
    from services.core.db_pg import dump_commands, load_workspace

    workspace = load_workspace(ctx.paths.data_dir)
    if workspace is None:
        return False
    ctx.fail(dump_commands(workspace.url))
    return True


def cmd_self_check(args: argparse.Namespace, ctx: CliContext) -> int:
    from services.site import run_self_check

    results = run_self_check(ctx.paths)
    for r in results:
        mark = "ОК  " if r.ok else "СБОЙ"
        ctx.say(f"[{mark}] {r.name}: {r.detail}")
    failed = [r for r in results if not r.ok]
    if failed:
        ctx.fail(f"Самопроверка не пройдена: ошибок — {len(failed)} из {len(results)}.")
        return 1
    from services.core.formatting import plural

    ctx.say(f"Самопроверка пройдена: {plural(len(results), 'проверка', 'проверки', 'проверок')}.")
    return 0
