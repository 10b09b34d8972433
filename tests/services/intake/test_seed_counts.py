"""What each intake fixture stores, the same in every format (README «Intake counts» table).

The real import (preview → apply into an empty school) of each seed × format; the counts are the
fixtures' facts the README lists, so a change in any format is caught here, not by a reader.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.staff import TeacherBase
from services.app import Services
from services.documents.spreadsheets import ImportMode
from services.intake.apply import apply_roadmap
from services.intake.apply_people import apply_ippr
from services.intake.ippr import preview_ippr
from services.intake.preview import preview_roadmap
from services.intake.vocabulary import load_vocabulary
from tests.conftest import INTAKE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "intake"
ON = date(2022, 3, 1)  # seed 003 names no period: its deadlines fall in the 2021/22 school year
# seed → (sections, items, occurrences, deadlines not understood), and its files
ROADMAPS = {
    "000": ((3, 24, 29, 0), ("seed000.docx", "seed000.xlsx", "seed000.xls", "seed000.ods",
                             "seed000.csv")),
    "001": ((11, 81, 266, 0), ("seed001.docx", "seed001-nested.docx", "seed001-nested.xlsx")),
    "003": ((3, 12, 13, 0), ("seed003.docx", "seed003.xlsx", "seed003.xls", "seed003.ods",
                             "seed003.csv")),
}  # fmt: skip
# deficits, activities, deadlines not understood (kept as worded, no dates)
IPPR = ((2, 4, 1), ("ippr.docx", "ippr.xlsx"))


@pytest.mark.parametrize(
    ("seed", "name"), [(seed, name) for seed, (_c, names) in ROADMAPS.items() for name in names]
)
def test_every_format_of_a_seed_stores_the_same_roadmap(
    school: Services, seed: str, name: str
) -> None:
    preview = preview_roadmap(FIXTURES / name, load_vocabulary(INTAKE), today=ON)
    apply_roadmap(school, preview, ImportMode.APPEND, on=ON)
    [roadmap] = school.roadmap.roadmaps()
    items = school.roadmap.items(roadmap.id)
    occurrences = sum(len(i.occurrences) for i in items)
    stored = (
        len(school.roadmap.sections(roadmap.id)),
        len(items),
        occurrences,
        sum(1 for i in items if not i.deadline_understood),
    )
    assert stored == ROADMAPS[seed][0]
    # the preview showed exactly these: its items, sections and occurrences
    assert (len(preview.sections), len(preview.items)) == stored[:2]
    assert sum(len(i.planned) for i in preview.items) == occurrences


@pytest.mark.parametrize("name", IPPR[1])
def test_every_format_of_the_ippr_fixture_stores_the_same_plan(school: Services, name: str) -> None:
    teacher = school.staff.save_teacher(TeacherBase(full_name="Иванова Ирина Петровна"))
    preview = preview_ippr(FIXTURES / name, load_vocabulary(INTAKE / "ippr"))
    apply_ippr(school, preview, teacher)
    [plan] = school.staff.plans(teacher)
    activities = school.staff.activities(plan.id)
    stored = (
        len(school.staff.deficits(plan.id)),
        len(activities),
        sum(1 for a in activities if a.deadline_not_understood),
    )
    assert stored == IPPR[0]
    assert all(a.deadline_text for a in activities)  # every wording kept
