"""Format 2: a program of format 1 stops at the version and says «Обновите Опору».

A format 1 reader (the program before model v2) checks the manifest's "counts" against the
tables it knows before it checks the version; a table it does not know there made it call the
package damaged. These tests hold the manifest to that reader's order of checks.
"""

from __future__ import annotations

import json
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from models.site import SchoolStatusBase
from services.district.curators import Curator
from services.packages.format import MANIFEST
from services.packages.parsing import _all_counts
from services.packages.types import FORMAT_1_TABLES, FORMAT_VERSION
from tests.conftest import FIXTURES
from tests.services.pair_support import Pair, make_pair


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    yield p
    p.close()


def _manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        return dict(json.loads(zf.read(MANIFEST)))


def format_1_verdict(manifest: dict[str, Any]) -> str:
    """What the format 1 reader answered, in its order: the counts, then the version."""
    counts = manifest["counts"]
    if not isinstance(counts, dict) or not set(counts) <= FORMAT_1_TABLES:
        return "bad-manifest"  # «Описание пакета повреждено…»
    if manifest["format_version"] != 1:
        return "format-version"  # «Пакет создан в более новом формате. Обновите Опору…»
    return "read"


def test_a_bulletin_with_new_tables_sends_a_format_1_school_to_update(pair: Pair) -> None:
    d = pair.district
    school_id = d.registry.schools()[0].site_id
    d.registry.set_status(SchoolStatusBase(school_id=school_id), [Curator("Петрова О. И.")])
    [path] = pair.send_bulletins()
    manifest = _manifest(path)
    assert manifest["format_version"] == FORMAT_VERSION == 2
    assert manifest["more_counts"] == {"school_curator": 1}
    assert format_1_verdict(manifest) == "format-version"
    # and this program reads it whole
    [rep] = pair.school.sync.import_files([path], dry_run=False)
    assert rep.verdict == "applied", rep.reason


def test_format_1_tables_are_what_the_previous_program_wrote(tmp_path: Path) -> None:
    with tarfile.open(FIXTURES / "v1_pair_rev0004.tar.gz") as tar:
        tar.extractall(tmp_path, filter="data")
    for name in ("package.opora", "bulletin.opora"):
        manifest = _manifest(tmp_path / name)
        assert manifest["format_version"] == 1 and "more_counts" not in manifest
        assert set(manifest["counts"]) <= FORMAT_1_TABLES


def test_a_table_counted_twice_is_a_damaged_manifest() -> None:
    with pytest.raises(ValueError, match="counts"):
        _all_counts({"counts": {"teacher": 1}, "more_counts": {"teacher": 2}})
    assert _all_counts({"counts": {"teacher": 1}}) == {"teacher": 1}
