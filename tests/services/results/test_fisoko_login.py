"""The school's ФИС ОКО login: stored in the profile, a report of another school is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.app import Services
from services.core.errors import Invalid
from services.documents.spreadsheets import ImportMode, import_xlsx
from tests.services.results.test_fisoko import reordered_counts, stats_report


def test_the_first_report_stores_its_login_and_says_so(school: Services, tmp_path: Path) -> None:
    assert school.site.profile().fisoko_login == ""
    summary = import_xlsx(school, "results", stats_report(tmp_path / "s.xlsx"))
    assert "Логин ФИС ОКО sch513021 сохранён" in summary
    assert school.site.profile().fisoko_login == "sch513021"
    again = import_xlsx(school, "results", reordered_counts(tmp_path / "r.xlsx"))
    assert "Логин ФИС ОКО" not in again  # the same school: nothing to say


def test_a_report_of_another_school_is_refused_naming_both(
    school: Services, tmp_path: Path
) -> None:
    school.site.update(fisoko_login="SCH513099 ")
    assert school.site.profile().fisoko_login == "sch513099"
    with pytest.raises(Invalid) as err:
        import_xlsx(school, "results", stats_report(tmp_path / "s.xlsx"), ImportMode.APPEND)
    assert "sch513021" in str(err.value) and "sch513099" in str(err.value)
    assert school.results.vpr(2025) == []  # nothing written


def test_a_login_is_checked_when_set(school: Services) -> None:
    with pytest.raises(Invalid, match="sch123456"):
        school.site.update(fisoko_login="513021")
    school.site.update(fisoko_login="sch1234567")
    school.site.update(fisoko_login="")
    assert school.site.profile().fisoko_login == ""


def test_init_and_profile_commands_set_the_login(tmp_path: Path) -> None:
    from main import main

    data = str(tmp_path / "data")
    init = ["--data-dir", data, "init", "--role", "school", "--name", "Школа № 1", "--code", "77"]
    assert main([*init, "--fisoko-login", "sch000123"]) == 0
    assert main(["--data-dir", data, "profile", "--fisoko-login", "sch000777"]) == 0
    from services.app import open_services
    from services.core.config import AppPaths
    from tests.conftest import REPO

    services = open_services(AppPaths(REPO / "resources", Path(data)))
    try:
        assert services.site.profile().fisoko_login == "sch000777"
    finally:
        services.db.close()
