"""Meeting protocols (протоколы совещаний, педсоветов): heading, agenda, decisions (DESIGN §4).

A protocol belongs to a school or to the district (`owner`), like a roadmap. Attendees are one
text, a line each, because real protocols group them under organisation headings and end with
«в соответствии с приложением»: a table of persons would lose those lines. The agenda and the
decisions are ordered child rows, so a decision can point at its agenda item and at the roadmap
item made from it.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel

from models.base import SyncFields


class ProtocolBase(SQLModel):
    meeting_date: date
    number: str = Field(default="", max_length=50)
    kind: str = Field(default="", max_length=300)  # «совещания руководителей …», «педсовета»
    title: str = Field(default="", max_length=1000)  # the topic: «О мероприятиях по …»
    place: str = Field(default="", max_length=200)
    chair: str = Field(default="", max_length=300)
    secretary: str = Field(default="", max_length=300)
    attendees: str = Field(default="", max_length=8000)
    decisions_intro: str = Field(default="", max_length=1000)  # «Руководителям ОО …:»


class Protocol(SyncFields, ProtocolBase, table=True):
    __tablename__ = "protocol"


class ProtocolAgendaItemBase(SQLModel):
    protocol_id: str = Field(foreign_key="protocol.id", index=True, max_length=36)
    position: int = 0
    title: str = Field(max_length=2000)
    speaker: str = Field(default="", max_length=500)
    heard: str = Field(default="", max_length=8000)  # «СЛУШАЛИ»
    spoke: str = Field(default="", max_length=8000)  # «ВЫСТУПИЛИ»


class ProtocolAgendaItem(SyncFields, ProtocolAgendaItemBase, table=True):
    __tablename__ = "protocol_agenda_item"


class ProtocolDecisionBase(SQLModel):
    protocol_id: str = Field(foreign_key="protocol.id", index=True, max_length=36)
    agenda_item_id: str | None = Field(
        default=None, foreign_key="protocol_agenda_item.id", max_length=36
    )
    position: int = 0
    text: str = Field(max_length=4000)
    responsible: str = Field(default="", max_length=500)
    deadline_text: str = Field(default="", max_length=300)
    due_date: date | None = None
    deadline_understood: bool = True
    roadmap_item_id: str | None = Field(default=None, foreign_key="roadmap_item.id", max_length=36)


class ProtocolDecision(SyncFields, ProtocolDecisionBase, table=True):
    __tablename__ = "protocol_decision"
