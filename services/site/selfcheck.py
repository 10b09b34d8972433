"""`self-check`: prove on this machine that the program can store data and print.

It never touches the user's data: everything runs in a temporary data directory, except a
read-only look at the real database when one exists.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.platypus import Paragraph

from models import Role
from services.core.config import AppPaths
from services.core.db import head_revision, preflight
from services.core.errors import AppError
from services.documents.pdf import build_pdf, make_styles

if TYPE_CHECKING:
    from services.packages.keys import KeyStore
    from services.packages.types import Record, SiteCard


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""


SelfCheckStep = Callable[[AppPaths], str]


def _check_real_database(paths: AppPaths) -> str:
    revision = preflight(paths.db_path)
    if revision is None:
        return f"базы данных ещё нет ({paths.db_path})"
    return f"база данных цела, схема {revision} (текущая {head_revision()})"


def _check_storage(tmp: AppPaths) -> str:
    from services.app import open_services

    services = open_services(tmp)
    try:
        services.site.initialize(Role.SCHOOL, "Проверочная школа", "0000000000")
        profile = services.site.profile()
        backup = services.backups.create("manual")
        if services.db.integrity_ok():
            raise AppError("проверка целостности временной базы не прошла")
        return (
            f"схема {services.db.revision()}, организация «{profile.site.full_name}», "
            f"резервная копия {backup.path.name}"
        )
    finally:
        services.db.close()


def _check_pdf(tmp: AppPaths) -> str:
    st = make_styles(tmp.fonts_dir)
    out = tmp.data_dir / "self-check.pdf"
    pages = build_pdf(
        out,
        [Paragraph("Проверка печати: съешь же ещё этих мягких французских булок.", st.body)],
        fonts_dir=tmp.fonts_dir,
        title="Проверка",
    )
    data = out.read_bytes()
    if not data.startswith(b"%PDF") or b"LiberationSerif" not in data:
        raise AppError("PDF сформирован без встроенного шрифта")
    return f"{pages} стр., {len(data)} байт, шрифт встроен"


def _signed_package(
    tmp: AppPaths,
) -> tuple[bytes, list[KeyStore], list[SiteCard], list[Record]]:
    """A school's signed package for a district, both with fresh keys: data, stores, cards."""
    from services.packages.format import write_package
    from services.packages.keys import KeyStore, fingerprint_of
    from services.packages.types import PackageKind, Record, SiteCard

    cards: list[SiteCard] = []
    stores: list[KeyStore] = []
    for name, role in (("school", "school"), ("district", "district")):
        store = KeyStore(tmp.data_dir / f"keys-{name}")
        store.ensure()
        pk = store.public_key().to_base64()
        fp = fingerprint_of(pk, store.age_recipient, name)
        key_id = store.public_key().key_id_hex
        cards.append(SiteCard(name, role, name, "0", pk, key_id, store.age_recipient, fp))
        stores.append(store)
    records = [Record("site", {"id": "school", "full_name": "Проверочная школа"})]
    data = write_package(
        keys=stores[0], sender=cards[0], recipient=cards[1], kind=PackageKind.SCHOOL_REPORT,
        seq=1, prev="", schema=head_revision(), hlc="0000000000000.00000.check",
        app_version="check", records=records, include_card=True,
    )  # fmt: skip
    return data, stores, cards, records


def _check_package(tmp: AppPaths) -> str:
    from services.packages.format import read_package

    data, stores, cards, records = _signed_package(tmp)
    pkg = read_package(data, keys=stores[1], own_site_id="district",
                       lookup_signer=lambda _k: cards[0])  # fmt: skip
    if pkg.records != tuple(records):
        raise AppError("пакет прочитан не так, как записан")
    return (
        f"пакет {len(data)} байт подписан, зашифрован и проверен; отпечаток {cards[0].fingerprint}"
    )


def _check_reader_process(tmp: AppPaths) -> str:
    """A large import reads its files in a second process too (`sync_read`): it must start."""
    from services.sync.read import Prepared, ReaderSetup, ReadStats, read_files

    data, stores, cards, _records = _signed_package(tmp)
    path = tmp.data_dir / "self-check.opora"
    path.write_bytes(data)
    setup = ReaderSetup(stores[1].directory, "district", {cards[0].key_id: cards[0]}, frozenset())
    stats = ReadStats()
    start = time.perf_counter()
    [item] = read_files([path], stores[1], setup, helper=True, lookahead=0, stats=stats)
    elapsed = time.perf_counter() - start
    if stats.by_helper != 1:
        raise AppError(
            "второй процесс для чтения пакетов не запустился; импорт будет работать, но медленнее"
        )
    if not isinstance(item, Prepared) or item.pkg.file_sha256 != hashlib.sha256(data).hexdigest():
        raise AppError("второй процесс прочитал пакет не так, как он записан")
    return f"пакет прочитан вторым процессом за {elapsed:.1f} с"


def run_self_check(
    paths: AppPaths, extra: list[tuple[str, SelfCheckStep]] | None = None
) -> list[CheckResult]:
    """Run every check; a failing check does not stop the others."""
    results = [_run("Рабочая база данных", lambda: _check_real_database(paths))]
    with tempfile.TemporaryDirectory(prefix="opora-selfcheck-") as tmp_dir:
        tmp = AppPaths(resources_dir=paths.resources_dir, data_dir=Path(tmp_dir))
        steps: list[tuple[str, SelfCheckStep]] = [
            ("Временная база данных, миграции, резервная копия", _check_storage),
            ("Печать PDF с кириллицей", _check_pdf),
            ("Ключи, подписанный зашифрованный пакет", _check_package),
            ("Чтение пакетов во втором процессе", _check_reader_process),
            *(extra or []),
        ]
        results += [_run(name, partial(step, tmp)) for name, step in steps]
    return results


def _run(name: str, fn: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(name, True, fn())
    except AppError as exc:
        return CheckResult(name, False, str(exc))
    except Exception as exc:
        return CheckResult(name, False, f"{type(exc).__name__}: {exc}")
