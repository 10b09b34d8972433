# ruff: noqa: E501, T201
"""Bench: a 500-item roadmap as .docx and .xlsx, detected and previewed, applied, and the whole
`import-xlsx roadmap --dry-run` command. Prints figures (targets: 1 s, 2 s, 1.5 s), and the
re-reading of every deadline in another period the preview dialog does as a date changes.

    python tests/bench/intake_bench.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.fixtures.intake.build import HEADER_000, write_docx, write_xlsx  # noqa: E402


def _rows(n: int) -> list[list[str]]:
    rows: list[list[str]] = []
    for k in range(n):
        if k % 50 == 0:
            rows.append([f"{k // 50 + 1}. Раздел {k // 50 + 1}", "", "", ""])
        rows.append(
            [
                f"{k // 50 + 1}.{k % 50 + 1}.",
                f"Мероприятие {k}\nвторой абзац",
                "Февраль-март 2022",
                "Управление образования",
            ]
        )
    return rows


def main() -> None:
    from datetime import date

    from models import Role
    from services.app import open_services
    from services.core.config import AppPaths
    from services.documents.spreadsheets import ImportMode
    from services.intake.apply import apply_roadmap
    from services.intake.preview import preview_roadmap, with_period
    from services.intake.vocabulary import load_vocabulary

    title = "План мероприятий на 2022 год"
    resources = ROOT / "resources"  # as main.resources_dir() gives it
    vocabulary = load_vocabulary(resources / "intake")  # what AppPaths.intake_dir names
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, write in ((".docx", write_docx), (".xlsx", write_xlsx)):
            path = Path(tmp) / f"plan{suffix}"
            write(path, title, HEADER_000, _rows(500))
            # warm the lemma cache as a first run of the command does not
            preview_roadmap(path, vocabulary)
            t = time.perf_counter()
            preview = preview_roadmap(path, vocabulary)
            detect_s = time.perf_counter() - t
            t = time.perf_counter()  # the preview dialog's period fields re-read every deadline
            with_period(preview, (date(2021, 9, 1), date(2022, 8, 31)))
            period_ms = (time.perf_counter() - t) * 1000
            data = Path(tmp) / f"data{suffix}"
            data.mkdir()
            services = open_services(AppPaths(resources, data))
            services.site.initialize(Role.SCHOOL, "Школа", "12345")
            t = time.perf_counter()
            apply_roadmap(services, preview, ImportMode.APPEND, on=date(2022, 3, 1))
            apply_s = time.perf_counter() - t
            services.db.close()
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, str(ROOT / "main.py"), "import-xlsx", "roadmap", str(path), "--dry-run"],
                check=True, capture_output=True, cwd=ROOT,
            )  # fmt: skip
            cli_s = time.perf_counter() - t
            print(f"{suffix}: {len(preview.items)} items; detect+preview {detect_s:.2f} s "
                  f"(≤ 1 s), apply {apply_s:.2f} s (≤ 2 s), dry-run command {cli_s:.2f} s (≤ 1.5 s), "
                  f"another period {period_ms:.0f} ms (the dialog does it in a task)")  # fmt: skip


if __name__ == "__main__":
    main()
