"""A run of imports on a server tells the other staff once, at its commit, naming every school.

One notice per package made a 300-school run queue 300 `pg_notify` calls (one statement each)
and the other clients refresh 300 times; the run now sends one, with the run's senders.
"""

from __future__ import annotations

from pathlib import Path

from services.app import open_services
from services.core import notify
from services.core.config import AppPaths
from services.sync import Verdict
from tests import pgserver
from tests.bench.region import build_region
from tests.conftest import RESOURCES
from tests.services.core.test_notify import Heard
from tests.services.server_support import district_on_server

SENTINEL = "sentinel"


def test_a_run_of_three_packages_sends_one_notice_naming_the_three_schools(
    tmp_path: Path, pg_server: pgserver.PgServer
) -> None:
    region = build_region(tmp_path / "region", 3)
    folder = tmp_path / "server"
    url = district_on_server(region.district_dir, pg_server, folder, "run_notice")
    services = open_services(AppPaths(RESOURCES, folder))
    heard = Heard(url)
    try:
        preview = services.sync.import_files(region.packages, dry_run=True)
        assert [r.verdict for r in preview] == [Verdict.DRY_RUN] * 3
        reports = services.sync.import_files(region.packages, dry_run=False)
        assert [r.verdict for r in reports] == [Verdict.APPLIED] * 3
        with services.db.session() as s:  # committed after the run: heard after its notice
            notify.announce(s, SENTINEL)
        heard.wait_for(lambda n: any(x.what == SENTINEL for x in n))
        before = heard.notices[: [x.what for x in heard.notices].index(SENTINEL)]
        senders = frozenset(r.sender_id for r in reports)
        assert before == [notify.ChangeNotice(notify.IMPORT, senders)]
    finally:
        heard.close()
        services.db.close()
