"""Two real installations, a district and a school, exchanging real signed packages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from models import Role
from services.app import Services, build_services
from services.core.config import AppPaths
from services.core.db import Database
from tests.conftest import RESOURCES, memory_copy


@dataclass
class Pair:
    district: Services
    school: Services
    out: Path

    def school_package(self) -> Path:
        return self.school.exchange.export(self.out).path

    def send_bulletins(self) -> list[Path]:
        return [r.path for r in self.district.bulletin.export_bulletins(self.out)]

    def close(self) -> None:
        self.district.db.close()
        self.school.db.close()


def _services(template_db: Path, root: Path, db: Database | None = None) -> Services:
    root.mkdir()
    paths = AppPaths(resources_dir=RESOURCES, data_dir=root)
    return build_services(db or memory_copy(template_db), paths)


def make_pair(
    template_db: Path, tmp_path: Path, *, enroll: bool = True, district_db: Database | None = None
) -> Pair:
    """A district and a demo school that trusts it; the school's package № 1 enrolled.

    The district's database is `district_db` when given (the `db` fixture: either engine).
    """
    district = _services(template_db, tmp_path / "district", district_db)
    district.site.initialize(Role.DISTRICT, "Управление образования Кольского района", "5105000001")
    school = _services(template_db, tmp_path / "school")
    school.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
    school.exchange.trust_district_card(district.exchange.own_card())
    school.demo.fill()
    out = tmp_path / "stick"
    out.mkdir()
    pair = Pair(district, school, out)
    if enroll:
        first = pair.school_package()
        report = district.sync.enroll(first, school.exchange.own_card().fingerprint).report
        assert report is not None and report.verdict == "applied"
    return pair
