"""Programme data beyond the roadmap's heading: its staffing table and the curators of schools.

A programme («Муниципальная программа …») names the people who carry it out: person, position,
role («Куратор механизма …») and the section or mechanism each one curates. The rows belong to
the roadmap's owner (the district for the municipal programme). The district also names one or
more curators for each school; they travel in that school's bulletin with its status.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from models.base import SyncFields


class ProgrammeStaffBase(SQLModel):
    roadmap_id: str = Field(foreign_key="roadmap.id", index=True, max_length=36)
    position: int = 0
    person: str = Field(max_length=200)
    job_title: str = Field(default="", max_length=300)
    role: str = Field(default="", max_length=1000)
    # the curated section or mechanism as the programme words it; `section_id` links it to a
    # section of the roadmap when there is one
    curates: str = Field(default="", max_length=1000)
    section_id: str | None = Field(default=None, foreign_key="roadmap_section.id", max_length=36)


class ProgrammeStaff(SyncFields, ProgrammeStaffBase, table=True):
    """One row of «Кадровое обеспечение»; owned by the owner of its roadmap."""

    __tablename__ = "programme_staff"


class SchoolCuratorBase(SQLModel):
    school_id: str = Field(index=True, max_length=36)
    position: int = 0
    name: str = Field(max_length=200)
    job_title: str = Field(default="", max_length=300)
    org: str = Field(default="", max_length=300)
    contact: str = Field(default="", max_length=200)


class SchoolCurator(SyncFields, SchoolCuratorBase, table=True):
    """A curator of one school, district-owned.

    The curator a school's status held before model v2 became the row with id
    `stable_id("curator", school_id)`; later ones have random ids.
    """

    __tablename__ = "school_curator"
