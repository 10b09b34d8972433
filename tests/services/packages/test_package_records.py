"""The package reader's record checks (shape, nested values) on real signed, encrypted packages."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import services.packages.parsing as package_module
from services.core.db import head_revision
from services.packages.format import write_package
from services.packages.types import PackageError, PackageKind, Record
from tests.services.package_support import Pair, make_pair
from tests.services.sync_support import teacher


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Pair:
    """A district that trusts the school: only then does it read a package's records."""
    pair = make_pair(template_db, tmp_path / "sites")
    card = pair.school.exchange.own_card()
    pair.district.sync.enroll_card(card, card.fingerprint)
    return pair


def _read(pair: Pair, records: list[Record], tmp_path: Path) -> tuple[Record, ...]:
    data = write_package(
        keys=pair.school.keys,
        sender=pair.school.exchange.own_card(),
        recipient=pair.district.exchange.own_card(),
        kind=PackageKind.SCHOOL_REPORT,
        seq=1,
        prev="",
        schema=head_revision(),
        hlc=records[-1].row["hlc"],
        app_version="1.0",
        records=records,
        include_card=True,
    )
    path = tmp_path / "p.opora"
    path.write_bytes(data)
    return pair.district.exchange.verify(path).records


def test_scalar_values_of_every_json_type_are_read_as_written(pair: Pair, tmp_path: Path) -> None:
    owner = pair.school.site.profile().site.id
    rec = teacher("t1", owner, 1, mentor_id=None, experience_years=12)
    odd = Record("teacher", {**rec.row, "full_name": "", "deleted": True, "x": 1.5})
    assert _read(pair, [rec, odd], tmp_path) == (rec, odd)


@pytest.mark.parametrize(
    "value", [{"a": 1}, ["список"], [], {}, [[["deep"]]], {"a": {"b": {"c": None}}}]
)
def test_a_nested_value_refuses_the_package(pair: Pair, tmp_path: Path, value: Any) -> None:
    owner = pair.school.site.profile().site.id
    good = teacher("t1", owner, 1)
    bad = Record("teacher", {**teacher("t2", owner, 1).row, "notes": value})
    with pytest.raises(PackageError) as info:
        _read(pair, [good, bad], tmp_path)
    assert info.value.code == "bad-record"


@pytest.mark.parametrize("table", [["teacher"], {"t": 1}, 7, None, True, "peer"])
def test_a_table_name_that_is_not_a_synced_table_refuses_the_payload(table: Any) -> None:
    """(A list or an object as the name used to escape as TypeError and stop the whole run.)"""
    manifest = SimpleNamespace(package_id="p", sender_id="s", seq=1, counts={"teacher": 1})
    header = {"package_id": "p", "sender": "s", "seq": 1}
    lines = [header, {"table": table, "row": teacher("t1", "s", 1).row}]
    plain = b"\n".join(json.dumps(line).encode() for line in lines) + b"\n"
    with pytest.raises(PackageError) as info:
        package_module.parse_records(plain, manifest)  # type: ignore[arg-type]
    assert info.value.code == "bad-record"


def _old_line(raw: bytes) -> tuple[str, Any]:
    """The reader's line parser before the scanner fast path: json.loads, then a dict."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return "refused", None
    return ("ok", doc) if isinstance(doc, dict) else ("refused", None)


def _new_line(raw: bytes) -> tuple[str, Any]:
    try:
        return "ok", package_module._line(raw)
    except PackageError as exc:
        assert exc.code == "bad-record"
        return "refused", None


LINES = [
    b'{"table":"teacher","row":{"id":"a"}}', b' {"a":1}', b'{"a":1} ', b'{"a":1}\t\r',
    b'{"a":1}{"b":2}', b'{"a":1},', b'{"a":1', b"{", b"{}", b"[]", b'"x"', b"1", b"", b" ",
    b"null", b'{"a":NaN}', b'{"a":Infinity}', b'{"a":1,"a":2}', b'{"a":"\\ud800"}',
    b'{"a":"\xff"}', b'{"a":"\xd0"}', b'{"a":"\x01"}', b'{"a":1}\n', b"\xef\xbb\xbf{}",
    b"{" * 5000 + b"}" * 5000, b'{"a":' * 3000 + b"1" + b"}" * 3000,
]  # fmt: skip


@pytest.mark.parametrize("raw", LINES, ids=range(len(LINES)))
def test_line_parser_accepts_exactly_what_json_loads_accepts(raw: bytes) -> None:
    assert _new_line(raw) == _old_line(raw)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    JSON_VALUES,
    st.sampled_from(["", " ", "x", ",", "}", "\t", "{}"]),
    st.sampled_from(["", " ", "\n"]),
)
def test_line_parser_agrees_with_json_loads_on_generated_lines(
    value: Any, tail: str, head: str
) -> None:
    raw = (head + json.dumps(value) + tail).encode()
    assert _new_line(raw) == _old_line(raw) or (
        _new_line(raw)[0] == _old_line(raw)[0] == "ok"
        and json.dumps(_new_line(raw)[1]) == json.dumps(_old_line(raw)[1])  # NaN != NaN
    )
