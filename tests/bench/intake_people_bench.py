# ruff: noqa: E501, T201
"""Bench: a 200-teacher list typed in Word (merged header, ФИО in three columns, section rows):
the preview in process, and the whole `import-xlsx teachers FILE --dry-run` and apply commands
on a data directory that already holds those teachers. Prints figures.

    python tests/bench/intake_people_bench.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SURNAMES = ("Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Волков", "Зайцев")
NAMES = ("Иван", "Пётр", "Олег", "Денис", "Илья", "Артём", "Павел", "Юрий", "Глеб", "Лев")


def write_list(path: Path, n: int) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Список педагогических работников на 01.09.2025")
    header = ["№ п/п", "Ф.И.О.", "", "", "Должность", "Предметы", "Категория", "Стаж"]
    table = document.add_table(rows=2 + n + n // 25, cols=len(header))
    cells = [r.cells for r in table.rows]
    for col, text in enumerate(header):
        cells[0][col].text = text
    for col, text in ((1, "Фамилия"), (2, "Имя"), (3, "Отчество")):
        cells[1][col].text = text
    for col in (0, 4, 5, 6, 7):
        cells[0][col].merge(cells[1][col])
    cells[0][1].merge(cells[0][3]).text = "Ф.И.О."
    r = 2
    for k in range(n):
        if k % 25 == 0:
            cells[r][0].merge(cells[r][7]).text = f"Методическое объединение {k // 25 + 1}"
            r += 1
        surname = SURNAMES[k % len(SURNAMES)]
        values = [f"{k + 1}.", f"{surname}-{k}", NAMES[k % len(NAMES)], "Сергеевич", "Учитель",
                  "Математика", "Первая", f"{k % 40} лет"]  # fmt: skip
        for col, value in enumerate(values):
            cells[r][col].text = value
        r += 1
    document.save(str(path))


def main() -> None:
    from services.intake.people import preview_teachers
    from services.intake.readers import read_tables
    from services.intake.vocabulary import load_vocabulary

    words = load_vocabulary(ROOT / "resources" / "intake" / "teachers")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "staff.docx"
        write_list(path, 200)
        preview_teachers(path, words)  # warms the lemma cache, as a first run does not
        path.touch()  # a new modification time: the reader's cache does not answer
        t = time.perf_counter()
        preview = preview_teachers(path, words)
        print(f"preview of 200 teachers (.docx), read + detect + map: {time.perf_counter() - t:.3f} s "
              f"({len(preview.teachers)} teachers)")  # fmt: skip
        t = time.perf_counter()
        preview_teachers(path, words, overrides={"#8": "-"})
        print(f"re-map in the dialog (tables already read): {time.perf_counter() - t:.3f} s")
        assert read_tables(path)
        data = Path(tmp) / "data"

        def cli(*args: str) -> float:
            t = time.perf_counter()
            subprocess.run([sys.executable, "main.py", "--data-dir", str(data), *args],
                           cwd=ROOT, check=True, capture_output=True)  # fmt: skip
            return time.perf_counter() - t

        cli("init", "--role", "school", "--name", "Школа", "--code", "5105012345")
        print(
            f"import-xlsx teachers --dry-run, empty school: {cli('import-xlsx', 'teachers', str(path), '--dry-run'):.2f} s"
        )
        print(
            f"import-xlsx teachers (apply, backup first): {cli('import-xlsx', 'teachers', str(path)):.2f} s"
        )
        print(
            f"import-xlsx teachers --dry-run, 200 already stored: {cli('import-xlsx', 'teachers', str(path), '--dry-run'):.2f} s"
        )


if __name__ == "__main__":
    main()
