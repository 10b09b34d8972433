"""Migration 0006 and later on a demo school database made before protocols (revision 0004)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from services.app import open_services
from services.core.config import AppPaths
from services.core.db import head_revision, preflight
from tests.conftest import FIXTURES, RESOURCES
from tests.services.protocols.seed004 import seed_protocol


def test_a_0004_demo_database_gets_protocols_and_keeps_its_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "db_rev0004_demo.sqlite3", data / "opora.sqlite3")
    assert preflight(data / "opora.sqlite3") == "0004"
    services = open_services(AppPaths(RESOURCES, data))
    try:
        assert services.db.revision() == head_revision()
        roadmap = services.roadmap.current(date(2026, 1, 15))
        assert roadmap is not None and len(services.roadmap.items(roadmap.id)) == 27
        assert services.protocols.protocols() == []
        pid = services.protocols.save(seed_protocol()).protocol_id
        decision = services.protocols.document(pid).decisions[1]
        link = services.protocols.add_to_roadmap(decision.id, on=date(2026, 1, 15))
        assert len(services.roadmap.items(roadmap.id)) == 28
        assert link.item_id in {i.id for i in services.roadmap.items(roadmap.id)}
    finally:
        services.db.close()
