"""Printouts embed every font they name and say who wrote them, about what, in which language."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from services.app import Services
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, get_spec


def _render(services: Services, kind: str, out: Path) -> None:
    spec = get_spec(kind, services.site.profile().role, out)
    spec.render(services, out, DocOptions(), NullProgress())


def _font_names(reader: PdfReader) -> set[str]:
    names: set[str] = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font")  # type: ignore[union-attr]
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


@pytest.mark.parametrize("kind", ["audit-blank", "audit", "roadmap", "ippr", "results"])
def test_no_font_is_named_without_being_embedded(
    school: Services, tmp_path: Path, kind: str
) -> None:
    school.demo.fill()
    out = tmp_path / f"{kind}.pdf"
    _render(school, kind, out)
    names = _font_names(PdfReader(out))
    assert names and not any("Helvetica" in n for n in names), names
    if shutil.which("pdffonts"):
        lines = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
        rows = lines.splitlines()[2:]
        assert rows and all(" yes " in row for row in rows), lines


def test_metadata_names_the_organisation_subject_and_language(
    school: Services, tmp_path: Path
) -> None:
    out = tmp_path / "blank.pdf"
    _render(school, "audit-blank", out)
    reader = PdfReader(out)
    meta = reader.metadata
    assert meta is not None
    assert meta.author == school.site.profile().site.full_name
    assert meta.subject and meta.title
    root = reader.trailer["/Root"].get_object()
    assert str(root["/Lang"]).startswith("ru")  # type: ignore[index]
