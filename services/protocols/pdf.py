"""The printed protocol in its usual layout (DESIGN §8).

ПРОТОКОЛ, the kind of meeting and its topic; the date and number on one line and the place;
Председатель, Секретарь, Присутствовали; ПОВЕСТКА ДНЯ; for each question that has them СЛУШАЛИ,
ВЫСТУПИЛИ, РЕШИЛИ; the decisions not tied to a question under РЕШИЛИ; the signatures of the
chair and the secretary.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from services.core.formatting import date_short
from services.core.progress import Progress
from services.documents.pdf import Styles, build_pdf, content_width, esc, make_styles
from services.protocols.dto import AgendaItemRead, DecisionRead, ProtocolDocument


def write_protocol_pdf(
    out: Path, doc: ProtocolDocument, fonts_dir: Path, progress: Progress | None = None
) -> int:
    """Write the protocol; returns the page count."""
    st = make_styles(fonts_dir)
    text = ParagraphStyle("protocol-text", parent=st.body, alignment=TA_JUSTIFY, spaceAfter=2)
    plain = ParagraphStyle("protocol-plain", parent=st.body, spaceAfter=2)
    story = _heading(doc, st) + _people(doc, st, plain) + _agenda(doc, st, text, plain)
    story += _discussion(doc, st, text) + _general_decisions(doc, st, text)
    # the signatures never stand alone on the last page: they keep the last lines with them
    story[-2:] = [KeepTogether([*story[-2:], *_signatures(doc, st)])]
    p = doc.protocol
    title = f"Протокол № {p.number}" if p.number else "Протокол"
    return build_pdf(
        out, story, fonts_dir=fonts_dir, title=f"{title} от {date_short(p.meeting_date)}",
        progress=progress,
    )  # fmt: skip


def _heading(doc: ProtocolDocument, st: Styles) -> list[Flowable]:
    p = doc.protocol
    centred = ParagraphStyle("centred", parent=st.body, alignment=TA_CENTER)
    story: list[Flowable] = []
    if doc.organisation:
        story += [Paragraph(f"<b>{esc(doc.organisation)}</b>", centred), Spacer(1, 8)]
    story.append(Paragraph("ПРОТОКОЛ", st.title))
    if p.kind:
        story.append(Paragraph(esc(p.kind), centred))
    if p.title:
        topic = p.title if p.title.startswith("«") else f"«{p.title}»"
        story.append(Paragraph(f"на тему {esc(topic)}" if p.kind else esc(p.title), centred))
    width = content_width(False)
    line = Table(
        [[date_short(p.meeting_date), f"№ {p.number}" if p.number else ""]],
        colWidths=[width / 2, width / 2],
        hAlign="LEFT",
    )
    line.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st.body.fontName),
                              ("FONTSIZE", (0, 0), (-1, -1), st.body.fontSize),
                              ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    story += [Spacer(1, 10), line]
    if p.place:
        story.append(Paragraph(esc(p.place), centred))
    return [*story, Spacer(1, 10)]


def _people(doc: ProtocolDocument, st: Styles, text: ParagraphStyle) -> list[Flowable]:
    p = doc.protocol
    story: list[Flowable] = []
    if p.chair:
        story.append(Paragraph(f"Председатель: {esc(p.chair)}", text))
    if p.secretary:
        story.append(Paragraph(f"Секретарь: {esc(p.secretary)}", text))
    lines = [line.strip() for line in p.attendees.splitlines() if line.strip()]
    if lines:
        story.append(Paragraph("Присутствовали:", st.heading))
        story += [Paragraph(esc(line), text) for line in lines]
    return story


def _agenda(
    doc: ProtocolDocument, st: Styles, text: ParagraphStyle, plain: ParagraphStyle
) -> list[Flowable]:
    if not doc.agenda:
        return []
    story: list[Flowable] = [Paragraph("ПОВЕСТКА ДНЯ:", st.heading)]
    for n, item in enumerate(doc.agenda, start=1):
        story.append(Paragraph(f"{n}. {esc(item.title)}", text))
        if item.speaker:
            story.append(Paragraph(f"<i>{esc(item.speaker)}</i>", _indented(plain)))
    return story


def _indented(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(style.name + "-indented", parent=style, leftIndent=10 * mm)


def _discussion(doc: ProtocolDocument, st: Styles, text: ParagraphStyle) -> list[Flowable]:
    """СЛУШАЛИ / ВЫСТУПИЛИ / РЕШИЛИ for each question that has any of them."""
    story: list[Flowable] = []
    for n, item in enumerate(doc.agenda, start=1):
        own = [d for d in doc.decisions if d.agenda_item_id == item.id]
        if not (item.heard or item.spoke or own):
            continue
        story.append(Paragraph(f"{n}. {esc(item.title)}", st.heading))
        story += _part("СЛУШАЛИ", _heard(item), text)
        story += _part("ВЫСТУПИЛИ", item.spoke, text)
        if own:
            story.append(Paragraph("<b>РЕШИЛИ:</b>", text))
            story += _decision_list(own, text, prefix=f"{n}.")
    return story


def _heard(item: AgendaItemRead) -> str:
    if item.speaker and item.heard:
        return f"{item.speaker} — {item.heard}"
    return item.heard or item.speaker


def _part(word: str, body: str, text: ParagraphStyle) -> list[Flowable]:
    if not body:
        return []
    return [Paragraph(f"<b>{word}:</b> {esc(body)}", text)]


def _general_decisions(doc: ProtocolDocument, st: Styles, text: ParagraphStyle) -> list[Flowable]:
    rest = [d for d in doc.decisions if d.agenda_item_id is None]
    if not rest:
        return []
    story: list[Flowable] = [Paragraph("РЕШИЛИ:", st.heading)]
    if doc.protocol.decisions_intro:
        story.append(Paragraph(esc(doc.protocol.decisions_intro), text))
    return story + _decision_list(rest, text, prefix="")


def _decision_list(
    decisions: Sequence[DecisionRead], text: ParagraphStyle, prefix: str
) -> list[Flowable]:
    """Numbered decisions; one responsible shared by all of them is named once, after them."""
    shared = {d.responsible.strip().rstrip(".") for d in decisions}
    common = shared.pop() if len(shared) == 1 else ""
    story: list[Flowable] = []
    for n, d in enumerate(decisions, start=1):
        body = esc(d.text)
        if d.deadline_text and d.deadline_text not in d.text:
            body += f" Срок: {esc(d.deadline_text)}."
        if d.responsible and not common:
            body += f" <i>Ответственный: {esc(d.responsible.strip().rstrip('.'))}.</i>"
        story.append(Paragraph(f"{prefix}{n}. {body}", text))
    if common:
        story.append(Paragraph(f"<i>Ответственный за исполнение: {esc(common)}.</i>", text))
    return story


def _signatures(doc: ProtocolDocument, st: Styles) -> list[Flowable]:
    from services.core.formatting import initials_surname

    p = doc.protocol
    width = content_width(False)
    rows: list[list[Any]] = []
    for label, name in (("Председатель", p.chair), ("Секретарь", p.secretary)):
        who = initials_surname(name) if name else "________________"
        rows.append([label, "_______________", who])
    table = Table(rows, colWidths=[width * 0.35, width * 0.3, width * 0.35], hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), st.body.fontName),
                               ("FONTSIZE", (0, 0), (-1, -1), st.body.fontSize),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                               ("ALIGN", (2, 0), (2, -1), "RIGHT")]))  # fmt: skip
    return [Spacer(1, 24), table]
