"""The key vault: a district's keys sealed with a passphrase, used by the real package paths."""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from models import AppState, KeyVault, Role
from services.app import Services, build_services
from services.core.config import AppPaths
from services.core.db import Database
from services.core.errors import Conflict, Invalid
from services.packages import minisign, vault
from services.packages.key_source import KeysLocked, VaultKeyStore
from services.packages.keys import KeyStore
from tests.conftest import RESOURCES, memory_copy

PHRASE = "зелёный трамвай едет в Тулу"
OTHER = "синий троллейбус стоит у депо"


def _installation(template_db: Path, root: Path, role: Role, name: str, code: str) -> Services:
    """An installation on a real database file, as the program runs it."""
    root.mkdir()
    paths = AppPaths(resources_dir=RESOURCES, data_dir=root)
    shutil.copy(template_db, paths.db_path)
    services = build_services(Database.open(paths.db_path), paths)
    services.site.initialize(role, name, code)
    return services


class Sites:
    def __init__(self, template_db: Path, tmp_path: Path) -> None:
        self.out = tmp_path / "stick"
        self.out.mkdir()
        self.district = _installation(
            template_db,
            tmp_path / "district",
            Role.DISTRICT,
            "Управление образования",
            "5105000001",
        )
        self.school = build_services(
            memory_copy(template_db),
            AppPaths(resources_dir=RESOURCES, data_dir=tmp_path / "school"),
        )
        self.school.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
        self.school.exchange.trust_district_card(self.district.exchange.own_card())
        self.school.demo.fill()
        first = self.school.exchange.export(self.out).path
        fingerprint = self.school.exchange.own_card().fingerprint
        report = self.district.sync.enroll(first, fingerprint).report
        assert report is not None and report.verdict == "applied"

    def reopen_district(self) -> Services:
        """The district's services as the next start builds them (the vault setting read)."""
        self.district = build_services(self.district.db, self.district.paths)
        return self.district

    def close(self) -> None:
        self.district.db.close()
        self.school.db.close()


@pytest.fixture
def sites(template_db: Path, tmp_path: Path) -> Iterator[Sites]:
    s = Sites(template_db, tmp_path)
    yield s
    s.close()


def _sealed(sites: Sites) -> Services:
    d = sites.district
    vault.seal_files(d.db, d.paths.keys_dir, PHRASE, login="ivanova")
    return sites.reopen_district()


def test_sealed_keys_sign_bulletins_and_open_school_packages_once_unlocked(sites: Sites) -> None:
    card_before = sites.district.exchange.own_card()
    [first] = sites.district.bulletin.export_bulletins(sites.out)  # seq 1, by the key files
    d = _sealed(sites)
    assert isinstance(d.keys, VaultKeyStore) and d.keys.locked
    assert not (d.paths.keys_dir / "signing.key").exists()  # the plaintext files are gone
    assert d.exchange.own_card() == card_before  # the card needs no passphrase

    with pytest.raises(KeysLocked, match="зашифрованы парольной фразой"):
        d.bulletin.export_bulletins(sites.out)
    d.keys.unlock(PHRASE)
    [second] = d.bulletin.export_bulletins(sites.out)
    assert second.seq == first.seq + 1  # the number continues from the files'
    for path in (first.path, second.path):
        [rep] = sites.school.sync.import_files([path], dry_run=False)
        assert rep.verdict == "applied", rep.reason

    package = sites.school.exchange.export(sites.out).path  # encrypted to the district
    [rep] = d.sync.import_files([package], dry_run=False)
    assert rep.verdict == "applied" and rep.seq == 2, rep.reason
    with d.db.session(stamp=False) as s:
        signing = s.get(KeyVault, vault.SIGNING)
        assert signing is not None and signing.created_by == "ivanova"
        assert f'"bulletin.seq.{second.school_id}": 2' in signing.numbers


@pytest.mark.slow
def test_a_restored_older_database_does_not_reuse_a_number_kept_in_the_vault(
    sites: Sites,
) -> None:
    d = _sealed(sites)
    d.keys.unlock(PHRASE)
    [one] = d.bulletin.export_bulletins(sites.out)
    with d.db.session(stamp=False) as s:  # as if the bookkeeping went back a package
        state = s.get(AppState, f"bulletin.seq.{one.school_id}")
        assert state is not None
        state.value = "0"
        s.add(state)
    [two] = d.bulletin.export_bulletins(sites.out)
    assert two.seq == one.seq + 1


def test_a_wrong_passphrase_opens_nothing_and_changes_nothing(sites: Sites) -> None:
    d = _sealed(sites)
    with d.db.session(stamp=False) as s:
        before = [(r.purpose, r.secret, r.changed_at) for r in s.exec(select(KeyVault))]
    with pytest.raises(vault.WrongPassphrase, match=r"^Неверная парольная фраза"):
        d.keys.unlock("не та фраза совсем")
    assert d.keys.locked
    with pytest.raises(vault.WrongPassphrase):
        d.keys.change_passphrase("не та фраза совсем", OTHER)
    with d.db.session(stamp=False) as s:
        assert [(r.purpose, r.secret, r.changed_at) for r in s.exec(select(KeyVault))] == before


@pytest.mark.slow
def test_changing_the_passphrase_is_all_or_nothing(sites: Sites) -> None:
    d = _sealed(sites)
    calls = []

    def fail_on_second(text: str, phrase: str) -> bytes:
        calls.append(text)
        if len(calls) == 2:
            raise RuntimeError("killed between the two keys")
        return vault._encrypt(text, phrase)

    with pytest.raises(RuntimeError):
        vault.change_passphrase(d.db, PHRASE, OTHER, encrypt=fail_on_second)
    assert len(calls) == 2  # the first key was re-sealed in the transaction, then rolled back
    vault.unlock(d.db, PHRASE)  # both keys still open with the old phrase
    with pytest.raises(vault.WrongPassphrase):
        vault.unlock(d.db, OTHER)

    d.keys.change_passphrase(PHRASE, OTHER)
    with pytest.raises(vault.WrongPassphrase):
        vault.unlock(d.db, PHRASE)
    d.keys.unlock(OTHER)
    assert d.bulletin.export_bulletins(sites.out)


@pytest.mark.slow
def test_a_short_new_passphrase_is_refused(sites: Sites) -> None:
    d = _sealed(sites)
    with pytest.raises(Invalid, match="не меньше 12 символов"):
        d.keys.change_passphrase(PHRASE, "короткая")
    vault.unlock(d.db, PHRASE)


def test_file_keys_have_no_passphrase(sites: Sites) -> None:
    keys = sites.district.keys
    assert type(keys) is KeyStore and not keys.locked
    with pytest.raises(Invalid, match="хранятся в файлах папки данных"):
        keys.change_passphrase(PHRASE, OTHER)


def test_sealing_twice_is_refused_and_keeps_the_first_keys(sites: Sites, tmp_path: Path) -> None:
    d = _sealed(sites)
    other = KeyStore(tmp_path / "other")
    other.ensure()
    with pytest.raises(Conflict, match="уже помещены"):
        vault.seal_files(d.db, other.directory, OTHER)
    vault.unlock(d.db, PHRASE)


def _secrets(keys_dir: Path) -> list[bytes]:
    """Every form the private keys could be written in."""
    signing = (keys_dir / "signing.key").read_text("ascii").strip()
    age = (keys_dir / "age.key").read_text("ascii").strip()
    seed = base64.b64decode(signing)[8:]
    return [signing.encode(), seed, base64.b64encode(seed), age.encode(), age.lower().encode()]


def test_no_plaintext_key_on_disk_after_unlock_sign_and_decrypt(
    sites: Sites, tmp_path: Path
) -> None:
    d = sites.district
    secrets = _secrets(d.paths.keys_dir)
    d = _sealed(sites)
    d.keys.unlock(PHRASE)
    bulletins = d.bulletin.export_bulletins(sites.out)
    package = sites.school.exchange.export(sites.out).path
    [rep] = d.sync.import_files([package], dry_run=False)
    assert rep.verdict == "applied" and bulletins
    d.backups.before_change("before-import")  # a backup of the database holds no key either
    d.db.close()  # the write-ahead log checkpointed into the file
    scanned = 0
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            scanned += 1
            assert not any(secret in data for secret in secrets), path
    assert scanned > 5 and d.paths.db_path.stat().st_size > 0
    sites.district = build_services(Database.open(d.paths.db_path), d.paths)


def test_new_keys_are_made_in_memory_and_sealed(template_db: Path) -> None:
    db = memory_copy(template_db)
    vault.seal_new_keys(db, PHRASE, login="petrov")
    opened = vault.unlock(db, PHRASE)
    signing, recipient = vault.publics(db)
    assert str(opened.age.to_public()) == recipient
    assert minisign.public_key_of(opened.signing, opened.key_id).to_base64() == signing
    assert vault.uses_vault(db)
    db.close()


@pytest.mark.slow
def test_a_lost_passphrase_gives_new_keys_the_schools_confirm_by_phone(sites: Sites) -> None:
    d = _sealed(sites)
    d.keys.unlock(PHRASE)
    [first] = d.bulletin.export_bulletins(sites.out)
    old_card = d.exchange.own_card()
    d = sites.reopen_district()  # the next session: the phrase is lost
    d.keys.replace_lost(OTHER)
    new_card = d.exchange.own_card()
    assert new_card.key_id != old_card.key_id and new_card.site_id == old_card.site_id
    with pytest.raises(vault.WrongPassphrase):
        vault.unlock(d.db, PHRASE)

    [second] = d.bulletin.export_bulletins(sites.out)
    assert second.seq == first.seq + 1  # the numbers survive the keys
    [rep] = sites.school.sync.import_files([first.path, second.path], dry_run=False)[1:]
    assert rep.verdict == "quarantined" and rep.code == "quarantined-new-key", rep.reason
    released = sites.school.sync.enroll_card(new_card, new_card.fingerprint, replace_key=True)
    assert [r.verdict for r in released] == ["applied"]
    package = sites.school.exchange.export(sites.out).path  # to the new recipient
    [rep] = d.sync.import_files([package], dry_run=False)
    assert rep.verdict == "applied", rep.reason


def test_a_large_run_with_vault_keys_is_read_in_this_process_only(
    sites: Sites, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper process would look for the keys in the data directory's files and refuse
    every file it read; the unlocked keys are not handed to another process either."""
    from services.sync import read

    d = _sealed(sites)
    d.keys.unlock(PHRASE)
    started: list[int] = []
    monkeypatch.setattr(read, "_worth_a_helper", lambda files: True)
    monkeypatch.setattr(read._Helper, "start", lambda paths, setup: started.append(1))
    packages = [sites.school.exchange.export(sites.out).path for _ in range(2)]
    reports = d.sync.import_files(packages, dry_run=False)
    assert [r.verdict for r in reports] == ["applied", "applied"] and started == []
