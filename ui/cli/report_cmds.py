"""`report KIND --out FILE` (DESIGN §10): any printable document, by the shared catalogue."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from services.documents import DOCUMENT_KINDS as KINDS  # the registry's own list (no ORM import)

if TYPE_CHECKING:
    from ui.cli.runner import CliContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="сформировать документ (PDF или Excel)")
    p.add_argument("kind", choices=KINDS, metavar="KIND", help="вид документа: " + ", ".join(KINDS))
    p.add_argument("--out", required=True, metavar="FILE", help="файл .pdf или .xlsx")
    p.add_argument("--year", type=int, help="год")
    p.add_argument("--teacher", metavar="ID", help="педагог (для ippr)")
    p.add_argument("--package", metavar="FILE", help="пакет .opora (для cover-sheet)")
    p.add_argument("--log-id", metavar="ID", help="запись журнала импорта (для import)")
    p.add_argument(
        "--id", dest="protocol_id", metavar="ID", help="протокол (для protocol; без него — список)"
    )
    p.add_argument(
        "--monitoring", action="store_true", help="вариант для мониторинга (для roadmap)"
    )
    p.add_argument(
        "--period",
        type=_period,
        metavar="ПЕРИОД",
        help="мониторинг за период (для roadmap --monitoring): 2025-H1 — I полугодие "
        "(сентябрь–февраль) 2025/26 учебного года, 2025-H2 — II полугодие (март–август), "
        "2025 — год (учебный или календарный, как период карты), 2025/26 — учебный год",
    )
    p.set_defaults(handler="ui.cli.report_cmds:cmd_report")


def _period(text: str) -> str:
    """Check the period's form while parsing: a wrong one is wrong usage (exit code 2)."""
    from services.core.errors import Invalid
    from services.roadmap import parse_period

    try:
        parse_period(text)
    except Invalid as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def cmd_report(args: argparse.Namespace, ctx: CliContext) -> int:
    from pathlib import Path

    from services.core.progress import NullProgress
    from services.documents import DocOptions, get_spec

    if args.period and (args.kind != "roadmap" or not args.monitoring):
        ctx.fail("Ошибка: --period задаёт период мониторинга дорожной карты: "
                 "report roadmap --monitoring --period 2025-H1 --out ФАЙЛ.pdf")  # fmt: skip
        return 2
    services = ctx.services()
    out = Path(args.out)
    spec = get_spec(args.kind, services.site.profile().role, out)
    if "package" in spec.options and not args.package:
        from services.core.errors import Invalid

        raise Invalid("Укажите пакет: report cover-sheet --package ФАЙЛ.opora --out ЛИСТ.pdf")
    options = DocOptions(
        year=args.year,
        teacher_id=args.teacher,
        package=Path(args.package) if args.package else None,
        log_id=args.log_id,
        monitoring=args.monitoring,
        period=args.period,
        protocol_id=args.protocol_id,
    )
    spec.render(services, out, options, NullProgress())
    ctx.say(f"Документ «{spec.title}» сохранён: {out}")
    return 0
