"""What the import's per-sender lock costs before a run: peeking at N files' claimed senders.

Run: `python -m tests.bench.sequence_lock_bench [--files 300]`. One demo school's real package
(signed, encrypted) is copied N times; `claimed_senders` opens each ZIP and reads its manifest
only. Prints the total and per-file time.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from models import Role
from services.app import build_services
from services.core.config import AppPaths
from services.core.db import Database
from services.sync.sequence_lock import claimed_senders
from tests.conftest import RESOURCES


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="opora-lock-bench-") as tmp:
        root = Path(tmp)
        (root / "d").mkdir()
        (root / "s").mkdir()
        district = build_services(Database.open(None), AppPaths(RESOURCES, root / "d"))
        district.site.initialize(Role.DISTRICT, "Управление образования", "5105000001")
        school = build_services(Database.open(None), AppPaths(RESOURCES, root / "s"))
        school.site.initialize(Role.SCHOOL, "МОУ СОШ № 1", "5105012345")
        school.exchange.trust_district_card(district.exchange.own_card())
        school.demo.fill()
        package = school.exchange.export(root).path
        files = []
        for n in range(args.files):
            files.append(root / f"p{n:04d}.opora")
            shutil.copy(package, files[-1])
        start = time.perf_counter()
        senders = claimed_senders(files)
        took = time.perf_counter() - start
        assert len(senders) == args.files
        size = package.stat().st_size / 1024
        print(  # noqa: T201
            f"claimed_senders: {args.files} files of {size:.0f} KiB in {took * 1000:.1f} ms "
            f"({took / args.files * 1e6:.0f} µs per file)"
        )


if __name__ == "__main__":
    main()
