"""Startup benchmark: process start → main window painted, against a bare PySide6 floor.

Run: `python -m tests.bench.startup [--runs N]` (QT_QPA_PLATFORM=offscreen if there is no screen).
Prints the median wall times of the floor (an empty QMainWindow), of Опора with an initialized
data directory, the ratio, and the time of `python main.py --help`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

FLOOR = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
class W(QMainWindow):
    done = False
    def paintEvent(self, e):
        super().paintEvent(e)
        if not self.done:
            self.done = True
            print("painted", flush=True)
            app.quit()
app = QApplication(sys.argv)
w = W(); w.resize(1200, 760); w.show()
app.exec()
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"command failed: {cmd}\n{out.stderr}")
    return elapsed


def timed_lines(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from process start until each marker line ("painted", "ready") is printed."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    seen: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        word = line.split()[0] if line.split() else ""
        if word in ("painted", "ready"):
            seen[word] = time.perf_counter() - start
    code = proc.wait(timeout=120)
    if code != 0:
        raise SystemExit(f"command failed with exit code {code}: {cmd}")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", help="use this (initialized) data directory")
    args = parser.parse_args()
    env = {**os.environ}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data_dir or str(Path(tmp) / "data")
        if not args.data_dir:
            subprocess.run(
                [sys.executable, "main.py", "--data-dir", data, "init", "--role", "school",
                 "--name", "МОУ Лодейнинская СОШ", "--code", "5105012345"],
                cwd=REPO, env=env, check=True, capture_output=True,
            )  # fmt: skip
        floor, painted, ready, helps = [], [], [], []
        for _ in range(args.runs):  # interleaved so both see the same machine load
            floor.append(timed_lines([sys.executable, "-c", FLOOR], env)["painted"])
            app = [sys.executable, "main.py", "--data-dir", data, "--exit-after-paint"]
            marks = timed_lines(app, env)
            painted.append(marks["painted"])
            ready.append(marks["ready"])
            helps.append(timed([sys.executable, "main.py", "--help"], env))
    f, p = statistics.median(floor), statistics.median(painted)
    r, h = statistics.median(ready), statistics.median(helps)
    ratios = [a / b for a, b in zip(painted, floor, strict=True)]
    print(f"floor: empty QMainWindow painted     {f:.3f} s  {spread(floor)}")  # noqa: T201
    print(f"Опора: main window painted           {p:.3f} s  {spread(painted)}")  # noqa: T201
    print(f"  ratio of medians {p / f:.2f} (goal ≤ 1.5); per start {spread(ratios)}")  # noqa: T201
    after = [a - b for a, b in zip(painted, floor, strict=True)]
    print(f"  painted after the floor, per start {spread(after)}")  # noqa: T201
    print(f"Опора: data loaded, first screen     {r:.3f} s  ratio {r / f:.2f}")  # noqa: T201
    print(f"main.py --help                       {h:.3f} s  (goal ≤ 0.3 s)")  # noqa: T201


def spread(values: list[float]) -> str:
    """Median and range, for reading a noisy figure."""
    return f"(median {statistics.median(values):.3f}, {min(values):.3f}–{max(values):.3f})"


if __name__ == "__main__":
    main()
