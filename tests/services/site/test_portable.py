"""«Резервная копия на флешку»: round trip to a new computer, and every refusal changes nothing."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from pyrage import passphrase as age_passphrase

from models import Role
from services.app import Services, open_services
from services.core.config import AppPaths
from services.core.errors import Conflict, Invalid, NewerDatabase
from services.site.portable_format import MANIFEST
from tests.conftest import RESOURCES

PHRASE = "ёлка-палка 2026"


def _tables(db_path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(db_path)) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


@pytest.fixture
def source(file_services: Services) -> Services:
    file_services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
    file_services.keys.ensure()
    file_services.demo.fill()
    return file_services


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Services]:
    services = open_services(AppPaths(RESOURCES, tmp_path / "new-computer"))
    yield services
    services.db.close()


def _state(services: Services) -> tuple[dict[str, int], bytes, bytes]:
    assert services.db.db_path is not None
    keys = services.paths.keys_dir
    return (
        _tables(services.db.db_path),
        (keys / "signing.key").read_bytes() if keys.exists() else b"",
        (keys / "age.key").read_bytes() if keys.exists() else b"",
    )


def test_round_trip_to_a_new_computer(source: Services, fresh: Services, tmp_path: Path) -> None:
    written = source.portable.create(tmp_path / "flash.opora-backup", PHRASE)
    assert written.manifest.site_id == source.site.profile().site.id
    assert PHRASE.encode() not in written.path.read_bytes()
    assert fresh.portable.occupant() is None
    result = fresh.portable.restore(written.path, PHRASE)
    assert result.old_keys is None
    assert fresh.site.profile().site.id == source.site.profile().site.id
    assert fresh.keys.public_key().to_base64() == source.keys.public_key().to_base64()
    assert fresh.keys.age_recipient == source.keys.age_recipient
    src_tables, src_sign, src_age = _state(source)
    new_tables, new_sign, new_age = _state(fresh)
    assert (new_sign, new_age) == (src_sign, src_age)
    assert {k: v for k, v in new_tables.items() if k != "app_state"} == {
        k: v for k, v in src_tables.items() if k != "app_state"
    }
    assert oct((fresh.paths.keys_dir / "signing.key").stat().st_mode & 0o777) == "0o600"
    assert not list(fresh.paths.data_dir.glob(".portable-*"))  # no plain copy left behind


def test_wrong_passphrase_changes_nothing(
    source: Services, fresh: Services, tmp_path: Path
) -> None:
    written = source.portable.create(tmp_path / "flash.opora-backup", PHRASE)
    before = _state(fresh)
    with pytest.raises(Invalid, match="Неверная парольная фраза"):
        fresh.portable.restore(written.path, PHRASE + "!")
    assert _state(fresh) == before and fresh.portable.occupant() is None


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda b: b[:-200], "повреждён"),
        (lambda b: b[:-50] + bytes([b[-50] ^ 1]) + b[-49:], "повреждён"),
        (lambda b: b[:10] + b"#" + b[11:], "не резервная копия"),
        (lambda b: b[:30] + b"!" + b[31:], "повреждён"),
        (lambda b: b"", "не резервная копия"),
    ],
)
def test_a_damaged_file_is_refused(
    source: Services, fresh: Services, tmp_path: Path, damage: object, expected: str
) -> None:
    written = source.portable.create(tmp_path / "flash.opora-backup", PHRASE)
    assert callable(damage)
    written.path.write_bytes(damage(written.path.read_bytes()))
    before = _state(fresh)
    with pytest.raises(Invalid, match=expected):
        fresh.portable.restore(written.path, PHRASE)
    assert _state(fresh) == before


def _rewrap(path: Path, change: dict[str, object]) -> None:
    """Re-encrypt the copy with its manifest changed (a newer version or a tampered one)."""
    plain = age_passphrase.decrypt(path.read_bytes(), PHRASE)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == MANIFEST:
                data = json.dumps({**json.loads(data), **change}).encode()
            zout.writestr(info.filename, data)
    path.write_bytes(age_passphrase.encrypt(out.getvalue(), PHRASE))


def test_a_newer_format_is_refused(source: Services, fresh: Services, tmp_path: Path) -> None:
    written = source.portable.create(tmp_path / "flash.opora-backup", PHRASE)
    _rewrap(written.path, {"version": 99})
    with pytest.raises(NewerDatabase, match="более новой версией"):
        fresh.portable.restore(written.path, PHRASE)
    assert fresh.portable.occupant() is None


def test_a_manifest_for_another_site_is_refused(
    source: Services, fresh: Services, tmp_path: Path
) -> None:
    written = source.portable.create(tmp_path / "flash.opora-backup", PHRASE)
    _rewrap(written.path, {"site_id": "someone-else"})
    with pytest.raises(Invalid, match="не совпадает"):
        fresh.portable.restore(written.path, PHRASE)
    assert fresh.portable.occupant() is None


def test_replacing_existing_data_needs_consent_and_keeps_a_copy(
    source: Services, fresh: Services, tmp_path: Path
) -> None:
    written = source.portable.create(tmp_path / "flash.opora-backup", PHRASE)
    fresh.site.initialize(Role.SCHOOL, "МОУ Другая СОШ", "4701")
    fresh.keys.ensure()
    old_signing = (fresh.paths.keys_dir / "signing.key").read_bytes()
    with pytest.raises(Conflict, match="МОУ Другая СОШ"):
        fresh.portable.restore(written.path, PHRASE)
    assert fresh.site.profile().site.full_name == "МОУ Другая СОШ"
    result = fresh.portable.restore(written.path, PHRASE, replace=True)
    assert fresh.site.profile().site.full_name == "МОУ Лодейнинская СОШ"
    assert result.before.reason == "before-restore"
    assert result.old_keys is not None
    assert (result.old_keys / "signing.key").read_bytes() == old_signing
    assert fresh.keys.public_key().to_base64() == source.keys.public_key().to_base64()


def test_a_short_passphrase_is_refused(source: Services, tmp_path: Path) -> None:
    target = tmp_path / "flash.opora-backup"
    with pytest.raises(Invalid, match="не меньше 8"):
        source.portable.create(target, "1234567")
    assert not target.exists()


def test_a_scratch_folder_left_by_a_kill_is_removed_at_start(tmp_path: Path) -> None:
    from services.core.config import ensure_writable_dir

    data = tmp_path / "data"
    scratch = data / ".portable-abc123"
    scratch.mkdir(parents=True)
    (scratch / "db.sqlite3").write_bytes(b"plain personal data")
    ensure_writable_dir(data)
    assert not scratch.exists()
