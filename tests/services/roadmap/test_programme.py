"""Programme data: seed 001's programme entered through the service and printed in full."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from models import Role
from models.roadmap import RoadmapBase
from services.app import Services
from services.core.errors import Invalid
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, get_spec
from services.roadmap.programme import StaffFields
from services.roadmap.programme_pdf import period_text
from tests.services.roadmap.seed_programmes import (
    SEED_000_COORDINATOR,
    SEED_000_MECHANISMS,
    SEED_001_COORDINATOR,
    SEED_001_GOAL,
    SEED_001_MECHANISMS,
    SEED_001_PERIOD,
    SEED_001_STAFF,
    SEED_001_TASKS,
    SEED_001_TITLE,
    seed_001_mechanisms_text,
    seed_001_role,
)


def flat(text: str) -> str:
    """Whitespace-insensitive form: PDF text breaks lines (and hyphen-free words) anywhere."""
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    return flat("".join(page.extract_text() or "" for page in PdfReader(path).pages))


def enter_seed_001(d: Services) -> str:
    start, end = SEED_001_PERIOD
    rid = d.roadmap.save_roadmap(
        RoadmapBase(
            title=SEED_001_TITLE,
            period_start=start,
            period_end=end,
            goal=SEED_001_GOAL,
            tasks="\n".join(f"- {t}" for t in SEED_001_TASKS),
            mechanisms=seed_001_mechanisms_text(),
            coordinator=SEED_001_COORDINATOR,
        )
    )
    sections = {
        system: d.roadmap.add_section(rid, system)
        for _heading, systems in SEED_001_MECHANISMS
        for system in systems
    }
    for n, (person, job, mechanism) in enumerate(SEED_001_STAFF):
        # every other row names its section by the roadmap's section, the rest in words
        linked = n % 2 == 0 and mechanism in sections
        d.programme.add_staff(
            rid,
            StaffFields(
                person=person,
                job_title=job,
                role=seed_001_role(mechanism),
                curates="" if linked else mechanism,
                section_id=sections[mechanism] if linked else None,
            ),
        )
    return rid


def render(services: Services, out: Path) -> str:
    spec = get_spec("roadmap", Role.DISTRICT, out)
    spec.render(services, out, DocOptions(), NullProgress())
    return pdf_text(out)


def test_seed_001_programme_is_held_and_printed_in_full(district: Services, tmp_path: Path) -> None:
    rid = enter_seed_001(district)
    p = district.programme.programme(rid)
    assert [(r.person, r.job_title) for r in p.staff] == [(a, b) for a, b, _m in SEED_001_STAFF]
    assert [p.curated(r) for r in p.staff] == [m for _a, _b, m in SEED_001_STAFF]
    assert (p.roadmap.period_start, p.roadmap.period_end) == SEED_001_PERIOD

    text = render(district, tmp_path / "programme.pdf")
    expected = [SEED_001_TITLE, SEED_001_GOAL, *SEED_001_TASKS, SEED_001_COORDINATOR]
    expected += [heading for heading, _systems in SEED_001_MECHANISMS]
    expected += [system for _heading, systems in SEED_001_MECHANISMS for system in systems]
    expected += ["Сроки реализации: 2021–2024 годы", "Кадровое обеспечение реализации программы"]
    for person, job, mechanism in SEED_001_STAFF:
        expected += [person, job, seed_001_role(mechanism)]
    missing = [e for e in expected if flat(e) not in text]
    assert not missing


def test_seed_000_coordinator_and_mechanisms_are_printed(school: Services, tmp_path: Path) -> None:
    start, end = SEED_001_PERIOD
    school.roadmap.save_roadmap(
        RoadmapBase(title="Дорожная карта", period_start=start, period_end=end,
                    mechanisms=SEED_000_MECHANISMS, coordinator=SEED_000_COORDINATOR)
    )  # fmt: skip
    out = tmp_path / "roadmap.pdf"
    get_spec("roadmap", Role.SCHOOL, out).render(school, out, DocOptions(), NullProgress())
    text = pdf_text(out)
    for line in [*SEED_000_MECHANISMS.splitlines(), SEED_000_COORDINATOR]:
        assert flat(line) in text


def test_staff_rows_edit_move_delete_and_restore(district: Services) -> None:
    rid = enter_seed_001(district)
    svc = district.programme
    first, second = svc.programme(rid).staff[:2]
    svc.update_staff(first.id, first.fields().changed(job_title="Начальник отдела"))
    svc.move_staff(second.id, -1)
    svc.delete_staff(first.id)
    staff = svc.programme(rid).staff
    assert staff[0].id == second.id and first.id not in {r.id for r in staff}
    svc.restore_staff(first.id)
    back = next(r for r in svc.programme(rid).staff if r.id == first.id)
    assert back.job_title == "Начальник отдела"


def test_a_row_without_a_name_or_too_long_is_refused_and_nothing_is_written(
    district: Services,
) -> None:
    rid = enter_seed_001(district)
    before = district.programme.programme(rid).staff
    with pytest.raises(Invalid, match="ФИО"):
        district.programme.add_staff(rid, StaffFields(person="  ", role="Куратор"))
    with pytest.raises(Invalid, match="должность"):
        district.programme.add_staff(rid, StaffFields(person="Иванова И. И.", job_title="x" * 301))
    assert district.programme.programme(rid).staff == before


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ((2021, 1, 1), (2024, 12, 31), "2021–2024 годы"),
        ((2022, 1, 1), (2022, 12, 31), "2022 год"),
        ((2024, 9, 1), (2025, 8, 31), "2024/2025 учебный год"),
        ((2021, 9, 1), (2024, 8, 31), "2021/2022–2023/2024 учебные годы"),
        ((2021, 2, 1), (2021, 5, 31), "с 1 февраля 2021 г. по 31 мая 2021 г."),
    ],
)
def test_period_text(start: tuple[int, int, int], end: tuple[int, int, int], text: str) -> None:
    from datetime import date

    assert period_text(date(*start), date(*end)) == text


def test_the_district_spravka_prints_the_municipal_programme_and_every_curator(
    district: Services, tmp_path: Path
) -> None:
    from services.district.curators import Curator
    from services.district.schools import RegistryService
    from tests.services.district_support import YEAR, craft

    cast = craft(district)
    enter_seed_001(district)
    entry = next(e for e in district.registry.schools() if e.site_id == cast.low)
    RegistryService(district.db).set_status(
        entry.status,
        [*entry.curators, Curator("Расческина Ольга Дмитриевна", "заместитель директора",
                                  "МОУ «СОШ № 4 г. Балабаново»", "8 (48438) 6-00-00")],
    )  # fmt: skip
    out = tmp_path / "spravka.pdf"
    spec = get_spec("district-summary", Role.DISTRICT, out)
    spec.render(district, out, DocOptions(year=YEAR), NullProgress())
    text = pdf_text(out)
    expected = ["7. Муниципальная программа", SEED_001_TITLE, SEED_001_GOAL, *SEED_001_TASKS,
                SEED_001_COORDINATOR, "Сроки реализации: 2021–2024 годы", "8. Кураторы школ",
                "Гайдай Е. В.", "Расческина Ольга Дмитриевна",
                "заместитель директора, МОУ «СОШ № 4 г. Балабаново»", "8 (48438) 6-00-00",
                entry.title]  # fmt: skip
    for person, job, mechanism in SEED_001_STAFF:
        expected += [person, job, seed_001_role(mechanism)]
    assert [e for e in expected if flat(e) not in text] == []


def test_a_row_still_names_the_section_it_curated_after_the_section_is_deleted(
    district: Services,
) -> None:
    rid = enter_seed_001(district)
    first = district.programme.programme(rid).staff[0]
    assert first.section_id is not None and not first.curates
    district.roadmap.delete_section(first.section_id)
    p = district.programme.programme(rid)
    assert p.curated(p.staff[0]) == SEED_001_STAFF[0][2]
    assert first.section_id not in {x.id for x in p.sections}  # not offered for new rows
