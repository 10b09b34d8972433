"""Frozen start-up benchmark: the built program against the source, in one run.

Run after `make dist`: `python -m tests.bench.frozen_startup [--program dist/opora/opora]`.
Both start on the same initialized data directory, interleaved, offscreen; printed are the medians
of "main window painted" and "data loaded" and the frozen ÷ source ratio. Goal: ≤ 2 ×.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench.startup import REPO, timed_lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--program", default=str(REPO / "dist" / "opora" / "opora"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not Path(args.program).exists():
        raise SystemExit(f"{args.program} not found: run `make dist` first")
    env = {**os.environ}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "data")
        subprocess.run(
            [args.program, "--data-dir", data, "init", "--role", "school",
             "--name", "МОУ Лодейнинская СОШ", "--code", "5105012345"],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        source: dict[str, list[float]] = {"painted": [], "ready": []}
        frozen: dict[str, list[float]] = {"painted": [], "ready": []}
        for _ in range(args.runs):
            for marks, cmd in (
                (source, [sys.executable, "main.py", "--data-dir", data, "--exit-after-paint"]),
                (frozen, [args.program, "--data-dir", data, "--exit-after-paint"]),
            ):
                seen = timed_lines(cmd, env)
                for key in marks:
                    marks[key].append(seen[key])
    for key in ("painted", "ready"):
        s, f = statistics.median(source[key]), statistics.median(frozen[key])
        print(f"{key:8} source {s:.3f} s  frozen {f:.3f} s  ratio {f / s:.2f} (goal ≤ 2)")  # noqa: T201


if __name__ == "__main__":
    main()
