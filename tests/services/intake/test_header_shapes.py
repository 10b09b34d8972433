"""Header shapes real roadmaps have: two rows, cells merged down over both, split deadlines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook

from services.intake.preview import preview_roadmap, render
from services.intake.vocabulary import load_vocabulary
from tests.conftest import INTAKE

WORDS = load_vocabulary(INTAKE)


def _two_row_header(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["План мероприятий («дорожная карта») МБОУ «СОШ № 2» на 2025-2026 учебный год"])
    ws.append([])
    ws.append(["№ п/п", "Наименование мероприятия", "Сроки", None, "Ответственный исполнитель",
               "Планируемый результат", "Отметка о выполнении"])  # fmt: skip
    ws.append([None, None, "начало", "окончание", None, None, None])
    for merged in ("C3:D3", "A3:A4", "B3:B4", "E3:E4", "F3:F4", "G3:G4"):
        ws.merge_cells(merged)
    ws.append(["Раздел 1. Управленческие мероприятия"])
    ws.merge_cells("A5:G5")
    ws.append(["1.1", "Анализ результатов ВПР", "сентябрь 2025", "октябрь 2025",
               "Зам. директора по УВР", "Аналитическая справка", "выполнено"])  # fmt: skip
    ws.append(["1.2", "Педсовет по итогам", "ноябрь", "ноябрь", "Директор", "Протокол", ""])
    ws.append(["Раздел 2. Работа с педагогами"])
    ws.merge_cells("A8:G8")
    ws.append(["2.1", "Курсы повышения квалификации", "в течение года", None, "Зам. директора",
               "Удостоверения", ""])  # fmt: skip
    wb.save(path)


def test_a_two_row_header_with_cells_merged_down_reads_each_header_once(tmp_path: Path) -> None:
    path = tmp_path / "two-row.xlsx"
    _two_row_header(path)
    preview = preview_roadmap(path, WORDS)
    headers = [c.header for c in preview.detected.columns]
    assert headers == ["№ п/п", "Наименование мероприятия", "Сроки начало", "Сроки окончание",
                       "Ответственный исполнитель", "Планируемый результат",
                       "Отметка о выполнении"]  # fmt: skip
    assert all(c.field for c in preview.detected.columns)  # nothing left unmapped
    assert preview.section_titles == ["Управленческие мероприятия", "Работа с педагогами"]
    assert [i.fields.title for i in preview.items] == [
        "Анализ результатов ВПР", "Педсовет по итогам", "Курсы повышения квалификации"
    ]  # fmt: skip
    first = preview.items[0].deadline
    assert (first.start, first.end) == (date(2025, 9, 1), date(2025, 10, 31))
    assert preview.period == (date(2025, 9, 1), date(2026, 8, 31))
    assert "«№ п/п № п/п»" not in render(preview)


def test_the_text_preview_names_fields_as_a_person_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "two-row.xlsx"
    _two_row_header(path)
    text = render(preview_roadmap(path, WORDS))
    assert "«Наименование мероприятия» → Мероприятие [title]" in text  # and the --map key
    assert "((" not in text and "))" not in text


def test_the_ippr_preview_names_forms_and_areas_in_russian() -> None:
    from services.intake.ippr import preview_ippr, render_ippr

    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "intake"
    text = render_ippr(preview_ippr(fixtures / "ippr.docx", load_vocabulary(INTAKE / "ippr")))
    assert "Курсы ПК (столбец)" in text and "→ Предметные" in text
    assert "course (" not in text and "→ subject" not in text
