"""Russian formatting of dates, numbers and names for screens and printouts."""

from __future__ import annotations

import re
from datetime import date

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
BLANK_DATE = "«___» ____________ 20__ г."
NO_DATA = "нет данных"


def date_short(d: date | None) -> str:
    """05.06.2025, or an empty string."""
    return d.strftime("%d.%m.%Y") if d else ""


def date_long(d: date | None, *, blank: str = BLANK_DATE) -> str:
    """«5 июня 2025 г.», or the blank form «___» ________ 20__ г. for signing by hand."""
    if d is None:
        return blank
    return f"{d.day} {MONTHS_GENITIVE[d.month - 1]} {d.year} г."


def date_quoted(d: date | None) -> str:
    """«05» июня 2025 г. as written under a signature."""
    if d is None:
        return BLANK_DATE
    return f"«{d.day:02d}» {MONTHS_GENITIVE[d.month - 1]} {d.year} г."


_INITIALS = re.compile(r"^(?:[А-ЯЁA-Z]\.)*[А-ЯЁA-Z]\.?$")


def initials_surname(full_name: str) -> str:
    """The расшифровка подписи: «И.В. Иванова».

    Accepts the full form «Иванова Ирина Викторовна», initials after the surname
    («Иванова И.В.», «Иванова И. В.») or before it («И.В. Иванова»); every initial is kept.
    """
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip()
    initials = [p for p in parts if _INITIALS.match(p)]
    if initials:
        words = [p for p in parts if not _INITIALS.match(p)]
        letters = "".join(f"{c}." for p in initials for c in p if c != ".")
        return letters + (" " + " ".join(words) if words else "")
    surname, *given = parts
    return "".join(f"{p[0].upper()}." for p in given if p) + " " + surname


def percent(value: float | None, digits: int = 1) -> str:
    """12,5 % with a decimal comma, or «нет данных»."""
    if value is None:
        return NO_DATA
    text = f"{value:.{digits}f}".replace(".", ",")
    return f"{text} %"


def plural(n: int, one: str, few: str, many: str) -> str:
    """«1 мероприятие», «3 мероприятия», «21 мероприятие», «11 мероприятий»."""
    tail = n % 100
    if 11 <= tail <= 14:
        word = many
    elif n % 10 == 1:
        word = one
    elif 2 <= n % 10 <= 4:
        word = few
    else:
        word = many
    return f"{n} {word}"


def sha_groups(sha: str) -> str:
    """A SHA-256 in groups of eight, as the cover sheet and the import report print it."""
    return " ".join(sha[i : i + 8] for i in range(0, len(sha), 8))
