"""A school and its district with real keys, and helpers to rebuild packages byte by byte."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from models import Role
from services.app import Services, build_services
from services.core.config import AppPaths
from services.packages.types import VerifiedPackage
from tests.conftest import RESOURCES, memory_copy


@dataclass
class Pair:
    school: Services
    district: Services

    def export(self, folder: Path) -> Path:
        return self.school.exchange.export(folder).path

    def district_reads(self, path: Path) -> VerifiedPackage:
        return self.district.exchange.verify(path)


def make_site(template: Path, root: Path, role: Role, name: str, code: str) -> Services:
    data = root / code
    data.mkdir(parents=True)
    services = build_services(memory_copy(template), AppPaths(RESOURCES, data))
    services.site.initialize(role, name, code)
    services.exchange.own_card()
    return services


def make_pair(template: Path, root: Path, code: str = "4701") -> Pair:
    district = make_site(template, root, Role.DISTRICT, "Управление образования Кольского района",
                         f"51{code}")  # fmt: skip
    school = make_site(template, root, Role.SCHOOL, "МОУ Лодейнинская СОШ", code)
    school.exchange.trust_district_card(district.exchange.own_card())
    return Pair(school, district)


def members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def rezip(
    entries: list[tuple[str, bytes]], *, dirs: tuple[str, ...] = (), links: tuple[str, ...] = ()
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in dirs:
            zf.writestr(zipfile.ZipInfo(name), b"")
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o120777 << 16
            zf.writestr(info, b"/etc/passwd")
        for name, body in entries:
            zf.writestr(zipfile.ZipInfo(name), body)
    return out.getvalue()
