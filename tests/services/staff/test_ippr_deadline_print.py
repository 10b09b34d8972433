"""The printed and exported ИППР carry a deadline the program did not understand, as worded."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import openpyxl
from pypdf import PdfReader

from models.staff import ActivityForm, DevelopmentActivityBase, DevelopmentPlanBase, TeacherBase
from services.app import Services
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, get_spec


def _teacher(s: Services) -> str:
    t = s.staff.save_teacher(TeacherBase(full_name="Петров Борис Ильич", position="учитель"))
    p = s.staff.save_plan(
        DevelopmentPlanBase(
            teacher_id=t,
            period_start=date.today() - timedelta(days=100),
            period_end=date.today() + timedelta(days=200),
        )
    )
    for title, wording, day in (
        ("Участие в работе ШМО", "по графику ИРО", None),
        ("Курсы ПК", "октябрь", date(2025, 10, 31)),
    ):
        s.staff.save_activity(
            DevelopmentActivityBase(plan_id=p, form=ActivityForm.COURSE, title=title,
                                    deadline_text=wording, end_date=day)
        )  # fmt: skip
    return t


def _render(s: Services, out: Path, teacher: str | None = None) -> None:
    spec = get_spec("ippr", s.site.profile().role, out)
    spec.render(s, out, DocOptions(teacher_id=teacher), NullProgress())


def test_the_pdf_prints_the_wording_where_there_are_no_dates(
    school: Services, tmp_path: Path
) -> None:
    teacher = _teacher(school)
    _render(school, tmp_path / "ippr.pdf", teacher)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(tmp_path / "ippr.pdf").pages
    )
    assert "по графику ИРО" in text
    assert "31.10.2025" in text  # dated: the dates, as before


def test_the_xlsx_carries_the_wording_of_every_activity(school: Services, tmp_path: Path) -> None:
    _teacher(school)
    _render(school, tmp_path / "ippr.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "ippr.xlsx")["Мероприятия ИППР"]
    rows = list(sheet.iter_rows(values_only=True))
    at = list(rows[0]).index("Срок в плане")
    assert sorted(str(r[at]) for r in rows[1:]) == ["октябрь", "по графику ИРО"]


def test_copying_to_the_next_period_clears_the_wording_with_the_dates(school: Services) -> None:
    """«октябрь» of the old plan is not a deadline of the new one: neither are its dates."""
    teacher = _teacher(school)
    [plan] = school.staff.plans(teacher)
    new = school.staff.copy_to_next_period(plan.id)
    copied = school.staff.activities(new)
    assert len(copied) == 2
    assert [(a.deadline_text, a.start_date, a.end_date) for a in copied] == [("", None, None)] * 2
    assert not any(a.deadline_not_understood for a in copied)
