"""Protocols: entered whole, edited without losing links, deleted with undo, printed, linked."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from models import Role
from services.app import Services
from services.core.errors import Invalid
from services.documents import DocOptions, get_spec
from services.protocols import DECISIONS_SECTION, AgendaFields, DecisionFields
from tests.services.protocols.seed004 import DECISIONS, RESPONSIBLE, seed_protocol


def _pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def test_seed_004_is_held_whole_and_unread_deadlines_are_named(school: Services) -> None:
    result = school.protocols.save(seed_protocol())
    doc = school.protocols.document(result.protocol_id)
    assert doc.fields() == replace(
        seed_protocol(),
        agenda=tuple(
            replace(a, id=b.id) for a, b in zip(seed_protocol().agenda, doc.agenda, strict=True)
        ),
        decisions=tuple(
            DecisionFields(text, RESPONSIBLE, wording, None, d.id)
            for (text, wording, _meant), d in zip(DECISIONS, doc.decisions, strict=True)
        ),
    )
    assert [(d.due_date, d.deadline_understood) for d in doc.decisions][:2] == [
        (date(2021, 6, 1), True),
        (date(2021, 9, 1), True),
    ]
    assert doc.decisions[4].ongoing and not doc.decisions[8].deadline_understood
    assert len(result.warnings) == 1 and "Решение № 9" in result.warnings[0]
    assert "0.09.2021" in result.warnings[0]
    [row] = school.protocols.protocols()
    assert (row.decisions, row.unclear, row.in_roadmap, row.own) == (15, 1, 0, True)


def test_seed_004_printed_holds_everything(school: Services, tmp_path: Path) -> None:
    values = replace(seed_protocol(), number="7", secretary="Петрова Анна Ивановна")
    pid = school.protocols.save(values).protocol_id
    out = tmp_path / "protocol.pdf"
    spec = get_spec("protocol", school.site.profile().role, out)
    from services.core.progress import NullProgress

    spec.render(school, out, DocOptions(protocol_id=pid), NullProgress())
    text = _pdf_text(out)
    for part in ("ПРОТОКОЛ", "26.05.2021", "№ 7", "г. Калуга", "Председатель: Аникеев А.С.",
                 "Секретарь: Петрова Анна Ивановна", "Присутствовали", "Чеченкова М.В.",
                 "В соответствии с приложением", "ПОВЕСТКА ДНЯ", "РЕШИЛИ",
                 "Руководителям образовательных организаций", "А.И. Петрова",
                 "А.С. Аникеев"):  # fmt: skip
        assert part in text, part
    for agenda in values.agenda:
        assert agenda.title[:40] in text
    for decision, _wording, _meant in DECISIONS:
        assert re.sub(r"\s+", " ", decision)[:50] in text


def test_agenda_questions_get_heard_spoke_decided(school: Services, tmp_path: Path) -> None:
    values = replace(
        seed_protocol(),
        agenda=(
            AgendaFields("О плане", "Иванова И.И.", heard="доклад о плане", spoke="Петров П.П."),
        ),
        decisions=(DecisionFields("Принять план к исполнению - постоянно.", agenda_number=1),),
    )
    pid = school.protocols.save(values).protocol_id
    out = tmp_path / "p.pdf"
    from services.protocols.pdf import write_protocol_pdf

    write_protocol_pdf(out, school.protocols.document(pid), school.paths.fonts_dir)
    text = _pdf_text(out)
    assert "СЛУШАЛИ: Иванова И.И. — доклад о плане" in text
    assert "ВЫСТУПИЛИ: Петров П.П." in text and "1.1. Принять план" in text


def test_editing_keeps_row_ids_and_tombstones_what_was_removed(school: Services) -> None:
    pid = school.protocols.save(seed_protocol()).protocol_id
    doc = school.protocols.document(pid)
    fields = doc.fields()
    kept = fields.decisions[1:]
    school.protocols.save(replace(fields, decisions=kept, number="12"), pid)
    again = school.protocols.document(pid)
    assert [d.id for d in again.decisions] == [d.id for d in doc.decisions[1:]]
    assert again.protocol.number == "12"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"decisions": (DecisionFields("  ", "Иванов"),)}, "Решение № 1: укажите текст"),
        ({"agenda": (AgendaFields("", "Иванов"),)}, "Вопрос повестки № 1"),
        ({"chair": "я" * 301}, "«Председатель»: текст длиннее 300"),
        ({"decisions": (DecisionFields("Сделать", agenda_number=5),)}, "нет вопроса № 5"),
        ({"number": "", "kind": "", "title": ""}, "Укажите номер"),
    ],
)
def test_refused_input_changes_nothing(
    school: Services, change: dict[str, object], message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        school.protocols.save(replace(seed_protocol(), **change))  # type: ignore[arg-type]
    assert school.protocols.protocols() == []


def test_delete_and_undo(school: Services) -> None:
    pid = school.protocols.save(seed_protocol()).protocol_id
    school.protocols.save(replace(school.protocols.document(pid).fields(), decisions=()), pid)
    ids = school.protocols.delete(pid)
    assert school.protocols.protocols() == []
    school.protocols.restore(ids)
    # the decisions removed by the earlier edit stay removed: undo brings back what it deleted
    assert [r.decisions for r in school.protocols.protocols()] == [0]


def test_a_decision_becomes_a_roadmap_item_once(school: Services) -> None:
    pid = school.protocols.save(seed_protocol()).protocol_id
    decision = school.protocols.document(pid).decisions[0]
    link = school.protocols.add_to_roadmap(decision.id, on=date(2021, 5, 26))
    roadmap = school.roadmap.current(date(2021, 5, 26))
    assert roadmap is not None
    items = {i.id: i for i in school.roadmap.items(roadmap.id)}
    item = items[link.item_id]
    assert item.title.startswith("Провести анализ контекстных") and "срок" not in item.title
    assert (item.deadline_text, item.responsible) == ("до 01.06.2021", RESPONSIBLE)
    assert item.end_date == date(2021, 6, 1) and item.deadline_understood
    sections = {s.id: s.title for s in school.roadmap.sections(roadmap.id)}
    assert sections[item.section_id or ""] == DECISIONS_SECTION
    assert school.protocols.document(pid).decisions[0].roadmap_item_id == link.item_id
    with pytest.raises(Invalid, match="уже добавлено"):
        school.protocols.add_to_roadmap(decision.id, on=date(2021, 5, 26))
    assert [r.in_roadmap for r in school.protocols.protocols()] == [1]


def test_a_wording_the_roadmap_cannot_read_goes_with_its_date(school: Services) -> None:
    values = replace(
        seed_protocol(), decisions=(DecisionFields("Сдать отчёт до конца учебного года."),)
    )
    pid = school.protocols.save(values).protocol_id
    decision = school.protocols.document(pid).decisions[0]
    link = school.protocols.add_to_roadmap(decision.id, "Мой раздел", on=date(2021, 5, 26))
    assert link.deadline_text == "до конца учебного года (до 31.08.2021)"
    roadmap = school.roadmap.current(date(2021, 5, 26))
    assert roadmap is not None
    [item] = [i for i in school.roadmap.items(roadmap.id) if i.id == link.item_id]
    assert item.deadline_understood and item.end_date == date(2021, 8, 31)
    assert school.protocols.roadmap_sections()[:1] == [DECISIONS_SECTION]


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.DISTRICT])
def test_the_demo_has_a_protocol_whose_deadlines_are_all_read(
    services: Services, role: Role
) -> None:
    services.site.initialize(role, "Организация", "5105012345")
    services.demo.fill()
    [row] = [r for r in services.protocols.protocols() if r.own]
    assert row.decisions >= 2 and row.unclear == 0
    decisions = services.protocols.document(row.id).decisions
    assert any(d.ongoing for d in decisions) and any(d.due_date for d in decisions)


def test_a_decision_whose_item_was_deleted_can_go_to_the_roadmap_again(school: Services) -> None:
    pid = school.protocols.save(seed_protocol()).protocol_id
    decision = school.protocols.document(pid).decisions[0]
    first = school.protocols.add_to_roadmap(decision.id, on=date(2021, 5, 26))
    school.roadmap.delete_items([first.item_id])
    assert school.protocols.document(pid).decisions[0].roadmap_item_id is None
    assert [r.in_roadmap for r in school.protocols.protocols()] == [0]
    again = school.protocols.add_to_roadmap(decision.id, on=date(2021, 5, 26))
    assert again.item_id != first.item_id
    assert school.protocols.document(pid).decisions[0].roadmap_item_id == again.item_id
