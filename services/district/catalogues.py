"""Publishing the shipped catalogue versions as district-owned `CatalogueVersion` rows.

A shipped catalogue is `<kind>_v<N>.json` in the program's catalogues folder
(`AppPaths.catalogues_dir`). Publishing writes its canonical JSON into the row
`stable_id("catalogue", kind, version)`; the next bulletin carries it to the schools, whose
loaders (`indicators.catalogue.catalogue`, `audit.catalogue.current_catalogue`) use a published
version newer than their own shipped one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from models import stable_id
from models.catalogue import CatalogueKind, CatalogueVersion
from services.audit import catalogue as audit_catalogue
from services.core.db import Database
from services.core.errors import Invalid, NotFound
from services.indicators import catalogue as indicators
from services.indicators.formulas import FORMULAS
from services.site.profile import own_site_id

FILE_NAME = re.compile(r"^(?P<kind>[a-z_]+)_v(?P<version>\d+)\.json$")
KIND_TITLES: dict[CatalogueKind, str] = {
    CatalogueKind.INDICATORS: "Справочник показателей",
    CatalogueKind.RISK_FACTORS: "Справочник факторов риска и критериев самоаудита",
    CatalogueKind.AUDIT_CRITERIA: "Критерии самоаудита",
}


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One shipped catalogue version and its state at the district."""

    kind: CatalogueKind
    version: int
    title: str  # the title inside the file (the kind's title when the file is unreadable)
    file_name: str
    published: bool  # a live row with exactly this content exists
    problem: str = ""  # non-empty: why the file cannot be published

    @property
    def kind_title(self) -> str:
        return KIND_TITLES.get(self.kind, self.kind.value)


def canonical(doc: Any) -> str:
    """The canonical JSON text stored in `CatalogueVersion.content`."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class CataloguePublisher:
    def __init__(self, db: Database, directory: Path) -> None:
        self._db = db
        self._dir = directory  # the shipped catalogues (`AppPaths.catalogues_dir`)

    def _files(self) -> list[tuple[CatalogueKind, int, Path]]:
        found: list[tuple[CatalogueKind, int, Path]] = []
        for path in sorted(self._dir.glob("*_v*.json")):
            m = FILE_NAME.match(path.name)
            if m is None or m["kind"] not in {k.value for k in CatalogueKind}:
                continue
            found.append((CatalogueKind(m["kind"]), int(m["version"]), path))
        return sorted(found, key=lambda f: (f[0].value != "indicators", f[0].value, f[1]))

    def entries(self) -> list[CatalogueEntry]:
        """Every shipped version (indicators first), published or not, with any problem."""
        with self._db.session() as s:
            stmt = select(CatalogueVersion).where(col(CatalogueVersion.deleted).is_(False))
            rows = {(r.kind, r.version): r.content for r in s.exec(stmt)}
        result: list[CatalogueEntry] = []
        for kind, version, path in self._files():
            try:
                content, title = _checked_file(kind, version, path)
            except Invalid as exc:
                result.append(
                    CatalogueEntry(kind, version, KIND_TITLES[kind], path.name, False, str(exc))
                )
                continue
            published = rows.get((kind, version)) == content
            result.append(CatalogueEntry(kind, version, title, path.name, published))
        return result

    def publish(self, kind: str, version: int) -> bool:
        """Write the row of a shipped version; False when it is already published unchanged.

        `NotFound` for an unknown kind or version, `Invalid` (naming the problem) for a
        malformed file; nothing is written then.
        """
        match = next((f for f in self._files() if f[0].value == kind and f[1] == version), None)
        if match is None:
            raise NotFound(
                f"Справочника «{kind}» версии {version} нет среди справочников программы."
            )
        content, title = _checked_file(match[0], version, match[2])
        with self._db.session() as s:
            cid = stable_id("catalogue", match[0].value, version)
            row = s.get(CatalogueVersion, cid)
            if row is not None and not row.deleted and row.content == content:
                return False
            if row is None:
                row = CatalogueVersion(
                    id=cid, owner=own_site_id(s), kind=match[0], version=version, content=content
                )
            row.title, row.content, row.deleted = title, content, False
            s.add(row)
            return True


def _checked_file(kind: CatalogueKind, version: int, path: Path) -> tuple[str, str]:
    """The canonical content and title of a shipped file; `Invalid` when it is malformed."""
    where = f"Справочник «{path.name}» нельзя опубликовать"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Invalid(f"{where}: файл не прочитан ({exc.strerror or exc}).") from exc
    try:
        doc = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise Invalid(
            f"{where}: файл не является корректным JSON ({exc}). "
            "Восстановите его из дистрибутива Опоры."
        ) from None
    if not isinstance(doc, dict) or doc.get("kind") != kind.value:
        raise Invalid(f'{where}: в файле нет "kind": "{kind.value}".')
    if doc.get("version") != version:
        raise Invalid(f"{where}: в файле версия {doc.get('version')}, а в имени файла — {version}.")
    content = canonical(doc)
    _check_content(kind, content, path.name, where)
    return content, str(doc.get("title") or KIND_TITLES[kind])


def _check_content(kind: CatalogueKind, content: str, name: str, where: str) -> None:
    if kind is CatalogueKind.INDICATORS:
        try:
            _version, defs = indicators.parse_catalogue(content)
        except (ValueError, KeyError, TypeError) as exc:
            raise Invalid(f"{where}: справочник показателей повреждён ({exc}).") from None
        known = [d for d in defs if d.code in FORMULAS]
        if not known:
            raise Invalid(f"{where}: в нём нет ни одного показателя, который умеет считать Опора.")
    elif kind is CatalogueKind.RISK_FACTORS:
        try:
            audit_catalogue.parse_catalogue(content, name)
        except audit_catalogue.CatalogueError as exc:
            raise Invalid(str(exc)) from None
    else:
        raise Invalid(f"{where}: справочники этого вида пока не публикуются.")
