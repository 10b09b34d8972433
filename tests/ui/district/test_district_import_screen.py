"""«Импорт пакетов»: a folder previewed by a dry run, applied, quarantine confirmed, log report."""

from __future__ import annotations

import getpass
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from tests.services.pair_support import Pair, make_pair
from ui.gui.screens.district import import_tabs
from ui.gui.screens.district.package_import import ImportScreen, package_files
from ui.gui.tasks import idle


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path, enroll=False)
    yield p
    p.close()


def _screen(pair: Pair, qtbot: QtBot) -> ImportScreen:
    screen = ImportScreen(pair.district)
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(idle, timeout=10_000)
    return screen


def test_package_files_takes_opora_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "a.opora").write_bytes(b"x")
    (tmp_path / "b.txt").write_text("x")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.OPORA").write_bytes(b"x")
    assert package_files([tmp_path, tmp_path / "a.opora"]) == [tmp_path / "a.opora"]
    assert package_files([sub / "c.OPORA", tmp_path / "b.txt"]) == [sub / "c.OPORA"]


def test_unknown_school_goes_to_quarantine_then_is_enrolled_by_typed_fingerprint(
    pair: Pair, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(import_tabs, "show_error", lambda _w, exc: errors.append(str(exc)))
    pair.school_package()
    screen = _screen(pair, qtbot)
    screen.add_paths([pair.out])  # the dry run: nothing written yet
    qtbot.waitUntil(lambda: screen.preview.rowCount() == 1, timeout=20_000)
    [preview] = screen.preview.rows()
    assert preview.verdict == "quarantined" and "отпечаток" in preview.reason.lower()
    assert pair.district.sync.quarantine() == []  # dry run: not even the quarantine
    # nothing is ready to accept: the button and the summary say what pressing it does
    assert screen.apply_button.isEnabled()
    assert screen.apply_button.text() == "Отложить в карантин"
    assert "попадут на вкладку «Карантин» после кнопки «Отложить в карантин»" in (
        screen.summary_label.text()
    )
    screen.apply()
    qtbot.waitUntil(lambda: screen.quarantine.rowCount() == 1 and idle(), timeout=20_000)
    assert "Карантин (1)" in screen.tabs.tabText(0)
    entry = screen.quarantine.row_at(0)
    fingerprint = pair.school.exchange.own_card().fingerprint
    screen.enroll(entry.id, "0000 0000 0000 0000")  # wrong: nothing trusted
    qtbot.waitUntil(idle, timeout=10_000)
    assert errors and "не совпадает" in errors[0]
    assert pair.district.registry.schools()[0].key_state == "pending"
    screen.enroll(entry.id, fingerprint.lower().replace(" ", "-"))  # the merge: a task
    qtbot.waitUntil(lambda: screen.preview.rowCount() == 1 and idle(), timeout=20_000)
    assert screen.preview.row_at(0).verdict == "applied"
    assert screen.quarantine.rowCount() == 0 and screen.tabs.tabText(0) == "Карантин"
    assert pair.district.registry.schools()[0].key_state == "trusted"
    assert "Принято пакетов: 1" in screen.summary_label.text()


def test_trusted_school_package_is_previewed_then_applied_and_logged(
    pair: Pair, qtbot: QtBot, tmp_path: Path
) -> None:
    first = pair.school_package()
    pair.district.sync.enroll(first, pair.school.exchange.own_card().fingerprint)
    pair.school.site.update(short_name="Лодейнинская СОШ")
    second = pair.school_package()
    screen = _screen(pair, qtbot)
    screen.add_paths([second])
    qtbot.waitUntil(lambda: screen.apply_button.isEnabled(), timeout=20_000)
    assert screen.preview.row_at(0).verdict == "dry-run"
    assert "Готовы к приёму: 1" in screen.summary_label.text()
    screen.apply_button.click()
    qtbot.waitUntil(
        lambda: "Импорт завершён" in screen.summary_label.text() and idle(), timeout=20_000
    )
    assert screen.preview.row_at(0).verdict == "applied"
    assert screen.log.row_at(0).seq == 2 and screen.log.row_at(0).outcome == "applied"
    # «Подробности» adds what the other columns do not say: not the path, not the school again
    details = screen.log.index(0, screen.log.columnCount() - 1).data()
    assert details.startswith(f"{second.name}; ") and "новых" in details
    assert str(second.parent) not in details and "Лодейнинская" not in details
    # the list names the school as «Школы» does; its report keeps the name it was sent with
    assert screen.log.index(0, 1).data() == "Лодейнинская СОШ"
    out = tmp_path / "report.pdf"
    screen.save_report(screen.log.row_at(0).id, out)
    qtbot.waitUntil(out.exists, timeout=20_000)
    book = tmp_path / "log.xlsx"
    screen.save_report(None, book)
    qtbot.waitUntil(book.exists, timeout=20_000)
    sheet = openpyxl.load_workbook(book).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[3], r[5]) for r in rows] == [(2, "принят"), (1, "принят")]
    assert rows[0][2] == getpass.getuser()  # «Кто импортировал»
    assert isinstance(rows[0][6], int)  # counts are numbers
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "МОУ Лодейнинская СОШ" in text
        assert f"Кто импортировал {getpass.getuser()}" in " ".join(text.split())


def test_a_damaged_file_is_refused_in_the_preview_and_changes_nothing(
    pair: Pair, qtbot: QtBot
) -> None:
    bad = pair.out / "broken.opora"
    bad.write_bytes(b"PK\x03\x04 not really a package")
    screen = _screen(pair, qtbot)
    screen.add_paths([bad])
    qtbot.waitUntil(lambda: screen.preview.rowCount() == 1, timeout=20_000)
    assert screen.preview.row_at(0).verdict == "refused"
    assert not screen.apply_button.isEnabled()
    assert pair.district.sync.import_log() == []


def test_the_preview_fits_its_columns_one_per_turn_of_the_event_loop(
    pair: Pair, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = pair.out / "broken.opora"
    bad.write_bytes(b"PK\x03\x04 not really a package")
    screen = _screen(pair, qtbot)
    view = screen.preview_view
    fitted: list[int] = []
    shown_with: list[int] = []
    monkeypatch.setattr(view, "resizeColumnToContents", lambda c: fitted.append(c))
    monkeypatch.setattr(view, "resizeColumnsToContents", lambda: fitted.extend(range(99)))
    show = screen._show

    def spy(reports: list[object], dry_run: bool) -> None:
        show(reports, dry_run)  # type: ignore[arg-type]
        shown_with.append(len(fitted))

    monkeypatch.setattr(screen, "_show", spy)
    screen.add_paths([bad])
    qtbot.waitUntil(lambda: bool(shown_with), timeout=20_000)
    assert shown_with[0] <= 1  # the other columns come on later turns
    reason = screen.preview.columnCount() - 1  # it takes what the others leave
    qtbot.waitUntil(lambda: fitted == list(range(reason)), timeout=5000)
