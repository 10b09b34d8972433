"""A demo protocol for each role: the school's August pedagogical council, the district's meeting.

Invented names (no real personal data). Deadlines are written inside the decisions as people
write them, so the demo shows how they are read («в срок до …», «постоянно», «до конца учебного
года»).
"""

from __future__ import annotations

from datetime import date

from models import Role
from services.core.formatting import plural
from services.protocols.dto import AgendaFields, DecisionFields, ProtocolFields
from services.protocols.service import ProtocolService
from services.roadmap.deadlines import school_year_of


def _school(first: int) -> ProtocolFields:
    return ProtocolFields(
        meeting_date=date(first, 8, 29),
        number="1",
        kind="заседания педагогического совета",
        title="Об итогах работы школы и задачах на новый учебный год",
        chair="Соколова Ирина Викторовна",
        secretary="Носова Анастасия Дмитриевна",
        attendees="Педагогические работники — 17 человек\nОтсутствовали — 2 человека",
        agenda=(
            AgendaFields(
                "Об итогах ВПР и ГИА прошлого учебного года.",
                "Белова И.С., заместитель директора по УВР",
                heard="анализ результатов по предметам и классам",
                spoke="Горохова Н.В., руководитель ШМО учителей русского языка",
            ),
            AgendaFields(
                "О плане работы с обучающимися группы риска.", "Рыбакова Ю.К., педагог-психолог"
            ),
        ),
        decisions=(
            DecisionFields("Принять к сведению анализ результатов ВПР и ГИА.", agenda_number=1),
            DecisionFields(
                f"Учителям-предметникам составить планы ликвидации пробелов в знаниях "
                f"в срок до 15.09.{first}.",
                "Белова И.С.",
                agenda_number=1,
            ),
            DecisionFields(
                "Организовать индивидуальные консультации для обучающихся группы "
                "риска - постоянно.",
                "Рыбакова Ю.К.",
                agenda_number=2,
            ),
            DecisionFields(
                "Подготовить отчёт о работе с группой риска до конца учебного года.",
                "Рыбакова Ю.К.",
                agenda_number=2,
            ),
        ),
    )


def _district(first: int) -> ProtocolFields:
    return ProtocolFields(
        meeting_date=date(first, 10, 14),
        number="4",
        kind="совещания руководителей общеобразовательных организаций",
        title="О работе со школами с низкими образовательными результатами",
        place="г. Кола",
        chair="Карпова Светлана Николаевна",
        secretary="Мурашова Елена Юрьевна",
        attendees="Руководители общеобразовательных организаций — 12 человек\n"
        "Специалисты информационно-методического кабинета — 3 человека",
        agenda=(AgendaFields("О результатах мониторинга дорожных карт школ.", "Мурашова Е.Ю."),),
        decisions_intro="Руководителям общеобразовательных организаций:",
        decisions=(
            DecisionFields(
                f"Представить отчёт об исполнении дорожной карты в срок до 20.12.{first}.",
                "Руководители ОО",
            ),
            DecisionFields(
                "Организовать взаимное посещение уроков - постоянно.", "Руководители ОО"
            ),
        ),
    )


class ProtocolDemo:
    """The demo part of «Протоколы» (`DemoService.add_part`)."""

    def __init__(self, service: ProtocolService) -> None:
        self._service = service

    def fill_demo(self, role: Role, today: date | None = None) -> str:
        first = school_year_of(today or date.today())[0].year
        values = _school(first) if role is Role.SCHOOL else _district(first)
        self._service.save(values)
        decisions = plural(len(values.decisions), "решение", "решения", "решений")
        return f"Протоколы: протокол {values.kind}, {decisions}."
