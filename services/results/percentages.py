"""ВПР entered as percentages with the number of participants, stored as counts.

ФИС ОКО prints shares; Опора stores counts (DESIGN §4). The conversion is the one the ФИС ОКО
reader uses (`readers._marks`): the shares must add up to 100 within `PERCENT_TOLERANCE`, and
the counts are split by the largest remainder (`split`), so they add up to the participants
exactly. The screen shows the counts before saving them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from services.core.errors import Invalid
from services.results.demo import split
from services.results.readers import PERCENT_TOLERANCE
from services.results.rules import VprEntry, check_vpr, problems_text


@dataclass(frozen=True, slots=True)
class VprShares:
    """One ВПР row as ФИС ОКО prints it: participants and the % of each mark.

    The journal comparison (lowered, confirmed, raised) is in % too, when known.
    """

    year: int
    grade: int
    subject: str
    participants: int
    marks: tuple[float, float, float, float]  # % of «2», «3», «4», «5»
    class_label: str = ""
    objectivity: tuple[float, float, float] | None = None  # % lowered, confirmed, raised


def vpr_from_shares(shares: VprShares) -> VprEntry:
    """The counts the percentages stand for; `Invalid` when they do not add up to 100 %."""
    if shares.participants < 0:
        raise Invalid("Число участников не может быть отрицательным.")
    n2, n3, n4, n5 = _counts(shares.participants, shares.marks, "отметок «2»–«5»")
    lowered = confirmed = raised = None
    if shares.objectivity is not None:
        lowered, confirmed, raised = _counts(
            shares.participants, shares.objectivity, "понизили + подтвердили + повысили"
        )
    entry = VprEntry(
        year=shares.year,
        grade=shares.grade,
        subject=shares.subject.strip(),
        participants=shares.participants,
        n2=n2,
        n3=n3,
        n4=n4,
        n5=n5,
        class_label=shares.class_label.strip(),
        lowered=lowered,
        confirmed=confirmed,
        raised=raised,
    )
    problems = check_vpr(entry)
    if problems:
        raise Invalid(problems_text(problems))
    return entry


def _counts(participants: int, shares: Sequence[float], what: str) -> list[int]:
    if any(not math.isfinite(s) or s < 0 or s > 100 for s in shares):
        raise Invalid(f"Проценты {what} должны быть от 0 до 100.")
    total = sum(shares)
    if participants and abs(total - 100) > PERCENT_TOLERANCE:
        shown = f"{total:g}".replace(".", ",")
        raise Invalid(
            f"Проценты {what} в сумме дают {shown}, а не 100. Проверьте их по отчёту ФИС ОКО."
        )
    return split(participants, shares)
