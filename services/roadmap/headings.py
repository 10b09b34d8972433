"""Nesting of imported section headings: «I. Механизмы …» › «1. Система …», «1» › «1.1».

A plan's table writes its sections as heading rows. Their numbers say how they nest:

* a Roman number («I», «II.») is a top section;
* a dotted number («1.2», «1.2.3») is a subsection of the section numbered by its prefix;
* a plain number («1.», «Раздел 2», «Задача 3») or no number after a Roman section is its
  subsection (seed 001: «I Механизмы …» then «Система оценки …»); otherwise a top section;
* a heading that is only a parenthesis («(Создать …)») is the task of the section before it,
  and so is a parenthesis closing a heading;
* when no heading carries a number (the reader kept only the text), a heading without items of
  its own followed by headings with items groups them (seed 001: «Механизмы управления …»
  above its «Система …» sections).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_ROMAN = re.compile(r"^\s*((?:X{0,3})(?:IX|IV|V?I{0,3}))\s*[.)]?\s+(?=\S)")
_ARABIC = re.compile(r"^\s*(?:(?:раздел|задача|направление)\s+)?(\d+(?:\.\d+)*)\s*[.)]?\s+(?=\S)",
                     re.IGNORECASE)  # fmt: skip
_TASK = re.compile(r"^(.*?)\s*\(([^()]{3,})\)\s*$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """A section to store: its number, title, task, and the index of its parent in the list."""

    title: str
    number: str = ""
    task: str = ""
    parent: int | None = None


def nest_headings(
    titles: list[str], items: list[int] | None = None
) -> tuple[list[SectionSpec], list[int]]:
    """The sections the headings describe, and for each heading the index of its section.

    `items` is the number of items under each heading. A heading that only holds a task maps to
    the section it belongs to.
    """
    specs: list[SectionSpec] = []
    index_of: list[int] = []
    roman: int | None = None  # the last Roman section
    by_number: dict[str, int] = {}
    for raw in titles:
        text = " ".join(raw.split())
        if text.startswith("(") and text.endswith(")") and specs:
            specs[-1] = replace(specs[-1], task=_join(specs[-1].task, text[1:-1].strip()))
            index_of.append(len(specs) - 1)
            continue
        number, title, is_roman = _number(text)
        title, task = _task(title)
        if is_roman:
            parent: int | None = None
        elif "." in number:
            parent = by_number.get(number.rsplit(".", 1)[0])
        else:
            parent = roman
        specs.append(SectionSpec(title or text, number, task, parent))
        index_of.append(len(specs) - 1)
        if is_roman:
            roman = len(specs) - 1
        if number:
            by_number.setdefault(number, len(specs) - 1)
    if items is not None and not any(x.number for x in specs):
        specs = _grouped(specs, index_of, items)
    return specs, index_of


def _grouped(specs: list[SectionSpec], index_of: list[int], items: list[int]) -> list[SectionSpec]:
    """Empty sections above sections with items become their parents (numberless headings)."""
    held = [0] * len(specs)
    for heading, count in zip(index_of, items, strict=True):
        held[heading] += count
    if all(held) or not any(held):
        return specs
    group: int | None = None
    out = []
    for n, spec in enumerate(specs):
        if held[n] == 0 and n + 1 < len(specs) and held[n + 1]:
            group = n
            out.append(spec)
        else:
            out.append(replace(spec, parent=group) if held[n] else spec)
    return out


def _number(text: str) -> tuple[str, str, bool]:
    match = _ROMAN.match(text)
    if match and match.group(1):
        return match.group(1), text[match.end() :], True
    match = _ARABIC.match(text)
    if match:
        return match.group(1), text[match.end() :], False
    return "", text, False


def _task(title: str) -> tuple[str, str]:
    match = _TASK.match(title)
    if match and match.group(1).strip():
        return match.group(1).strip(), match.group(2).strip()
    return title, ""


def _join(first: str, second: str) -> str:
    return f"{first} {second}".strip()
