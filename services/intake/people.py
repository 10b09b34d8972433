"""The teachers' list a school keeps in Word or Excel: what an import stores, and what it does not.

`preview_teachers` runs read → detect → map (the one pipeline, `Shape` TEACHERS) and turns each
row into the `TeacherDraft` that will be stored. A name typed in three columns (Фамилия | Имя |
Отчество) becomes one ФИО. A name already stored (`existing`, compared without case, «ё» and
extra spaces) or listed twice in the file is named, never stored twice. Like the roadmap preview,
it does not import the data model, so `--dry-run` starts fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from services.core.errors import Invalid
from services.core.formatting import plural
from services.intake.common import (
    below_warnings,
    column_warnings,
    columns_text,
    head,
    records,
    skipped_text,
    warnings_text,
)
from services.intake.detect import Detected, detect
from services.intake.readers import read_tables
from services.intake.shapes import TEACHERS
from services.intake.vocabulary import Vocabulary

NAME_PARTS = ("last_name", "first_name", "middle_name")
_EMPTY = frozenset({"", "-", "—", "–", "нет"})
_YES = frozenset({"да", "+", "1", "v", "✓", "является", "молодой специалист"})
_YEARS = re.compile(r"(\d{1,2})(?:[.,]\d+)?\s*(?:г\.?|год|года|лет|л\.?)?(?:\s|$|,|;)")


def name_key(name: str) -> str:
    """How two spellings of one ФИО compare: no case, «ё» as «е», single spaces."""
    return " ".join(name.replace("ё", "е").replace("Ё", "Е").split()).casefold()


@dataclass(frozen=True, slots=True)
class TeacherDraft:
    """A teacher as stored: the attributes of `TeacherBase`, the mentor by name."""

    full_name: str
    position: str = ""
    subjects: str = ""
    category: str = ""
    experience_years: int | None = None
    is_young_specialist: bool = False
    mentor: str = ""  # found among the stored and the imported teachers when applied


@dataclass(slots=True)
class TeachersPreview:
    source: str
    detected: Detected
    teachers: list[TeacherDraft]  # every new name (and, with --replace, the stored ones)
    duplicates: list[str] = field(default_factory=list)  # already stored
    repeated: list[str] = field(default_factory=list)  # listed again lower in the file
    warnings: list[str] = field(default_factory=list)

    def is_stored(self, name: str) -> bool:
        """Whether the file's `name` is a teacher already stored."""
        return name_key(name) in {name_key(n) for n in self.duplicates}

    def new(self) -> list[TeacherDraft]:
        return [t for t in self.teachers if not self.is_stored(t.full_name)]


def preview_teachers(
    path: Path,
    vocabulary: Vocabulary,
    *,
    overrides: dict[str, str] | None = None,
    pick: str | None = None,
    existing: Iterable[str] = (),
) -> TeachersPreview:
    """What importing `path` as a teachers' list stores; raises `Invalid` when it is not one.

    `vocabulary` is `load_vocabulary(paths.intake_dir / "teachers")`; `existing` the names of
    the teachers already stored.
    """
    detected = detect(
        read_tables(Path(path)), vocabulary, overrides=overrides, pick=pick, shape=TEACHERS
    )
    mapped = {c.field for c in detected.columns if c.field}
    if "full_name" not in mapped and not mapped & {"last_name", "first_name"}:
        raise Invalid(
            "Ни один столбец не назначен ФИО педагога. Укажите столбец с ФИО: "
            '--map "#N=full_name" (или фамилию, имя и отчество: last_name, first_name, '
            "middle_name)."
        )
    preview = TeachersPreview(Path(path).name, detected, [])
    stored = {name_key(n): n for n in existing}
    seen: set[str] = set()
    for _section, values in records(detected):
        draft = _draft(values, preview.warnings)
        if draft is None:
            continue
        key = name_key(draft.full_name)
        if key in seen:
            preview.repeated.append(draft.full_name)
            continue
        seen.add(key)
        if key in stored:
            preview.duplicates.append(stored[key])
        preview.teachers.append(draft)
    preview.warnings[:0] = column_warnings(detected)
    titles = [s.title for s in detected.sections if s.title]
    if titles:
        preview.warnings.append(
            "Строки-разделы (не загружаются, педагоги под ними загружаются): "
            + "; ".join(f"«{t[:60]}»" for t in titles)
        )
    preview.warnings += below_warnings(detected)
    if not preview.teachers:
        raise Invalid(f"В таблице «{detected.label}» под заголовком нет ни одного педагога.")
    return preview


def _draft(values: dict[str, str], warnings: list[str]) -> TeacherDraft | None:
    name = " ".join(values.get("full_name", "").split())
    if not name:
        name = " ".join(" ".join(values.get(p, "") for p in NAME_PARTS).split())
    if not name:
        rest = "; ".join(v for v in values.values() if v)
        if rest and not re.fullmatch(r"[\d.;\s]*", rest):
            warnings.append(f"Строка без ФИО не загружена: «{rest[:100]}».")
        return None
    if len(name) > 200:
        warnings.append(f"ФИО длиннее 200 знаков сокращено: «{name[:60]}…».")
        name = name[:200]
    return TeacherDraft(
        full_name=name,
        position=values.get("position", "")[:200],
        subjects=" ".join(values.get("subjects", "").split())[:500],
        category=" ".join(values.get("category", "").split())[:100],
        experience_years=_experience(name, values.get("experience", ""), warnings),
        is_young_specialist=_young(name, values.get("young_specialist", ""), warnings),
        mentor=" ".join(values.get("mentor", "").split()),
    )


def _experience(name: str, text: str, warnings: list[str]) -> int | None:
    text = text.strip().lower()
    if text in _EMPTY:
        return None
    match = _YEARS.match(text + " ")
    if match and 0 <= int(match.group(1)) <= 70:
        return int(match.group(1))
    warnings.append(f"{name}: стаж «{text}» не распознан — не заполнен; укажите его в карточке.")
    return None


def _young(name: str, text: str, warnings: list[str]) -> bool:
    text = text.strip().lower()
    if text in _EMPTY or text == "0":
        return False
    if text in _YES:
        return True
    warnings.append(
        f"{name}: отметка «молодой специалист» «{text}» не распознана (ожидается «да» или "
        "«нет») — не отмечен."
    )
    return False


def render_teachers(preview: TeachersPreview, rows: int = 10, *, update: bool = False) -> str:
    """The preview as text: mapping, ignored columns, first rows, duplicates, counts."""
    d = preview.detected
    out = head(preview.source, d) + columns_text(d)
    out.append(f"Первые строки (из {len(preview.teachers)}):")
    for t in preview.teachers[:rows]:
        years = "—" if t.experience_years is None else str(t.experience_years)
        out.append(
            f"  {t.full_name} | {t.position[:40] or '—'} | {t.subjects[:40] or '—'} | "
            f"{t.category or '—'} | стаж {years}"
            + (" | молодой специалист" if t.is_young_specialist else "")
            + (f" | наставник {t.mentor}" if t.mentor else "")
        )
    out += skipped_text(d)
    if preview.duplicates:
        what = "будут обновлены из файла" if update else "не загружаются (--replace обновит их)"
        out.append(f"Уже есть в Опоре ({len(preview.duplicates)}) — {what}: "
                   + ", ".join(preview.duplicates))  # fmt: skip
    if preview.repeated:
        out.append(f"Повторно в файле ({len(preview.repeated)}) — загружаются один раз: "
                   + ", ".join(preview.repeated))  # fmt: skip
    new = len(preview.new())
    out.append(
        f"Итого: новых — {plural(new, 'педагог', 'педагога', 'педагогов')}, "
        f"уже есть — {len(preview.duplicates)}, повторов в файле — {len(preview.repeated)}."
    )
    out += warnings_text(preview.warnings)
    return "\n".join(out)
