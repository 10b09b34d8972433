"""`import-xlsx KIND FILE [--append|--replace] [--dry-run] [--map …] [--table N|--sheet NAME]`.

A roadmap is read from .docx, .xlsx, .xlsm, .xls, .ods or .csv (DESIGN §10); `--dry-run` prints
exactly what would be stored and stores nothing.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.cli.runner import CliContext

KINDS = ("roadmap", "results")
FIELDS_HELP = (
    "поля: number (№), title (мероприятие), deadline (срок), responsible (ответственные), "
    "participants (участники), result (ожидаемый результат), report_form (форма отчёта), "
    "status (отметка о выполнении), comment (комментарий), risk_factor, completion_date, "
    "evidence, start, end; «-» — не загружать столбец"
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import-xlsx",
        help="загрузить таблицу (Word, Excel, LibreOffice, CSV) или заполненный шаблон",
        description="Форматы дорожной карты: .docx, .xlsx, .xlsm, .xls, .ods, .csv. " + FIELDS_HELP,
    )
    p.add_argument("kind", choices=KINDS, metavar="KIND", help="что загружать: roadmap или results")
    p.add_argument("file", metavar="FILE", help="файл с таблицей")
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
    p.add_argument(
        "--dry-run", action="store_true", help="показать, что будет загружено, и ничего не менять"
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="ИСТОЧНИК=поле",
        help="столбец (заголовок или #N по порядку) → поле; " + FIELDS_HELP,
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--table", metavar="N", help="номер таблицы документа")
    which.add_argument("--sheet", metavar="ИМЯ", help="лист книги")
    p.set_defaults(handler="ui.cli.xlsx_cmds:cmd_import_xlsx", mode="ask")


def _overrides(pairs: list[str]) -> dict[str, str]:
    from services.core.errors import Invalid

    found: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.rpartition("=")
        if not sep or not source.strip() or not target.strip():
            raise Invalid(f'--map «{pair}»: нужно ИСТОЧНИК=поле, например --map "Сроки=deadline".')
        found[source.strip()] = target.strip()
    return found


def cmd_import_xlsx(args: argparse.Namespace, ctx: CliContext) -> int:
    from pathlib import Path

    from services.core.errors import Invalid
    from services.documents import ImportMode, import_xlsx

    custom = args.dry_run or args.map or args.table or args.sheet
    if args.kind != "roadmap":
        if custom:
            raise Invalid("--dry-run, --map, --table и --sheet пока есть только для roadmap.")
        ctx.say(import_xlsx(ctx.services(), args.kind, Path(args.file), ImportMode(args.mode)))
        return 0
    from services.intake import load_vocabulary, preview_roadmap, render

    preview = preview_roadmap(
        Path(args.file),
        load_vocabulary(ctx.paths.intake_dir),
        overrides=_overrides(args.map),
        pick=args.table or args.sheet,
    )
    if args.dry_run:
        ctx.say(render(preview) + "\nПробный прогон: ничего не записано.")
        return 0
    from services.intake import apply_roadmap  # the data model loads only when something is stored

    ctx.say(apply_roadmap(ctx.services(), preview, ImportMode(args.mode)))
    return 0
