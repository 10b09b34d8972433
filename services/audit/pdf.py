"""The self-audit printouts (DESIGN §8): the blank checklist for paper and the filled audit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from models.audit import RiskLevel
from services.audit.catalogue import Criterion, Factor
from services.audit.chart import profile_chart
from services.audit.levels import LEVEL_TITLES, FactorResult, level_title
from services.core.formatting import BLANK_DATE, date_long, initials_surname, percent
from services.core.progress import Progress
from services.core.russian import position_with_organisation
from services.documents.fonts import SERIF
from services.documents.pdf import (
    ApprovalBlock,
    Styles,
    approval_header,
    build_pdf,
    content_width,
    esc,
    grid_table,
    make_styles,
    signature_line,
)
from services.roadmap.queries import STATUS_TITLES

if TYPE_CHECKING:
    from services.audit.documents import AuditPrint, BlankPrint
    from services.audit.service import AnswerRead

LEVEL_BG: dict[RiskLevel, Any] = {
    RiskLevel.HIGH: colors.HexColor("#F8D7D3"),
    RiskLevel.MEDIUM: colors.HexColor("#FCE9C8"),
    RiskLevel.LOW: colors.HexColor("#FFF6CC"),
    RiskLevel.NONE: colors.HexColor("#E3F1E0"),
}
GREY = "#555555"


def _criterion_cell(st: Styles, c: Criterion) -> Paragraph:
    hint = f'<font size="8" color="{GREY}">{esc(c.risk_text())}</font>'
    return Paragraph(f"{esc(c.question)}<br/>{hint}", st.cell)


def _head(st: Styles, *titles: str) -> list[Paragraph]:
    return [Paragraph(esc(t), st.cell_bold) for t in titles]


def _factor_table(rows: list[list[Any]], widths: list[float]) -> Flowable:
    """One factor's criteria, its name under the column header; both repeat on a new page.

    (A table never splits right after its repeated rows, so a factor's name is never left alone
    at the bottom of a page.)
    """
    return grid_table(rows, widths, header_rows=2, section_rows=[1])


def _section(factor: Factor) -> str:
    optional = " (включается по решению школы)" if not factor.enabled_by_default else ""
    return f"{factor.code}. {factor.title}{optional}"


# -- the blank -------------------------------------------------------------------------------------


def _blank_answer(st: Styles, c: Criterion) -> Paragraph:
    if c.is_scale:
        box = '<font size="13">□</font>'
        return Paragraph(f"{box} 0 — нет<br/>{box} 1 — частично<br/>{box} 2 — да", st.cell)
    limits = f'<font size="8" color="{GREY}">{esc(c.range_text())}</font>'
    return Paragraph(f"<br/>_________ {esc(c.unit)}<br/>{limits}", st.cell)


def blank_story(doc: BlankPrint, st: Styles) -> list[Flowable]:
    width = content_width(False)
    year = str(doc.year) if doc.year else "______"
    story: list[Flowable] = [
        Paragraph(esc(doc.org.name), st.title),
        Paragraph(f"Лист самоаудита по факторам риска за {year} год", st.title),
        Paragraph(f"Дата заполнения: {BLANK_DATE}", st.body),
        Spacer(1, 4),
        Paragraph(
            "Отметьте один ответ по шкале (0 — нет, 1 — частично, 2 — да) или впишите число. "
            "В комментарии укажите, чем подтверждается ответ (документ, анкета, статистика).",
            st.small,
        ),
        Paragraph(f"Как определяется уровень риска. {esc(doc.catalogue.level_rule)}", st.small),
        Paragraph(
            f"Справочник: {esc(doc.catalogue.title)} (версия {doc.catalogue.version}).", st.small
        ),
        Spacer(1, 6),
    ]
    widths = [13 * mm, 79 * mm, 33 * mm, width - 125 * mm]
    for factor in doc.catalogue.factors:
        rows: list[list[Any]] = [
            _head(st, "№", "Критерий", "Ответ", "Комментарий, подтверждение"),
            [Paragraph(esc(_section(factor)), st.cell_bold), "", "", ""],
        ]
        for c in factor.criteria:
            rows.append([c.code, _criterion_cell(st, c), _blank_answer(st, c), ""])
        story += [_factor_table(rows, widths), Spacer(1, 4)]
    story += _blank_summary(doc, st, width)
    story += _working_group(st, "")
    return story


def _blank_summary(doc: BlankPrint, st: Styles, width: float) -> list[Flowable]:
    rows: list[list[Any]] = [
        _head(st, "Фактор", "Отвечено критериев", "Сумма баллов риска", "Доля риска, %",
              "Уровень риска", "Изменение уровня, причина")
    ]  # fmt: skip
    for f in doc.catalogue.factors:
        rows.append([f.code, f"____ из {len(f.criteria)}", f"____ из {2 * len(f.criteria)}"])
    levels = ", ".join(LEVEL_TITLES.values())
    return [
        KeepTogether([
            Paragraph("Итоги по факторам риска", st.heading),
            Paragraph(f"Уровень: {levels}.", st.small),
            Spacer(1, 4),
            grid_table(rows, [16 * mm, 26 * mm, 26 * mm, 20 * mm, 26 * mm, width - 114 * mm]),
        ])
    ]  # fmt: skip


def _members(text: str) -> list[str]:
    return [m.strip() for m in re.split(r"[\n;]+", text) if m.strip()]


def _working_group(st: Styles, text: str) -> list[Flowable]:
    """Signature lines of the working group: position, signature, name (blank lines if unknown)."""
    rows: list[list[Any]] = []
    for m in _members(text):
        name, _, role = m.partition(",")
        rows.append([Paragraph(esc(role.strip()), st.body), "_______________",
                     Paragraph(esc(initials_surname(name)), st.body)])  # fmt: skip
    if not rows:
        rows = [["_" * 34, "_______________", "/" + "_" * 20 + "/"] for _ in range(5)]
    table = Table(rows, colWidths=[95 * mm, 40 * mm, 40 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), SERIF),
            ("FONTSIZE", (0, 0), (-1, -1), 12),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
        ])
    )  # fmt: skip
    note = Paragraph("(должность, подпись, расшифровка подписи)", st.small)
    return [KeepTogether([Spacer(1, 10), Paragraph("Рабочая группа:", st.heading), table, note])]


def write_blank_pdf(out: Path, doc: BlankPrint, fonts_dir: Path, progress: Progress) -> int:
    st = make_styles(fonts_dir)
    return build_pdf(
        out,
        blank_story(doc, st),
        fonts_dir=fonts_dir,
        title="Бланк самоаудита по факторам риска",
        progress=progress,
    )


# -- the filled audit ------------------------------------------------------------------------------


def answer_text(c: Criterion, a: AnswerRead) -> str:
    if c.is_scale:
        return "—" if a.score is None else f"{a.score} — {_scale(a.score)}"
    if a.value is None:
        return "—"
    return f"{a.value:g}".replace(".", ",") + (f" {c.unit}" if c.unit else "")


def _scale(score: int) -> str:
    return {0: "нет", 1: "частично", 2: "да"}.get(score, str(score))


def _level_style(col: int, row: int, level: RiskLevel | None) -> list[tuple[Any, ...]]:
    if level is None:
        return []
    return [("BACKGROUND", (col, row), (col, row), LEVEL_BG[level])]


def _profile_table(doc: AuditPrint, st: Styles, width: float) -> Flowable:
    prev_year = next((c.previous_year for c in doc.changes if c.previous_year), None)
    head = f"{prev_year} г." if prev_year else "Прошлый год"
    rows: list[list[Any]] = [
        _head(st, "Код", "Фактор риска", "Отвечено", "Доля риска", "Уровень", head)
    ]
    style: list[tuple[Any, ...]] = []
    for n, change in enumerate(doc.changes, 1):
        cur, prev = change.current, change.previous
        level = cur.level if cur else None
        mark = " *" if cur and cur.override is not None else ""
        share = percent(cur.share, 0) if cur and cur.share is not None else "—"
        rows.append([
            change.code,
            Paragraph(esc(change.title), st.cell),
            cur.completeness.detail() if cur else "—",
            share,
            level_title(level) + mark,
            level_title(prev.level) if prev else "—",
        ])  # fmt: skip
        style += _level_style(4, n, level)
        style += _level_style(5, n, prev.level if prev else None)
    widths = [13 * mm, width - 113 * mm, 22 * mm, 22 * mm, 28 * mm, 28 * mm]
    return grid_table(rows, widths, extra_style=style)


def _overrides(doc: AuditPrint, st: Styles, width: float) -> list[Flowable]:
    changed = [r for r in doc.view.results.values() if r.override is not None]
    if not changed:
        return [Paragraph("Уровни риска вручную не изменялись.", st.body)]
    rows: list[list[Any]] = [_head(st, "Фактор", "По расчёту", "Установлен", "Причина изменения")]
    for r in changed:
        rows.append([
            r.code,
            level_title(r.computed),
            level_title(r.override),
            Paragraph(esc(r.reason), st.cell),
        ])  # fmt: skip
    return [
        Paragraph("* Уровни, изменённые вручную", st.heading),
        grid_table(rows, [20 * mm, 28 * mm, 28 * mm, width - 76 * mm]),
    ]


def _answers(doc: AuditPrint, st: Styles, width: float) -> list[Flowable]:
    widths = [13 * mm, 74 * mm, 26 * mm, 16 * mm, width - 129 * mm]
    tables: list[Flowable] = []
    for factor in doc.view.factors:
        result: FactorResult = doc.view.results[factor.code]
        label = f"{_section(factor)} — уровень: {level_title(result.level)}"
        rows: list[list[Any]] = [
            _head(st, "№", "Критерий", "Ответ", "Баллы риска", "Комментарий, подтверждение"),
            [Paragraph(esc(label), st.cell_bold), "", "", "", ""],
        ]
        for c in factor.criteria:
            a = doc.view.answer(c.code)
            points = c.risk_points(a.score, a.value)
            note = "; ".join(
                x for x in (a.comment, a.evidence and f"подтверждение: {a.evidence}") if x
            )
            rows.append([
                c.code,
                Paragraph(esc(c.question), st.cell),
                answer_text(c, a),
                "—" if points is None else str(points),
                Paragraph(esc(note), st.cell),
            ])  # fmt: skip
        tables += [_factor_table(rows, widths), Spacer(1, 4)]
    return tables


def _measures(doc: AuditPrint, st: Styles, width: float) -> list[Flowable]:
    rows: list[list[Any]] = [
        _head(st, "Фактор", "№", "Мероприятие дорожной карты", "Срок", "Статус")
    ]
    for code, items in doc.measures.items():
        for item in items:
            rows.append([
                code,
                item.number,
                Paragraph(esc(item.title), st.cell),
                Paragraph(esc(item.deadline_text or "—"), st.cell),
                STATUS_TITLES[item.status],
            ])  # fmt: skip
    if len(rows) == 1:
        return [
            Paragraph(
                "Антирисковые меры ещё не внесены в дорожную карту (кнопка «Создать "
                "антирисковые меры» на экране «Самоаудит»).",
                st.body,
            )
        ]
    widths = [17 * mm, 14 * mm, width - 94 * mm, 33 * mm, 30 * mm]
    return [grid_table(rows, widths)]


def audit_story(doc: AuditPrint, st: Styles) -> list[Flowable]:
    width = content_width(False)
    view = doc.view
    position = position_with_organisation(
        doc.org.director_position or "Директор", doc.org.name, doc.org.short_name
    )
    approve = ApprovalBlock(position, doc.org.director_name)
    done = date_long(view.completed_on).rstrip(".") if view.completed_on else "не завершён"
    story: list[Flowable] = [
        approval_header(st, width, approve),
        Spacer(1, 8),
        Paragraph(f"Результаты самоаудита по факторам риска за {view.year} год", st.title),
        Paragraph(esc(doc.org.name), st.title),
        Spacer(1, 4),
        Paragraph(
            f"Справочник: {esc(view.catalogue.title)} (версия "
            f"{view.catalogue_version}). Отвечено критериев: {view.completeness.detail()} "
            f"({view.completeness.text()}). Самоаудит завершён: {done}.",
            st.body,
        ),
        Paragraph("Рисковый профиль", st.heading),
        profile_chart(doc.changes, view.catalogue.bounds, view.year, width),
        Paragraph(
            "Доля риска — баллы риска по отвеченным критериям в процентах от наибольших "
            f"возможных. {esc(view.catalogue.level_rule)}",
            st.small,
        ),
        Spacer(1, 4),
        _profile_table(doc, st, width),
    ]
    story += _overrides(doc, st, width)
    story += [Paragraph("Антирисковые меры в дорожной карте", st.heading)]
    story += _measures(doc, st, width)
    story += [CondPageBreak(40 * mm), Paragraph("Ответы по критериям", st.heading)]
    story += _answers(doc, st, width)
    if view.notes:
        story += [
            Paragraph("Выводы рабочей группы", st.heading),
            Paragraph(esc(view.notes), st.body),
        ]
    story += [Spacer(1, 12), signature_line(st, doc.org.director_position or "Директор",
                                            doc.org.director_name)]  # fmt: skip
    story += _working_group(st, view.working_group)
    return story


def write_audit_pdf(out: Path, doc: AuditPrint, fonts_dir: Path, progress: Progress) -> int:
    st = make_styles(fonts_dir)
    return build_pdf(
        out,
        audit_story(doc, st),
        fonts_dir=fonts_dir,
        title=f"Результаты самоаудита за {doc.view.year} год",
        progress=progress,
    )
