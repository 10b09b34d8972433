"""What each kind of table looks like to the detector: which header words mark it, and its name.

One detector (`services.intake.detect`) serves every kind a user brings (DESIGN §8): a roadmap, a
teachers' list, a teacher's ИППР activities. A kind differs only in the fields that mark its
header row (`anchors`: the header row must name one of them and at least one other field), the
field that names a row (`main`: section rows are told apart by it), and the words of its
messages. Each kind's header vocabulary is data in `resources/intake[/<kind>]/headers.json`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# «Иванов Иван Иванович», «Петрова А.С.», «Сидоров-Ветров Пётр»: a person, not a section title.
_PERSON = re.compile(
    r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+"
    r"(?:[А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+){0,2}|[А-ЯЁ]\.\s*(?:[А-ЯЁ]\.)?)"
)


@dataclass(frozen=True, slots=True)
class Shape:
    kind: str  # «roadmap», «teachers», «ippr»: the vocabulary's subdirectory ("" for roadmap)
    anchors: frozenset[str]
    main: tuple[str, ...]  # the first of these that is mapped names a row
    what: str  # «мероприятий», «педагогов»: the genitive the messages use
    example: str  # the anchor's header words, for the refusal
    people: bool = False  # a row with only a person's name in it is a row, not a section

    def is_person(self, text: str) -> bool:
        return self.people and _PERSON.fullmatch(" ".join(text.split())) is not None


ROADMAP = Shape(
    "roadmap",
    frozenset({"title"}),
    ("title",),
    "мероприятий",
    "«Мероприятие», «Содержание работы», «Основные мероприятия», …",
)
TEACHERS = Shape(
    "teachers",
    frozenset({"full_name", "last_name"}),
    ("full_name", "last_name"),
    "педагогов",
    "«ФИО», «Фамилия, имя, отчество», «Фамилия», …",
    people=True,
)
IPPR = Shape(
    "ippr",
    frozenset({"title"}),
    ("title",),
    "мероприятий ИППР",
    "«Мероприятие», «Содержание деятельности», «Тема», …",
)
SHAPES = {s.kind: s for s in (ROADMAP, TEACHERS, IPPR)}
