"""`report protocol`: without --id it lists the protocols; with it, the protocol's PDF."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from services.app import open_services
from services.core.config import AppPaths
from tests.conftest import RESOURCES
from tests.e2e.cli_support import run_cli
from tests.services.protocols.seed004 import seed_protocol


def test_report_protocol_lists_then_prints(tmp_path: Path) -> None:
    data = tmp_path / "d"
    assert run_cli(data, "init", "--role", "school", "--name", "МОУ СОШ № 2 г. Боровск",
                   "--code", "4003").returncode == 0  # fmt: skip
    services = open_services(AppPaths(resources_dir=RESOURCES, data_dir=data))
    try:
        pid = services.protocols.save(seed_protocol()).protocol_id
    finally:
        services.db.close()
    out = tmp_path / "p.pdf"
    listed = run_cli(data, "report", "protocol", "--out", str(out))
    assert listed.returncode == 1 and not out.exists()
    assert pid in listed.stderr and "26.05.2021 — совещания руководителей" in listed.stderr
    printed = run_cli(data, "report", "protocol", "--id", pid[:8], "--out", str(out))
    assert printed.returncode == 0, printed.stderr
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(out).pages))
    assert "ПРОТОКОЛ" in text and "26.05.2021" in text and "Аникеев" in text
    unknown = run_cli(data, "report", "protocol", "--id", "нет-такого", "--out", str(out))
    assert unknown.returncode == 1 and "не найден" in unknown.stderr
