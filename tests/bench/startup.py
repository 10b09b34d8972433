"""Startup benchmark: process start → main window painted, against a bare PySide6 floor.

Run: `python -m tests.bench.startup [--runs N]` (QT_QPA_PLATFORM=offscreen if there is no screen).
Prints the median wall times of the floor (an empty QMainWindow), of Опора with an initialized
data directory, the ratio, and the time of `python main.py --help`.

A second floor, for reading the first: the same window (navigation list, «Загрузка данных…»,
status bar, menus, the same texts) built in a bare PySide6 script. An empty QMainWindow draws
no text, so it never loads the font database and builds no widget type but its own; any window
that shows one line pays that. The goal is stated against the empty window.
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

FLOOR_WINDOW = """
import sys
from PySide6.QtCore import QSize
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
    QMainWindow, QStackedWidget, QWidget)
class W(QMainWindow):
    done = False
    def paintEvent(self, e):
        super().paintEvent(e)
        if not self.done:
            self.done = True
            print("painted", flush=True)
            app.quit()
app = QApplication(sys.argv)
w = W(); w.resize(1200, 760); w.setWindowTitle("Опора — МОУ Лодейнинская СОШ")
nav = QListWidget(w); nav.setIconSize(QSize(16, 16))
nav.setStyleSheet("QListWidget::item { padding: 8px 10px; }")
for t in ("Обзор", "Дорожная карта", "Самоаудит", "Педагоги и ИППР", "Результаты",
          "Обмен с управлением", "Документы"):
    QListWidgetItem(t, nav)
nav.ensurePolished(); nav.setFixedWidth(max(230, nav.sizeHintForColumn(0) + 8))
nav.setEnabled(False)
stack = QStackedWidget(w); label = QLabel("Загрузка данных…", w)
label.setStyleSheet("qproperty-alignment: AlignCenter;"); stack.addWidget(label)
central = QWidget(w); row = QHBoxLayout(central); row.setContentsMargins(0, 0, 0, 0)
row.addWidget(nav); row.addWidget(stack, 1); w.setCentralWidget(central)
bar = w.statusBar()
for t in ("МОУ Лодейнинская СОШ", "·", "Школа"):
    bar.addWidget(QLabel(t, w))
bar.addPermanentWidget(QLabel("Все изменения сохраняются автоматически", w))
for title, texts in (("&Файл", ("Профиль организации…", "Сделать резервную копию",
        "Резервные копии и восстановление…", "Резервная копия на флешку…",
        "Восстановить с флешки…", "Выход")), ("&Вид", ("Крупный шрифт",)),
        ("&Справка", ("Руководство пользователя", "О программе"))):
    menu = w.menuBar().addMenu(title)
    for t in texts:
        action = QAction(t, w); action.setEnabled(False); menu.addAction(action)
w.show()
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
    parser.add_argument(
        "--bytecode",
        action="store_true",
        help="run from compiled bytecode, as the built program and any source start after the "
        "first do (without it, PYTHONDONTWRITEBYTECODE, if set, makes every start compile "
        "Опора's modules, which the floor does not have)",
    )
    args = parser.parse_args()
    env = {**os.environ}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        if args.bytecode:  # into the temporary folder, not next to the sources
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        data = args.data_dir or str(Path(tmp) / "data")
        if not args.data_dir:
            subprocess.run(
                [sys.executable, "main.py", "--data-dir", data, "init", "--role", "school",
                 "--name", "МОУ Лодейнинская СОШ", "--code", "5105012345"],
                cwd=REPO, env=env, check=True, capture_output=True,
            )  # fmt: skip
        if args.bytecode:  # one start of each, untimed, writes the bytecode
            for code in (FLOOR, FLOOR_WINDOW):
                timed_lines([sys.executable, "-c", code], env)
            timed_lines([sys.executable, "main.py", "--data-dir", data, "--exit-after-paint"], env)
        floor, window, painted, ready, helps = [], [], [], [], []
        loads = []
        for _ in range(args.runs):  # interleaved so both see the same machine load
            loads.append(os.getloadavg()[0])
            floor.append(timed_lines([sys.executable, "-c", FLOOR], env)["painted"])
            window.append(timed_lines([sys.executable, "-c", FLOOR_WINDOW], env)["painted"])
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
    w = statistics.median(window)
    print(f"second floor: the same window, bare   {w:.3f} s  {spread(window)}")  # noqa: T201
    print(f"  Опора against it: ratio of medians {p / w:.2f}")  # noqa: T201
    print(f"load average (1 min) during the runs: {min(loads):.2f}–{max(loads):.2f}")  # noqa: T201
    print(f"Python: {bytecode_mode(args.bytecode, env)}")  # noqa: T201
    print(f"Опора: data loaded, first screen     {r:.3f} s  ratio {r / f:.2f}")  # noqa: T201
    print(f"main.py --help                       {h:.3f} s  (goal ≤ 0.3 s)")  # noqa: T201


def bytecode_mode(bytecode: bool, env: dict[str, str]) -> str:
    if bytecode:
        return "from bytecode (each command started once before the timed runs)"
    if env.get("PYTHONDONTWRITEBYTECODE"):
        return "PYTHONDONTWRITEBYTECODE is set: Опора's modules are compiled at every start"
    return "as installed (the first start writes the bytecode)"


def spread(values: list[float]) -> str:
    """Median and range, for reading a noisy figure."""
    return f"(median {statistics.median(values):.3f}, {min(values):.3f}–{max(values):.3f})"


if __name__ == "__main__":
    main()
