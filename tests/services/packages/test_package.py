"""Packages: round trip, interoperability with minisign and age, hostile containers."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.packages import minisign
from services.packages.format import PAYLOAD, read_package
from services.packages.keys import read_card, write_card
from services.packages.types import PackageError
from tests.services.package_support import Pair, make_pair, make_site, members, rezip


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Pair:
    return make_pair(template_db, tmp_path / "sites")


@pytest.fixture
def exported(pair: Pair, tmp_path: Path) -> tuple[Pair, bytes]:
    pair.school.demo.fill()  # the demo gives the package real content
    path = pair.export(tmp_path)
    return pair, path.read_bytes()


def _district_read(pair: Pair, data: bytes, tmp_path: Path, name: str = "x.opora") -> object:
    path = tmp_path / name
    path.write_bytes(data)
    return pair.district_reads(path)


def test_round_trip_school_and_district_read_the_same_records(
    exported: tuple[Pair, bytes], tmp_path: Path
) -> None:
    pair, data = exported
    path = tmp_path / "p.opora"
    path.write_bytes(data)
    unknown = pair.district.exchange.verify(path)
    assert not unknown.signer_known  # not enrolled yet: the merge engine quarantines it
    # read no further than the manifest and signature before the sender is trusted
    assert not unknown.payload_read and unknown.records == ()
    card = pair.school.exchange.own_card()
    pair.district.sync.enroll_card(card, card.fingerprint)
    at_district = pair.district.exchange.verify(path)
    at_school = pair.school.exchange.verify(path)  # the school can read back its own package
    assert at_district.records == at_school.records
    assert at_district.signer_known and at_school.signer_known
    m = at_district.manifest
    assert m.seq == 1 and m.prev == "" and m.sender_card is not None
    assert sum(m.counts.values()) == len(at_district.records) > 100
    assert {r.table for r in at_district.records} >= {"site", "roadmap_item", "vpr_result"}
    assert at_district.signer_fingerprint == pair.school.exchange.own_card().fingerprint
    second = pair.export(tmp_path)
    again = pair.district_reads(second)
    assert again.manifest.seq == 2
    assert again.manifest.prev == hashlib.sha256(data).hexdigest()


def test_members_are_exactly_three_and_the_payload_is_encrypted(
    exported: tuple[Pair, bytes],
) -> None:
    _pair, data = exported
    entries = dict(members(data))
    assert sorted(entries) == ["manifest.json", "manifest.json.minisig", "payload"]
    assert entries[PAYLOAD].startswith(b"age-encryption.org/v1")
    assert "Лодейнинская".encode() not in entries[PAYLOAD]
    manifest = entries["manifest.json"]
    doc = json.loads(manifest)
    assert manifest == json.dumps(doc, sort_keys=True, ensure_ascii=False,
                                  separators=(",", ":")).encode()  # fmt: skip


@pytest.mark.skipif(shutil.which("minisign") is None, reason="minisign not installed")
def test_stock_minisign_verifies_our_signature(
    exported: tuple[Pair, bytes], tmp_path: Path
) -> None:
    pair, data = exported
    entries = dict(members(data))
    (tmp_path / "manifest.json").write_bytes(entries["manifest.json"])
    (tmp_path / "manifest.json.minisig").write_bytes(entries["manifest.json.minisig"])
    key = pair.school.exchange.own_card().signing_key
    result = subprocess.run(["minisign", "-Vm", str(tmp_path / "manifest.json"), "-P", key],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Signature and comment signature verified" in result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("minisign") is None, reason="minisign not installed")
def test_our_reader_accepts_a_signature_made_by_stock_minisign(tmp_path: Path) -> None:
    sec, pub, msg = tmp_path / "k.sec", tmp_path / "k.pub", tmp_path / "m.json"
    subprocess.run(["minisign", "-G", "-W", "-p", str(pub), "-s", str(sec)], check=True,
                   capture_output=True)  # fmt: skip
    msg.write_bytes(b'{"hello":"world"}')
    subprocess.run(["minisign", "-S", "-s", str(sec), "-m", str(msg), "-t", "opora test"],
                   check=True, capture_output=True)  # fmt: skip
    key = minisign.PublicKey.from_base64(pub.read_text().splitlines()[1])
    sig = minisign.parse((tmp_path / "m.json.minisig").read_bytes())
    assert minisign.verify(msg.read_bytes(), sig, key) == "opora test"
    with pytest.raises(minisign.SignatureError):
        minisign.verify(b'{"hello":"World"}', sig, key)


@pytest.mark.skipif(shutil.which("age") is None, reason="age not installed")
def test_stock_age_decrypts_our_payload_with_the_district_identity(
    exported: tuple[Pair, bytes], tmp_path: Path
) -> None:
    pair, data = exported
    (tmp_path / "payload").write_bytes(dict(members(data))[PAYLOAD])
    identity = tmp_path / "id.txt"
    identity.write_text(str(pair.district.keys.age_identity) + "\n")
    out = subprocess.run(["age", "-d", "-i", str(identity), str(tmp_path / "payload")],
                         capture_output=True, check=True).stdout  # fmt: skip
    first = json.loads(gzip.decompress(out).split(b"\n")[0])
    assert first["seq"] == 1


def test_cards_round_trip_and_a_swapped_key_changes_the_fingerprint(
    pair: Pair, tmp_path: Path
) -> None:
    card = pair.district.exchange.own_card()
    write_card(tmp_path / "d.card", card)
    assert read_card(tmp_path / "d.card") == card
    doc = json.loads((tmp_path / "d.card").read_text(encoding="utf-8"))
    doc["age_recipient"] = pair.school.exchange.own_card().age_recipient
    (tmp_path / "forged.card").write_text(json.dumps(doc), encoding="utf-8")
    assert read_card(tmp_path / "forged.card").fingerprint != card.fingerprint
    assert len(card.fingerprint) == 19 and card.fingerprint.count(" ") == 3
    keys = pair.district.paths.keys_dir
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in keys.iterdir())


# -- hostile containers: each refused with its own code ------------------------------------


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def _replace(data: bytes, name: str, body: bytes) -> bytes:
    return rezip([(n, body if n == name else b) for n, b in members(data)])


def _refused(pair: Pair, data: bytes, tmp_path: Path) -> str:
    with pytest.raises(PackageError) as info:
        _district_read(pair, data, tmp_path)
    assert str(info.value)  # a Russian message
    return info.value.code


def test_flipped_bytes_in_each_member_are_refused(
    exported: tuple[Pair, bytes], tmp_path: Path
) -> None:
    pair, data = exported
    entries = dict(members(data))
    payload = _replace(data, PAYLOAD, _flip(entries[PAYLOAD], len(entries[PAYLOAD]) // 2))
    assert _refused(pair, payload, tmp_path) == "payload-hash"
    manifest = _replace(
        data, "manifest.json", entries["manifest.json"].replace(b'"seq":1', b'"seq":7')
    )
    assert _refused(pair, manifest, tmp_path) == "bad-signature"
    lines = entries["manifest.json.minisig"].split(b"\n")
    sig = base64.b64decode(lines[1])
    lines[1] = base64.b64encode(sig[:20] + bytes([sig[20] ^ 1]) + sig[21:])
    assert (
        _refused(pair, _replace(data, "manifest.json.minisig", b"\n".join(lines)), tmp_path)
        == "bad-signature"
    )
    lines = entries["manifest.json.minisig"].split(b"\n")
    lines[2] = lines[2].replace(b"seq=1", b"seq=2")
    assert (
        _refused(pair, _replace(data, "manifest.json.minisig", b"\n".join(lines)), tmp_path)
        == "bad-signature"
    )


def test_a_trusted_comment_that_disagrees_with_the_manifest(
    exported: tuple[Pair, bytes], tmp_path: Path
) -> None:
    pair, data = exported
    body = dict(members(data))["manifest.json"]
    resigned = pair.school.keys.sign(body, "opora package=x sender=y seq=99 schema=0002")
    forged = _replace(data, "manifest.json.minisig", resigned.encode())
    assert _refused(pair, forged, tmp_path) == "comment-mismatch"


def test_a_legacy_signature_is_refused(exported: tuple[Pair, bytes], tmp_path: Path) -> None:
    pair, data = exported
    lines = dict(members(data))["manifest.json.minisig"].split(b"\n")
    raw = base64.b64decode(lines[1])
    lines[1] = base64.b64encode(b"Ed" + raw[2:])
    forged = _replace(data, "manifest.json.minisig", b"\n".join(lines))
    assert _refused(pair, forged, tmp_path) == "legacy-signature"


@pytest.mark.parametrize(
    "bad_name",
    ["../payload", "/etc/payload", "C:/payload", "dir\\payload", "pay\x00load", "sub/payload"],
)
def test_dangerous_member_names_are_refused(
    exported: tuple[Pair, bytes], tmp_path: Path, bad_name: str
) -> None:
    pair, data = exported
    entries = [(bad_name if n == PAYLOAD else n, b) for n, b in members(data)]
    assert _refused(pair, rezip(entries), tmp_path) == "member-names"


def test_duplicates_directories_links_and_extra_members_are_refused(
    exported: tuple[Pair, bytes], tmp_path: Path
) -> None:
    pair, data = exported
    entries = members(data)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name we want
        twice = rezip([entries[0], *entries])
    assert _refused(pair, twice, tmp_path) == "member-names"
    assert _refused(pair, rezip(entries, dirs=("docs/",)), tmp_path) == "member-names"
    assert _refused(pair, rezip(entries, links=("link",)), tmp_path) == "member-names"
    assert _refused(pair, rezip([*entries, ("readme.txt", b"hi")]), tmp_path) == "member-names"


def test_a_zip_bomb_and_a_lying_header_are_refused(
    exported: tuple[Pair, bytes], tmp_path: Path
) -> None:
    pair, data = exported
    bigger = dict(members(data))[PAYLOAD] + b"\x00" * 5_000_000  # real size beyond the signed
    assert _refused(pair, _replace(data, PAYLOAD, bigger), tmp_path) == "payload-size"
    lying = bytearray(data)
    # The central directory claims a smaller uncompressed size for the payload than it has.
    start = 0
    while (pos := lying.find(b"PK\x01\x02", start)) >= 0:
        name_len = int.from_bytes(lying[pos + 28 : pos + 30], "little")
        if bytes(lying[pos + 46 : pos + 46 + name_len]) == PAYLOAD.encode():
            lying[pos + 24 : pos + 28] = (100).to_bytes(4, "little")
        start = pos + 4
    assert _refused(pair, bytes(lying), tmp_path) == "payload-size"


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.999])
def test_truncated_files_are_refused(
    exported: tuple[Pair, bytes], tmp_path: Path, cut: float
) -> None:
    pair, data = exported
    assert _refused(pair, data[: int(len(data) * cut)], tmp_path) in {"truncated", "not-a-package"}


def test_empty_file_other_zip_and_plain_text_are_refused(
    exported: tuple[Pair, bytes], tmp_path: Path
) -> None:
    pair, _data = exported
    assert _refused(pair, b"", tmp_path) == "empty"
    assert _refused(pair, rezip([("document.xml", b"<x/>")]), tmp_path) == "foreign-archive"
    assert _refused(pair, b"hello, this is not a package", tmp_path) == "not-a-package"


def test_a_payload_encrypted_to_another_district_is_refused(
    template_db: Path, tmp_path: Path
) -> None:
    first = make_pair(template_db, tmp_path / "one")
    other = make_site(template_db, tmp_path / "two", first.district.site.profile().role,
                      "Другое управление", "52")  # fmt: skip
    first.school.demo.fill()
    path = first.export(tmp_path)
    with pytest.raises(PackageError) as info:
        other.exchange.verify(path)
    assert info.value.code == "wrong-recipient"


def test_a_package_resigned_by_another_enrolled_school_is_refused(
    exported: tuple[Pair, bytes], template_db: Path, tmp_path: Path
) -> None:
    pair, data = exported
    intruder = make_site(template_db, tmp_path / "intruder",
                         pair.school.site.profile().role, "МОУ Другая СОШ", "4702")  # fmt: skip
    card = intruder.exchange.own_card()
    from datetime import UTC, datetime

    from models import Peer, PeerStatus, Role

    with pair.district.db.session(stamp=False) as s:
        s.add(Peer(site_id=card.site_id, role=Role.SCHOOL, name=card.name, code=card.code,
                   signing_key=card.signing_key, key_id=card.key_id,
                   age_recipient=card.age_recipient, fingerprint=card.fingerprint,
                   status=PeerStatus.TRUSTED, added_at=datetime.now(UTC)))  # fmt: skip
    entries = dict(members(data))
    body = entries["manifest.json"]
    doc = json.loads(body)
    comment = (f"opora package={doc['package_id']} sender={doc['sender_id']} "
               f"seq={doc['seq']} schema={doc['schema']}")  # fmt: skip
    forged = _replace(data, "manifest.json.minisig", intruder.keys.sign(body, comment).encode())
    assert _refused(pair, forged, tmp_path) == "signer-mismatch"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_fuzz_no_mutation_is_ever_accepted_as_different_content(
    exported: tuple[Pair, bytes], tmp_path: Path, data: st.DataObject
) -> None:
    pair, original = exported
    own = pair.district.site.profile().site.id
    reference = read_package(original, keys=pair.district.keys, own_site_id=own,
                             lookup_signer=lambda _k: None)  # fmt: skip
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(mutated) - 1))
        mutated[index] = data.draw(st.integers(0, 255))
    try:
        result = read_package(bytes(mutated), keys=pair.district.keys, own_site_id=own,
                              lookup_signer=lambda _k: None)  # fmt: skip
    except PackageError:
        return
    assert result.manifest == reference.manifest and result.records == reference.records
