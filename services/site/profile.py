"""This installation's own organisation: first-run set-up and the profile (DESIGN §4, §9)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from models import AppState, Role, Site, SiteRead, new_id
from services.core.db import Database
from services.core.errors import Conflict, Invalid, NotFound

SITE_KEY = "site_id"
ROLE_KEY = "role"
# The school's ФИС ОКО login. It names this installation's account, not a fact the district
# keeps, and a package row must have exactly its table's columns, so it lives among the
# installation's settings rather than in the synchronised `site` row.
FISOKO_KEY = "fisoko_login"
FISOKO_LOGIN = re.compile(r"sch\d{3,}")

ROLE_NAMES = {Role.SCHOOL: "Школа", Role.DISTRICT: "Управление образования"}


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """What the GUI needs to know about this installation."""

    site: SiteRead
    role: Role
    fisoko_login: str = ""

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


def validate_fisoko_login(login: str) -> str:
    """«sch123456» in lower case, or "" to clear; Invalid with an example otherwise."""
    login = login.strip().lower()
    if login and not FISOKO_LOGIN.fullmatch(login):
        raise Invalid(
            f"Логин ФИС ОКО «{login}» не похож на логин школы: он начинается с sch, за которым "
            "идут цифры, например sch123456."
        )
    return login


class SiteService:
    """First-run set-up and the organisation profile."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def is_initialized(self) -> bool:
        return self._db.get_state(SITE_KEY) is not None

    def initialize(
        self, role: Role, full_name: str, code: str, *, short_name: str = "", fisoko_login: str = ""
    ) -> SiteProfile:
        """Create this installation's organisation; allowed once."""
        name, code = validate_identity(full_name, code)
        login = validate_fisoko_login(fisoko_login)
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
            if login:
                s.add(AppState(key=FISOKO_KEY, value=login))
            s.add(site)
            s.flush()
            return SiteProfile(SiteRead.model_validate(site), role, login)

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
        fisoko_login: str | None = None,
    ) -> SiteProfile:
        """Change the organisation's profile (printed in document headers)."""
        login = None if fisoko_login is None else validate_fisoko_login(fisoko_login)
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
            if login is not None:
                _store_login(s, login)
            s.flush()
            return self._profile(s)

    def claim_fisoko_login(self, login: str) -> str | None:
        """Check a ФИС ОКО report's login against the profile; store it when none is stored.

        Returns the note to show when the login was just stored, None when it was already this
        installation's; raises Invalid, naming both, when the report is another school's.
        """
        login = validate_fisoko_login(login)
        with self._db.session() as s:
            prof = self._profile(s)
            if prof.fisoko_login == login or prof.role is not Role.SCHOOL:
                return None
            if prof.fisoko_login:
                raise Invalid(
                    f"Отчёт ФИС ОКО выгружен для логина {login}, а логин вашей школы — "
                    f"{prof.fisoko_login}. Выгрузите отчёт своей школы. Если в Опоре сохранён "
                    "неверный логин, исправьте его: «Файл» → «Профиль организации…» или команда "
                    "profile --fisoko-login."
                )
            _store_login(s, login)
            return (
                f"Логин ФИС ОКО {login} сохранён в профиле школы: отчёты других логинов "
                "загружаться не будут."
            )

    @staticmethod
    def _profile(s: Session) -> SiteProfile:
        site_id = s.get(AppState, SITE_KEY)
        role = s.get(AppState, ROLE_KEY)
        if site_id is None or role is None:
            raise NotFound("Программа ещё не настроена: выполните «python main.py init».")
        site = s.get(Site, site_id.value)
        if site is None:
            raise NotFound("Запись об организации не найдена в базе данных.")
        login = s.get(AppState, FISOKO_KEY)
        return SiteProfile(
            SiteRead.model_validate(site), Role(role.value), login.value if login else ""
        )


def _store_login(s: Session, login: str) -> None:
    row = s.get(AppState, FISOKO_KEY)
    if not login:
        if row is not None:
            s.delete(row)
        return
    if row is None:
        s.add(AppState(key=FISOKO_KEY, value=login))
    else:
        row.value = login
        s.add(row)


def own_site_id(s: Session) -> str:
    """The site id of this installation inside an open session (helpers of other services)."""
    row = s.get(AppState, SITE_KEY)
    if row is None:
        raise NotFound("Программа ещё не настроена: выполните «python main.py init».")
    return row.value
