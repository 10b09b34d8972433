"""The services of one installation, built once by main.py (the composition root)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from services.audit.catalogue import check_shipped
from services.audit.demo import AuditDemo
from services.audit.service import AuditService
from services.core.config import AppPaths
from services.core.db import Database, ensure_writable_dir, head_revision, preflight
from services.core.db_pg import load_workspace
from services.core.version import app_version
from services.district.bulletin import BulletinService
from services.district.demo import DistrictDemo
from services.district.key_change import DistrictKeyService
from services.district.school_view import SchoolViewService
from services.district.schools import RegistryService
from services.district.summary import DashboardService
from services.district.thresholds import ThresholdService
from services.exchange.service import ExchangeService
from services.packages.key_source import open_key_store
from services.packages.keys import KeyStore
from services.protocols.demo import ProtocolDemo
from services.protocols.service import ProtocolService
from services.results.service import ResultsService
from services.roadmap.demo import RoadmapDemo
from services.roadmap.programme import ProgrammeService
from services.roadmap.service import RoadmapService
from services.site.backup import BackupService, backup_database_file
from services.site.demo import DemoService
from services.site.portable import PortableService
from services.site.profile import SiteService
from services.staff.demo import StaffDemo
from services.staff.service import StaffService
from services.sync.engine import SyncService

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Services:
    """Everything the front ends may call; each field is one area's use cases."""

    paths: AppPaths
    db: Database
    site: SiteService
    backups: BackupService
    portable: PortableService
    demo: DemoService
    results: ResultsService
    roadmap: RoadmapService
    audit: AuditService
    sync: SyncService
    keys: KeyStore
    exchange: ExchangeService
    staff: StaffService
    registry: RegistryService
    school_view: SchoolViewService
    bulletin: BulletinService
    district_key: DistrictKeyService
    dashboard: DashboardService
    thresholds: ThresholdService
    protocols: ProtocolService
    programme: ProgrammeService


def build_services(db: Database, paths: AppPaths) -> Services:
    """Wire the area services around one open database."""
    check_shipped(paths.catalogues_dir)  # a damaged risk-factor catalogue is refused at start
    site = SiteService(db)
    backups = BackupService(db, paths.backups_dir)
    demo = DemoService(db, site)
    roadmap = RoadmapService(db)
    demo.add_part(RoadmapDemo(db, paths.resources_dir))
    results = ResultsService(db, paths.catalogues_dir)
    demo.add_part(results)
    staff = StaffService(db)
    demo.add_part(StaffDemo(staff))
    audit = AuditService(db, paths.catalogues_dir)
    demo.add_part(AuditDemo(audit))
    keys = open_key_store(db, paths.keys_dir)  # the data directory's files, or the vault
    exchange = ExchangeService(db, site, keys, app_version())
    demo.add_part(DistrictDemo(db, site, keys, paths, backups))
    bulletin = BulletinService(db, site, keys, app_version())
    protocols = ProtocolService(db)
    demo.add_part(ProtocolDemo(protocols))
    return Services(
        paths=paths,
        db=db,
        site=site,
        backups=backups,
        portable=PortableService(db, keys, backups, site),
        demo=demo,
        results=results,
        roadmap=roadmap,
        audit=audit,
        sync=SyncService(db, paths, keys, backups),
        keys=keys,
        exchange=exchange,
        staff=staff,
        registry=RegistryService(db),
        school_view=SchoolViewService(db, paths.catalogues_dir),
        bulletin=bulletin,
        district_key=DistrictKeyService(db, site, keys, backups, bulletin),
        dashboard=DashboardService(db, paths.catalogues_dir),
        thresholds=ThresholdService(db, paths.catalogues_dir),
        protocols=protocols,
        programme=ProgrammeService(db),
    )


def open_services(paths: AppPaths) -> Services:
    """Open (create, upgrade) the database of `paths` and build the services on it.

    An existing, older database is backed up before its schema is upgraded; a newer or damaged
    one is refused untouched (see `Database.open`). A data directory with connection settings
    opens its workspace on a PostgreSQL server instead (`Database.open_server`).
    """
    ensure_writable_dir(paths.data_dir)
    workspace = load_workspace(paths.data_dir)
    if workspace is not None:
        return build_services(Database.open_server(workspace), paths)
    revision = preflight(paths.db_path)
    if revision is not None and revision != head_revision():
        backup_database_file(paths.db_path, paths.backups_dir, "before-migration")
        log.info("upgrading schema from %s to %s", revision, head_revision())
    db = Database.open_checked(paths.db_path, revision)
    return build_services(db, paths)
