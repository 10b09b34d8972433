"""Which field a column header names, by the lemmas of its words (resources/intake/headers.json).

Real plans word their headers freely («Сроки выполнения», «Период реализации», «Ответственные за
исполнение»). Each word is reduced to its lemma (pymorphy3), so a wording that is not in the list
still maps when its key words match. A phrase counts only when it contains the header's first word:
the head noun decides, so «Ответственные за проведение мероприятия» is a responsible column, not a
title.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

HEADERS_FILE = Path(__file__).resolve().parents[2] / "resources" / "intake" / "headers.json"
_WORD = re.compile(r"№|[a-zа-яё]+|\d+")
_STOP = frozenset({"и", "за", "о", "об", "в", "по", "на", "с", "для", "п", "пп", "как", "из"})
PHRASE, KEY = 10.0, 1.0

# Fields an item stores, as named on the command line (`--map "Сроки=deadline"`), and the
# attribute of `ItemFields` each one fills; "start" and "end" are recomputed from the wording.
ITEM_ATTRIBUTES = {
    "number": "number",
    "title": "title",
    "deadline": "deadline_text",
    "responsible": "responsible",
    "participants": "participants",
    "result": "expected_result",
    "report_form": "report_form",
    "risk_factor": "risk_factor_code",
    "status": "status",
    "completion_date": "completion_date",
    "evidence": "evidence",
    "comment": "comment",
    "start": "",
    "end": "",
}


@dataclass(frozen=True, slots=True)
class FieldWords:
    name: str
    label: str
    phrases: tuple[frozenset[str], ...]
    keys: frozenset[str]


@cache
def _morph() -> Any:
    import pymorphy3  # type: ignore[import-untyped]

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=4096)
def lemma(word: str) -> str:
    if not re.fullmatch(r"[а-яё]+", word):
        return word
    return str(_morph().parse(word)[0].normal_form).replace("ё", "е")


def lemmas(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("ё", "е"))
    return [lemma(w) for w in words if w not in _STOP]


@cache
def vocabulary(path: Path = HEADERS_FILE) -> tuple[FieldWords, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))["fields"]
    return tuple(
        FieldWords(
            name,
            spec["label"],
            tuple(frozenset(lemmas(p)) for p in spec["phrases"]),
            frozenset(lemma(k) for k in spec["keys"]),
        )
        for name, spec in data.items()
    )


def field_names() -> tuple[str, ...]:
    return tuple(f.name for f in vocabulary())


@lru_cache(maxsize=2048)
def match_header(text: str) -> tuple[str | None, float]:
    """The field a header names and how surely (0 when none)."""
    words = lemmas(text)
    if not words:
        return None, 0.0
    found = set(words)
    best: tuple[str | None, float] = (None, 0.0)
    for spec in vocabulary():
        score = max(
            (PHRASE * len(p) for p in spec.phrases if p and p <= found and words[0] in p),
            default=0.0,
        )
        if not score:
            at = next((i for i, w in enumerate(words) if w in spec.keys), None)
            score = KEY + 1.0 / (2 + at) if at is not None else 0.0
        if score > best[1]:
            best = (spec.name, score)
    return best
