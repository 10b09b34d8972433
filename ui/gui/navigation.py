"""The navigation of each role: keys and titles only.

Light on purpose, so the window can be painted before the screens (and the data layer under
them) are loaded. `ui/gui/screens` maps the keys to screens.
"""

from __future__ import annotations

NAVIGATION: dict[str, tuple[tuple[str, str], ...]] = {
    "school": (
        ("overview", "Обзор"),
        ("roadmap", "Дорожная карта"),
        ("audit", "Самоаудит"),
        ("staff", "Педагоги и ИППР"),
        ("results", "Результаты"),
        ("protocols", "Протоколы"),
        ("exchange", "Обмен с управлением"),
        ("documents", "Документы"),
    ),
    "district": (
        ("summary", "Сводка"),
        ("schools", "Школы"),
        ("import", "Импорт пакетов"),
        ("roadmap", "Муниципальная дорожная карта"),
        ("protocols", "Протоколы"),
        ("thresholds", "Шаблоны и пороги"),
        ("documents", "Документы"),
        ("bulletin", "Рассылка школам"),
    ),
}
