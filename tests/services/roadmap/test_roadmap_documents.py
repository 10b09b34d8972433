"""Roadmap printouts and Excel: round trip, Word-style tables, located errors, the PDF text."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from models.roadmap import ItemStatus, RoadmapBase
from services.app import Services
from services.core.errors import Invalid
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, get_spec
from services.documents.spreadsheets import ImportMode, import_xlsx
from services.intake.preview import preview_roadmap
from services.intake.vocabulary import load_vocabulary
from services.roadmap.documents import roadmap_print
from services.roadmap.service import ItemFields


def _fill(school: Services) -> str:
    today = date.today()
    start = date(today.year, 1, 1)
    rid = school.roadmap.save_roadmap(
        RoadmapBase(
            title="Дорожная карта школы", period_start=start, period_end=date(today.year, 12, 31)
        )
    )
    s1 = school.roadmap.add_section(rid, "Организационно-методическая деятельность")
    s2 = school.roadmap.add_section(rid, "Развитие кадрового потенциала")
    school.roadmap.add_item(rid, s1, ItemFields("Разработка плана", "Январь", "Директор", "ШМО",
                                                 "План утверждён", "Приказ"))  # fmt: skip
    done = school.roadmap.add_item(rid, s1, ItemFields("Анализ ВПР", "Февраль-март", "Зам. по УВР"))
    school.roadmap.add_item(rid, s2, ItemFields("Курсы ПК", "В течение года", comment="30 %"))
    school.roadmap.set_status([done], ItemStatus.DONE, start)
    return rid


def _snapshot(school: Services, rid: str) -> list[tuple[object, ...]]:
    titles = {s.id: s.title for s in school.roadmap.sections(rid)}
    return [
        (
            titles.get(i.section_id or ""),
            i.number,
            i.title,
            i.deadline_text,
            i.end_date,
            i.responsible,
            i.participants,
            i.expected_result,
            i.report_form,
            i.status,
            i.completion_date,
            i.comment,
        )
        for i in school.roadmap.items(rid)
    ]


def test_export_then_import_with_replace_gives_the_same_roadmap(
    school: Services, tmp_path: Path
) -> None:
    rid = _fill(school)
    before = _snapshot(school, rid)
    out = tmp_path / "rm.xlsx"
    spec = get_spec("roadmap", school.site.profile().role, out)
    spec.render(school, out, DocOptions(), NullProgress())
    with pytest.raises(Invalid, match="--append"):
        import_xlsx(school, "roadmap", out, ImportMode.ASK)
    summary = import_xlsx(school, "roadmap", out, ImportMode.REPLACE)
    assert "3 мероприятия" in summary
    assert _snapshot(school, rid) == before
    assert len(school.roadmap.trash(rid)) == 3  # the replaced rows are restorable


def test_a_word_table_with_other_headers_and_section_rows_imports(
    school: Services, tmp_path: Path
) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["План мероприятий на 2026 год"])  # a title line above the table
    ws.append(["Ответственные", "Сроки исполнения", "№ п/п", "Мероприятие", "Результат"])
    ws.append([None, None, None, "1. Организационно-методическая деятельность", None])
    ws.append(["Управление образования", "Декабрь 2026", "1.1.", "Разработка плана", "План"])
    ws.append(["ОУ", "В течение года", "1.2.", "Сопровождение", None])
    ws.append([None, None, "2.", "Мониторинг результатов", None])
    ws.append(["ОУ", "Февраль, март 2026", "2.1.", "Анализ пробных экзаменов", "Справка"])
    path = tmp_path / "word.xlsx"
    wb.save(path)
    import_xlsx(school, "roadmap", path, ImportMode.ASK)  # empty roadmap: no question
    current = school.roadmap.current()
    assert current is not None
    assert [s.title for s in school.roadmap.sections(current.id)] == [
        "Организационно-методическая деятельность",
        "Мониторинг результатов",
    ]
    items = school.roadmap.items(current.id)
    assert [i.title for i in items] == [
        "Разработка плана",
        "Сопровождение",
        "Анализ пробных экзаменов",
    ]
    assert items[0].responsible == "Управление образования"
    assert items[2].end_date == date(2026, 3, 31)


def test_a_file_with_odd_cells_is_stored_and_names_each_one(
    school: Services, tmp_path: Path
) -> None:
    """Nothing is dropped: odd cells are kept (in the comment) and every one is named."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "План"
    ws.append(["№ п/п", "Мероприятие", "Сроки", "Отметка о выполнении", "Дата выполнения"])
    ws.append(["1", "Хорошее", "Май", "Выполнено", "05.06.2025"])
    ws.append(["2", None, "Май", None, None])
    ws.append(["3", "Плохой статус", "Май", "Почти", None])
    ws.append(["4", "Плохая дата", "Май", "Выполнено", "31.02.2025"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    summary = import_xlsx(school, "roadmap", path, ImportMode.APPEND)
    assert "Строка без мероприятия" in summary
    assert "отметка «Почти» не распознана" in summary
    assert "дата выполнения «31.02.2025» не распознана" in summary
    roadmap = school.roadmap.current()
    assert roadmap is not None
    comments = [i.comment for i in school.roadmap.items(roadmap.id)]
    assert "Отметка: Почти" in comments and "Дата выполнения: 31.02.2025" in comments


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"plain text", "не удалось прочитать"), (None, "не найдена таблица мероприятий")],
)
def test_wrong_files_are_refused(
    school: Services, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "x.xlsx"
    if content is None:
        Workbook().save(path)  # an empty sheet
    else:
        path.write_bytes(content)
    with pytest.raises(Invalid, match=message):
        import_xlsx(school, "roadmap", path, ImportMode.APPEND)


def test_template_imports_back_after_filling(school: Services, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    get_spec("roadmap-template", school.site.profile().role, out).render(
        school, out, DocOptions(), NullProgress()
    )
    wb = load_workbook(out)
    ws = wb["Дорожная карта"]
    assert ws.freeze_panes == "A2"
    ws.append(["1.1.", "Новое мероприятие", "Октябрь", "Директор"])
    wb.save(out)
    assert "1 мероприятие" in import_xlsx(school, "roadmap", out, ImportMode.APPEND)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("monitoring", [False, True])
def test_pdf_text_has_title_approval_and_items(
    school: Services, tmp_path: Path, monitoring: bool
) -> None:
    _fill(school)
    out = tmp_path / "rm.pdf"
    get_spec("roadmap", school.site.profile().role, out).render(
        school, out, DocOptions(monitoring=monitoring), NullProgress()
    )
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Дорожная карта школы" in text
    assert "УТВЕРЖДАЮ" in text
    assert "Разработка плана" in text and "Курсы ПК" in text
    assert ("Выполнено" in text) is monitoring
    if monitoring:
        doc = roadmap_print(school, monitoring=True)
        assert doc.execution.overall.text() in text


def test_an_item_whose_section_was_deleted_elsewhere_is_still_exported(
    school: Services, tmp_path: Path
) -> None:
    from models.roadmap import RoadmapSection

    rid = _fill(school)
    gone = school.roadmap.sections(rid)[1].id
    with school.db.session() as s:  # as a merge leaves it: the section tombstoned, its item live
        row = s.get(RoadmapSection, gone)
        assert row is not None
        row.deleted = True
    out = tmp_path / "rm.xlsx"
    get_spec("roadmap", school.site.profile().role, out).render(
        school, out, DocOptions(), NullProgress()
    )
    words = load_vocabulary(school.paths.intake_dir)
    exported = [i.fields.title for i in preview_roadmap(out, words).items]
    assert sorted(exported) == sorted(i.title for i in school.roadmap.items(rid))
    assert "Курсы ПК" in exported


def test_execution_counts_an_orphan_item_under_the_items_without_a_section(
    school: Services,
) -> None:
    from models.roadmap import RoadmapSection

    rid = _fill(school)
    gone = school.roadmap.sections(rid)[1].id
    with school.db.session() as s:
        row = s.get(RoadmapSection, gone)
        assert row is not None
        row.deleted = True
    figures = school.roadmap.execution(rid)
    loose = [x for x in figures.sections if x.section_id is None]
    assert [x.title for x in loose] == ["Без раздела"]
    counted = sum(x.ratio.denominator for x in figures.sections)
    assert counted == figures.overall.denominator  # every counted item is in some section's figure


def test_printing_without_a_roadmap_says_where_to_click_not_what_to_type(
    school: Services,
) -> None:
    with pytest.raises(Invalid) as refused:
        roadmap_print(school, monitoring=False)
    message = str(refused.value)
    assert "«Загрузить из файла…»" in message and "import-xlsx" not in message
