"""Data model of Опора: every table module is imported here so the metadata is complete."""

from models.audit import AuditAnswer, RiskAssessment, RiskLevel, SelfAudit
from models.base import Role, SyncFields, new_id, stable_id
from models.catalogue import CatalogueKind, CatalogueVersion, Comparison, Threshold
from models.district import DistrictComment
from models.local import (
    AppState,
    Conflict,
    ExportLog,
    ImportLog,
    ImportOutcome,
    Peer,
    PeerStatus,
    QuarantineEntry,
    SyncState,
)
from models.programme import ProgrammeStaff, SchoolCurator
from models.protocol import Protocol, ProtocolAgendaItem, ProtocolDecision
from models.results import ExamKind, GiaResult, IndicatorTarget, Progression, VprResult
from models.roadmap import ItemStatus, Roadmap, RoadmapItem, RoadmapOccurrence, RoadmapSection
from models.site import SchoolStatus, Site, SiteRead
from models.staff import (
    ActivityForm,
    ActivityStatus,
    DeficitArea,
    DeficitSource,
    DevelopmentActivity,
    DevelopmentPlan,
    ProfessionalDeficit,
    Teacher,
)

# Syncable tables in dependency order (parents before children): packages are written and
# merged in this order so foreign keys hold at every step.
SYNC_TABLES: tuple[type[SyncFields], ...] = (
    Site,
    SchoolStatus,
    SchoolCurator,
    CatalogueVersion,
    Threshold,
    Roadmap,
    RoadmapSection,
    RoadmapItem,
    RoadmapOccurrence,
    Protocol,
    ProtocolAgendaItem,
    ProtocolDecision,
    ProgrammeStaff,
    SelfAudit,
    AuditAnswer,
    RiskAssessment,
    Teacher,
    DevelopmentPlan,
    ProfessionalDeficit,
    DevelopmentActivity,
    VprResult,
    GiaResult,
    Progression,
    IndicatorTarget,
    DistrictComment,
)

__all__ = [
    "SYNC_TABLES",
    "ActivityForm",
    "ActivityStatus",
    "AppState",
    "AuditAnswer",
    "CatalogueKind",
    "CatalogueVersion",
    "Comparison",
    "Conflict",
    "DeficitArea",
    "DeficitSource",
    "DevelopmentActivity",
    "DevelopmentPlan",
    "DistrictComment",
    "ExamKind",
    "ExportLog",
    "GiaResult",
    "ImportLog",
    "ImportOutcome",
    "IndicatorTarget",
    "ItemStatus",
    "Peer",
    "PeerStatus",
    "ProgrammeStaff",
    "Progression",
    "Protocol",
    "ProtocolAgendaItem",
    "ProtocolDecision",
    "QuarantineEntry",
    "RiskAssessment",
    "RiskLevel",
    "Roadmap",
    "RoadmapItem",
    "RoadmapOccurrence",
    "RoadmapSection",
    "Role",
    "SchoolCurator",
    "SchoolStatus",
    "SelfAudit",
    "Site",
    "SiteRead",
    "SyncFields",
    "SyncState",
    "Teacher",
    "Threshold",
    "VprResult",
    "new_id",
    "stable_id",
]
