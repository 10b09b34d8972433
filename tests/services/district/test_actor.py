"""Who did what: the staff login on imports, comments, statuses and bulletins, kept at the
district and never sent in a package."""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import select

from models import RowActor
from models.site import SchoolStatusBase
from services.core.actor import current_actor
from services.core.db import Database
from services.district.bulletin import bulletin_records
from services.site.profile import own_site_id
from services.sync.rows import TABLES
from tests.services.district.staff_support import two_staff
from tests.services.pair_support import Pair, make_pair

SCHOOL = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    yield p
    p.close()


def _as(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: login)


def test_on_sqlite_the_actor_is_the_os_user(db: Database) -> None:
    with db.session() as s:
        assert current_actor(s) == getpass.getuser() != ""


@pytest.mark.parametrize("engine_kind", ["postgresql"], indirect=True)
def test_on_postgresql_the_server_names_the_login_once_per_engine(
    template_db: Path, tmp_path: Path, db: Database
) -> None:
    """The login is the server's `current_user`, asked once however many packages arrive."""
    asked: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        if "current_user" in statement:
            asked.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    p = make_pair(template_db, tmp_path, enroll=False, district_db=db)
    try:
        first = p.school_package()
        fingerprint = p.school.exchange.own_card().fingerprint
        assert p.district.sync.enroll(first, fingerprint).report is not None
        reports = p.district.sync.import_files(
            [p.school_package() for _ in range(3)], dry_run=False
        )
        assert [r.verdict for r in reports] == ["applied"] * 3
        with db.engine.connect() as conn:
            login = conn.exec_driver_sql("SELECT session_user").scalar()
        assert {e.actor for e in p.district.sync.import_log()} == {login}
        assert len(asked) == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
        p.close()


def test_import_log_names_who_imported(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    os_user = getpass.getuser()
    _as(monkeypatch, "petrov_ii")
    pair.district.sync.import_files([pair.school_package()], dry_run=False)
    newest, first = pair.district.sync.import_log()[:2]
    assert newest.actor == "petrov_ii"
    assert first.actor == os_user  # the enrollment in `make_pair`


def test_comments_name_their_author_and_last_editor(
    template_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with two_staff(template_db, tmp_path) as (a, b):
        _as(monkeypatch, "ivanova_ao")
        comment = a.registry.add_comment(SCHOOL, "site", SCHOOL, "Проверьте сроки")
        assert comment.actor == "ivanova_ao"
        _as(monkeypatch, "petrov_ii")
        b.registry.edit_comment(comment.id, "Проверьте сроки раздела 2", comment.hlc)
        b.registry.set_status(SchoolStatusBase(school_id=SCHOOL, is_low_results=True))
        with a.db.session() as s:
            rows = {r.table_name: r for r in s.exec(select(RowActor))}
        assert (rows["district_comment"].created_by, rows["district_comment"].changed_by) == (
            "ivanova_ao",
            "petrov_ii",
        )
        assert rows["school_status"].changed_by == "petrov_ii"
        assert [c.actor for c in b.registry.comments(SCHOOL)] == ["ivanova_ao"]


def test_the_login_stays_at_the_district(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bulletins carry comments and statuses in their synced columns only, never the login."""
    _as(monkeypatch, "ivanova_ao")
    school_id = pair.school.site.profile().site.id
    pair.district.registry.add_comment(school_id, "site", school_id, "Проверьте сроки")
    pair.district.registry.set_status(SchoolStatusBase(school_id=school_id, is_low_results=True))
    with pair.district.db.session() as s:
        records = bulletin_records(s, own_site_id(s), school_id)
    sent = [r for r in records if r.table in ("district_comment", "school_status")]
    assert len(sent) == 2
    assert all(r.row.keys() == TABLES[r.table].column_set for r in sent)
    assert "ivanova_ao" not in json.dumps([r.row for r in records], ensure_ascii=False)
    results = pair.district.bulletin.export_bulletins(pair.out)
    assert pair.district.bulletin.history()[0][5] == "ivanova_ao"
    [got] = pair.school.sync.import_files([results[0].path], dry_run=False)
    assert got.verdict == "applied", got.reason  # the school takes it as it always did


def test_old_log_rows_get_an_empty_actor(tmp_path: Path) -> None:
    from alembic import command

    from services.core.db import alembic_config, make_engine

    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), "0008")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO import_log (id, package_sha256, package_id, sender_id, seq, outcome, "
            "report, created_at) VALUES ('l1', '', '', '', NULL, 'REFUSED', '{}', "
            "'2026-01-01 00:00:00')"
        )
    command.upgrade(alembic_config(engine), "head")
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT actor FROM import_log").fetchall() == [("",)]


def test_packages_keep_their_schema_after_the_local_revision() -> None:
    """0011 adds local bookkeeping only: schools that do not know it still read bulletins."""
    from services.core.db import known_revisions
    from services.sync.merge import RECORD_MIGRATIONS, _identity, package_schema

    assert "0011" in known_revisions() and RECORD_MIGRATIONS["0010"] is _identity
    assert package_schema() == "0009"
