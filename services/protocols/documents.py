"""`report protocol --id ID`: a meeting protocol printed in its usual layout (PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from models import Role
from services.core.errors import Invalid
from services.core.formatting import date_short
from services.core.progress import Progress
from services.documents.registry import DocOptions, DocumentSpec, register
from services.protocols.dto import ProtocolRow

if TYPE_CHECKING:
    from services.app import Services


def protocol_choice(row: ProtocolRow) -> str:
    """One line naming a protocol: date, number, meeting, organisation (lists, combo boxes)."""
    number = f" № {row.number}" if row.number else ""
    what = row.kind or row.title
    text = f"{date_short(row.meeting_date)}{number} — {what}"
    return text if row.own else f"{text} ({row.organisation})"


def protocol_list(rows: list[ProtocolRow]) -> str:
    """The protocols with their ids, for `report protocol` without `--id`."""
    if not rows:
        return "Протоколов ещё нет — внесите их на экране «Протоколы»."
    lines = [f"  {r.id}  {protocol_choice(r)}" for r in rows]
    return "Укажите протокол: report protocol --id ID --out ФАЙЛ.pdf. Протоколы:\n" + "\n".join(
        lines
    )


def render_protocol(services: Services, out: Path, options: DocOptions, progress: Progress) -> None:
    rows = services.protocols.protocols()
    if not options.protocol_id:
        raise Invalid(protocol_list(rows))
    doc = services.protocols.document(services.protocols.find(options.protocol_id))
    from services.protocols.pdf import write_protocol_pdf

    write_protocol_pdf(out, doc, services.paths.fonts_dir, progress)


register(
    DocumentSpec(
        kind="protocol",
        title="Протокол совещания",
        roles=frozenset({Role.SCHOOL, Role.DISTRICT}),
        formats=("pdf",),
        render=render_protocol,
        options=("protocol_id",),
        description="Протокол совещания или педсовета: дата и номер, председатель, секретарь, "
        "присутствовали, повестка дня, слушали — выступили — решили, подписи.",
    )
)
