"""`import FILE.opora... [--dry-run] [--json]` and `enroll FILE --confirm FINGERPRINT` (§10)."""

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
    p.add_argument("--confirm", required=True, metavar="FINGERPRINT", help="отпечаток ключа")
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


def _show(ctx: CliContext, reports: list[ImportReport], as_json: bool) -> None:
    for rep in reports:
        if as_json:
            ctx.say(json.dumps(rep.to_dict(), ensure_ascii=False, sort_keys=True))
            continue
        ctx.say(rep.summary())
        for warning in rep.warnings:
            ctx.say(f"  Предупреждение: {warning}")
        if rep.code == "unknown-key":
            ctx.say(f'  Подтвердить: python main.py enroll ФАЙЛ --confirm "{rep.fingerprint}"')
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
    return 1 if any(r.refused for r in reports) else 0


def cmd_enroll(args: argparse.Namespace, ctx: CliContext) -> int:
    from pathlib import Path

    from services.packages import read_card

    path = Path(args.file)
    sync = ctx.services().sync
    with path.open("rb") as fh:
        is_package = fh.read(2) == b"PK"
    if is_package:
        enrolled = sync.enroll(path, args.confirm)
        released = enrolled.released
        ctx.say("Ключ подтверждён, организация добавлена в доверенные.")
        _show(ctx, enrolled.reports, False)
    else:
        released = sync.enroll_card(read_card(path), args.confirm)
        ctx.say("Ключ подтверждён, организация добавлена в доверенные.")
        _show(ctx, released, False)
    return 1 if any(r.refused for r in released) else 0
