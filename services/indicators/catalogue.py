"""The indicator catalogue: names, units and the better direction of every indicator.

The shipped version is `indicators_v1.json` in the program's catalogues folder
(`AppPaths.catalogues_dir`); a district may publish a newer version, which arrives as a
`CatalogueVersion` row and then is the one in force. The district's own indicators
(`IndicatorDefinition` rows, a formula each) follow the catalogue's entries; they travel in the
bulletin like every district row, so a school computes them with the same code.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlmodel import Session

from models.catalogue import CatalogueKind
from services.core.sql_select import rows
from services.indicators.expr import FormulaError, parse
from services.indicators.formulas import FORMULAS

log = logging.getLogger(__name__)

SHIPPED_FILE = "indicators_v1.json"


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    """One catalogue entry."""

    code: str
    name: str
    unit: str
    better: str  # "higher" | "lower"
    per_subject: bool
    formula: str
    source: str = ""
    custom: bool = False  # defined by the district: `formula` is an expression to evaluate


def parse_catalogue(content: str | bytes) -> tuple[int, list[IndicatorDef]]:
    """The version and entries of an indicator catalogue document; ValueError when malformed."""
    doc = json.loads(content)
    if not isinstance(doc, dict) or doc.get("kind") != CatalogueKind.INDICATORS.value:
        raise ValueError("not an indicator catalogue")
    entries = [
        IndicatorDef(
            code=str(e["code"]),
            name=str(e["name"]),
            unit=str(e.get("unit", "%")),
            better="lower" if e.get("better") == "lower" else "higher",
            per_subject=bool(e.get("per_subject", False)),
            formula=str(e.get("formula", "")),
            source=str(e.get("source", "")),
        )
        for e in doc["indicators"]
    ]
    return int(doc["version"]), entries


def shipped_catalogue(catalogues_dir: Path) -> tuple[int, tuple[IndicatorDef, ...]]:
    """The catalogue shipped in `catalogues_dir` (`AppPaths.catalogues_dir`), computable codes."""
    return _shipped(catalogues_dir.resolve())


@lru_cache(maxsize=4)
def _shipped(catalogues_dir: Path) -> tuple[int, tuple[IndicatorDef, ...]]:
    version, entries = parse_catalogue((catalogues_dir / SHIPPED_FILE).read_bytes())
    return version, tuple(e for e in entries if e.code in FORMULAS)


NEWER_CATALOGUE = (
    "SELECT version, content FROM catalogue_version WHERE kind = ? AND deleted = 0 "
    "AND version > ? ORDER BY version DESC LIMIT 1"
)


def catalogue(session: Session | None, catalogues_dir: Path) -> list[IndicatorDef]:
    """The catalogue in force: the shipped one, or a newer version published by the district.

    Only codes this program can compute are kept; a malformed published version is ignored.
    The district's own indicators follow. Without a session, the shipped one.
    """
    version, entries = shipped_catalogue(catalogues_dir)
    if session is None:
        return list(entries)
    found = list(entries)
    newer = rows(session, NEWER_CATALOGUE, (CatalogueKind.INDICATORS.name, version))
    if newer:
        newer_version, content = newer[0]
        try:
            _v, published = parse_catalogue(content)
            found = [e for e in published if e.code in FORMULAS]
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring malformed indicator catalogue v%s: %s", newer_version, exc)
    return found + district_definitions(session, {e.code for e in found})


DEFINITIONS = (
    "SELECT code, name, unit, formula, better, note FROM indicator_definition WHERE deleted = 0 "
    "ORDER BY code"
)


def district_definitions(session: Session, taken: set[str]) -> list[IndicatorDef]:
    """The district's indicators whose formula reads (a code the catalogue has is skipped)."""
    found: list[IndicatorDef] = []
    for code, name, unit, formula, better, note in rows(session, DEFINITIONS):
        if code in taken:
            continue
        try:
            parse(formula)
        except FormulaError as exc:  # written by a newer program, or damaged: not computable
            log.warning("ignoring district indicator %s: %s", code, exc)
            continue
        better = "lower" if better == "lower" else "higher"
        found.append(IndicatorDef(code, name, unit, better, False, formula, note, custom=True))
    return found
