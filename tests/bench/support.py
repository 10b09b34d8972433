"""What the benches share: a measurement in a fresh process, and the floors' package reading."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def run_child(module: str, *args: str) -> dict[str, float]:
    """`python -m module --child args…` in a fresh process; its last stdout line as JSON."""
    proc = subprocess.run(
        [sys.executable, "-m", module, "--child", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def package_rows(files: Iterable[Path], identity: Any) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, values in the table's column order) of every record of the packages.

    What any import must at least do: each package's signature verified, its payload decrypted
    with `identity`, unzipped and parsed.
    """
    import pyrage

    from services.packages import minisign
    from services.packages.format import MANIFEST, PAYLOAD, SIGNATURE
    from services.sync.rows import TABLES

    for path in files:
        with zipfile.ZipFile(path) as zf:
            manifest = zf.read(MANIFEST)
            signature = minisign.parse(zf.read(SIGNATURE))
            payload = zf.read(PAYLOAD)
        card = json.loads(manifest)["sender_card"]
        minisign.verify(manifest, signature, minisign.PublicKey.from_base64(card["signing_key"]))
        plain = gzip.decompress(pyrage.decrypt(payload, [identity]))
        for line in plain.splitlines()[1:]:
            rec = json.loads(line)
            spec = TABLES[rec["table"]]
            yield rec["table"], tuple(rec["row"][c] for c in spec.columns)
