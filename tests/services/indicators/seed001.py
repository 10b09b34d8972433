"""Seed 001's five municipal indicators («Показатели оценки муниципальной системы подготовки
обучающихся») as the district enters them, and crafted results of two schools."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from models import Role, Site, stable_id
from models.results import Progression, VprResult
from services.district.definitions import DefinitionDraft

# п. 1: ВПР of grade 4 (Russian, mathematics, the world around), grade 5 (Russian, mathematics,
# history, biology) and grade 6 (Russian) — those who confirmed their journal mark.
VPR_SCOPE = (
    'grade = 4 and subject in ("Русский язык", "Математика", "Окружающий мир") '
    'or grade = 5 and subject in ("Русский язык", "Математика", "История", "Биология") '
    'or grade = 6 and subject = "Русский язык"'
)
SEED_001 = (
    DefinitionDraft(
        "MUN_VPR_CONFIRMED",
        "Процент обучающихся, подтвердивших текущую успеваемость результатами ВПР",
        f"percent(sum(vpr.confirmed where {VPR_SCOPE}), sum(vpr.participants where {VPR_SCOPE}))",
    ),
    DefinitionDraft(
        "MUN_GIA9_NO_FAIL",
        "Доля выпускников 9 классов, успешно (без двоек) сдавших все экзамены, от допущенных",
        "percent(gia9_no_fail, gia9_admitted)",
    ),
    DefinitionDraft(
        "MUN_NO_CERT_11",
        "Доля выпускников 11 классов, не получивших аттестат, от допущенных к аттестации",
        "(gia11_admitted − certificates_11) ÷ gia11_admitted × 100",
        better="lower",
    ),
    DefinitionDraft(
        "MUN_BADGE",
        "Процент выпускников 11 классов, награждённых знаком «За особые успехи в учении», "
        "от претендовавших",
        "percent(badge_recipients, badge_claimants)",
    ),
    DefinitionDraft(
        "MUN_MEDAL",
        "Процент выпускников 11 классов, получивших аттестат с отличием и медаль «За особые "
        "успехи в учении», от претендовавших",
        "percent(medals, medal_claimants)",
    ),
)
YEAR = 2024
SCHOOL_A = stable_id("seed001-school", "A")
SCHOOL_B = stable_id("seed001-school", "B")

# (grade, class, subject, participants, n2..n5, lowered, confirmed, raised)
VprRow = tuple[int, str, str, int, int, int, int, int, int, int, int]
VPR_A: tuple[VprRow, ...] = (
    (4, "", "Русский язык", 25, 2, 8, 10, 5, 3, 20, 2),
    (4, "", "Математика", 25, 3, 9, 9, 4, 4, 18, 3),
    (4, "", "Окружающий мир", 24, 1, 7, 12, 4, 2, 21, 1),
    (5, "", "Русский язык", 30, 4, 12, 10, 4, 5, 22, 3),
    (5, "", "История", 28, 2, 10, 11, 5, 2, 25, 1),
    (6, "", "Русский язык", 27, 5, 11, 8, 3, 6, 19, 2),
    (6, "", "Математика", 27, 6, 10, 8, 3, 10, 10, 7),  # not in the indicator's scope
    (7, "", "Русский язык", 26, 5, 11, 7, 3, 15, 5, 6),  # not in the indicator's scope
)
VPR_B: tuple[VprRow, ...] = (
    (4, "А", "Русский язык", 12, 1, 4, 5, 2, 2, 9, 1),
    (4, "Б", "Русский язык", 13, 2, 5, 4, 2, 3, 8, 2),
    (5, "", "Математика", 20, 4, 8, 6, 2, 6, 12, 2),
    (5, "", "Биология", 18, 1, 6, 8, 3, 1, 15, 2),
    (6, "", "Русский язык", 22, 3, 9, 7, 3, 5, 14, 3),
    (6, "А", "Русский язык", 11, 1, 5, 4, 1, 3, 7, 1),  # the whole-grade row above wins
)


def _vpr(owner: str, row: VprRow) -> VprResult:
    grade, label, subject, participants, n2, n3, n4, n5, lowered, confirmed, raised = row
    return VprResult(
        id=stable_id("vpr", owner, YEAR, grade, label, subject),
        owner=owner,
        year=YEAR,
        grade=grade,
        class_label=label,
        subject=subject,
        participants=participants,
        n2=n2,
        n3=n3,
        n4=n4,
        n5=n5,
        lowered=lowered,
        confirmed=confirmed,
        raised=raised,
    )


def _progression(owner: str, level: str, **values: Any) -> Progression:
    return Progression(
        id=stable_id("progression", owner, YEAR, level),
        owner=owner,
        year=YEAR,
        level=level,
        **values,
    )


def add_two_schools(s: Session) -> None:
    """School A enters one «Вся школа» row; school B two level rows (summed)."""
    for owner, name in ((SCHOOL_A, "СШ № 3"), (SCHOOL_B, "СШ № 15")):
        s.add(Site(id=owner, owner=owner, role=Role.SCHOOL, full_name=name, short_name=name))
    s.add_all([_vpr(SCHOOL_A, r) for r in VPR_A] + [_vpr(SCHOOL_B, r) for r in VPR_B])
    s.add(
        _progression(
            SCHOOL_A,
            "all",
            pupils=400,
            graduates_9=40,
            certificates_9=39,
            graduates_11=18,
            certificates_11=17,
            medals=3,
            gia9_admitted=39,
            gia9_no_fail=34,
            gia11_admitted=18,
            medal_claimants=4,
            badge_claimants=5,
            badge_recipients=4,
        )
    )
    s.add(
        _progression(
            SCHOOL_B,
            "5-9",
            pupils=150,
            graduates_9=20,
            certificates_9=20,
            gia9_admitted=20,
            gia9_no_fail=15,
            gia11_admitted=0,
            medal_claimants=0,
            badge_claimants=0,
            badge_recipients=0,
        )
    )
    s.add(
        _progression(
            SCHOOL_B,
            "10-11",
            pupils=40,
            graduates_11=10,
            certificates_11=10,
            medals=0,
            gia9_admitted=0,
            gia9_no_fail=0,
            gia11_admitted=10,
            medal_claimants=0,
            badge_claimants=2,
            badge_recipients=1,
        )
    )
