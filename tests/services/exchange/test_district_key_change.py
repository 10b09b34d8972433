"""The district changes its own key: the next bulletin, signed by the old key, introduces the new
card; the school applies nothing until a person types the new fingerprint read out by phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models import SYNC_TABLES, Peer, PeerStatus
from services.app import Services
from services.core.errors import Invalid
from services.packages.format import write_package
from services.packages.keys import RETIRED_PREFIX, KeyStore
from services.packages.rotation import introduction
from services.packages.types import PackageKind, SiteCard
from services.sync.merge import package_schema
from tests.services.pair_support import Pair, make_pair


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    yield p
    p.close()


def _dump(services: Services) -> dict[str, list[dict[str, Any]]]:
    """Every synced row and every peer row, to compare before and after."""
    with services.db.session(stamp=False) as s:
        dump = {
            str(m.__tablename__): sorted(
                (r.model_dump(mode="json") for r in s.exec(select(m))), key=lambda d: d["id"]
            )
            for m in SYNC_TABLES
        }
        dump["peer"] = sorted(
            (p.model_dump(mode="json") for p in s.exec(select(Peer))), key=lambda d: d["id"]
        )
    return dump


def _one_bulletin(pair: Pair) -> Path:
    [result] = pair.district.bulletin.export_bulletins(pair.out)
    return result.path


def _rotated(pair: Pair) -> tuple[str, str, Path]:
    """Bulletin № 1 applied at the school, the key changed, bulletin № 2 (the introduction)."""
    [first] = pair.school.sync.import_files([_one_bulletin(pair)], dry_run=False)
    assert first.verdict == "applied", first.reason
    old_fp = pair.district.exchange.own_card().fingerprint
    rotated = pair.district.district_key.rotate()
    assert rotated.old_fingerprint == old_fp and rotated.waiting == ("МОУ Лодейнинская СОШ",)
    [result] = pair.district.bulletin.export_bulletins(pair.out)
    assert result.introduces_key and result.seq == 2
    return old_fp, rotated.fingerprint, result.path


def test_the_introduction_waits_for_the_typed_fingerprint_then_applies(pair: Pair) -> None:
    old_fp, new_fp, intro = _rotated(pair)
    assert new_fp != old_fp
    assert pair.district.exchange.own_card().fingerprint == new_fp  # «my key» shows the new one
    assert pair.district.district_key.state().fingerprint == new_fp
    assert pair.district.district_key.state().waiting == ()
    [rep] = pair.school.sync.import_files([intro], dry_run=False)
    assert (rep.verdict, rep.code) == ("quarantined", "district-key-change")
    assert "сменило свой ключ" in rep.reason and "Позвоните в управление" in rep.reason
    shown = " ".join((rep.reason, rep.summary(), rep.fingerprint))
    assert new_fp not in shown  # confirmed by the person, never revealed
    assert pair.school.exchange.district_card().fingerprint == old_fp  # type: ignore[union-attr]

    enrolled = pair.school.sync.enroll(intro, new_fp.lower().replace(" ", "-"))
    assert enrolled.report is not None and enrolled.report.verdict == "applied"
    assert pair.school.exchange.district_card().fingerprint == new_fp  # type: ignore[union-attr]
    with pair.school.db.session(stamp=False) as s:
        old = s.exec(select(Peer).where(Peer.fingerprint == old_fp)).one()
        assert (old.status, old.accept_up_to_seq) == (PeerStatus.REVOKED, 2)
    [again] = pair.school.sync.import_files([intro], dry_run=False)
    assert again.code == "already"
    [third] = pair.district.bulletin.export_bulletins(pair.out)
    assert third.seq == 3 and not third.introduces_key  # numbers go on, the new key signs
    [rep3] = pair.school.sync.import_files([third.path], dry_run=False)
    assert rep3.verdict == "applied" and rep3.fingerprint == new_fp


def test_a_wrong_fingerprint_changes_nothing(pair: Pair) -> None:
    old_fp, _new_fp, intro = _rotated(pair)
    pair.school.sync.import_files([intro], dry_run=False)
    before = _dump(pair.school)
    for typed in (old_fp, "AAAA BBBB CCCC DDDD", ""):
        with pytest.raises(Invalid, match="не совпадает"):
            pair.school.sync.enroll(intro, typed)
    assert _dump(pair.school) == before


def test_the_school_still_reaches_the_district_before_it_confirms(pair: Pair) -> None:
    _rotated(pair)
    # The school still encrypts to the old age recipient: the district keeps that identity.
    [rep] = pair.district.sync.import_files([pair.school_package()], dry_run=False)
    assert rep.verdict == "applied", rep.reason


def _old_keys(pair: Pair) -> tuple[KeyStore, SiteCard]:
    old = KeyStore(pair.district.keys.directory, prefix=RETIRED_PREFIX)
    return old, old.card(pair.district.site.profile())


def _forge(pair: Pair, keys: KeyStore, card: SiteCard, seq: int, **kw: Any) -> Path:
    school = pair.school.exchange.own_card()
    data = write_package(
        keys=keys, sender=card, recipient=school, kind=PackageKind.DISTRICT_BULLETIN, seq=seq,
        prev="", schema=package_schema(), hlc=pair.district.db.clock.now(), app_version="1",
        records=[], include_card=True, **kw,
    )  # fmt: skip
    path = pair.out / f"forged-{seq}-{len(list(pair.out.iterdir()))}.opora"
    path.write_bytes(data)
    return path


def test_the_old_key_is_refused_after_the_introduction(pair: Pair) -> None:
    _old_fp, new_fp, intro = _rotated(pair)
    pair.school.sync.enroll(intro, new_fp)
    old, card = _old_keys(pair)
    [rep] = pair.school.sync.import_files([_forge(pair, old, card, 3)], dry_run=False)
    assert (rep.verdict, rep.code) == ("refused", "revoked")
    assert "Прежний ключ управления заменён новым" in rep.reason and "до № 2" in rep.reason


def test_a_forged_introduction_is_refused(pair: Pair, tmp_path: Path) -> None:
    _rotated(pair)
    old, card = _old_keys(pair)
    new = pair.district.keys
    new_card = new.card(pair.district.site.profile())
    stranger = KeyStore(tmp_path / "stranger")
    stranger.ensure()
    before = _dump(pair.school)
    # the new card «signed» by a key that is not the new one
    unsigned = introduction(stranger, new_card, card.key_id)
    [rep] = pair.school.sync.import_files(
        [_forge(pair, old, card, 3, successor=unsigned)], dry_run=False
    )
    assert (rep.verdict, rep.code, rep.detail) == ("refused", "signature", "bad-successor")
    # a genuine-looking introduction signed by a key the school does not trust
    fake_card = stranger.card(pair.district.site.profile())  # claims the district's site
    forged = introduction(new, new_card, fake_card.key_id)
    [rep] = pair.school.sync.import_files(
        [_forge(pair, stranger, fake_card, 4, successor=forged)], dry_run=False
    )
    assert (rep.verdict, rep.code) == ("refused", "unknown-sender")
    assert rep.fingerprint == ""
    assert _dump(pair.school) == before


def test_numbers_continue_and_a_second_change_waits_for_the_first(pair: Pair) -> None:
    _old_fp, new_fp, _intro = _rotated(pair)
    numbers = (pair.district.keys.directory / "package-numbers.json").read_text()
    assert '": 2' in numbers
    pair.district.keys.reload()
    rotated = pair.district.district_key.rotate()  # the first change was told: allowed
    assert rotated.fingerprint != new_fp
    with pytest.raises(Invalid, match="ещё не сообщена школам"):
        pair.district.district_key.rotate()
    [result] = pair.district.bulletin.export_bulletins(pair.out)
    assert result.seq == 3 and result.introduces_key


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_the_district_reads_its_new_fingerprint_from_its_cover_sheet(pair: Pair) -> None:
    from services.core.progress import NullProgress
    from services.documents import DocOptions, get_spec

    old_fp, new_fp, intro = _rotated(pair)
    for services, name in ((pair.district, "district.pdf"), (pair.school, "school.pdf")):
        out = pair.out / name
        spec = get_spec("cover-sheet", services.site.profile().role, out)
        spec.render(services, out, DocOptions(package=intro), NullProgress())
        text = " ".join(_pdf_text(out).split())
        assert old_fp in text  # the key that signed the bulletin
        # the district prints the new key it reads out; the school never sees it printed
        assert (new_fp in text) is (services is pair.district), name


def test_a_bulletin_of_the_new_key_waits_for_the_introduction(pair: Pair) -> None:
    """Bulletins loaded out of order: the new key's one waits, and loads with the introduction."""
    _old_fp, new_fp, intro = _rotated(pair)
    [third] = pair.district.bulletin.export_bulletins(pair.out)
    [early] = pair.school.sync.import_files([third.path], dry_run=False)
    assert (early.verdict, early.code) == ("quarantined", "quarantined-new-key")
    assert "новым ключом управления" in early.reason and early.fingerprint == ""
    assert new_fp not in early.reason
    # the school's window shows this reason: it names what to do there, never a command
    assert "python" not in early.reason and "--confirm" not in early.reason
    enrolled = pair.school.sync.enroll(intro, new_fp)
    assert [r.seq for r in enrolled.released] == [3]
    assert [r.verdict for r in enrolled.reports] == ["applied", "applied"]


def test_a_school_package_cannot_introduce_a_key(pair: Pair, tmp_path: Path) -> None:
    school = pair.school
    profile = school.site.profile()
    new = KeyStore(tmp_path / "school-new")
    new.ensure()
    old_card = school.keys.card(profile)
    data = write_package(
        keys=school.keys, sender=old_card, recipient=pair.district.exchange.own_card(),
        kind=PackageKind.SCHOOL_REPORT, seq=2, prev="", schema=package_schema(),
        hlc=school.db.clock.now(), app_version="1", records=[], include_card=True,
        successor=introduction(new, new.card(profile), old_card.key_id),
    )  # fmt: skip
    path = pair.out / "school-successor.opora"
    path.write_bytes(data)
    [rep] = pair.district.sync.import_files([path], dry_run=False)
    assert (rep.verdict, rep.code, rep.detail) == ("refused", "signature", "bad-successor")
