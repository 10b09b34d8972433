"""Self-audit screen benchmark: answer all 62 criteria through the form.

Run: `QT_QPA_PLATFORM=offscreen python -m tests.bench.audit_screen_bench`.
Each answer is saved at once and the factor badge, completeness and chart are refreshed, as when
a principal fills the audit in one sitting; prints the time per answer and per factor switch.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication

from models import Role
from services.app import build_services
from services.audit.demo import answer_for
from services.core.config import AppPaths
from services.core.db import Database
from ui.gui.screens.audit.screen import AuditScreen

REPO = Path(__file__).resolve().parents[2]


def main() -> None:
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        paths = AppPaths(resources_dir=REPO / "resources", data_dir=Path(tmp))
        services = build_services(Database.open(paths.db_path), paths)
        services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "4701")
        catalogue = services.audit.catalogue()
        criteria = [c for f in catalogue.default_factors() for c in f.criteria]
        services.audit.ensure(2025)
        services.audit.save_answers(2025, [answer_for(c, 1) for c in criteria])
        services.audit.ensure(2026)
        screen = AuditScreen(services.audit, today=lambda: date(2026, 5, 1))
        screen.resize(1300, 800)
        screen.show()
        app.processEvents()
        answers: list[float] = []
        switches: list[float] = []
        start = time.perf_counter()
        for n in range(screen.factors.rowCount()):
            t0 = time.perf_counter()
            screen.factors.selectRow(n)
            app.processEvents()
            switches.append(time.perf_counter() - t0)
            for row in screen.form.rows:
                a = answer_for(row.criterion, 2)
                t0 = time.perf_counter()
                if row.combo is not None:
                    row.combo.setCurrentIndex(row.combo.findData(a.score))
                    row.combo.activated.emit(row.combo.currentIndex())
                elif row.spin is not None and a.value is not None:
                    row.spin.setValue(a.value)
                    row.spin.editingFinished.emit()
                app.processEvents()
                answers.append(time.perf_counter() - t0)
        total = time.perf_counter() - start
        done = screen.completeness.text()
        services.db.close()
    lines = [
        f"answers through the form: {len(answers)} ({done})",
        f"  whole fill incl. factor switches: {total * 1000:7.0f} ms",
        f"  one answer: median {statistics.median(answers) * 1000:.1f} ms, "
        f"max {max(answers) * 1000:.1f} ms",
        f"  factor switch: median {statistics.median(switches) * 1000:.1f} ms",
    ]
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
