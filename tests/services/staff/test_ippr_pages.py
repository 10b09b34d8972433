"""The printed ИППР: a typical plan on one landscape page, signatures never alone on a page."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from services.app import Services
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, get_spec
from services.staff.documents import plan_documents
from tests.services.staff.test_staff_documents import add_teacher


def _render(s: Services, out: Path, teacher: str | None = None) -> PdfReader:
    spec = get_spec("ippr", s.site.profile().role, out)
    spec.render(s, out, DocOptions(teacher_id=teacher), NullProgress())
    return PdfReader(out)


def test_the_demo_plans_take_about_one_page_each(school: Services, tmp_path: Path) -> None:
    school.demo.fill()
    plans = len(plan_documents(school, None))
    pages = len(_render(school, tmp_path / "ippr.pdf").pages)
    assert plans >= 10
    # each plan used to spill a row and the signatures onto a second page: 2 pages a plan
    assert pages <= plans + plans // 4, (pages, plans)


@pytest.mark.parametrize("rows", [13, 40])  # 13 left the signatures alone on page 3
def test_signatures_stay_with_the_last_rows_of_a_long_plan(
    school: Services, tmp_path: Path, rows: int
) -> None:
    teacher = add_teacher(school, "Петров Борис Ильич", rows)
    reader = _render(school, tmp_path / "long.pdf", teacher)
    assert len(reader.pages) > 1
    texts = [page.extract_text() for page in reader.pages]
    signed = [n for n, text in enumerate(texts) if "Педагог ___" in text]
    assert signed == [len(texts) - 1]  # once, on the last page
    words = set(texts[-1].split())
    # the № of the last two rows: the signatures are neither alone nor under a lone row
    assert {str(rows - 1), str(rows)} <= words
