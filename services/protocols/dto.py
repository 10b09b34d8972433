"""What the protocol screens and printouts exchange with `ProtocolService`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.protocol import ProtocolAgendaItemBase, ProtocolBase, ProtocolDecisionBase

DECISIONS_SECTION = "Решения протоколов"


class ProtocolRead(ProtocolBase):
    id: str
    owner: str


class AgendaItemRead(ProtocolAgendaItemBase):
    id: str


class DecisionRead(ProtocolDecisionBase):
    id: str

    @property
    def ongoing(self) -> bool:
        """A wording that names no single date («постоянно», «в течение года»)."""
        return bool(self.deadline_text) and self.deadline_understood and self.due_date is None


@dataclass(frozen=True, slots=True)
class AgendaFields:
    """One question of the agenda as the user typed it; `id` keeps an existing row."""

    title: str
    speaker: str = ""
    heard: str = ""  # «СЛУШАЛИ»
    spoke: str = ""  # «ВЫСТУПИЛИ»
    id: str | None = None


@dataclass(frozen=True, slots=True)
class DecisionFields:
    """One decision; an empty `deadline_text` is taken from the sentence («в срок до …»)."""

    text: str
    responsible: str = ""
    deadline_text: str = ""
    agenda_number: int | None = None  # 1-based question of the agenda it answers
    id: str | None = None


@dataclass(frozen=True, slots=True)
class ProtocolFields:
    """A whole protocol as entered: heading, attendees, agenda, decisions (in order)."""

    meeting_date: date
    number: str = ""
    kind: str = ""
    title: str = ""
    place: str = ""
    chair: str = ""
    secretary: str = ""
    attendees: str = ""
    decisions_intro: str = ""
    agenda: tuple[AgendaFields, ...] = ()
    decisions: tuple[DecisionFields, ...] = ()


@dataclass(frozen=True, slots=True)
class SaveResult:
    """The saved protocol's id and what the user should check (deadlines not understood)."""

    protocol_id: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProtocolRow:
    """A line of the protocols list."""

    id: str
    meeting_date: date
    number: str
    kind: str
    title: str
    organisation: str
    own: bool
    decisions: int
    in_roadmap: int
    unclear: int  # decisions whose deadline was not understood


@dataclass(frozen=True, slots=True)
class ProtocolDocument:
    """Everything a protocol's printout and edit dialog show."""

    protocol: ProtocolRead
    organisation: str
    own: bool
    agenda: tuple[AgendaItemRead, ...] = ()
    decisions: tuple[DecisionRead, ...] = field(default=())

    def fields(self) -> ProtocolFields:
        """The protocol as editable fields (agenda numbers for the decisions' questions)."""
        number_of = {a.id: n for n, a in enumerate(self.agenda, start=1)}
        p = self.protocol
        return ProtocolFields(
            meeting_date=p.meeting_date,
            number=p.number,
            kind=p.kind,
            title=p.title,
            place=p.place,
            chair=p.chair,
            secretary=p.secretary,
            attendees=p.attendees,
            decisions_intro=p.decisions_intro,
            agenda=tuple(
                AgendaFields(a.title, a.speaker, a.heard, a.spoke, a.id) for a in self.agenda
            ),
            decisions=tuple(
                DecisionFields(
                    d.text,
                    d.responsible,
                    d.deadline_text,
                    number_of.get(d.agenda_item_id or ""),
                    d.id,
                )
                for d in self.decisions
            ),
        )


@dataclass(frozen=True, slots=True)
class RoadmapLink:
    """The roadmap item a decision became."""

    decision_id: str
    item_id: str
    section: str
    deadline_text: str
