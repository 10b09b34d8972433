"""Section rows: their titles without the numbering, the numbering, and the level it gives.

Plans number their sections in one or two styles, the outer first: «I.» › «1.» › «1.1»,
«Раздел 1» › «Задача 1», «1.» › «1.1.»; a heading with no number under numbered ones is the
next level down (seed 001: «I Механизмы …» › «Система оценки …»). The preview nests sections by
these levels (`services.intake.preview.PreviewSection`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_OUTLINE = re.compile(
    r"^((?:\d+(?:\.\d+)*\.?|[IVXLC]+\.?|(?:раздел|задача|модуль|направление|блок|подпрограмма)"
    r"\s*\d+(?:\.\d+)*\.?))(?:\s|$)",
    re.IGNORECASE,
)
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.?|раздел\s*\d+\.?)\s+", re.IGNORECASE)


@dataclass(slots=True)
class Section:
    title: str
    rows: list[list[str]] = field(default_factory=list)
    number: str = ""  # as written: «I.», «1.», «1.1», «Раздел 2», «Задача 3»
    level: int = 1  # the rank of its numbering style among the table's sections (`number_levels`)


def section_title(text: str) -> str:
    return _NUMBERING.sub("", text.replace("\n", " ").strip()) or text.strip()


def make_section(text: str, number: str = "") -> Section:
    """A section row's title without its numbering, and the numbering (`number` if given)."""
    flat = " ".join(text.split())
    found = _OUTLINE.match(flat)
    written = number.strip() or (found.group(1) if found else "")
    return Section(section_title(text), number=written.rstrip(" :"))


def _style(number: str) -> str:
    """The numbering style: «roman», «раздел», «задача», …, «1» / «1.1» / «1.1.1» by depth."""
    low = number.lower().rstrip(".")
    if re.fullmatch(r"[ivxlc]+", low):
        return "roman"
    word = re.match(r"[а-яё]+", low)
    if word:
        return word.group(0)
    return "1" + ".1" * low.count(".") if low else ""


def number_levels(sections: list[Section]) -> None:
    """Rank each section by its numbering style, in the order the styles first appear.

    «I.» then «1.» then «1.1» are levels 1, 2, 3; «Раздел 1» over «Задача 1» two levels; an
    unnumbered heading under numbered ones («I Механизмы …» › «Система оценки …») the level
    after them. Dotted numbers stay in depth order: «1.1» is never above «1.».
    """
    order: list[str] = []
    for section in sections:
        if section.title:
            style = _style(section.number)
            if style not in order:
                order.append(style)
    dotted = sorted((s for s in order if s[:1] == "1"), key=len)
    it = iter(dotted)
    order = [next(it) if s[:1] == "1" else s for s in order]
    for section in sections:
        section.level = order.index(_style(section.number)) + 1 if section.title else 0
