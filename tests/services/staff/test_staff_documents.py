"""The printed ИППР and the xlsx of activities."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from models.staff import (
    ActivityForm,
    ActivityStatus,
    DeficitArea,
    DevelopmentActivityBase,
    DevelopmentPlanBase,
    ProfessionalDeficitBase,
    TeacherBase,
)
from services.app import Services
from services.core.errors import Invalid, NotFound
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, get_spec
from services.staff.documents import plan_documents
from services.staff.pdf import write_ippr_pdf


def add_teacher(s: Services, name: str, activities: int) -> str:
    t = s.staff.save_teacher(TeacherBase(full_name=name, position="учитель", subjects="Физика"))
    p = s.staff.save_plan(
        DevelopmentPlanBase(
            teacher_id=t,
            period_start=date.today() - timedelta(days=100),
            period_end=date.today() + timedelta(days=200),
        )
    )
    d = s.staff.save_deficit(
        ProfessionalDeficitBase(plan_id=p, area=DeficitArea.SUBJECT, description="Задачи ВПР")
    )
    for n in range(activities):
        s.staff.save_activity(
            DevelopmentActivityBase(
                plan_id=p, deficit_id=d, form=ActivityForm.COURSE, title=f"Курс {n + 1}",
                hours=36, status=ActivityStatus.DONE, end_date=date(2025, 11, 1),
                certificate_number=f"CERT-{n + 1}",
            )
        )  # fmt: skip
    return t


def render(s: Services, out: Path, teacher: str | None = None) -> None:
    spec = get_spec("ippr", s.site.profile().role, out)
    spec.render(s, out, DocOptions(teacher_id=teacher), NullProgress())


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_each_plan_starts_on_a_new_page(school: Services, tmp_path: Path) -> None:
    add_teacher(school, "Иванова Анна Петровна", 1)
    add_teacher(school, "Петров Борис Ильич", 40)
    docs = plan_documents(school, None)
    alone = [write_ippr_pdf(tmp_path / f"{n}.pdf", [d], school.paths.fonts_dir)
             for n, d in enumerate(docs)]  # fmt: skip
    both = write_ippr_pdf(tmp_path / "all.pdf", docs, school.paths.fonts_dir)
    assert alone[1] > 1  # the long plan spans pages
    assert both == sum(alone)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_pdf_shows_teacher_approval_and_activities(school: Services, tmp_path: Path) -> None:
    add_teacher(school, "Иванова Анна Петровна", 2)
    out = tmp_path / "ippr.pdf"
    render(school, out, "Иванова")
    text = pdf_text(out)
    for needle in ("УТВЕРЖДАЮ", "Иванова Анна Петровна", "Задачи ВПР", "Курс 2", "CERT-1",
                   "Рефлексия", "Педагог", "Наставник"):  # fmt: skip
        assert needle in text, needle


def test_xlsx_lists_all_activities(school: Services, tmp_path: Path) -> None:
    add_teacher(school, "Иванова Анна Петровна", 2)
    add_teacher(school, "Петров Борис Ильич", 3)
    out = tmp_path / "ippr.xlsx"
    render(school, out)
    sheet = openpyxl.load_workbook(out)["Мероприятия ИППР"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5
    assert {r[0] for r in rows} == {"Иванова Анна Петровна", "Петров Борис Ильич"}
    assert {r[14] for r in rows} >= {"CERT-1", "CERT-3"}
    counts = list(openpyxl.load_workbook(out)["Дефициты по областям"].iter_rows(values_only=True))
    assert [r[1:] for r in counts[1:]] == [("Физика", 2, 2)]


def test_refusals(school: Services, tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="ещё нет ИППР"):
        render(school, tmp_path / "x.pdf")
    school.staff.save_teacher(TeacherBase(full_name="Сидорова Вера"))
    with pytest.raises(NotFound):
        render(school, tmp_path / "x.pdf", "Кузнецов")
    with pytest.raises(Invalid, match="нет ИППР"):
        render(school, tmp_path / "x.pdf", "Сидорова")
    assert not (tmp_path / "x.pdf").exists()
