"""The checks every protocol edit goes through: refuse with a message, never cut silently."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import SQLModel

from models.protocol import ProtocolAgendaItemBase, ProtocolBase, ProtocolDecisionBase
from services.core.errors import Invalid
from services.protocols.dto import AgendaFields, DecisionFields, ProtocolFields

_HEADING = {
    "number": "Номер",
    "kind": "Вид совещания",
    "title": "Тема",
    "place": "Место",
    "chair": "Председатель",
    "secretary": "Секретарь",
    "attendees": "Присутствовали",
    "decisions_intro": "Вступление к решениям",
}
_AGENDA = {"title": "вопрос", "speaker": "докладчик", "heard": "«Слушали»", "spoke": "«Выступили»"}
_DECISION = {"text": "текст", "responsible": "ответственный", "deadline_text": "срок"}


def _limit(model: type[SQLModel], name: str) -> int:
    info = model.model_fields[name]
    return int(next(m.max_length for m in info.metadata if hasattr(m, "max_length")))


def _check_length(model: type[SQLModel], name: str, value: str, where: str) -> None:
    limit = _limit(model, name)
    if len(value) > limit:
        raise Invalid(f"{where}: текст длиннее {limit} знаков ({len(value)}) — сократите его.")


def checked(values: ProtocolFields) -> ProtocolFields:
    """The fields trimmed and checked; `Invalid` names the first field that cannot be stored."""
    heading = {name: getattr(values, name).strip() for name in _HEADING}
    for name, title in _HEADING.items():
        _check_length(ProtocolBase, name, heading[name], f"Поле «{title}»")
    if not (heading["number"] or heading["title"] or heading["kind"]):
        raise Invalid("Укажите номер, вид совещания или тему протокола — по ним его находят.")
    agenda = tuple(_agenda(n, a) for n, a in enumerate(values.agenda, start=1))
    decisions = tuple(_decision(n, d, len(agenda)) for n, d in enumerate(values.decisions, start=1))
    return replace(values, agenda=agenda, decisions=decisions, **heading)


def _agenda(number: int, item: AgendaFields) -> AgendaFields:
    item = replace(item, **{k: getattr(item, k).strip() for k in _AGENDA})
    if not item.title:
        raise Invalid(f"Вопрос повестки № {number}: укажите, о чём он (или удалите строку).")
    for name, title in _AGENDA.items():
        _check_length(ProtocolAgendaItemBase, name, getattr(item, name), f"Вопрос № {number}, "
                      f"{title}")  # fmt: skip
    return item


def _decision(number: int, item: DecisionFields, questions: int) -> DecisionFields:
    item = replace(item, **{k: getattr(item, k).strip() for k in _DECISION})
    if not item.text:
        raise Invalid(f"Решение № {number}: укажите текст решения (или удалите строку).")
    for name, title in _DECISION.items():
        _check_length(ProtocolDecisionBase, name, getattr(item, name), f"Решение № {number}, "
                      f"{title}")  # fmt: skip
    if item.agenda_number is not None and not 1 <= item.agenda_number <= questions:
        raise Invalid(f"Решение № {number}: в повестке нет вопроса № {item.agenda_number} "
                      f"(вопросов {questions}).")  # fmt: skip
    return item
