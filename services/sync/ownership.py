"""Who may write each synced table, how its ids are made, and whose rows it may point at.

DESIGN §7: a signed package from an enrolled site may change only that site's own rows. This
table is the one declaration of that rule; `ownership_checks.check_package` applies it to a
whole package before its first write, and a test fails if a synced table or any of its `*_id`
columns is missing here.

- `Writer.OWN`: any site, for rows it owns (a school's roadmap, the district's own roadmap).
- `Writer.SCHOOL`: only a school, for its own rows (audits, teachers, results).
- `Writer.DISTRICT`: only the district (status, thresholds, comments, catalogues). Their id
  recipes leave out the owner (a status is keyed on the school), so a school may not send them.
- An id is random (`RANDOM`: any id but the text of a UUIDv5) or derived: UUIDv5 of a natural
  key (`Derived`) whose parts are the sender's own site id (`SENDER`), a column of the row, an
  own row of the package (`@table`) or a catalogue measure (`MEASURE`). The engine
  recomputes a derived id from the sender and refuses a mismatch, so no site can take ids that
  belong to another and the order in which packages arrive never decides who owns a row.
- A reference points at the sender's own rows (`Points.OWN`) or at any row (`Points.ANY`, for
  district-written rows: a comment may point at any school's row).

Row values arrive as the import binds them (`services.sync.bind`): an enum column holds the
member's name, and the recipes use its value, as the code that made the id did.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Writer(StrEnum):
    OWN = "own"
    SCHOOL = "school"
    DISTRICT = "district"


class Points(StrEnum):
    OWN = "own"
    ANY = "any"


SENDER = "<sender>"  # a part of a derived id: the site id of the package's signer
# Two parts of a derived id: the factor code and title of a measure of a risk-factor catalogue
# known here. An anti-risk measure keeps its id when the school edits its title or factor.
MEASURE = "<measure>"
# The most ids a row-independent recipe may expand to in one package (own audits × measures): a
# real school has a few audits and the catalogue a few dozen measures.
MAX_EXPANSION = 100_000


@dataclass(frozen=True, slots=True)
class Derived:
    """id = stable_id(prefix, *parts); a part is SENDER, MEASURE, a column, or "@table".

    "@table" stands for the id of any row of that table the package carries (the sender's own).
    """

    prefix: str
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reference:
    column: str
    table: str  # the table it points at; "" when another column names it (`target_table`)
    points: Points
    table_column: str = ""  # the column that names the target table, for generic references


RANDOM = "random"
SELF = "self"  # the site's own row: id == owner == sender


@dataclass(frozen=True, slots=True)
class TableRule:
    table: str
    writer: Writer
    ids: tuple[Derived | str, ...]  # the accepted recipes: RANDOM, SELF or Derived(...)
    references: tuple[Reference, ...] = ()
    free: tuple[str, ...] = ()  # `*_id` columns that are not references, with the reason below


def _own(column: str, table: str) -> Reference:
    return Reference(column, table, Points.OWN)


OWNERSHIP: dict[str, TableRule] = {
    rule.table: rule
    for rule in (
        # A site sends only its own row. `parent_id` is the district it names as its own;
        # the district's registry comes from enrolment, not from this column.
        TableRule("site", Writer.OWN, (SELF,), free=("parent_id",)),
        TableRule(
            "school_status",
            Writer.DISTRICT,
            (Derived("status", ("school_id",)),),
            (Reference("school_id", "site", Points.ANY),),
        ),
        # A school's curators: the one a status held before model v2 has the derived id the
        # migration gives it; later ones are random.
        TableRule(
            "school_curator",
            Writer.DISTRICT,
            (RANDOM, Derived("curator", ("school_id",))),
            (Reference("school_id", "site", Points.ANY),),
        ),
        TableRule(
            "catalogue_version", Writer.DISTRICT, (Derived("catalogue", ("kind", "version")),)
        ),
        TableRule("indicator_definition", Writer.DISTRICT, (Derived("indicator", ("code",)),)),
        TableRule(
            "threshold", Writer.DISTRICT, (RANDOM, Derived("threshold", ("indicator_code", "year")))
        ),
        TableRule("roadmap", Writer.OWN, (RANDOM,)),
        TableRule(
            "roadmap_section",
            Writer.OWN,
            (RANDOM,),
            (_own("roadmap_id", "roadmap"), _own("parent_id", "roadmap_section")),
        ),
        TableRule(
            "roadmap_item",
            Writer.OWN,
            # Anti-risk measures of a self-audit: stable_id("audit-measure", audit, factor, title)
            # of a measure of the catalogue, whatever the school made of its title and factor.
            (
                RANDOM,
                Derived("audit-measure", ("@self_audit", "risk_factor_code", "title")),
                Derived("audit-measure", ("@self_audit", MEASURE)),
            ),
            (_own("roadmap_id", "roadmap"), _own("section_id", "roadmap_section")),
        ),
        TableRule(
            "roadmap_occurrence",
            Writer.OWN,
            # models.roadmap.occurrence_id: one row per item, due date («None»: none) and seq
            (Derived("roadmap_occurrence", ("item_id", "end_date", "seq")),),
            (_own("item_id", "roadmap_item"), _own("roadmap_id", "roadmap")),
        ),
        TableRule("protocol", Writer.OWN, (RANDOM,)),
        TableRule(
            "protocol_agenda_item", Writer.OWN, (RANDOM,), (_own("protocol_id", "protocol"),)
        ),
        TableRule(
            "protocol_decision",
            Writer.OWN,
            (RANDOM,),
            (
                _own("protocol_id", "protocol"),
                _own("agenda_item_id", "protocol_agenda_item"),
                _own("roadmap_item_id", "roadmap_item"),
            ),
        ),
        TableRule(
            "programme_staff",
            Writer.OWN,
            (RANDOM,),
            (_own("roadmap_id", "roadmap"), _own("section_id", "roadmap_section")),
        ),
        TableRule("self_audit", Writer.SCHOOL, (Derived("audit", (SENDER, "year")),)),
        TableRule(
            "audit_answer",
            Writer.SCHOOL,
            (Derived("answer", ("audit_id", "criterion_code")),),
            (_own("audit_id", "self_audit"),),
        ),
        TableRule(
            "risk_assessment",
            Writer.SCHOOL,
            (Derived("assessment", ("audit_id", "factor_code")),),
            (_own("audit_id", "self_audit"),),
        ),
        TableRule("teacher", Writer.SCHOOL, (RANDOM,), (_own("mentor_id", "teacher"),)),
        TableRule("development_plan", Writer.SCHOOL, (RANDOM,), (_own("teacher_id", "teacher"),)),
        TableRule(
            "professional_deficit",
            Writer.SCHOOL,
            (RANDOM,),
            (_own("plan_id", "development_plan"),),
        ),
        TableRule(
            "development_activity",
            Writer.SCHOOL,
            (RANDOM,),
            (_own("plan_id", "development_plan"), _own("deficit_id", "professional_deficit")),
        ),
        TableRule(
            "vpr_result",
            Writer.SCHOOL,
            (Derived("vpr", (SENDER, "year", "grade", "class_label", "subject")),),
        ),
        TableRule(
            "gia_result", Writer.SCHOOL, (Derived("gia", (SENDER, "year", "exam", "subject")),)
        ),
        TableRule(
            "progression", Writer.SCHOOL, (Derived("progression", (SENDER, "year", "level")),)
        ),
        TableRule(
            "assessment_result",
            Writer.SCHOOL,
            (Derived("assessment", (SENDER, "year", "period", "grade", "class_label", "subject")),),
        ),
        TableRule(
            "indicator_target",
            Writer.SCHOOL,
            (Derived("target", (SENDER, "indicator_code", "year")),),
        ),
        TableRule(
            "district_comment",
            Writer.DISTRICT,
            (RANDOM,),
            (
                Reference("school_id", "site", Points.ANY),
                Reference("target_id", "", Points.ANY, table_column="target_table"),
            ),
        ),
    )
}
