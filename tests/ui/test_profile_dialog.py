"""«Профиль организации»: the school's ФИС ОКО login is set and checked there."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.app import Services
from ui.gui.dialogs.profile import ProfileDialog


def test_the_profile_dialog_sets_the_fisoko_login_and_refuses_a_wrong_one(
    school: Services, qtbot: QtBot
) -> None:
    dialog = ProfileDialog(school.site)
    qtbot.addWidget(dialog)
    dialog.fisoko_login.setText("513021")
    dialog.director_name.setText("И.И. Иванова")
    dialog.accept()
    assert "sch" in dialog.error.text()  # refused, nothing stored, the dialog stays
    assert school.site.profile().fisoko_login == ""
    dialog.fisoko_login.setText("sch513021")
    dialog.accept()
    profile = school.site.profile()
    assert profile.fisoko_login == "sch513021" and profile.site.director_name == "И.И. Иванова"


def test_a_district_has_no_fisoko_login_field(district: Services, qtbot: QtBot) -> None:
    dialog = ProfileDialog(district.site)
    qtbot.addWidget(dialog)
    dialog.fisoko_login.setText("sch1")  # not shown; not stored
    dialog.accept()
    assert district.site.profile().fisoko_login == ""
