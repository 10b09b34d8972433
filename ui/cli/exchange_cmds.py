"""`card`, `export` and `verify` (DESIGN §10): this site's card and its packages."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from services.app import Services
    from services.packages import VerifiedPackage
    from ui.cli.runner import CliContext


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("card", help="записать карточку этой организации (открытые ключи)")
    p.add_argument(
        "--out", required=True, metavar="FILE", help="файл карточки, например school.card"
    )
    p.set_defaults(handler="ui.cli.exchange_cmds:cmd_card")
    p = sub.add_parser("export", help="выгрузить пакет для управления (школа) или рассылку")
    p.add_argument("--out", required=True, metavar="FILE.opora|DIR", help="файл или папка")
    p.set_defaults(handler="ui.cli.exchange_cmds:cmd_export")
    p = sub.add_parser("verify", help="проверить пакет, не загружая его")
    p.add_argument("file", metavar="FILE.opora", help="пакет")
    p.add_argument("--json", action="store_true", help="вывести результат в JSON")
    p.set_defaults(handler="ui.cli.exchange_cmds:cmd_verify")
    p = sub.add_parser(
        "rotate-key",
        help="управление: сменить свой ключ (следующая рассылка сообщит его школам)",
        description="Создаёт новый ключ управления. Следующая рассылка каждой школе подписана "
        "прежним ключом и сообщает новый; школа сверяет отпечаток нового ключа по телефону.",
    )
    p.set_defaults(handler="ui.cli.exchange_cmds:cmd_rotate_key")


def cmd_card(args: argparse.Namespace, ctx: CliContext) -> int:
    from pathlib import Path

    from services.packages import write_card

    card = ctx.services().exchange.own_card()
    write_card(Path(args.out), card)
    ctx.say(f"Карточка сохранена: {args.out}")
    ctx.say(f"Отпечаток: {card.fingerprint}")
    return 0


def cmd_export(args: argparse.Namespace, ctx: CliContext) -> int:
    from pathlib import Path

    from models import Role

    services = ctx.services()
    out = Path(args.out)
    if services.site.profile().role is Role.DISTRICT:
        return _export_bulletins(services, out, ctx)
    result = services.exchange.export(out)
    ctx.say(f"Пакет № {result.seq} для «{result.recipient}» сохранён: {result.path}")
    ctx.say(f"Записей: {sum(result.counts.values())}, размер: {result.size} байт")
    ctx.say(f"SHA-256: {result.sha256}")
    ctx.say(f"Отпечаток ключа школы: {result.fingerprint}")
    return 0


def _export_bulletins(services: Services, out: Path, ctx: CliContext) -> int:
    results = services.bulletin.export_bulletins(out)
    for result in results:
        ctx.say(result.line())
    ctx.say(f"Рассылка сформирована: {len(results)} школ(ы), папка {out}")
    if any(r.introduces_key for r in results):
        fingerprint = services.exchange.own_card().fingerprint
        ctx.say(f"Школы подтвердят новый ключ управления по телефону; отпечаток: {fingerprint}")
    return 0


def cmd_rotate_key(args: argparse.Namespace, ctx: CliContext) -> int:
    rotated = ctx.services().district_key.rotate()
    ctx.say("Ключ управления заменён (резервная копия базы сделана, прежний ключ сохранён).")
    ctx.say(f"Прежний отпечаток: {rotated.old_fingerprint}")
    ctx.say(f"Новый отпечаток:   {rotated.fingerprint}")
    if rotated.waiting:
        ctx.say(
            f"Следующая рассылка сообщит новый ключ школам ({len(rotated.waiting)}): "
            + ", ".join(f"«{n}»" for n in rotated.waiting)
            + ". Школа загрузит её, только когда введёт новый отпечаток: прочитайте его по "
            "телефону, когда школа позвонит."
        )
    return 0


def cmd_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    """Check a package; exit 0 only when it is signed by a trusted key and every check passed."""
    import json
    from pathlib import Path

    from services.packages import PackageError
    from services.sync import package_code

    services = ctx.services()
    try:
        pkg = services.exchange.verify(Path(args.file))
    except PackageError as exc:
        if args.json:
            ctx.say(json.dumps({"file": args.file, "verdict": "refused", "detail": exc.code,
                                "code": package_code(exc.code), "reason": str(exc)},
                               ensure_ascii=False))  # fmt: skip
        else:
            ctx.fail(f"Пакет не прошёл проверку: {exc}")
        return 1
    if not pkg.signer_known:
        return _unknown_sender(args, ctx, services, pkg)
    if args.json:
        ctx.say(json.dumps(summary(args.file, pkg), ensure_ascii=False))
        return 0
    for line in _describe(args.file, pkg):
        ctx.say(line)
    ctx.say(f"Отпечаток ключа: {pkg.signer_fingerprint}")
    ctx.say("Итог: подпись и данные в порядке.")
    return 0


def _describe(file: str, pkg: VerifiedPackage) -> list[str]:
    m = pkg.manifest
    sender = m.sender_card.name if m.sender_card else m.sender_id
    lines = [
        f"Пакет: {file}",
        f"Отправитель (по его словам): {sender} ({m.sender_id})"
        if not pkg.signer_known
        else f"Отправитель: {sender} ({m.sender_id})",
        f"Номер пакета (seq): {m.seq}; создан {m.created_at:%d.%m.%Y %H:%M} UTC",
        f"SHA-256 файла: {pkg.file_sha256}",
    ]
    return lines + [f"  {table}: {count}" for table, count in sorted(m.counts.items())]


def _unknown_sender(
    args: argparse.Namespace, ctx: CliContext, services: Services, pkg: VerifiedPackage
) -> int:
    """A package signed by a key not confirmed here: the sender is unknown, never "in order".

    Its fingerprint is not shown: the methodist types the one the school reads out.
    """
    import json

    code = services.sync.unconfirmed_code(pkg)
    new_key = " (новый ключ уже подтверждённой школы: переустановка программы или подделка)"
    text = (
        "Отправитель неизвестен: пакет подписан ключом, который здесь не подтверждён"
        + (new_key if code == "quarantined-new-key" else "")
        + ". Проверить его данные нельзя, пока ключ не подтверждён: сверьте отпечаток по "
        "телефону и подтвердите ключ («Импорт пакетов» → «Карантин» или "
        '«python main.py enroll ФАЙЛ --confirm "…"»).'
    )
    if args.json:
        data = summary(args.file, pkg)
        data.update(verdict="unknown-sender", code=code, reason=text)
        ctx.say(json.dumps(data, ensure_ascii=False))
        return 1
    for line in _describe(args.file, pkg):
        ctx.say(line)
    ctx.say(f"Итог: {text}")
    return 1


def summary(file: str, pkg: VerifiedPackage) -> dict[str, object]:
    """`verify --json` of a package; the fingerprint only of a key trusted here."""
    m = pkg.manifest
    return {
        "file": file,
        "verdict": "ok",
        "code": "verified",
        "sender_id": m.sender_id,
        "sender_name": m.sender_card.name if m.sender_card else "",
        "fingerprint": pkg.signer_fingerprint if pkg.signer_known else "",
        "signer_known": pkg.signer_known,
        "seq": m.seq,
        "package_id": m.package_id,
        "kind": m.kind.value,
        "schema": m.schema,
        "sha256": pkg.file_sha256,
        "counts": m.counts,
    }
