"""Each kind of damage keeps its own accurate message and its stable `code` (the table below).

Real signed and encrypted packages of an enrolled school, damaged byte by byte and imported at
the district: the outcome code, the reader's precise reason and the Russian message.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest

from services.packages.format import MANIFEST, PAYLOAD, SIGNATURE
from services.packages.parsing import MESSAGES
from services.sync.report import PACKAGE_CODES, Code
from tests.services.package_support import Pair, make_pair, members, rezip

Damage = Callable[[Pair, bytes], bytes]
DANGEROUS_TEXT = "посторонние или опасные файлы"
OTHER_ORGANISATION = "ключом другой организации"


def _sig_line(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """The package with the second line of its signature (base64 of "ED" + key id + sig) changed."""
    entries = dict(members(data))
    lines = entries[SIGNATURE].split(b"\n")
    lines[1] = base64.b64encode(change(base64.b64decode(lines[1])))
    entries[SIGNATURE] = b"\n".join(lines)
    return rezip(list(entries.items()))


def _flip(raw: bytes, at: int) -> bytes:
    return raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1 :]


def _without(name: str) -> Damage:
    return lambda _pair, data: rezip([(n, b) for n, b in members(data) if n != name])


def _resigned_comment(pair: Pair, data: bytes) -> bytes:
    entries = dict(members(data))
    entries[SIGNATURE] = pair.school.keys.sign(entries[MANIFEST], "opora package=x").encode()
    return rezip(list(entries.items()))


def _payload_flipped(_pair: Pair, data: bytes) -> bytes:
    entries = dict(members(data))
    entries[PAYLOAD] = _flip(entries[PAYLOAD], len(entries[PAYLOAD]) // 2)
    return rezip(list(entries.items()))


def _manifest_changed(_pair: Pair, data: bytes) -> bytes:
    entries = dict(members(data))
    entries[MANIFEST] = entries[MANIFEST].replace(b'"seq":2', b'"seq":9')
    return rezip(list(entries.items()))


def _legacy(_pair: Pair, data: bytes) -> bytes:
    return _sig_line(data, lambda raw: b"Ed" + raw[2:])


# damage kind → how it is made → code, the reader's reason, a phrase of its message
TABLE: list[tuple[str, Damage, Code, str, str]] = [
    ("a flipped signature byte", lambda _p, d: _sig_line(d, lambda r: _flip(r, 40)),
     Code.SIGNATURE, "bad-signature", "Подпись не сходится"),
    ("a flipped key id in the signature", lambda _p, d: _sig_line(d, lambda r: _flip(r, 4)),
     Code.SIGNATURE, "bad-signature", "Подпись не сходится"),
    ("the manifest changed after signing", _manifest_changed,
     Code.SIGNATURE, "bad-signature", "изменён после подписания"),
    ("a legacy signature", _legacy, Code.SIGNATURE, "legacy-signature", "устаревшим способом"),
    ("a signed comment of another package", _resigned_comment,
     Code.SIGNATURE, "comment-mismatch", "отметка пакета не совпадает"),
    ("no signature", _without(SIGNATURE), Code.SIGNATURE, "no-signature", "Пакет не подписан"),
    ("no payload", _without(PAYLOAD), Code.DAMAGED, "missing-part", "не хватает данных"),
    ("a foreign zip", lambda _p, _d: rezip([("word/document.xml", b"<x/>")]),
     Code.NOT_A_PACKAGE, "foreign-archive", "не пакет Опоры"),
    ("an extra member", lambda _p, d: rezip([*members(d), ("readme.txt", b"hi")]),
     Code.DANGEROUS, "member-names", DANGEROUS_TEXT),
    ("a symbolic link", lambda _p, d: rezip(members(d), links=("link",)),
     Code.DANGEROUS, "member-names", DANGEROUS_TEXT),
    ("a flipped payload byte", _payload_flipped, Code.DAMAGED, "payload-hash",
     "контрольная сумма не сходится"),
    ("a truncated file", lambda _p, d: d[: len(d) // 2], Code.DAMAGED, "truncated",
     "записан не полностью"),
    ("plain text", lambda _p, _d: b"not a package", Code.NOT_A_PACKAGE, "not-a-package",
     "не является архивом"),
    ("an empty file", lambda _p, _d: b"", Code.DAMAGED, "empty", "Файл пустой"),
]  # fmt: skip


@pytest.fixture(scope="module")
def enrolled(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Pair, bytes]:
    """An enrolled school (its № 1 imported) and the bytes of its № 2."""
    root = tmp_path_factory.mktemp("damage")
    pair = make_pair(template_db, root / "sites")
    pair.school.demo.fill()
    first = pair.export(root)
    pair.district.sync.enroll(first, pair.school.exchange.own_card().fingerprint)
    return pair, pair.export(root).read_bytes()


@pytest.mark.parametrize(("kind", "damage", "code", "detail", "phrase"), TABLE,
                         ids=[row[0] for row in TABLE])  # fmt: skip
def test_each_kind_of_damage_has_its_own_message_and_code(
    enrolled: tuple[Pair, bytes],
    tmp_path: Path,
    kind: str,
    damage: Damage,
    code: Code,
    detail: str,
    phrase: str,
) -> None:
    pair, data = enrolled
    path = tmp_path / "damaged.opora"
    path.write_bytes(damage(pair, data))
    [rep] = pair.district.sync.import_files([path], dry_run=True)
    assert (rep.verdict, rep.code, rep.detail) == ("refused", code, detail), (kind, rep.reason)
    assert phrase.lower() in rep.reason.lower(), (kind, rep.reason)
    if code is not Code.DANGEROUS:
        assert DANGEROUS_TEXT not in rep.reason, kind
    assert OTHER_ORGANISATION not in rep.reason, kind


def test_a_missing_file_is_unreadable(enrolled: tuple[Pair, bytes], tmp_path: Path) -> None:
    pair, _data = enrolled
    [rep] = pair.district.sync.import_files([tmp_path / "нет.opora"], dry_run=True)
    assert (rep.code, rep.detail) == (Code.UNREADABLE, "not-found") and "не найден" in rep.reason


def test_every_reason_of_the_reader_has_an_outcome_code() -> None:
    assert set(MESSAGES) <= set(PACKAGE_CODES)
    assert set(PACKAGE_CODES.values()) <= set(Code)
