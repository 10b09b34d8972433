"""Record conversions of packages written by an older schema (`merge.RECORD_MIGRATIONS`).

Each step takes one record of its revision and returns the records it becomes at the next one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from models.roadmap import occurrence_id
from services.packages.types import Record

# What a v1 (0004) roadmap item carried that v2 keeps on the item's occurrence
_MOVED = ("status", "completion_date", "evidence", "comment")


# Columns a v1 (0004) roadmap section lacks, with the values of a v1 section: top level, the
# number left to the plan order, no task
_SECTION_DEFAULTS = {"parent_id": None, "number": "", "task": ""}


def split_roadmap_item(rec: Record) -> Iterable[Record]:
    """0004 → 0005: an item becomes its plan and one occurrence; a section gets nesting columns.

    The occurrence carries what the item recorded; the section is a top-level one.

    The occurrence's id is the one the database migration gives the same item, so a district
    that migrated its copy and then imports the school's old package holds one occurrence.
    """
    if rec.table == "roadmap_section":
        return (Record(rec.table, {**_SECTION_DEFAULTS, **rec.row}),)
    if rec.table != "roadmap_item":
        return (rec,)
    row = dict(rec.row)
    moved = {name: row.pop(name, None) for name in _MOVED}
    end = row.get("end_date")
    occurrence = {
        "id": occurrence_id(str(row.get("id")), date.fromisoformat(end) if end else None),
        "owner": row.get("owner"),
        "hlc": row.get("hlc"),
        "deleted": row.get("deleted"),
        "item_id": row.get("id"),
        "roadmap_id": row.get("roadmap_id"),
        "position": 0,
        "label": "",
        "start_date": row.get("start_date"),
        "end_date": end,
        "status": moved["status"] or "planned",
        "completion_date": moved["completion_date"],
        "evidence": moved["evidence"] or "",
        "comment": moved["comment"] or "",
        "outside_period": False,
        "seq": 0,
    }
    return (Record(rec.table, row), Record("roadmap_occurrence", occurrence))
