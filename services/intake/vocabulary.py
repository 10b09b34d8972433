"""Which field a column header names, by the lemmas of its words (`<directory>/headers.json`).

Real plans word their headers freely («Сроки выполнения», «Период реализации», «Ответственные за
исполнение»). Each word is reduced to its lemma (pymorphy3), so a wording that is not in the list
still maps when its key words match. A phrase counts only when it contains the header's first word:
the head noun decides, so «Ответственные за проведение мероприятия» is a responsible column, not a
title.

The directory is `AppPaths.intake_dir` (`resources/intake`), passed down from the entry points;
`load_vocabulary` reads it once per directory. Loading pymorphy3's dictionary costs about half a
second, so the lemmas that matter ship beside it in `lemmas.json`: every form of every word of the
vocabulary, with pymorphy3's lemma for it. A header word missing from that table has a lemma
outside the vocabulary, so it can match nothing and stands for itself. The table is rebuilt by
`python -m services.intake.vocabulary resources/intake` (a test says when `headers.json` changed
without it); a stale table, and `exact=True` (for the words a user types in `--map`), fall back
to pymorphy3.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from services.core.errors import StorageError

HEADERS = "headers.json"
LEMMAS = "lemmas.json"
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


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The header vocabulary of one directory; its lookups are cached per directory."""

    directory: Path  # resolved
    fields: tuple[FieldWords, ...]

    def lemma(self, word: str, exact: bool = False) -> str:
        return _lemma(self.directory, word, exact)

    def lemmas(self, text: str, exact: bool = False) -> list[str]:
        words = _WORD.findall(text.lower().replace("ё", "е"))
        return [self.lemma(w, exact) for w in words if w not in _STOP]

    def match_header(self, text: str) -> tuple[str | None, float]:
        """The field a header names and how surely (0 when none)."""
        return _match_header(self.directory, text)

    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field_labels(self) -> dict[str, str]:
        """Each field's name as a person reads it («deadline» → «Сроки исполнения»)."""
        return {f.name: f.label for f in self.fields}


def load_vocabulary(directory: Path) -> Vocabulary:
    """The vocabulary shipped in `directory` (`AppPaths.intake_dir`); raises `StorageError`."""
    return _load(directory.resolve())


@lru_cache(maxsize=4)
def _load(directory: Path) -> Vocabulary:
    data = _headers(directory / HEADERS)
    return Vocabulary(
        directory,
        tuple(
            FieldWords(
                name,
                str(spec["label"]),
                tuple(frozenset(_lemmas(directory, p)) for p in spec["phrases"]),
                frozenset(_lemma(directory, k, False) for k in spec["keys"]),
            )
            for name, spec in data.items()
        ),
    )


def _headers(path: Path) -> dict[str, Any]:
    try:
        fields: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["fields"]
        broken = [n for n, spec in fields.items() if not {"label", "phrases", "keys"} <= set(spec)]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
    else:
        if not broken:
            return fields
        problem = f"у полей {', '.join(broken)} нет label, phrases или keys"
    raise StorageError(
        f"Не прочитан словарь заголовков дорожной карты «{path}» ({problem}). Загрузка таблиц "
        "невозможна: переустановите программу."
    )


@cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def _morph_lemma(word: str) -> str:
    return str(_morph().parse(word)[0].normal_form).replace("ё", "е")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=4)
def _table(directory: Path) -> dict[str, str] | None:
    """The directory's lemma table, or None when it was not built from its headers.json."""
    try:
        data = json.loads((directory / LEMMAS).read_text(encoding="utf-8"))
        if data.get("headers_sha256") != _digest(directory / HEADERS):
            return None
        forms: dict[str, str] = data["forms"]
    except (OSError, ValueError, KeyError, AttributeError):
        return None
    return forms


@lru_cache(maxsize=4096)
def _lemma(directory: Path, word: str, exact: bool) -> str:
    if not re.fullmatch(r"[а-яё]+", word):
        return word
    table = None if exact else _table(directory)
    if table is None:
        return _morph_lemma(word)
    return table.get(word.replace("ё", "е"), word)


def _lemmas(directory: Path, text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("ё", "е"))
    return [_lemma(directory, w, False) for w in words if w not in _STOP]


@lru_cache(maxsize=2048)
def _match_header(directory: Path, text: str) -> tuple[str | None, float]:
    words = _lemmas(directory, text)
    if not words:
        return None, 0.0
    found = set(words)
    best: tuple[str | None, float] = (None, 0.0)
    for spec in _load(directory).fields:
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


def build_lemma_table(directory: Path) -> dict[str, object]:
    """Every form of every vocabulary word whose lemma (pymorphy3's) is a vocabulary lemma."""
    path = directory / HEADERS
    words = {
        w
        for spec in _headers(path).values()
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


def main(argv: list[str]) -> int:
    """`python -m services.intake.vocabulary [DIRECTORY]`: rebuild DIRECTORY/lemmas.json."""
    if len(argv) > 1:
        print("Использование: python -m services.intake.vocabulary [ПАПКА]", file=sys.stderr)  # noqa: T201
        return 2
    directory = Path(argv[0] if argv else "resources/intake")
    try:
        table = build_lemma_table(directory)
    except StorageError as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)  # noqa: T201
        return 1
    (directory / LEMMAS).write_text(
        json.dumps(table, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    print(f"Записано: {directory / LEMMAS}.")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
