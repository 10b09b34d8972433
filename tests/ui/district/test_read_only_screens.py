"""A read-only login sees the import preview and the bulletin screen with their actions disabled.

The login's rights come from the server (`db.access`, tested against a real server in
tests/e2e/test_server_recipe.py); here the same answer is given to a file database so the
screens can be driven as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from services.core.db_pg import Access
from tests.services.pair_support import Pair, make_pair
from ui.gui.screens.district.bulletin import BulletinScreen
from ui.gui.screens.district.package_import import ImportScreen
from ui.gui.tasks import idle
from ui.gui.widgets.read_only import lock_screen


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path, enroll=False)
    first = p.school_package()
    p.district.sync.enroll(first, p.school.exchange.own_card().fingerprint)
    yield p
    p.close()


def viewer(pair: Pair) -> None:
    pair.district.db.access = Access("smirnova", writable=False)


def test_the_preview_runs_but_applying_is_disabled(pair: Pair, qtbot: QtBot) -> None:
    second = pair.school_package()
    viewer(pair)
    screen = ImportScreen(pair.district)
    lock_screen(screen, pair.district)  # as the main window does with every screen it builds
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(idle, timeout=10_000)
    screen.add_paths([second])
    qtbot.waitUntil(
        lambda: "Готовы к приёму: 1" in screen.summary_label.text() and idle(), timeout=20_000
    )
    assert not screen.apply_button.isEnabled()
    assert "Только просмотр" in screen.apply_button.toolTip()


def test_the_bulletin_cannot_be_sent(pair: Pair, qtbot: QtBot) -> None:
    viewer(pair)
    screen = BulletinScreen(pair.district)
    lock_screen(screen, pair.district)
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(idle, timeout=10_000)
    assert "МОУ Лодейнинская СОШ" in screen.recipients_label.text()  # the school is there
    assert not screen.send_button.isEnabled()
    assert "Только просмотр" in screen.send_button.toolTip()
