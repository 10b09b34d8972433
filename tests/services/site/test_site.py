from __future__ import annotations

import pytest

from models import Role
from services.app import Services
from services.core.errors import Conflict, Invalid, NotFound


def test_profile_before_setup_is_not_found(services: Services) -> None:
    assert not services.site.is_initialized()
    with pytest.raises(NotFound, match="init"):
        services.site.profile()


def test_initialize_creates_the_own_site_once(services: Services) -> None:
    profile = services.site.initialize(Role.DISTRICT, "  Управление   образования ", "51-05")
    assert profile.role is Role.DISTRICT and profile.role_name == "Управление образования"
    assert profile.site.full_name == "Управление образования"
    assert services.site.profile() == profile
    with pytest.raises(Conflict):
        services.site.initialize(Role.SCHOOL, "Школа № 1", "1")


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("", "1", "название"),
        ("Шк", "1", "название"),
        ("Школа № 1", "", "код"),
        ("Школа № 1", "12 34", "Код"),
        ("Ш" * 501, "1", "длинное"),
    ],
)
def test_initialize_refuses_bad_identity(
    services: Services, name: str, code: str, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        services.site.initialize(Role.SCHOOL, name, code)
    assert not services.site.is_initialized()


def test_update_profile(school: Services) -> None:
    school.site.update(director_name="Соколова Ирина Викторовна", address="п. Лодейное")
    site = school.site.profile().site
    assert site.director_name == "Соколова Ирина Викторовна" and site.address == "п. Лодейное"


def test_demo_fills_profile_once(school: Services) -> None:
    summary = school.demo.fill()
    assert summary.lines and school.site.profile().site.director_name
    with pytest.raises(Conflict):
        school.demo.fill()
