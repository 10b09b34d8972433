"""Teachers' lists and ИППР activities through the one intake pipeline (Word, Excel, CSV)."""

from __future__ import annotations

import os
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest

from models import Role
from models.staff import TeacherBase
from services.app import Services
from services.core.errors import Invalid
from services.core.quickstate import read_teacher_names
from services.intake.apply_people import apply_ippr, apply_teachers, existing_teachers
from services.intake.convert import office, readable_copy
from services.intake.ippr import preview_ippr, render_ippr
from services.intake.people import preview_teachers, render_teachers
from services.intake.vocabulary import load_vocabulary
from services.staff.intake import find_teacher
from tests.conftest import INTAKE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "intake"
TEACHERS = load_vocabulary(INTAKE / "teachers")
IPPR = load_vocabulary(INTAKE / "ippr")
DOCX_NAMES = [
    "Петрова Анна Сергеевна",
    "Семёнова Ольга Ивановна",
    "Иванова Ирина Петровна",
    "Кузнецов Денис Олегович",
]


def test_a_word_list_with_the_name_in_three_columns_under_a_merged_header() -> None:
    preview = preview_teachers(FIXTURES / "teachers.docx", TEACHERS)
    assert [t.full_name for t in preview.teachers] == DOCX_NAMES
    ivanova = preview.teachers[2]
    assert (ivanova.position, ivanova.subjects, ivanova.category) == (
        "Учитель", "Математика, информатика", "Первая"
    )  # fmt: skip
    assert [t.experience_years for t in preview.teachers] == [24, 3, 15, 1]
    assert preview.repeated == ["Иванова Ирина Петровна"]
    text = render_teachers(preview)
    assert "#9 «Образование» не загружается" in text
    assert "«Учителя начальных классов»" in text  # section rows are named, not stored
    assert preview.detected.skipped == {"строка с номерами столбцов": 1}


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_an_excel_list_names_unread_values_and_unmapped_columns(suffix: str) -> None:
    preview = preview_teachers(FIXTURES / f"teachers{suffix}", TEACHERS)
    assert len(preview.teachers) == 3
    by_name = {t.full_name: t for t in preview.teachers}
    assert by_name["Орлова Мария Викторовна"].experience_years == 12  # «12 лет»
    assert by_name["Зайцев Илья Андреевич"].is_young_specialist
    assert by_name["Зайцев Илья Андреевич"].mentor == "Орлова Мария Викторовна"
    assert by_name["Белова Ксения Юрьевна"].experience_years is None
    assert any("стаж «более 10» не распознан" in w for w in preview.warnings)
    assert any("«Примечание» не загружается" in w for w in preview.warnings)


def test_a_csv_list_in_windows_1251_and_map_overrides(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(
        "Фамилия;Имя;Отчество;Должность;Кабинет\nЁлкина;Вера;Павловна;Учитель;12\n".encode("cp1251")
    )
    preview = preview_teachers(path, TEACHERS)
    assert [t.full_name for t in preview.teachers] == ["Ёлкина Вера Павловна"]
    assert any("«Кабинет» не загружается" in w for w in preview.warnings)
    mapped = preview_teachers(path, TEACHERS, overrides={"Кабинет": "-", "#4": "subjects"})
    assert mapped.teachers[0].subjects == "Учитель" and not mapped.warnings


def test_names_already_stored_are_reported_and_not_doubled(school: Services) -> None:
    preview = preview_teachers(FIXTURES / "teachers.docx", TEACHERS)
    apply_teachers(school, preview)
    again = preview_teachers(
        FIXTURES / "teachers.docx", TEACHERS, existing=existing_teachers(school)
    )
    assert sorted(again.duplicates) == sorted(DOCX_NAMES) and again.new() == []
    assert "Уже есть в Опоре (4)" in render_teachers(again)
    summary = apply_teachers(school, again)
    assert "Загружено педагогов: 0." in summary and "не изменены (4" in summary
    assert len(school.staff.teachers()) == 4
    first = school.staff.teachers()[0]
    school.staff.save_teacher(TeacherBase(full_name=first.full_name), first.id)
    updated = apply_teachers(school, again, update=True)
    assert "Обновлены из файла (4)" in updated
    assert {t.category for t in school.staff.teachers()} == {"Высшая", "Первая", "Без категории"}


def test_mentors_are_found_among_the_imported(school: Services) -> None:
    apply_teachers(school, preview_teachers(FIXTURES / "teachers.xlsx", TEACHERS))
    by_name = {t.full_name: t for t in school.staff.teachers()}
    assert by_name["Зайцев Илья Андреевич"].mentor_id == by_name["Орлова Мария Викторовна"].id


def test_storing_a_teachers_list_backs_up_first(file_services: Services) -> None:
    file_services.site.initialize(Role.SCHOOL, "МБОУ «Школа № 1»", "5105012345")
    apply_teachers(file_services, preview_teachers(FIXTURES / "teachers.xlsx", TEACHERS))
    assert "before-xlsx" in [b.reason for b in file_services.backups.entries()]
    # the dry run's quick read sees exactly the stored names
    quick = read_teacher_names(file_services.paths.db_path)
    assert quick is not None and sorted(quick) == sorted(existing_teachers(file_services))


@pytest.mark.parametrize("name", ["ippr.docx", "ippr.xlsx"])
def test_ippr_activities_with_deadlines_as_understood(name: str) -> None:
    preview = preview_ippr(FIXTURES / name, IPPR)
    assert preview.period == (date(2025, 9, 1), date(2026, 8, 31)) and preview.period_from_title
    items = {i.fields.title: i for i in preview.items}
    course = items["Курсы «Методика решения задач с параметром», 36 ч"]
    assert (course.fields.form, course.fields.start_date, course.fields.end_date) == (
        "course", date(2025, 10, 1), date(2025, 10, 31)
    )  # fmt: skip
    assert items["Открытый урок в 7 классе по теме «Линейная функция»"].form_from == "по названию"
    shmo = items["Участие в работе ШМО учителей математики"]
    assert not shmo.deadline.understood and shmo.fields.start_date is None
    assert shmo.fields.deadline_text == "по графику ИРО"  # the title stays as worded
    assert course.fields.deadline_text == "Октябрь 2025"  # kept with its dates too
    assert "срок не распознан" in render_ippr(preview)
    assert any("Срок не распознан: «по графику ИРО»" in w for w in preview.warnings)


def test_ippr_goes_into_the_teachers_plan_once(school: Services) -> None:
    apply_teachers(school, preview_teachers(FIXTURES / "teachers.docx", TEACHERS))
    teacher = find_teacher(school.db, "ИВАНОВА ирина петровна")
    preview = preview_ippr(FIXTURES / "ippr.xlsx", IPPR)
    assert "новый план" in apply_ippr(school, preview, teacher.id)
    plans = school.staff.plans(teacher.id)
    assert [(p.period_start, p.period_end) for p in plans] == [preview.period]
    stored = school.staff.activities(plans[0].id)
    assert sorted(a.title for a in stored) == sorted(i.fields.title for i in preview.items)
    done = [a for a in stored if a.status.value == "done"]
    assert [a.title[:5] for a in done] == ["Курсы"] and done[0].completion_date is not None
    deficits = {d.description: d for d in school.staff.deficits(plans[0].id)}
    assert {k: d.area.value for k, d in deficits.items()} == {
        "Предметные дефициты": "subject", "Методические дефициты": "methodical"
    }  # fmt: skip
    course = next(a for a in stored if a.title.startswith("Курсы"))
    assert course.deficit_id == deficits["Предметные дефициты"].id
    again = apply_ippr(school, preview_ippr(FIXTURES / "ippr.docx", IPPR), teacher.id)
    assert "0 мероприятий, новых дефицитов — 0" in again and "не загружены повторно (4)" in again


def test_a_teacher_is_named_exactly_or_the_refusal_lists_candidates(school: Services) -> None:
    apply_teachers(school, preview_teachers(FIXTURES / "teachers.docx", TEACHERS))
    assert find_teacher(school.db, "Семенова Ольга Ивановна").full_name == DOCX_NAMES[1]
    assert find_teacher(school.db, "Кузнецов Д.О.").full_name == DOCX_NAMES[3]
    with pytest.raises(Invalid, match=r"(?s)Сидоров» не найден.*Петрова Анна Сергеевна"):
        find_teacher(school.db, "Сидоров")
    school.staff.save_teacher(TeacherBase(full_name="Иванова Инна Павловна"))
    with pytest.raises(Invalid, match=r"(?s)нескольким.*Иванова Инна.*Иванова Ирина"):
        find_teacher(school.db, "Иванова И.")


def _fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: Path) -> Path:
    """A `soffice` on PATH that 'converts' by copying `source` to OUTDIR/STEM.docx."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        'while [ "$1" != "--outdir" ]; do shift; done\n'
        'out="$2"; file="$3"; stem=$(basename "$file"); stem="${stem%.*}"\n'
        f'cp "{source}" "$out/$stem.docx"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return script


@pytest.mark.skipif(os.name == "nt", reason="a POSIX shell script stands in for LibreOffice")
def test_a_doc_is_converted_by_libreoffice_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = tmp_path / "кадры.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0 old Word")
    _fake_soffice(tmp_path, monkeypatch, FIXTURES / "teachers.docx")
    with (
        pytest.raises(Invalid, match=r"Сохранить как.*--convert"),
        readable_copy(doc, convert=False),
    ):
        pass
    with readable_copy(doc, convert=True) as path:
        assert path.suffix == ".docx"
        preview = preview_teachers(path, TEACHERS)
    assert [t.full_name for t in preview.teachers] == DOCX_NAMES
    assert not path.exists()  # the converted copy is removed


@pytest.mark.skipif(office() is None, reason="LibreOffice is not installed")
def test_real_libreoffice_converts_an_rtf(tmp_path: Path) -> None:
    rtf = tmp_path / "plan.rtf"
    shutil.copy(FIXTURES / "teachers.docx", tmp_path / "src.docx")
    rtf.write_text(
        r"{\rtf1\ansi\ansicpg1251\deff0 {\fonttbl{\f0 Arial;}}"
        r"\trowd\cellx3000\cellx6000 ФИО\cell Должность\cell\row"
        r"\trowd\cellx3000\cellx6000 Петрова Анна Сергеевна\cell Учитель\cell\row}",
        encoding="cp1251",
    )
    with readable_copy(rtf, convert=True) as path:
        preview = preview_teachers(path, TEACHERS)
    assert preview.teachers


def test_libreoffice_is_found_where_its_windows_installer_puts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "LibreOffice" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    program.write_bytes(b"")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("ProgramFiles(x86)", raising=False)
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "nothing"))
    assert office() is None
    monkeypatch.setenv("ProgramFiles", str(tmp_path))
    assert office() == str(program)
