"""The catalogue of printable documents, shared by `report KIND` and the «Документы» screen.

Each area registers `DocumentSpec`s in `DOCUMENTS` (kinds of DESIGN §10). A spec's `render`
writes the file through services only; both front ends call the same function, so what the
command line writes equals what the screen saves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from models import Role
from services.core.errors import Invalid
from services.core.progress import Progress
from services.documents.kinds import DOCUMENT_KINDS

if TYPE_CHECKING:
    from services.app import Services


@dataclass(frozen=True, slots=True)
class DocOptions:
    """Options a document may take (DESIGN §10: --year, --teacher, --package, --log-id, --id)."""

    year: int | None = None
    teacher_id: str | None = None
    package: Path | None = None
    log_id: str | None = None
    monitoring: bool = False
    period: str | None = None  # roadmap monitoring: «2025-H1», «2025», «2025/26»
    protocol_id: str | None = None


Renderer = Callable[["Services", Path, DocOptions, Progress], None]


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    kind: str
    title: str
    roles: frozenset[Role]
    formats: tuple[str, ...]
    render: Renderer
    options: tuple[str, ...] = field(default=())  # which DocOptions fields apply
    description: str = ""


DOCUMENTS: dict[str, DocumentSpec] = {}

# Every kind of DESIGN §10, in menu order; areas register their specs under these names.
ALL_KINDS = DOCUMENT_KINDS


def register(spec: DocumentSpec) -> None:
    if spec.kind not in ALL_KINDS:
        raise ValueError(f"unknown document kind {spec.kind}")
    DOCUMENTS[spec.kind] = replace(spec, render=_with_metadata(spec.render, spec.title))


def _with_metadata(render: Renderer, subject: str) -> Renderer:
    """Run `render` with the organisation and the kind as the PDF's author and subject."""

    def run(services: Services, out: Path, options: DocOptions, progress: Progress) -> None:
        from services.documents.pdf import DOCUMENT_META

        organisation = services.site.profile().site.full_name
        token = DOCUMENT_META.set((organisation, subject))
        try:
            render(services, out, options, progress)
        finally:
            DOCUMENT_META.reset(token)

    return run


def get_spec(kind: str, role: Role, out: Path) -> DocumentSpec:
    """The spec for `kind`, checked against the role and the output format."""
    _load_all()
    spec = DOCUMENTS.get(kind)
    if spec is None:
        raise Invalid(f"Документ «{kind}» в этой версии Опоры ещё не формируется.")
    if role not in spec.roles:
        raise Invalid(f"Документ «{spec.title}» недоступен для этой роли.")
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in spec.formats:
        allowed = ", ".join(f".{f}" for f in spec.formats)
        raise Invalid(f"Документ «{spec.title}» сохраняется в формате {allowed}, а не «.{fmt}».")
    return spec


def available(role: Role) -> list[DocumentSpec]:
    _load_all()
    return [DOCUMENTS[k] for k in ALL_KINDS if k in DOCUMENTS and role in DOCUMENTS[k].roles]


# Modules that register documents when imported; each area adds its module here.
DOCUMENT_MODULES: tuple[str, ...] = (
    "services.roadmap.documents",
    "services.results.documents",
    "services.packages.cover_sheet",
    "services.sync.pdf",
    "services.staff.documents",
    "services.audit.documents",
    "services.district.summary_doc",
    "services.protocols.documents",
)


def _load_all() -> None:
    import importlib

    for name in DOCUMENT_MODULES:
        importlib.import_module(name)
