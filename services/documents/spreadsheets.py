"""Excel entry templates that can be imported back (`import-xlsx KIND FILE`, DESIGN §8, §10).

Each area registers an `XlsxImporter` under a kind ("roadmap", "results"); the CLI command and
the GUI both call `import_xlsx`, so they behave the same. An importer validates the whole file
first and raises `XlsxRejected` listing every problem (sheet, row, column); nothing is written
unless the whole file is clean.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from services.core.errors import Invalid
from services.core.progress import NullProgress, Progress

if TYPE_CHECKING:
    from services.app import Services
    from services.documents.xlsx import CellError


class ImportMode(StrEnum):
    APPEND = "append"
    REPLACE = "replace"
    ASK = "ask"  # neither flag given: an importer into non-empty data refuses and asks which


class XlsxRejected(Invalid):
    """The workbook has errors; `errors` locates each one. Nothing was imported."""

    def __init__(self, errors: list[CellError], *, shown: int = 30) -> None:
        lines = [e.text() for e in errors[:shown]]
        more = len(errors) - shown
        if more > 0:
            lines.append(f"…и ещё {more}.")
        super().__init__(
            f"В файле найдено ошибок: {len(errors)}. Ничего не импортировано. "
            "Исправьте ошибки и повторите импорт.\n" + "\n".join(lines)
        )
        self.errors = errors


@dataclass(frozen=True, slots=True)
class XlsxImporter:
    kind: str
    title: str
    run: Callable[[Services, Path, ImportMode, Progress], str]  # returns a Russian summary


IMPORTERS: dict[str, XlsxImporter] = {}
IMPORT_KINDS = ("roadmap", "results")
# Modules that register importers when imported; each area adds its module here.
IMPORTER_MODULES: tuple[str, ...] = ("services.roadmap.documents", "services.results.intake")


def register(importer: XlsxImporter) -> None:
    if importer.kind not in IMPORT_KINDS:
        raise ValueError(f"unknown import kind {importer.kind}")
    IMPORTERS[importer.kind] = importer


def import_xlsx(
    services: Services,
    kind: str,
    path: Path,
    mode: ImportMode = ImportMode.APPEND,
    progress: Progress | None = None,
) -> str:
    """Import `path` as `kind`; returns the summary to show, raises `Invalid` on any problem."""
    for name in IMPORTER_MODULES:
        importlib.import_module(name)
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise Invalid(f"Импорт «{kind}» из Excel в этой версии Опоры ещё не поддерживается.")
    if services.db.db_path is not None:  # the same copies every state-changing command makes
        services.backups.before_change("before-xlsx")
    return importer.run(services, Path(path), mode, progress or NullProgress())
