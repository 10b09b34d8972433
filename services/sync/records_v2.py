"""Converting records written at revision 0004 (model v1) for the programme data of model v2.

- a roadmap record gains the programme's `mechanisms` and `coordinator`, empty;
- a school status record loses its curator columns, and the curator becomes a `school_curator`
  record with the id the database migration gives it (`stable_id("curator", school_id)`), the
  status's owner and version. A status without a curator name gives a tombstone of that row, so
  a curator the district removed with an older program disappears here too.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.base import stable_id
from services.packages.types import Record

CURATOR_COLUMNS = ("curator_name", "curator_org", "curator_contact")


def programme_v2(rec: Record) -> Iterator[Record]:
    if rec.table == "roadmap":
        yield Record(rec.table, {"mechanisms": "", "coordinator": "", **rec.row})
    elif rec.table == "school_status":
        row = {k: v for k, v in rec.row.items() if k not in CURATOR_COLUMNS}
        yield Record(rec.table, row)
        yield _curator(rec.row)
    else:
        yield rec


def _curator(status: dict[str, object]) -> Record:
    name = status.get("curator_name")
    named = isinstance(name, str) and bool(name.strip())
    return Record(
        "school_curator",
        {
            "id": stable_id("curator", status.get("school_id")),
            "owner": status.get("owner"),
            "hlc": status.get("hlc"),
            "deleted": bool(status.get("deleted")) or not named,
            "school_id": status.get("school_id"),
            "position": 0,
            "name": name if named else "",
            "job_title": "",
            "org": status.get("curator_org", ""),
            "contact": status.get("curator_contact", ""),
        },
    )
