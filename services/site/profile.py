"""This installation's own organisation: first-run set-up and the profile (DESIGN §4, §9)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from models import AppState, Role, Site, SiteRead, new_id
from services.core.db import Database
from services.core.errors import Conflict, Invalid, NotFound

SITE_KEY = "site_id"
ROLE_KEY = "role"

ROLE_NAMES = {Role.SCHOOL: "Школа", Role.DISTRICT: "Управление образования"}


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """What the GUI needs to know about this installation."""

    site: SiteRead
    role: Role

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]


def validate_identity(name: str, code: str) -> tuple[str, str]:
    """Clean and check the organisation name and code; raise Invalid with a Russian message."""
    name, code = " ".join(name.split()), code.strip()
    if len(name) < 3:
        raise Invalid("Укажите полное название организации (не короче 3 символов).")
    if len(name) > 500:
        raise Invalid("Название организации слишком длинное (больше 500 символов).")
    if not code:
        raise Invalid("Укажите код организации: ИНН или региональный код.")
    if len(code) > 40 or not all(ch.isalnum() or ch in "-_/." for ch in code):
        raise Invalid("Код организации может содержать только буквы, цифры и знаки - _ / .")
    return name, code


class SiteService:
    """First-run set-up and the organisation profile."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def is_initialized(self) -> bool:
        return self._db.get_state(SITE_KEY) is not None

    def initialize(
        self, role: Role, full_name: str, code: str, *, short_name: str = ""
    ) -> SiteProfile:
        """Create this installation's organisation; allowed once."""
        name, code = validate_identity(full_name, code)
        if self.is_initialized():
            raise Conflict("Программа уже настроена для организации; повторная настройка не нужна.")
        site_id = new_id()
        site = Site(
            id=site_id,
            owner=site_id,
            role=role,
            full_name=name,
            short_name=short_name.strip() or name,
            code=code,
        )
        with self._db.session() as s:
            s.add(AppState(key=SITE_KEY, value=site.id))
            s.add(AppState(key=ROLE_KEY, value=role.value))
            s.add(site)
            s.flush()
            return SiteProfile(SiteRead.model_validate(site), role)

    def profile(self) -> SiteProfile:
        """The organisation of this installation; NotFound before the first-run set-up."""
        with self._db.session() as s:
            return self._profile(s)

    def update(
        self,
        *,
        full_name: str | None = None,
        short_name: str | None = None,
        address: str | None = None,
        director_name: str | None = None,
        director_position: str | None = None,
    ) -> SiteProfile:
        """Change the organisation's profile (printed in document headers)."""
        with self._db.session() as s:
            prof = self._profile(s)
            site = s.get(Site, prof.site.id)
            assert site is not None
            if full_name is not None:
                site.full_name, _ = validate_identity(full_name, site.code)
            for attr, value in (
                ("short_name", short_name),
                ("address", address),
                ("director_name", director_name),
                ("director_position", director_position),
            ):
                if value is not None:
                    setattr(site, attr, value.strip())
            s.add(site)
            s.flush()
            return SiteProfile(SiteRead.model_validate(site), prof.role)

    @staticmethod
    def _profile(s: Session) -> SiteProfile:
        site_id = s.get(AppState, SITE_KEY)
        role = s.get(AppState, ROLE_KEY)
        if site_id is None or role is None:
            raise NotFound("Программа ещё не настроена: выполните «python main.py init».")
        site = s.get(Site, site_id.value)
        if site is None:
            raise NotFound("Запись об организации не найдена в базе данных.")
        return SiteProfile(SiteRead.model_validate(site), Role(role.value))


def own_site_id(s: Session) -> str:
    """The site id of this installation inside an open session (helpers of other services)."""
    row = s.get(AppState, SITE_KEY)
    if row is None:
        raise NotFound("Программа ещё не настроена: выполните «python main.py init».")
    return row.value
