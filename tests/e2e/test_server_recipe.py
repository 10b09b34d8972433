"""The README's server recipe, run as written against the throwaway server (it cannot rot).

docs/server-setup.sql and docs/server-add-login.sql go through `psql` as the administrator;
then three staff members work with their own logins: ivanova creates the workspace, petrov
joins and sends bulletins, smirnova (read-only) views and is refused every write. The log
entries name who did what; the read-only login writes nothing, not even at start.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import openpyxl
import psycopg
import pytest

from services.app import build_services
from services.core.config import AppPaths
from services.core.db import Database
from services.core.db_pg import ReadOnlyLogin, Workspace
from tests import pgserver
from tests.conftest import RESOURCES
from tests.e2e.test_workspace_cli import CODE, NAME, PHRASE, cli, server_state

DOCS = Path(__file__).resolve().parents[2] / "docs"
DATABASE = "opora"


def psql(server: pgserver.PgServer, *args: str, database: str = "postgres") -> str:
    """The administrator's psql, as the README runs it (stops at the first error)."""
    cmd = [str(server.bindir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", *args]
    done = subprocess.run(
        [*cmd, server.url(database)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def add_login(server: pgserver.PgServer, login: str, group: str) -> str:
    psql(
        server,
        "-v",
        f"login={login}",
        "-v",
        f"group={group}",
        "-f",
        str(DOCS / "server-add-login.sql"),
    )
    return server.url(DATABASE, user=login)


class Recipe:
    def __init__(self, server: pgserver.PgServer, root: Path) -> None:
        self.server, self.root = server, root
        psql(server, "-f", str(DOCS / "server-setup.sql"))
        psql(server, "-f", str(DOCS / "server-setup.sql"))  # a second run changes nothing
        self.ivanova = add_login(server, "ivanova", "opora_staff")
        self.petrov = add_login(server, "petrov", "opora_staff")
        self.smirnova = add_login(server, "smirnova", "opora_readonly")

    def data(self, login: str) -> Path:
        return self.root / login


@pytest.fixture(scope="session")  # once per server: its roles and database «opora» stay
def recipe(pg_server: pgserver.PgServer, tmp_path_factory: pytest.TempPathFactory) -> Recipe:
    root = tmp_path_factory.mktemp("recipe")
    phrase = root / "phrase.txt"
    phrase.write_text(PHRASE + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OPORA_PASSPHRASE_FILE", str(phrase))
        r = Recipe(pg_server, root)
        code, out, err = cli(
            r.data("ivanova"), "init", "--role", "district", "--name", NAME, "--code", CODE,
            "--database", r.ivanova,
        )  # fmt: skip
        assert code == 0, err
        assert "не созданы" not in out  # the recipe made the roles: nothing to ask for
        for login, url in (("petrov", r.petrov), ("smirnova", r.smirnova)):
            code, _out, err = cli(r.data(login), "init", "--join", "--database", url)
            assert code == 0, err
    return r  # the variables end with the set-up: other modules test the gate without them


@pytest.fixture(autouse=True)
def _env(recipe: Recipe, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPORA_PASSPHRASE_FILE", str(recipe.root / "phrase.txt"))


def owners(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
        return {str(r[0]) for r in rows}


def test_the_tables_belong_to_the_staff_role(recipe: Recipe) -> None:
    assert owners(recipe.ivanova) == {"opora_staff"}


def test_each_login_is_recorded_on_what_it_did(recipe: Recipe, tmp_path: Path) -> None:
    code, _out, err = cli(recipe.data("ivanova"), "demo")  # imports seven schools' packages
    assert code == 0, err
    (tmp_path / "out").mkdir()
    code, _out, err = cli(recipe.data("petrov"), "export", "--out", str(tmp_path / "out"))
    assert code == 0, err
    with psycopg.connect(recipe.ivanova) as conn:
        imported = {r[0] for r in conn.execute("SELECT actor FROM import_log")}
        sent = {r[0] for r in conn.execute("SELECT actor FROM export_log")}
    assert imported == {"ivanova"} and sent == {"petrov"}
    report = tmp_path / "i.xlsx"
    code, _out, err = cli(recipe.data("smirnova"), "report", "import", "--out", str(report))
    assert code == 0, err
    sheet = openpyxl.load_workbook(report).worksheets[0]
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row}
    assert "ivanova" in cells  # the import log report names who imported
    comment_and_status_by_two_logins(recipe)


def comment_and_status_by_two_logins(recipe: Recipe) -> None:
    """Ivanova writes a comment, Petrov resolves it and sets the school's status."""
    from services.district.schools import status_id

    first = Database.open_server(Workspace(recipe.ivanova, "i"))
    second = Database.open_server(Workspace(recipe.petrov, "p"))
    try:
        ivanova = build_services(first, AppPaths(RESOURCES, recipe.data("ivanova")))
        petrov = build_services(second, AppPaths(RESOURCES, recipe.data("petrov")))
        entry = ivanova.registry.schools()[0]
        school = entry.site_id
        comment = ivanova.registry.add_comment(school, "site", school, "Сверьте ИППР")
        petrov.registry.resolve_comment(comment.id)
        petrov.registry.set_status(entry.status)
        [read] = [c for c in petrov.registry.comments(school) if c.id == comment.id]
        assert read.actor == "ivanova"  # shown as «Автор» on the school's comments tab
    finally:
        first.close()
        second.close()
    with psycopg.connect(recipe.ivanova) as conn:
        who = dict(
            ((r[0], r[1]), (r[2], r[3]))
            for r in conn.execute(
                "SELECT table_name, row_id, created_by, changed_by FROM row_actor"
            )
        )
    assert who[("district_comment", comment.id)] == ("ivanova", "petrov")
    assert who[("school_status", status_id(school))][1] == "petrov"


def everything(url: str) -> list[tuple[Any, ...]]:
    """Every row of every table, with each row's xmin: a write of any kind changes it."""
    with psycopg.connect(url) as conn:
        tables = [
            str(r[0])
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return [
            (t, sorted(map(repr, conn.execute(f'SELECT xmin::text, * FROM "{t}"')))) for t in tables
        ]


@pytest.mark.parametrize(
    "command",
    [
        ["profile"],
        ["report", "roadmap-template", "--out", "{tmp}/r.xlsx"],
        ["card", "--out", "{tmp}/d.card"],
        ["self-check"],
    ],
)
def test_a_read_only_login_starts_and_reads_writing_nothing(
    recipe: Recipe, tmp_path: Path, command: list[str]
) -> None:
    before = everything(recipe.ivanova)
    code, _out, err = cli(recipe.data("smirnova"), *[c.format(tmp=tmp_path) for c in command])
    assert code == 0, err
    assert everything(recipe.ivanova) == before


@pytest.mark.parametrize(
    "command",
    [
        ["import", "{tmp}"],
        ["export", "--out", "{tmp}/out"],
        ["demo"],
        ["passphrase"],
        ["profile", "--fisoko-login", "-"],
        ["import-xlsx", "teachers", "{tmp}/t.csv"],
    ],
)
def test_a_read_only_login_is_refused_every_write_up_front(
    recipe: Recipe, tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "t.csv").write_text("ФИО\nИванова Анна Петровна\n", encoding="utf-8")
    before = everything(recipe.ivanova)
    code, out, err = cli(recipe.data("smirnova"), *[c.format(tmp=tmp_path) for c in command])
    assert code == 1 and out == ""
    assert "только просмотр" in err and "smirnova" in err and "opora_staff" in err
    assert everything(recipe.ivanova) == before


def test_the_server_refuses_a_read_only_write_and_the_app_says_so(recipe: Recipe) -> None:
    db = Database.open_server(Workspace(recipe.smirnova, "ro"))
    try:
        assert db.read_only
        services = build_services(db, AppPaths(RESOURCES, recipe.data("smirnova")))
        with pytest.raises(ReadOnlyLogin, match="только просмотр") as caught:
            services.site.update(address="ул. Ленина, 1")  # not refused up front: the grants
        assert getattr(caught.value.__cause__, "orig", None).sqlstate == "42501"  # type: ignore[union-attr]
    finally:
        db.close()


def test_staff_logins_may_write(recipe: Recipe) -> None:
    db = Database.open_server(Workspace(recipe.petrov, "rw"))
    try:
        assert not db.read_only and db.access is not None and db.access.login == "petrov"
    finally:
        db.close()


def test_staff_logins_may_switch_off_the_per_row_checks_of_an_import(recipe: Recipe) -> None:
    """docs/server-setup.sql grants it to opora_staff (README, «Import into PostgreSQL»)."""
    asked = "SELECT has_parameter_privilege('session_replication_role', 'SET')"
    for url, allowed in ((recipe.petrov, True), (recipe.smirnova, False)):
        with psycopg.connect(url) as conn:
            assert conn.execute(asked).fetchone() == (allowed,)


def test_a_read_only_login_on_an_outdated_schema_migrates_nothing(recipe: Recipe) -> None:
    admin = recipe.server.url(DATABASE)
    with psycopg.connect(admin, autocommit=True) as conn:
        head = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        assert head is not None
        conn.execute(
            "UPDATE alembic_version SET version_num = '0011'"
        )  # as the last version left it
    try:
        before = everything(recipe.ivanova)
        code, out, err = cli(recipe.data("smirnova"), "profile")
        assert code == 1 and out == ""
        assert "только просмотр" in err and "«0011»" in err and "Ничего не изменено" in err
        assert everything(recipe.ivanova) == before
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("UPDATE alembic_version SET version_num = %s", (head[0],))


def test_two_staff_members_never_take_the_same_package_number(recipe: Recipe) -> None:
    """Petrov asks for a number while Ivanova's export still holds hers: he gets the next."""
    from services.packages.vault import reserve_number

    first = Database.open_server(Workspace(recipe.ivanova, "a"))
    second = Database.open_server(Workspace(recipe.petrov, "b"))
    got: list[int] = []

    def petrov() -> None:
        with second.session(stamp=False) as s:
            got.append(reserve_number(s, "bulletin:test", 0))

    try:
        with first.session(stamp=False) as s:
            got.append(reserve_number(s, "bulletin:test", 0))
            worker = threading.Thread(target=petrov)
            worker.start()
            wait_for_lock_wait(recipe.server.url(DATABASE), "petrov")  # queued behind her
        worker.join()
        assert got == [got[0], got[0] + 1]
    finally:
        first.close()
        second.close()


def wait_for_lock_wait(url: str, login: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        while not conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = %s AND wait_event_type = 'Lock'",
            (login,),
        ).fetchone()[0]:  # type: ignore[index]
            time.sleep(0.02)


def test_the_nightly_copy_restores_into_a_working_workspace(recipe: Recipe, tmp_path: Path) -> None:
    """docs/opora-backup.sh as cron runs it, then the README's restore into a new database."""
    import os

    server = recipe.server
    env = {
        **os.environ,
        "PATH": f"{server.bindir}:{os.environ['PATH']}",
        "PGHOST": "127.0.0.1",
        "PGPORT": str(server.port),
        "PGUSER": pgserver.ADMIN,
    }
    done = subprocess.run(
        [str(DOCS / "opora-backup.sh"), str(tmp_path / "copies")],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (dump,) = (tmp_path / "copies").glob("opora-*.dump")
    psql(server, "-c", "CREATE DATABASE opora_restored OWNER opora_staff TEMPLATE template0")
    restore = [str(server.bindir / "pg_restore"), "--no-owner", "--role=opora_staff"]
    done = subprocess.run(
        [*restore, "-d", server.url("opora_restored"), str(dump)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    restored = server.url("opora_restored", user="smirnova")
    assert server_state(restored) == server_state(recipe.smirnova)  # every row, as it was
    assert owners(restored) == {"opora_staff"}
    for login, writable in (("petrov", True), ("smirnova", False)):
        db = Database.open_server(Workspace(server.url("opora_restored", user=login), "x"))
        try:
            assert db.access is not None and db.access.writable == writable
        finally:
            db.close()


def test_a_read_only_login_previews_a_package_writing_nothing(
    recipe: Recipe, template_db: Path, tmp_path: Path
) -> None:
    """The dry run (the import screen's preview) reads and decrypts, and stores nothing."""
    from models import Role
    from tests.conftest import memory_copy

    ro = Database.open_server(Workspace(recipe.smirnova, "ro"))
    try:
        card = build_services(ro, AppPaths(RESOURCES, recipe.data("smirnova"))).exchange.own_card()
    finally:
        ro.close()
    school = build_services(memory_copy(template_db), AppPaths(RESOURCES, tmp_path / "school"))
    try:
        school.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
        school.exchange.trust_district_card(card)
        school.demo.fill()
        package = school.exchange.export(tmp_path).path
    finally:
        school.db.close()
    before = everything(recipe.ivanova)
    code, out, err = cli(recipe.data("smirnova"), "import", "--dry-run", "--json", str(package))
    assert code == 1 and "quarantined-unknown-key" in out, err  # an unknown school: exit 1
    assert everything(recipe.ivanova) == before


def test_a_read_only_preview_past_the_flush_threshold_writes_nothing(
    recipe: Recipe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A preview's checked rows wait; for a login that may only read they are never written,
    however many (here the threshold is one row, so any package would be written at once)."""
    from services.sync import merge_pg
    from tests.services.server_support import staff
    from tests.services.sync_support import own_id, package, site_row, teacher, trust

    school = "33333333-3333-4333-8333-333333333333"
    writer = staff(recipe.ivanova, "node-i", tmp_path / "i")
    try:
        trust(writer, school)
    finally:
        writer.db.close()
    reader = staff(recipe.smirnova, "node-s", tmp_path / "s")
    monkeypatch.setattr(merge_pg, "FLUSH_ROWS", 1)
    try:
        before = everything(recipe.ivanova)
        records = [site_row(school, 1, "МОУ СОШ № 3"), teacher("t-preview", school, 1)]
        pkg = package(school, own_id(reader), 1, records)
        report = reader.sync.import_package(pkg, dry_run=True)
        assert report.verdict == "dry-run" and report.code == "applied", report.reason
        assert everything(recipe.ivanova) == before
    finally:
        reader.db.close()


def test_the_pg_hba_lines_are_understood_by_the_server(recipe: Recipe) -> None:
    """Appended to the server's pg_hba.conf (not reloaded), they parse without an error."""
    hba = Path(psql(recipe.server, "-Atc", "SHOW hba_file").strip())
    original = hba.read_text(encoding="utf-8")
    ours = (DOCS / "server-pg_hba.conf").read_text(encoding="utf-8")
    try:
        hba.write_text(original + ours, encoding="utf-8")
        rules = psql(
            recipe.server,
            "-Atc",
            "SELECT coalesce(error, '') || '|' || array_to_string(database, ',') || '|' || "
            "array_to_string(user_name, ',') || '|' || auth_method FROM pg_hba_file_rules",
        ).splitlines()
    finally:
        hba.write_text(original, encoding="utf-8")
    assert "|opora|+opora_staff,+opora_readonly|scram-sha-256" in rules
    assert all(not r.split("|")[0] for r in rules), rules
