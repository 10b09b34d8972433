"""The deadline of a protocol's decision, found in its prose and read as a due date.

Decisions carry their deadline inside the sentence: «… – в срок до 01.09.2022», «… - срок
01.09 .2021», «… - постоянно», «… в срок до 15 марта 2026 представить …». `find_wording` takes
the phrase out of the sentence; `read_deadline` reads it with the roadmap's deadline reader
(`services.roadmap.deadlines.parse_deadline`) over the meeting's horizon, the school year the
meeting plans for: a meeting held in August (the «августовский педсовет») plans the coming year.

A phrase that names no single date («постоянно», «в течение года», «ежегодно») is `ongoing`: it
has no due date and is never late. A phrase the reader cannot read keeps its wording, has no due
date and is `understood=False`, so the screen and the printout can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from services.roadmap.deadlines import parse_deadline, school_year_of

_MONTH = r"(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*"
# A date as people type it: 01.09.2021, 01.09 .2021, 01.09 2021, 1 сентября 2021 г.
_DATE = (
    r"(?:\d{1,2}\s*\.\s*\d{1,2}(?:\s*\.?\s*(?:19|20)?\d{2}(?!\d))?"
    rf"|\d{{1,2}}\s+{_MONTH}(?:\s+(?:19|20)\d{{2}})?)(?:\s*г(?:ода|\.)?(?![а-я]))?"
)
_ONGOING_WORDS = (
    "постоянно",
    "в течение",
    "регулярно",
    "систематически",
    "ежегодно",
    "ежемесячно",
    "ежеквартально",
    "еженедельно",
    "по мере необходимости",
    "весь период",
)
_SCHOOL_YEAR_END = re.compile(r"(?:до|к)\s+конц[ау]\s+учебного\s+года")
_YEAR_END = re.compile(r"(?:до|к)\s+конц[ау]\s+(?:календарного\s+|текущего\s+)?года")
# «срок», «в срок», «сроки», «срок исполнения», «срок:» — what follows is the deadline.
_MARKER = re.compile(r"(?<![а-я])(?:в\s+)?срок(?:и)?(?:\s+исполнения)?\s*[:–—-]?\s*", re.I)
# A deadline phrase anywhere in the prose, when no marker introduces it.
_PHRASE = re.compile(
    rf"(?<![а-я])(?:(?:до|к)\s+конц[ау]\s+(?:учебного\s+|календарного\s+|текущего\s+)?года"
    rf"|до\s+{_DATE}|(?:до|в|к)\s+{_MONTH}(?:\s+(?:19|20)\d{{2}}(?:\s*г(?:ода|\.)?)?)?"
    rf"|постоянно|в\s+течение\s+(?:всего\s+)?(?:(?:19|20)\d{{2}}\s+)?"
    rf"(?:учебного\s+|календарного\s+)?года"
    rf"|ежегодно|ежемесячно|ежеквартально)",
    re.I,
)
_TRAILING_DASH = re.compile(r"\s*[–—-]\s*([^–—]{1,60}?)\s*[.;]?\s*$")
_CUT = re.compile(r"[;,]|\.\s+[А-ЯЁA-Z]|\s+и\s+|\s+(?=[а-яё]{4,}(?:ть|ти)(?![а-я]))")
_TAIL = " \t.;,:–—-"


@dataclass(frozen=True, slots=True)
class DecisionDeadline:
    """What a decision's deadline wording means for the meeting it was taken at."""

    wording: str
    due: date | None
    understood: bool
    ongoing: bool = False


def horizon(meeting: date) -> tuple[date, date]:
    """The school year a meeting plans for: the one it is held in, or the next from August."""
    return school_year_of(meeting + timedelta(days=31))


def _normalize(text: str) -> str:
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    # «01.09 .2021», «01 .09.2021», «01.09 2021»: a date typed with stray spaces
    text = re.sub(r"(\d)\s*\.\s*(\d)", r"\1.\2", text)
    text = re.sub(r"(?<!\d)(\d{1,2}\.\d{1,2})\s+((?:19|20)\d{2})(?!\d)", r"\1.\2", text)
    return re.sub(r"\s+", " ", text).strip(_TAIL)


def read_deadline(wording: str, meeting: date) -> DecisionDeadline:
    """Read a deadline phrase («до 01.09.2022», «постоянно», «до конца учебного года»)."""
    shown = wording.strip().strip(_TAIL)
    norm = _normalize(wording)
    if not norm:
        return DecisionDeadline("", None, understood=True)
    start, end = horizon(meeting)
    if _SCHOOL_YEAR_END.search(norm):
        return DecisionDeadline(shown, end, understood=True)
    if _YEAR_END.search(norm):
        return DecisionDeadline(shown, date(meeting.year, 12, 31), understood=True)
    read = parse_deadline(norm, start, end)
    if not read.understood or read.end is None:
        return DecisionDeadline(shown, None, understood=False)
    if not re.search(r"\d", norm) and any(word in norm for word in _ONGOING_WORDS):
        return DecisionDeadline(shown, None, understood=True, ongoing=True)
    return DecisionDeadline(shown, read.end, understood=True)


def find_wording(text: str) -> str:
    """The deadline phrase of a decision's sentence, as written; "" when it names none."""
    markers = list(_MARKER.finditer(text))
    if markers:
        rest = text[markers[-1].end() :]
        cut = _CUT.search(rest)
        return _clean(rest[: cut.start()] if cut else rest)
    dash = _TRAILING_DASH.search(text)
    if dash and parse_deadline(_normalize(dash.group(1)), *horizon(date(2020, 9, 1))).understood:
        return _clean(dash.group(1))
    phrases = list(_PHRASE.finditer(text))
    return _clean(phrases[-1].group(0)) if phrases else ""


def _clean(phrase: str) -> str:
    """The phrase without the sentence's punctuation around it, «г.» kept whole."""
    phrase = phrase.strip(_TAIL)
    return phrase + "." if re.search(r"\d\s*г$", phrase) else phrase


def deadline_of(text: str, meeting: date) -> DecisionDeadline:
    """The deadline a decision's sentence names, read for the meeting's date."""
    return read_deadline(find_wording(text), meeting)


def without_deadline(text: str, wording: str) -> str:
    """The decision's sentence without its deadline phrase: the title of a roadmap item."""
    if not wording:
        return text.strip()
    at = text.rfind(wording)
    if at < 0:
        return text.strip()
    head = text[:at]
    head = re.sub(r"(?:\s*[–—-])?\s*(?:в\s+)?(?:срок(?:и)?(?:\s+исполнения)?\s*[:–—-]?\s*)?$",
                  "", head, flags=re.I)  # fmt: skip
    tail = text[at + len(wording) :].strip(_TAIL)
    joined = head.rstrip(_TAIL) + (" " + tail if tail else "")
    return joined.strip() + ("." if joined and not joined.endswith((".", "!", "?")) else "")
