"""Tables in from real documents (Word, Excel, LibreOffice, CSV): detect → map → preview → apply.

The names below are what the front ends may use; they load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.intake.apply import apply_roadmap as apply_roadmap
    from services.intake.apply import existing_roadmap as existing_roadmap
    from services.intake.apply_people import apply_ippr as apply_ippr
    from services.intake.apply_people import apply_teachers as apply_teachers
    from services.intake.apply_people import existing_teachers as existing_teachers
    from services.intake.apply_people import find_teacher as find_teacher
    from services.intake.convert import CONVERTIBLE as CONVERTIBLE
    from services.intake.convert import convert_to_docx as convert_to_docx
    from services.intake.convert import office as office
    from services.intake.convert import readable_copy as readable_copy
    from services.intake.ippr import IpprPreview as IpprPreview
    from services.intake.ippr import ippr_with_period as ippr_with_period
    from services.intake.ippr import preview_ippr as preview_ippr
    from services.intake.ippr import render_ippr as render_ippr
    from services.intake.people import TeachersPreview as TeachersPreview
    from services.intake.people import preview_teachers as preview_teachers
    from services.intake.people import render_teachers as render_teachers
    from services.intake.period import ExistingRoadmap as ExistingRoadmap
    from services.intake.period import PeriodSource as PeriodSource
    from services.intake.period import mismatch_text as mismatch_text
    from services.intake.period import parse_period_text as parse_period_text
    from services.intake.period import span_text as span_text
    from services.intake.preview import PreviewSection as PreviewSection
    from services.intake.preview import RoadmapPreview as RoadmapPreview
    from services.intake.preview import preview_roadmap as preview_roadmap
    from services.intake.preview import render as render
    from services.intake.preview import section_lines as section_lines
    from services.intake.preview import understood_text as understood_text
    from services.intake.preview import with_period as with_period
    from services.intake.readers import FORMATS as FORMATS
    from services.intake.readers import old_format_text as old_format_text
    from services.intake.readers import read_tables as read_tables
    from services.intake.vocabulary import Vocabulary as Vocabulary
    from services.intake.vocabulary import load_vocabulary as load_vocabulary

_EXPORTS = {
    "apply_ippr": "services.intake.apply_people",
    "apply_teachers": "services.intake.apply_people",
    "existing_teachers": "services.intake.apply_people",
    "find_teacher": "services.intake.apply_people",
    "CONVERTIBLE": "services.intake.convert",
    "convert_to_docx": "services.intake.convert",
    "office": "services.intake.convert",
    "readable_copy": "services.intake.convert",
    "IpprPreview": "services.intake.ippr",
    "ippr_with_period": "services.intake.ippr",
    "preview_ippr": "services.intake.ippr",
    "render_ippr": "services.intake.ippr",
    "TeachersPreview": "services.intake.people",
    "preview_teachers": "services.intake.people",
    "render_teachers": "services.intake.people",
    "apply_roadmap": "services.intake.apply",
    "existing_roadmap": "services.intake.apply",
    "ExistingRoadmap": "services.intake.period",
    "PeriodSource": "services.intake.period",
    "mismatch_text": "services.intake.period",
    "parse_period_text": "services.intake.period",
    "span_text": "services.intake.period",
    "PreviewSection": "services.intake.preview",
    "section_lines": "services.intake.preview",
    "with_period": "services.intake.preview",
    "RoadmapPreview": "services.intake.preview",
    "preview_roadmap": "services.intake.preview",
    "render": "services.intake.preview",
    "understood_text": "services.intake.preview",
    "FORMATS": "services.intake.readers",
    "old_format_text": "services.intake.readers",
    "read_tables": "services.intake.readers",
    "Vocabulary": "services.intake.vocabulary",
    "load_vocabulary": "services.intake.vocabulary",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
