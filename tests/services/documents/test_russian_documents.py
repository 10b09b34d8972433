"""Every printable document, for organisations whose heads are women with double surnames.

The text is read back with pdftotext (pypdf when poppler is absent) and checked for what an
official would send back: lost initials, a nominative organisation after a position, another
organisation's head, «seq» jargon.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models import Role
from services.app import Services, build_services
from services.core.config import AppPaths
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, available
from tests.conftest import RESOURCES, memory_copy

SCHOOL_FULL = "Муниципальное бюджетное общеобразовательное учреждение «Лесная средняя школа»"
SCHOOL_GENITIVE = "муниципального бюджетного общеобразовательного учреждения «Лесная средняя"
DISTRICT_FULL = "Управление образования администрации Лесного района"
SCHOOL_HEAD = "Римская-Корсакова И.В."  # typed surname first, as in a staff list
DISTRICT_HEAD = "Мамина-Сибирячка Ольга Петровна"


def _text(pdf: Path) -> str:
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
        return " ".join(out.stdout.split())
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(pdf).pages).split())


def _site(template_db: Path, root: Path) -> Services:
    root.mkdir()
    return build_services(
        memory_copy(template_db), AppPaths(resources_dir=RESOURCES, data_dir=root)
    )


@pytest.fixture
def printed(template_db: Path, tmp_path: Path) -> dict[str, str]:
    """kind (role-prefixed) → text of every document both roles can print."""
    district = _site(template_db, tmp_path / "district")
    district.site.initialize(Role.DISTRICT, DISTRICT_FULL, "5105000001")
    school = _site(template_db, tmp_path / "school")
    school.site.initialize(Role.SCHOOL, SCHOOL_FULL, "5105012345")
    school.exchange.trust_district_card(district.exchange.own_card())
    school.demo.fill()
    district.demo.fill()
    school.site.update(director_name=SCHOOL_HEAD)
    district.site.update(director_name=DISTRICT_HEAD)
    package = school.exchange.export(tmp_path).path
    district.sync.enroll(package, school.exchange.own_card().fingerprint)
    log_id = district.sync.import_log()[0].id
    texts: dict[str, str] = {}
    for role, services in ((Role.SCHOOL, school), (Role.DISTRICT, district)):
        own_protocol = next(r.id for r in services.protocols.protocols() if r.own)
        options = DocOptions(
            package=package,
            log_id=log_id if role is Role.DISTRICT else None,
            protocol_id=own_protocol,
        )
        for spec in available(role):
            if spec.kind == "import" and options.log_id is None:
                continue
            out = tmp_path / f"{role.value}-{spec.kind}.pdf"
            if "pdf" not in spec.formats:
                continue
            spec.render(services, out, options, NullProgress())
            texts[f"{role.value}:{spec.kind}"] = _text(out)
    district.db.close()
    school.db.close()
    return texts


def test_every_document_names_heads_and_organisations_correctly(printed: dict[str, str]) -> None:
    assert {"school:roadmap", "school:audit", "school:ippr", "district:district-summary"} <= set(
        printed
    )
    for kind, text in printed.items():
        assert "И. Римская" not in text and "Римская-Корсакова И" not in text, kind
        assert "Директор Муниципальное" not in text, kind
        # the demo's own school name must not leak into another school's documents
        assert kind.startswith("district") or "Лодейнинск" not in text, kind
        assert "(seq)" not in text, kind
    for kind in ("school:roadmap", "school:audit", "school:ippr"):
        text = printed[kind]
        block = text.split("УТВЕРЖДАЮ", 1)[1][:250]  # the approval block, not the signatures
        assert f"Директор {SCHOOL_GENITIVE}" in block, kind
        assert "И.В. Римская-Корсакова" in block, kind
    assert "Период реализации с 1 сентября" in printed["school:ippr"]  # dates in words
    summary = printed["district:district-summary"]
    assert "О.П. Мамина-Сибирячка" in summary
    assert "Начальник управления образования администрации Лесного района" in summary
    assert "И.В. Римская-Корсакова" in printed["school:cover-sheet"]
    # a protocol is headed by its own organisation, whichever site prints it
    assert printed["school:protocol"].startswith(SCHOOL_FULL)
    assert printed["district:protocol"].startswith(DISTRICT_FULL)
