"""Russian morphology for printed documents: an organisation's name after a position.

«Директор» + «Муниципальное бюджетное общеобразовательное учреждение «…»» must read
«Директор Муниципального бюджетного общеобразовательного учреждения «…»». The endings come
from pymorphy3 (OpenCorpora dictionaries), never from hand-written rules.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# Words that show a position already names its organisation («Директор МОУ СОШ № 1»,
# «Начальник управления образования …»): then nothing is appended.
_ORG_WORDS = re.compile(
    r"школ|учрежден|управлен|отдел|комитет|лице|гимнази|администрац|департамент|министерств"
    r"|центр|организац",
    re.IGNORECASE,
)
_ABBREVIATION = re.compile(r"^[А-ЯЁA-Z]{2,}$")


@cache
def _morph() -> Any:
    import pymorphy3  # loaded on first use: about 0.2 s, needed only when printing

    return pymorphy3.MorphAnalyzer()


def _names_organisation(position: str) -> bool:
    words = position.split()
    return any(
        _ABBREVIATION.match(w) or "«" in w or '"' in w or _ORG_WORDS.search(w) for w in words[1:]
    )


def _match_case(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


# Generic words of an organisation's legal form, written in lower case inside a sentence; any
# other word («Кольская гимназия») is part of a proper name and keeps its capital.
_GENERIC = frozenset(
    [
        "муниципальный",
        "государственный",
        "бюджетный",
        "казённый",
        "казенный",
        "автономный",
        "частный",
        "общеобразовательный",
        "образовательный",
        "учреждение",
        "организация",
        "школа",
        "средний",
        "основной",
        "начальный",
        "управление",
        "отдел",
        "комитет",
        "департамент",
    ]
)


def _genitive(word: str, lower: bool) -> tuple[str, bool]:
    """The word in the genitive and whether it was the head noun (the phrase ends there).

    With `lower`, a generic word of the legal form loses its capital («Директор
    муниципального …»); a word of the proper name («Лодейнинская») keeps it.
    """
    morph = _morph()
    for parse in morph.parse(word):
        if parse.tag.case == "nomn" and parse.tag.POS in {"ADJF", "PRTF", "NOUN"}:
            form = parse.inflect({"gent"})
            if form is None:
                continue
            model = word.lower() if lower and parse.normal_form in _GENERIC else word
            return _match_case(form.word, model), parse.tag.POS == "NOUN"
    return word, True


def organisation_genitive(name: str, *, after_position: bool = False) -> str:
    """«Муниципальное бюджетное … учреждение «Школа»» → «Муниципального бюджетного … «Школа»».

    Only the leading phrase in the nominative changes (adjectives and their head noun); an
    abbreviation («МБОУ»), a quoted proper name or anything after the head noun stays as is.
    """
    words = name.split()
    out: list[str] = []
    for n, word in enumerate(words):
        if _ABBREVIATION.match(word) or not word[:1].isalpha():
            return " ".join(out + words[n:])
        form, is_head = _genitive(word, after_position)
        out.append(form)
        if is_head:
            return " ".join(out + words[n + 1 :])
    return " ".join(out)


def position_with_organisation(position: str, full_name: str, short_name: str = "") -> str:
    """The approver's line: «Директор МБОУ «Лодейнинская СОШ»» (the organisation in the genitive).

    The short name is preferred when it differs from the full one; a position that already
    names an organisation is printed as typed.
    """
    position = position.strip()
    org = (short_name or "").strip() or full_name.strip()
    if not org or _names_organisation(position):
        return position
    return f"{position} {organisation_genitive(org, after_position=True)}".strip()
