"""`import-xlsx KIND FILE`: a table in from Word, Excel, LibreOffice or CSV.

Options: `[--append|--replace] [--dry-run] [--map …] [--table N|--sheet NAME]`, for a roadmap
and ИППР `[--period ДД.ММ.ГГГГ-ДД.ММ.ГГГГ|ГГГГ-ГГГГ|ГГГГ/ГГГГ]`, for ИППР `--teacher ФИО|ID`. A
roadmap, a teachers' list or a teacher's ИППР activities is read from .docx, .xlsx, .xlsm, .xls,
.ods or .csv through the one intake pipeline (DESIGN §8, §10); `--dry-run` prints exactly what
would be stored and stores nothing. A .doc or .rtf file is converted by LibreOffice first when
`--convert` is given (and LibreOffice is installed).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.cli.runner import CliContext

KINDS = ("roadmap", "results", "teachers", "ippr")
FIELDS_HELP = (
    "поля roadmap: number (№), title (мероприятие), deadline (срок), responsible (ответственные), "
    "participants (участники), result (ожидаемый результат), report_form (форма отчёта), "
    "status (отметка о выполнении), comment (комментарий), risk_factor, completion_date, "
    "evidence, start, end; teachers: full_name (ФИО) или last_name, first_name, middle_name, "
    "position, subjects, category, experience, young_specialist, mentor; ippr: title, form, "
    "deadline, provider, hours, result, report_form, status, certificate; «-» — не загружать"
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import-xlsx",
        help="загрузить таблицу (Word, Excel, LibreOffice, CSV) или заполненный шаблон",
        description="Форматы: .docx, .xlsx, .xlsm, .xls, .ods, .csv. " + FIELDS_HELP,
    )
    p.add_argument("kind", choices=KINDS, metavar="KIND", help="что загружать: " + ", ".join(KINDS))
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
        "--replace",
        dest="mode",
        action="store_const",
        const="replace",
        help="заменить (teachers: обновить уже внесённых педагогов из файла)",
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
    p.add_argument("--teacher", metavar="ФИО|ID", help="ippr: чей план (ФИО или id педагога)")
    p.add_argument(
        "--period",
        type=_period,
        metavar="ПЕРИОД",
        help="roadmap, ippr: период карты или плана, в котором читаются сроки без года: "
        "ДД.ММ.ГГГГ-ДД.ММ.ГГГГ, ГГГГ-ГГГГ (календарные годы) или ГГГГ/ГГГГ (учебный год); без "
        "него — период из заголовка файла, иначе (roadmap) период имеющейся карты, иначе "
        "текущий учебный год",
    )
    p.add_argument(
        "--convert",
        action="store_true",
        help=".doc, .rtf: преобразовать в .docx с помощью LibreOffice и загрузить",
    )
    p.set_defaults(handler="ui.cli.xlsx_cmds:cmd_import_xlsx", mode="ask")


def _period(text: str) -> object:
    """`--period`: a wrong text is wrong usage (exit 2), said in Russian."""
    from services.core.errors import Invalid
    from services.intake import parse_period_text

    try:
        return parse_period_text(text)
    except Invalid as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _overrides(pairs: list[str]) -> dict[str, str]:
    from services.core.errors import Invalid

    found: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.rpartition("=")
        if not sep or not source.strip() or not target.strip():
            raise Invalid(f'--map «{pair}»: нужно ИСТОЧНИК=поле, например --map "Сроки=deadline".')
        found[source.strip()] = target.strip()
    return found


DRY = "\nПробный прогон: ничего не записано."
# A dry run changes nothing, so it previews before `init` too (no database is created for it);
# the real import needs the profile, which the note says before the user tries.
NOT_SET_UP = (
    "\nПрограмма ещё не настроена: сравнить файл с уже внесёнными данными не с чем. Перед "
    "загрузкой выполните «python main.py init»."
)


NOT_UP_TEACHER = (
    "\nПрограмма ещё не настроена, педагогов в ней нет. Перед загрузкой выполните «python "
    "main.py init» и внесите педагога (import-xlsx teachers ФАЙЛ или экран «Педагоги»)."
)


def _set_up(ctx: CliContext) -> bool:
    """Whether this data directory holds a set-up profile; a dry run never creates a database.

    Read without the data model when it can; a file it cannot read that way (a database left
    by a command run before `init`, or a damaged one) takes the full, checked path.
    """
    from services.core.errors import NotFound
    from services.core.quickstate import read_identity

    if not ctx.paths.db_path.exists():
        return False
    if read_identity(ctx.paths.db_path) is not None:
        return True
    try:
        ctx.services().site.profile()
    except NotFound:
        return False
    return True


def cmd_import_xlsx(args: argparse.Namespace, ctx: CliContext) -> int:
    from pathlib import Path

    from services.core.errors import Invalid
    from services.documents import ImportMode, import_xlsx
    from services.intake import readable_copy

    custom = args.dry_run or args.map or args.table or args.sheet
    if args.period and args.kind not in ("roadmap", "ippr"):
        ctx.fail("Ошибка: --period есть только для roadmap и ippr: import-xlsx roadmap ФАЙЛ "
                 "--period … (или ippr ФАЙЛ --teacher ФИО --period …)")  # fmt: skip
        return 2
    if args.teacher and args.kind != "ippr":
        raise Invalid("--teacher нужен только для ippr: import-xlsx ippr ФАЙЛ --teacher ФИО.")
    if args.kind == "results":
        if custom or args.convert:
            raise Invalid("--dry-run, --map, --table, --sheet и --convert есть для roadmap, "
                          "teachers и ippr.")  # fmt: skip
        ctx.say(import_xlsx(ctx.services(), args.kind, Path(args.file), ImportMode(args.mode)))
        return 0
    with readable_copy(Path(args.file), convert=args.convert) as path:
        return _KINDS[args.kind](args, ctx, path)


def _roadmap(args: argparse.Namespace, ctx: CliContext, path: object) -> int:
    from datetime import date
    from pathlib import Path

    from services.core.quickstate import read_current_roadmap
    from services.documents import ImportMode
    from services.intake import ExistingRoadmap, load_vocabulary, preview_roadmap, render

    existing: ExistingRoadmap | None = None
    if args.dry_run:  # reads the roadmap the import would go into without loading the model
        quick = read_current_roadmap(ctx.paths.db_path, date.today())
        existing = ExistingRoadmap(quick[:2], quick[2]) if quick else None
    else:
        from services.intake import existing_roadmap

        existing = existing_roadmap(ctx.services())
    preview = preview_roadmap(
        Path(str(path)),
        load_vocabulary(ctx.paths.intake_dir),
        overrides=_overrides(args.map),
        pick=args.table or args.sheet,
        period=args.period,
        existing=existing,
    )
    if args.dry_run:
        ctx.say(render(preview) + ("" if _set_up(ctx) else NOT_SET_UP) + DRY)
        return 0
    from services.intake import apply_roadmap  # the data model loads only when something is stored

    ctx.say(apply_roadmap(ctx.services(), preview, ImportMode(args.mode)))
    return 0


def _teachers(args: argparse.Namespace, ctx: CliContext, path: object) -> int:
    from pathlib import Path

    from services.core.quickstate import read_teacher_names
    from services.intake import (
        apply_teachers,
        existing_teachers,
        load_vocabulary,
        preview_teachers,
        render_teachers,
    )

    # the stored names: a name already there is not stored twice (a dry run reads them without
    # loading the data model when it can)
    fresh = args.dry_run and not _set_up(ctx)
    quick = read_teacher_names(ctx.paths.db_path) if args.dry_run and not fresh else None
    if fresh:
        quick = []
    preview = preview_teachers(
        Path(str(path)),
        load_vocabulary(ctx.paths.intake_dir / "teachers"),
        overrides=_overrides(args.map),
        pick=args.table or args.sheet,
        existing=quick if quick is not None else existing_teachers(ctx.services()),
    )
    update = args.mode == "replace"
    if args.dry_run:
        ctx.say(render_teachers(preview, update=update) + (NOT_SET_UP if fresh else "") + DRY)
        return 0
    ctx.say(apply_teachers(ctx.services(), preview, update))
    return 0


def _ippr(args: argparse.Namespace, ctx: CliContext, path: object) -> int:
    from pathlib import Path

    from services.core.errors import Invalid
    from services.intake import apply_ippr, find_teacher, load_vocabulary, preview_ippr, render_ippr

    if not args.teacher:
        raise Invalid('Укажите, чей это план: import-xlsx ippr ФАЙЛ --teacher "ФИО" (или id).')
    if args.mode == "replace":
        raise Invalid(
            "--replace для ippr не предусмотрен: мероприятия файла добавляются в план педагога, "
            "а уже внесённые (с тем же названием) не дублируются. Лишние удалите на экране "
            "«Педагоги»."
        )
    fresh = args.dry_run and not _set_up(ctx)
    services = None if fresh else ctx.services()
    teacher = find_teacher(services, args.teacher) if services is not None else None
    preview = preview_ippr(
        Path(str(path)),
        load_vocabulary(ctx.paths.intake_dir / "ippr"),
        overrides=_overrides(args.map),
        pick=args.table or args.sheet,
        period=args.period,
    )
    if args.dry_run:
        if teacher is None:  # no database yet: no teacher to find the plan's owner among
            text = render_ippr(preview, teacher=f"{args.teacher} (не проверен)")
            ctx.say(text + NOT_UP_TEACHER + DRY)
        else:
            ctx.say(render_ippr(preview, teacher=teacher.full_name) + DRY)
        return 0
    assert services is not None and teacher is not None
    ctx.say(f"Педагог: {teacher.full_name}.\n" + apply_ippr(services, preview, teacher.id))
    return 0


_KINDS = {"roadmap": _roadmap, "teachers": _teachers, "ippr": _ippr}
