"""Three consistent years of results for the demo school.

ВПР mark distributions start from a real district's ВПР shares of «2»–«5» for Russian and
mathematics in grades 4–6) and improve a little each year, as in a school that follows its
roadmap; every row passes the same consistency rules as hand-entered data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from models.results import ExamKind
from services.results.rules import AssessmentEntry, GiaEntry, ProgressionEntry, VprEntry

Shares = tuple[float, float, float, float]

# (grade, subject) -> shares of «2», «3», «4», «5» in the first demo year (4–6: a real district's).
VPR_BASE: dict[tuple[int, str], Shares] = {
    (4, "Русский язык"): (8.4, 29.9, 44.5, 17.3),
    (4, "Математика"): (2.6, 27.7, 29.4, 40.2),
    (4, "Окружающий мир"): (5.0, 35.0, 45.0, 15.0),
    (5, "Русский язык"): (30.3, 36.3, 27.8, 5.7),
    (5, "Математика"): (21.9, 40.6, 24.8, 12.7),
    (5, "История"): (18.0, 45.0, 30.0, 7.0),
    (6, "Русский язык"): (41.5, 31.7, 22.9, 3.9),
    (6, "Математика"): (33.8, 47.4, 16.6, 3.9),
    (6, "География"): (20.0, 50.0, 25.0, 5.0),
    (7, "Русский язык"): (35.0, 40.0, 21.0, 4.0),
    (7, "Математика"): (30.0, 48.0, 18.0, 4.0),
    (7, "Физика"): (25.0, 50.0, 20.0, 5.0),
    (8, "Русский язык"): (32.0, 42.0, 22.0, 4.0),
    (8, "Математика"): (28.0, 50.0, 18.0, 4.0),
    (8, "Биология"): (22.0, 50.0, 24.0, 4.0),
}
CLASS_SIZE = {4: 24, 5: 22, 6: 26, 7: 21, 8: 23}
# exam, subject, share of graduates taking it, «2»/below-minimum per year, mean per year, 80–100
OGE = (
    ("Русский язык", 1.0, (3, 2, 1), (3.3, 3.4, 3.6), 0),
    ("Математика", 1.0, (5, 3, 2), (3.1, 3.3, 3.4), 0),
    ("Обществознание", 0.6, (3, 2, 2), (3.2, 3.2, 3.4), 0),
    ("География", 0.5, (1, 1, 0), (3.4, 3.5, 3.6), 0),
    ("Биология", 0.35, (1, 0, 0), (3.3, 3.4, 3.5), 0),
    ("Информатика", 0.25, (0, 1, 0), (3.5, 3.4, 3.7), 0),
)
EGE = (
    ("Русский язык", 1.0, (1, 0, 0), (58.0, 61.5, 64.0), 1),
    ("Математика (профильная)", 0.5, (1, 1, 0), (44.0, 47.0, 51.0), 0),
    ("Математика (базовая)", 0.5, (0, 0, 0), (3.7, 3.9, 4.0), 0),
    ("Обществознание", 0.6, (2, 2, 1), (47.0, 49.0, 53.0), 0),
    ("История", 0.3, (1, 0, 0), (45.0, 52.0, 55.0), 0),
    ("Биология", 0.2, (0, 1, 0), (41.0, 44.0, 50.0), 0),
)


def demo_years(today: date) -> list[int]:
    """The last three results years: a year's results are complete after the summer."""
    latest = today.year if today.month >= 7 else today.year - 1
    return [latest - 2, latest - 1, latest]


def split(total: int, shares: Sequence[float]) -> list[int]:
    """Whole counts proportional to `shares` that add up to `total` (largest remainder)."""
    weight = sum(shares) or 1.0
    exact = [total * s / weight for s in shares]
    counts = [int(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _improved(shares: Shares, step: int) -> Shares:
    """Shift `3 × (2 − step)` points of «2» into «3» and «4» (step 2 = the latest year)."""
    shift = min(3.0 * (2 - step), shares[0])
    n2, n3, n4, n5 = shares
    return (n2 + shift, max(n3 - shift / 2, 0), max(n4 - shift / 2, 0), n5)


def vpr_entries(years: Sequence[int]) -> list[VprEntry]:
    entries: list[VprEntry] = []
    for step, year in enumerate(years):
        for (grade, subject), shares in VPR_BASE.items():
            size = CLASS_SIZE[grade] + (grade * 7 + step * 3) % 5 - 2
            n2, n3, n4, n5 = split(size, _improved(shares, step))
            objectivity: tuple[int | None, ...] = (None, None, None)
            if subject in ("Русский язык", "Математика"):
                confirmed = 62.0 + 6 * step
                objectivity = tuple(split(size, (24.0 - 4 * step, confirmed, 14.0 - 2 * step)))
            entries.append(
                VprEntry(
                    year=year, grade=grade, subject=subject, participants=size,
                    n2=n2, n3=n3, n4=n4, n5=n5,
                    lowered=objectivity[0], confirmed=objectivity[1], raised=objectivity[2],
                )
            )  # fmt: skip
    return entries


def gia_entries(years: Sequence[int]) -> list[GiaEntry]:
    entries: list[GiaEntry] = []
    for step, year in enumerate(years):
        graduates = {ExamKind.OGE: 22 + step % 2, ExamKind.EGE: 9 - step % 2}
        for exam, table in ((ExamKind.OGE, OGE), (ExamKind.EGE, EGE)):
            for subject, share, below, mean, high in table:
                participants = max(round(graduates[exam] * share), 1)
                entries.append(
                    GiaEntry(
                        year=year, exam=exam, subject=subject, participants=participants,
                        below_min=min(below[step], participants), mean_score=mean[step],
                        high_scorers=high * step // 2,
                    )
                )  # fmt: skip
    return entries


# The municipal inputs a level does not have are entered as 0 (a blank would read «не введено»).
NOTHING_MUNICIPAL: dict[str, Any] = dict.fromkeys(
    ("gia9_admitted", "gia9_no_fail", "gia11_admitted", "medal_claimants", "badge_claimants",
     "badge_recipients"), 0
)  # fmt: skip


def assessment_entries(year: int) -> list[AssessmentEntry]:
    """The year's marks of grades 5–9 in Russian and mathematics (one class per grade)."""
    entries: list[AssessmentEntry] = []
    for grade in range(5, 10):
        pupils = 20 + grade % 4
        for subject, quality in (("Русский язык", 0.45), ("Математика", 0.38)):
            achieved = pupils - 1 - grade % 2
            entries.append(
                AssessmentEntry(year, grade, subject, pupils, achieved, round(achieved * quality))
            )
    return entries


def progression_entries(years: Sequence[int]) -> list[ProgressionEntry]:
    entries: list[ProgressionEntry] = []
    for step, year in enumerate(years):
        entries += [
            ProgressionEntry(year, "1-4", pupils=98 + step, repeaters=1, conditionally_promoted=2,
                             **NOTHING_MUNICIPAL),
            ProgressionEntry(
                year, "5-9", pupils=114 - step, repeaters=3 - step,
                conditionally_promoted=7 - 2 * step,
                graduates_9=22 + step % 2, certificates_9=19 + step + step % 2,
                **(NOTHING_MUNICIPAL | {"gia9_admitted": 21 + step % 2,
                                        "gia9_no_fail": 17 + step + step % 2}),
            ),
            ProgressionEntry(
                year, "10-11", pupils=17, repeaters=0, conditionally_promoted=1 - step // 2,
                graduates_11=9 - step % 2, certificates_11=8 + step // 2 - step % 2 + step % 2,
                medals=min(step, 1),
                **(NOTHING_MUNICIPAL | {"gia11_admitted": 9 - step % 2, "medal_claimants": 2,
                                        "badge_claimants": 3, "badge_recipients": 1 + step // 2}),
            ),
        ]  # fmt: skip
    return entries


# Targets of the latest year (the school's roadmap goals); baselines are the first year's values.
DEMO_TARGETS = {
    "ROADMAP_EXEC": 90.0,
    "CERT_9_11": 97.0,
    "REPEATERS": 0.5,
    "VPR_FAIL": 15.0,
    "VPR_QUALITY": 35.0,
    "VPR_OBJECTIVITY": 75.0,
    "GIA_BELOW_MIN": 5.0,
    "TEACHER_PK": 100.0,
    "TEACHER_ACTIVE": 60.0,
    "VPR_FAIL|Математика": 15.0,
    "VPR_FAIL|Русский язык": 15.0,
}
