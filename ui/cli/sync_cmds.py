"""`import FILE.opora... [--dry-run] [--json]` and `enroll FILE --confirm FP [--replace-key]`.

Exit codes (§10): 0 when every file was imported (or was already), 1 when any file was
quarantined or refused — a dry run too —, 2 on wrong usage.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.sync import ImportReport
    from ui.cli.runner import CliContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import", help="загрузить пакеты других организаций (.opora)")
    p.add_argument("files", nargs="+", metavar="FILE.opora", help="файлы пакетов или папки")
    p.add_argument("--dry-run", action="store_true", help="только показать, что изменится")
    p.add_argument("--json", action="store_true", help="вывести отчёт по каждому пакету в JSON")
    p.set_defaults(handler="ui.cli.sync_cmds:cmd_import")
    p = sub.add_parser("enroll", help="подтвердить ключ организации по отпечатку")
    p.add_argument("file", metavar="FILE", help="карточка (.card) или пакет (.opora)")
    p.add_argument(
        "--confirm",
        required=True,
        metavar="FINGERPRINT",
        help="отпечаток ключа, как его прочитал отправитель (по телефону)",
    )
    p.add_argument(
        "--replace-key",
        action="store_true",
        help="заменить ключ уже подтверждённой организации (переустановка программы): "
        "старый ключ отзывается после последнего полученного от него пакета",
    )
    p.set_defaults(handler="ui.cli.sync_cmds:cmd_enroll")


def _expand(names: list[str]) -> list[object]:
    from pathlib import Path

    out: list[object] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix == ".opora" and p.is_file()))
        else:
            out.append(path)
    return out


# Quarantine codes → the flag their `enroll` needs; the fingerprint itself is never printed.
CONFIRM_FLAGS = {
    "quarantined-unknown-key": "",
    "quarantined-second-install": "",
    "quarantined-new-key": " --replace-key",
    "district-key-change": "",  # the new key as the district reads it from its screen
}


def _show(ctx: CliContext, reports: list[ImportReport], as_json: bool) -> None:
    for rep in reports:
        if as_json:
            ctx.say(json.dumps(rep.to_dict(), ensure_ascii=False, sort_keys=True))
            continue
        ctx.say(rep.summary())
        for warning in rep.warnings:
            ctx.say(f"  Предупреждение: {warning}")
        if rep.code in CONFIRM_FLAGS:  # the fingerprint is typed as the school reads it
            flag = CONFIRM_FLAGS[rep.code]
            ctx.say(f'  Подтвердить: python main.py enroll ФАЙЛ --confirm "ОТПЕЧАТОК"{flag}')
        if rep.log_id:
            ctx.say(f"  Отчёт: python main.py report import --log-id {rep.log_id} --out ОТЧЁТ.pdf")


def cmd_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from pathlib import Path

    files = [Path(str(p)) for p in _expand(args.files)]
    if not files:
        ctx.fail("Ошибка: в указанных папках нет файлов пакетов (.opora).")
        return 1
    reports = ctx.services().sync.import_files(files, dry_run=args.dry_run)
    _show(ctx, reports, args.json)
    return exit_code(reports)


def exit_code(reports: list[ImportReport]) -> int:
    """1 when any package was quarantined or refused (a person has to act), else 0."""
    return 1 if any(r.verdict in ("quarantined", "refused") for r in reports) else 0


def cmd_enroll(args: argparse.Namespace, ctx: CliContext) -> int:
    from pathlib import Path

    from services.packages import read_card

    path = Path(args.file)
    try:
        with path.open("rb") as fh:
            is_package = fh.read(2) == b"PK"
    except FileNotFoundError:
        ctx.fail(f"Ошибка: файл {path} не найден. Проверьте путь к пакету (.opora) или карточке.")
        return 1
    except OSError as exc:
        ctx.fail(f"Ошибка: не удалось прочитать {path}: {exc.strerror or exc}.")
        return 1
    sync = ctx.services().sync
    if is_package:
        reports = sync.enroll(path, args.confirm, replace_key=args.replace_key).reports
    else:
        card = read_card(path)
        reports = sync.enroll_card(card, args.confirm, replace_key=args.replace_key)
    ctx.say("Ключ подтверждён, организация добавлена в доверенные.")
    _show(ctx, reports, False)
    return exit_code(reports)
