"""Shared PDF machinery (DESIGN §8): A4 pages, margins, styles, page numbers, approval blocks.

Every printout builds a list of flowables with the helpers here and calls `build_pdf`.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from services.core.errors import StorageError
from services.core.formatting import date_long, date_quoted, initials_surname
from services.core.progress import NullProgress, Progress, check_cancelled
from services.documents.fonts import SERIF, register_fonts

# Margins: left 20 (30 for long-kept documents is the office's choice), right 10, top/bottom 20.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 25 * mm, 10 * mm, 20 * mm, 20 * mm
BODY_PT, TABLE_PT = 12, 10


@dataclass(frozen=True, slots=True)
class Styles:
    body: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_center: ParagraphStyle
    block: ParagraphStyle


def make_styles(fonts_dir: Path) -> Styles:
    """Paragraph styles of every printout; registers the fonts first (Paragraphs need them)."""
    register_fonts(fonts_dir)
    body = ParagraphStyle("body", fontName=SERIF, fontSize=BODY_PT, leading=BODY_PT * 1.25)
    cell = ParagraphStyle("cell", fontName=SERIF, fontSize=TABLE_PT, leading=TABLE_PT * 1.2)
    return Styles(
        body=body,
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=SERIF + "-Bold",
            fontSize=14,
            leading=17,
            alignment=TA_CENTER,
            spaceAfter=4,
        ),
        heading=ParagraphStyle(
            "heading", parent=body, fontName=SERIF + "-Bold", spaceBefore=8, spaceAfter=4
        ),
        small=ParagraphStyle("small", parent=body, fontSize=9, leading=11),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=SERIF + "-Bold"),
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        block=ParagraphStyle("block", parent=body, alignment=TA_LEFT, leading=15),
    )


def esc(text: object) -> str:
    """Escape text for a reportlab Paragraph (which reads a small XML dialect)."""
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", "<br/>")
    )


@dataclass(frozen=True, slots=True)
class ApprovalBlock:
    """«УТВЕРЖДАЮ»: position (with organisation), name, date; blank date prints «___» ___ 20__ г."""

    position: str
    name: str
    day: date | None = None


@dataclass(frozen=True, slots=True)
class AgreementBlock:
    """«СОГЛАСОВАНО»: position, name, date."""

    position: str
    name: str
    day: date | None = None


@dataclass(frozen=True, slots=True)
class AdoptionNote:
    """«ПРИНЯТО на педагогическом совете, протокол № … от …»."""

    body: str = "педагогическом совете"
    protocol: str = ""
    day: date | None = None


def _signature_lines(
    word: str, position: str, name: str, day: date | None, st: Styles
) -> list[Any]:
    lines = [
        Paragraph(word, st.block),
        Paragraph(esc(position), st.block),
        Paragraph(f"_______________ {esc(initials_surname(name))}", st.block),
        Paragraph(date_quoted(day), st.block),
    ]
    return lines


def approval_header(
    st: Styles,
    width: float,
    approve: ApprovalBlock | None,
    agree: AgreementBlock | None = None,
    adopted: AdoptionNote | None = None,
) -> Flowable:
    """The top of a document: «СОГЛАСОВАНО»/«ПРИНЯТО» left, «УТВЕРЖДАЮ» right (8 cm max)."""
    left: list[Any] = []
    if agree:
        left += _signature_lines("СОГЛАСОВАНО", agree.position, agree.name, agree.day, st)
    if adopted:
        if left:
            left.append(Spacer(1, 6))
        protocol = adopted.protocol or "____"
        when = date_long(adopted.day, blank="«___» ________ 20__ г.")
        left.append(
            Paragraph(
                f"ПРИНЯТО<br/>на {esc(adopted.body)},<br/>протокол № {esc(protocol)} от {when}",
                st.block,
            )
        )
    right: list[Any] = []
    if approve:
        right = _signature_lines("УТВЕРЖДАЮ", approve.position, approve.name, approve.day, st)
    col = min(80 * mm, width / 2 - 5 * mm)
    table = Table(
        [[left or "", "", right or ""]], colWidths=[col, width - 2 * col, col], hAlign="LEFT"
    )
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def grid_table(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    *,
    header_rows: int = 1,
    section_rows: Sequence[int] = (),
    extra_style: Sequence[tuple[Any, ...]] = (),
    plain_tail: int = 0,
) -> Table:
    """A bordered table whose header repeats on every page; section rows span all columns.

    The last `plain_tail` rows have no borders: what must stay with the table's last rows
    (signatures) goes there, kept on their page with a `NOSPLIT` in `extra_style`.
    """
    table = Table(list(rows), colWidths=list(col_widths), repeatRows=header_rows, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("FONTSIZE", (0, 0), (-1, -1), TABLE_PT),
        ("GRID", (0, 0), (-1, -1 - plain_tail), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#E8E8E8")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for r in section_rows:
        style += [
            ("SPAN", (0, r), (-1, r)),
            ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F3F3F3")),
        ]
    style += list(extra_style)
    table.setStyle(TableStyle(style))
    return table


def signature_line(st: Styles, label: str, name: str = "") -> Paragraph:
    """«Директор ____________ И.О. Фамилия» at the end of a document."""
    who = esc(initials_surname(name)) if name else "________________"
    return Paragraph(f"{esc(label)} _______________ {who}", st.body)


def _page_number(canvas: Any, doc: BaseDocTemplate) -> None:
    # DESIGN §8: page numbers from page 2, centred in the top margin.
    page = canvas.getPageNumber()
    if page < 2:
        return
    canvas.saveState()
    canvas.setFont(SERIF, 10)
    width, height = doc.pagesize
    canvas.drawCentredString(width / 2, height - 12 * mm, str(page))
    canvas.restoreState()


# (organisation, document kind) of the document being written, set by the document registry
# around a render so every PDF names its author without each writer passing it down.
DOCUMENT_META: ContextVar[tuple[str, str]] = ContextVar("document_meta", default=("", ""))


def content_width(is_landscape: bool) -> float:
    page_w = landscape(A4)[0] if is_landscape else A4[0]
    return float(page_w - MARGIN_LEFT - MARGIN_RIGHT)


def build_pdf(
    out: Path,
    story: list[Flowable],
    *,
    fonts_dir: Path,
    title: str,
    author: str = "Опора",
    is_landscape: bool = False,
    progress: Progress | None = None,
) -> int:
    """Render `story` into `out` atomically; return the page count."""
    register_fonts(fonts_dir)
    progress = progress or NullProgress()
    tmp = out.with_name(out.name + ".part")
    organisation, subject = DOCUMENT_META.get()
    doc = SimpleDocTemplate(
        str(tmp),
        pagesize=landscape(A4) if is_landscape else A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=organisation or author,
        subject=subject or title,
        creator="Опора",
        lang="ru-RU",
        # reportlab's canvas starts in Helvetica and names it on every page even when no text
        # uses it; starting in the embedded font leaves no font that is not embedded.
        initialFontName=SERIF,
    )
    total = max(len(story), 1)

    def on_progress(kind: str, value: int) -> None:
        if kind == "PROGRESS":
            check_cancelled(progress)
            progress.report(min(value, total), total, "Формирование документа…")

    doc.setProgressCallBack(on_progress)
    try:
        doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"Не удалось записать файл «{out}»: {exc.strerror or exc}.") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return int(doc.page)
