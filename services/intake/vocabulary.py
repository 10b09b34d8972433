"""Which field a column header names, by the lemmas of its words (resources/intake/headers.json).

Real plans word their headers freely («Сроки выполнения», «Период реализации», «Ответственные за
исполнение»). Each word is reduced to its lemma (pymorphy3), so a wording that is not in the list
still maps when its key words match. A phrase counts only when it contains the header's first word:
the head noun decides, so «Ответственные за проведение мероприятия» is a responsible column, not a
title.

Loading pymorphy3's dictionary costs about half a second, so the lemmas that matter ship in
`resources/intake/lemmas.json`: every form of every word of the vocabulary, with pymorphy3's lemma
for it. A header word missing from that table has a lemma outside the vocabulary, so it can match
nothing and stands for itself. The table is rebuilt by `python -m services.intake.vocabulary`
(a test says when `headers.json` changed without it); a stale table, and `exact=True` (for the
words a user types in `--map`), fall back to pymorphy3.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

HEADERS_FILE = Path(__file__).resolve().parents[2] / "resources" / "intake" / "headers.json"
LEMMAS_FILE = HEADERS_FILE.with_name("lemmas.json")
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


def _morph_lemma(word: str) -> str:
    return str(_morph().parse(word)[0].normal_form).replace("ё", "е")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _table() -> dict[str, str] | None:
    """The shipped lemma table, or None when it was not built from the current headers.json."""
    try:
        data = json.loads(LEMMAS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("headers_sha256") != _digest(HEADERS_FILE):
        return None
    forms: dict[str, str] = data["forms"]
    return forms


@lru_cache(maxsize=4096)
def lemma(word: str, exact: bool = False) -> str:
    if not re.fullmatch(r"[а-яё]+", word):
        return word
    table = None if exact else _table()
    if table is None:
        return _morph_lemma(word)
    return table.get(word.replace("ё", "е"), word)


def lemmas(text: str, exact: bool = False) -> list[str]:
    words = _WORD.findall(text.lower().replace("ё", "е"))
    return [lemma(w, exact) for w in words if w not in _STOP]


def build_lemma_table(path: Path = HEADERS_FILE) -> dict[str, object]:
    """Every form of every vocabulary word whose lemma (pymorphy3's) is a vocabulary lemma."""
    fields = json.loads(path.read_text(encoding="utf-8"))["fields"]
    words = {
        w
        for spec in fields.values()
        for text in [*spec["phrases"], *spec["keys"]]
        for w in _WORD.findall(text.lower().replace("ё", "е"))
        if re.fullmatch(r"[а-яё]+", w) and w not in _STOP
    }
    wanted = {_morph_lemma(w) for w in words}
    forms: dict[str, str] = {}
    for word in sorted(words):
        for parse in _morph().parse(word):
            for form in parse.lexeme:
                text = str(form.word).replace("ё", "е")
                found = _morph_lemma(text)
                if found in wanted:
                    forms[text] = found
    return {"headers_sha256": _digest(path), "forms": dict(sorted(forms.items()))}


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


def field_labels() -> dict[str, str]:
    """Each field's name as a person reads it («deadline» → «Сроки исполнения»)."""
    data = json.loads(HEADERS_FILE.read_text(encoding="utf-8"))["fields"]
    return {name: str(spec["label"]) for name, spec in data.items()}


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


if __name__ == "__main__":
    LEMMAS_FILE.write_text(
        json.dumps(build_lemma_table(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
