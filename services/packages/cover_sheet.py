"""The package cover sheet (DESIGN §8): one A4 page the director signs and the district compares.

It repeats what `verify` prints — sender, seq, date, record counts, the file's SHA-256 and the key
fingerprint — so a district methodist can check by eye that the file on the stick is the one the
school signed for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from models import Role
from services.core.errors import Invalid
from services.core.formatting import date_long, sha_groups
from services.core.progress import Progress
from services.core.tables import table_title
from services.documents.pdf import build_pdf, content_width, esc, grid_table, make_styles
from services.documents.registry import DocOptions, DocumentSpec, register
from services.packages.types import VerifiedPackage

if TYPE_CHECKING:
    from services.app import Services


def write_cover_sheet(
    out: Path,
    pkg: VerifiedPackage,
    file_name: str,
    director: str,
    fonts_dir: Path,
    *,
    own: bool = False,
) -> int:
    """The sheet of `pkg`; `own`: this site sent it, so a new key it introduces is shown.

    A receiver never sees a new key's fingerprint: it types what the sender reads out.
    """
    st = make_styles(fonts_dir)
    m = pkg.manifest
    width = content_width(False)
    sender = m.sender_card.name if m.sender_card else m.sender_id
    sha_text = sha_groups(pkg.file_sha256)
    rows: list[list[object]] = [
        [Paragraph("<b>Сведения</b>", st.cell), Paragraph("<b>Значение</b>", st.cell)],
    ]
    for label, value in (
        ("Отправитель", sender),
        ("Файл", file_name),
        ("Номер пакета", str(m.seq)),
        ("Дата формирования", date_long(m.created_at.date())),
        ("Версия программы / схемы", f"{m.app_version} / {m.schema}"),
        ("Отпечаток ключа", pkg.signer_fingerprint),
        ("SHA-256 файла", sha_text),
        ("Размер файла", f"{pkg.file_size} байт"),
    ):
        rows.append([Paragraph(esc(label), st.cell), Paragraph(esc(value), st.cell_bold)])
    if own and m.successor is not None:
        label, value = "Отпечаток нового ключа (сообщается школе)", m.successor.fingerprint
        rows.append([Paragraph(esc(label), st.cell), Paragraph(esc(value), st.cell_bold)])
    counts: list[list[object]] = [
        [Paragraph("<b>Раздел данных</b>", st.cell), Paragraph("<b>Записей</b>", st.cell)]
    ]
    for table, count in sorted(m.counts.items(), key=lambda kv: table_title(kv[0])):
        counts.append([Paragraph(esc(table_title(table)), st.cell), str(count)])
    counts.append([Paragraph("<b>Всего</b>", st.cell), str(sum(m.counts.values()))])
    story: list[Flowable] = [
        Paragraph("Сопроводительный лист пакета данных «Опора»", st.title),
        Paragraph(esc(sender), st.title),
        Spacer(1, 8),
        grid_table(rows, [55 * mm, width - 55 * mm]),
        Spacer(1, 10),
        grid_table(counts, [110 * mm, 30 * mm]),
        Spacer(1, 12),
        Paragraph(
            "Пакет подписан электронной подписью организации и зашифрован для управления "
            "образования. При получении сверьте номер пакета и SHA-256 с отчётом об импорте. "
            "Если ключ школы ещё не подтверждён, введите отпечаток с этого листа в окне "
            "«Подтвердить ключ школы…»: программа сама сверит его с ключом пакета.",
            st.small,
        ),
        Spacer(1, 24),
        Paragraph(f"Директор _______________ {esc(director or '________________')}", st.body),
        Spacer(1, 6),
        Paragraph("М.П.", st.body),
        Spacer(1, 6),
        Paragraph("Дата передачи «___» ____________ 20__ г.", st.body),
        Spacer(1, 18),
        Paragraph(
            "Пакет принят: ____________________ / ______________ «___» _______ 20__ г.", st.body
        ),
    ]
    return build_pdf(out, story, fonts_dir=fonts_dir, title="Сопроводительный лист пакета")


def render_cover_sheet(
    services: Services, out: Path, options: DocOptions, progress: Progress
) -> None:
    if options.package is None:
        raise Invalid("Выберите файл пакета (.opora), для которого нужен сопроводительный лист.")
    pkg = services.exchange.verify(options.package)
    site = services.site.profile().site
    director = site.director_name if pkg.manifest.sender_id == site.id else ""
    from services.core.formatting import initials_surname

    write_cover_sheet(out, pkg, options.package.name, initials_surname(director) if director
                      else "", services.paths.fonts_dir,
                      own=pkg.manifest.sender_id == site.id)  # fmt: skip


register(
    DocumentSpec(
        kind="cover-sheet",
        title="Сопроводительный лист пакета",
        roles=frozenset({Role.SCHOOL, Role.DISTRICT}),
        formats=("pdf",),
        render=render_cover_sheet,
        options=("package",),
        description="Лист для подписи директора: номер пакета, число записей, SHA-256 файла "
        "и отпечаток ключа.",
    )
)
