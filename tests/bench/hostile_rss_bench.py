"""Peak memory of reading hostile package files, each measured in a fresh process.

    python -m tests.bench.hostile_rss_bench [DIR]

For every hostile file the district runs `verify`, `import --dry-run` and `import` in a
subprocess, once with the reader helper process forced off and once forced on, and the line
shows the peak resident set of that process and of its children (the helper), in MB. Goal:
≤ 200 MB each. The files: zip bombs (a small payload that inflates to 600 MB) signed by an
unknown key and by an enrolled one, a bomb whose one line never ends, a manifest inflating to
50 MB, and an honest package for comparison.
"""

from __future__ import annotations

import hashlib
import io
import json
import resource
import subprocess
import sys
import tempfile
import uuid
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pyrage
from pyrage import x25519

from models import Role
from services.app import Services, open_services
from services.core.config import AppPaths
from services.core.db import head_revision
from services.packages.format import MANIFEST, PAYLOAD, SIGNATURE, ZIP_TIME, canonical_json
from services.packages.keys import KeyStore, card_to_json
from services.packages.parsing import trusted_comment
from services.packages.types import FORMAT_VERSION, SiteCard

REPO = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
BOMB = 600 * MB  # what a bomb inflates to
DECLARED = 60 * MB  # what its signed manifest says (under the reader's cap)


def _deflate(head: bytes, filler: bytes, total: int) -> bytes:
    """gzip of `head` followed by `filler` repeated up to `total` bytes, made a MB at a time."""
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [z.compress(head)]
    block = (filler * (MB // len(filler) + 1))[:MB]
    for _ in range((total - len(head)) // MB):
        out.append(z.compress(block))
    out.append(z.flush())
    return b"".join(out)


def _zip(members: list[tuple[str, bytes, int]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data, method in members:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = method
            zf.writestr(info, data)
    return out.getvalue()


def _sealed(
    keys: KeyStore, sender: SiteCard, to: SiteCard, body: tuple[bytes, bytes, int], size: int
) -> bytes:
    """A package signed by `keys` whose payload is a valid header line, then `filler` repeated
    up to `total` bytes (`body`), declared to inflate to `size`."""
    package_id = uuid.uuid4().hex
    header = canonical_json({"package_id": package_id, "sender": sender.site_id, "seq": 1})
    start, filler, total = body
    packed = _deflate(header + b"\n" + start, filler, total)
    sealed = pyrage.encrypt(packed, [x25519.Recipient.from_str(to.age_recipient)])
    manifest = {
        "format_version": FORMAT_VERSION, "package_id": package_id, "kind": "school-report",
        "sender_id": sender.site_id, "key_id": sender.key_id, "recipient_id": to.site_id,
        "seq": 1, "prev": "", "app_version": "1.0", "schema": head_revision(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "hlc": "1760000000000.00000.bomb", "counts": {"teacher": 1}, "payload_size": size,
        "compressed_size": len(packed), "payload_sha256": hashlib.sha256(sealed).hexdigest(),
        "encryption": {"scheme": "age-x25519", "recipients": [to.age_recipient],
                       "stored_size": len(sealed)},
        "sender_card": card_to_json(sender),
    }  # fmt: skip
    signed = canonical_json(manifest)
    sig = keys.sign(signed, trusted_comment(package_id, sender.site_id, 1, head_revision()))
    return _zip(
        [
            (MANIFEST, signed, zipfile.ZIP_DEFLATED),
            (SIGNATURE, sig.encode(), zipfile.ZIP_DEFLATED),
            (PAYLOAD, sealed, zipfile.ZIP_STORED),
        ]
    )


def _school(root: Path, name: str, code: str, district: SiteCard) -> tuple[Services, SiteCard]:
    school = open_services(AppPaths(REPO / "resources", root / name))
    school.site.initialize(Role.SCHOOL, f"МОУ СОШ {name}", code)
    school.exchange.trust_district_card(district)
    return school, school.exchange.own_card()


def build(root: Path) -> tuple[Path, dict[str, Path]]:
    district = open_services(AppPaths(REPO / "resources", root / "district"))
    district.site.initialize(Role.DISTRICT, "Управление образования", "5105000001")
    to = district.exchange.own_card()
    trusted, trusted_card = _school(root, "trusted", "5105010001", to)
    stranger, stranger_card = _school(root, "stranger", "5105010002", to)
    district.sync.enroll_card(trusted_card, trusted_card.fingerprint)
    zeros = (b"", b"\n", BOMB)  # the header, then empty lines
    endless = (b'{"table":"teacher","row":{"full_name":"', b"a", DECLARED)
    trusted.demo.fill()
    files = {
        "bomb, unknown key": _sealed(stranger.keys, stranger_card, to, zeros, DECLARED),
        "bomb, enrolled key": _sealed(trusted.keys, trusted_card, to, zeros, DECLARED),
        # the old reader held such a payload whole, then split it: 3 GB for a 250 KB file
        "bomb declaring 250 MB, enrolled": _sealed(
            trusted.keys, trusted_card, to, (b"", b"\n", 250 * MB), 250 * MB
        ),
        "endless line, enrolled key": _sealed(trusted.keys, trusted_card, to, endless, DECLARED),
        "manifest of 50 MB": _zip(
            [
                (MANIFEST, b" " * 50 * MB, zipfile.ZIP_DEFLATED),
                (SIGNATURE, b"x", zipfile.ZIP_DEFLATED),
                (PAYLOAD, b"x", zipfile.ZIP_STORED),
            ]
        ),
    }
    out = root / "files"
    out.mkdir()
    paths = {}
    for n, (name, data) in enumerate(files.items()):
        paths[name] = out / f"{n}.opora"
        paths[name].write_bytes(data)
    paths["honest package, enrolled key"] = trusted.exchange.export(out).path
    for s in (district, trusted, stranger):
        s.db.close()
    return root / "district", paths


def measure(district: Path, path: Path, mode: str, helper: bool) -> tuple[float, float, str]:
    """(own peak MB, children's peak MB, outcome) of one run in a fresh process."""
    cmd = [sys.executable, "-m", "tests.bench.hostile_rss_bench", "--one", str(district),
           str(path), mode, "on" if helper else "off"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=600, check=False)
    try:
        own, children, outcome = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return 0.0, 0.0, f"failed: {done.stderr.strip()[-200:]}"
    return own, children, outcome


def one(district: Path, path: Path, mode: str, helper: str) -> None:
    import services.sync.read as reader

    reader.HELPER_MIN_BYTES = 0 if helper == "on" else 1 << 62
    services = open_services(AppPaths(REPO / "resources", district))
    try:
        if mode == "verify":
            pkg = services.exchange.verify(path)
            outcome = f"verified, {len(pkg.records)} records read"
        else:
            # two files: a run of one is always read here, without a helper
            files = [path, path] if helper == "on" else [path]
            rep = services.sync.import_files(files, dry_run=mode == "dry-run")[0]
            outcome = f"{rep.verdict} ({rep.code})"
    except Exception as exc:  # a refusal is an outcome here
        outcome = f"refused: {getattr(exc, 'code', type(exc).__name__)}"
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps([own, children, outcome]))  # noqa: T201


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        one(Path(argv[1]), Path(argv[2]), argv[3], argv[4])
        return 0
    root = Path(argv[0]) if argv else Path(tempfile.mkdtemp(prefix="hostile-"))
    district, files = build(root)
    print(f"{'file':32} {'run':8} {'helper':6} {'own MB':>7} {'helper MB':>9}  outcome")  # noqa: T201
    worst = 0.0
    for name, path in files.items():
        for mode in ("verify", "dry-run", "import"):
            for helper in (False, True):
                if mode == "verify" and helper:
                    continue
                own, kids, outcome = measure(district, path, mode, helper)
                worst = max(worst, own, kids)
                print(f"{name:32} {mode:8} {'on' if helper else 'off':6} {own:7.0f} "  # noqa: T201
                      f"{kids:9.0f}  {outcome}")  # fmt: skip
    print(f"peak of any process: {worst:.0f} MB (goal ≤ 200 MB)")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
