"""«Школы» and the import log show the Опора version and schema of each school's packages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from services.core.db import known_revisions
from services.sync.merge import package_schema
from services.sync.pdf import write_import_log_xlsx, write_import_report
from tests.services.pair_support import Pair, make_pair

OLD_VERSION, OLD_SCHEMA = "1.2.0", "0007"


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    yield p
    p.close()


def _send_from_older_opora(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    """The school's next package as Опора 1.2.0 of schema 0007 writes it, imported."""
    monkeypatch.setattr(pair.school.exchange, "_version", OLD_VERSION)
    monkeypatch.setattr("services.exchange.service.package_schema", lambda: OLD_SCHEMA)
    path = pair.school_package()
    [report] = pair.district.sync.import_files([path], dry_run=False)
    assert report.verdict == "applied", report.reason


def test_the_registry_shows_the_last_applied_packages_version(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    [entry] = pair.district.registry.schools()
    current = pair.school.exchange._version  # what the first (enrolling) package said
    assert (entry.app_version, entry.schema) == (current, package_schema())
    assert not entry.schema_outdated

    _send_from_older_opora(pair, monkeypatch)

    [entry] = pair.district.registry.schools()
    assert (entry.app_version, entry.schema) == (OLD_VERSION, OLD_SCHEMA)
    assert entry.version_text == "1.2.0, схема 0007"
    assert known_revisions().index(OLD_SCHEMA) < known_revisions().index(package_schema())
    assert entry.schema_outdated


def _pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_import_report_prints_each_packages_version(
    pair: Pair, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _send_from_older_opora(pair, monkeypatch)
    newest, first = pair.district.sync.import_log()
    assert (newest.app_version, newest.schema) == (OLD_VERSION, OLD_SCHEMA)
    fonts = pair.district.paths.fonts_dir
    pdf = tmp_path / "import.pdf"
    write_import_report(pdf, newest, "Управление", fonts)
    text = " ".join(_pdf_text(pdf).split())
    assert "Версия Опоры отправителя" in text and "1.2.0, схема 0007" in text

    xlsx = tmp_path / "log.xlsx"
    write_import_log_xlsx(xlsx, [newest, first])
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if "Версия Опоры" in r)
    at_version, at_schema = header.index("Версия Опоры"), header.index("Схема")
    body = rows[rows.index(header) + 1 :]
    assert [(r[at_version], r[at_schema]) for r in body[:2]] == [
        (OLD_VERSION, OLD_SCHEMA),
        (first.app_version, package_schema()),
    ]
