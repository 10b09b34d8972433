"""Data model of Опора: every table module is imported here so the metadata is complete."""

from models.audit import AuditAnswer, RiskAssessment, RiskLevel, SelfAudit
from models.base import Role, SyncFields, new_id, stable_id
from models.catalogue import (
    CatalogueKind,
    CatalogueVersion,
    Comparison,
    IndicatorDefinition,
    Threshold,
)
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
from models.results import (
    AssessmentResult,
    ExamKind,
    GiaResult,
    IndicatorTarget,
    Progression,
    VprResult,
)
from models.roadmap import ItemStatus, Roadmap, RoadmapItem, RoadmapSection
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
    CatalogueVersion,
    IndicatorDefinition,
    Threshold,
    Roadmap,
    RoadmapSection,
    RoadmapItem,
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
    AssessmentResult,
    IndicatorTarget,
    DistrictComment,
)

__all__ = [
    "SYNC_TABLES",
    "ActivityForm",
    "ActivityStatus",
    "AppState",
    "AssessmentResult",
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
    "IndicatorDefinition",
    "IndicatorTarget",
    "ItemStatus",
    "Peer",
    "PeerStatus",
    "Progression",
    "QuarantineEntry",
    "RiskAssessment",
    "RiskLevel",
    "Roadmap",
    "RoadmapItem",
    "RoadmapSection",
    "Role",
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
