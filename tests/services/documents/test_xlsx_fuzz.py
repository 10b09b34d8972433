"""Mutated real workbooks: every import ends in a result or a Russian refusal, never a traceback.

Runs a few seconds in `make test`; for a longer run set HYPOTHESIS_PROFILE=fuzz-long (see
README). The package reader has its own fuzzer in tests/services/packages/test_package.py.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.app import Services
from services.core.errors import AppError
from services.documents.spreadsheets import ImportMode, import_xlsx
from services.results.xlsx import write_results_template
from services.roadmap.xlsx import write_roadmap_template

settings.register_profile("fuzz-long", max_examples=5_000)
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz-long"
EXAMPLES = 5_000 if LONG else 25
COMMON = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,  # `make test` runs the same examples every time; the long run explores
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("fuzz")
    write_results_template(root / "results.xlsx")
    write_roadmap_template(root / "roadmap.xlsx")
    return {kind: (root / f"{kind}.xlsx").read_bytes() for kind in ("results", "roadmap")}


def _import(services: Services, kind: str, data: bytes, folder: Path) -> None:
    path = folder / "fuzzed.xlsx"
    path.write_bytes(data)
    try:
        import_xlsx(services, kind, path, ImportMode.APPEND)
    except AppError as exc:
        assert str(exc).strip(), "a refusal must say something"


@COMMON
@given(kind=st.sampled_from(["results", "roadmap"]), data=st.data())
def test_flipped_bytes_of_the_file(
    school: Services, originals: dict[str, bytes], tmp_path: Path, kind: str, data: st.DataObject
) -> None:
    mutated = bytearray(originals[kind])
    for _ in range(data.draw(st.integers(1, 6))):
        mutated[data.draw(st.integers(0, len(mutated) - 1))] = data.draw(st.integers(0, 255))
    _import(school, kind, bytes(mutated), tmp_path)


@COMMON
@given(kind=st.sampled_from(["results", "roadmap"]), data=st.data())
def test_damaged_parts_inside_a_sound_zip(
    school: Services, originals: dict[str, bytes], tmp_path: Path, kind: str, data: st.DataObject
) -> None:
    with zipfile.ZipFile(io.BytesIO(originals[kind])) as zf:
        parts = [(i.filename, zf.read(i)) for i in zf.infolist()]
    target = data.draw(st.integers(0, len(parts) - 1))
    body = bytearray(parts[target][1])
    action = data.draw(st.sampled_from(["flip", "cut", "drop", "insert"]))
    if action == "flip" and body:
        for _ in range(data.draw(st.integers(1, 4))):
            body[data.draw(st.integers(0, len(body) - 1))] = data.draw(st.integers(0, 255))
    elif action == "cut":
        body = body[: data.draw(st.integers(0, len(body)))]
    elif action == "insert":
        at = data.draw(st.integers(0, len(body)))
        body[at:at] = data.draw(st.binary(min_size=1, max_size=40))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, (member, content) in enumerate(parts):
            if n == target and action == "drop":
                continue
            zf.writestr(member, bytes(body) if n == target else content)
    _import(school, kind, out.getvalue(), tmp_path)
