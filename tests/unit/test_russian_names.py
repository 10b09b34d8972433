"""Names on documents: the расшифровка подписи and an organisation in the genitive."""

from __future__ import annotations

import pytest

from services.core.formatting import initials_surname
from services.core.russian import organisation_genitive, position_with_organisation


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Иванова Ирина Ивановна", "И.И. Иванова"),
        ("Иванова И.И.", "И.И. Иванова"),
        ("Иванова И. И.", "И.И. Иванова"),
        ("Иванова И.И", "И.И. Иванова"),
        ("И.И. Иванова", "И.И. Иванова"),
        ("И. И. Иванова", "И.И. Иванова"),
        ("Римская-Корсакова Анна Сергеевна", "А.С. Римская-Корсакова"),
        ("Римская-Корсакова А.С.", "А.С. Римская-Корсакова"),
        ("Иванова", "Иванова"),
    ],
)
def test_initials_keep_every_letter(typed: str, printed: str) -> None:
    assert initials_surname(typed) == printed


@pytest.mark.parametrize(
    ("name", "genitive"),
    [
        (
            "Муниципальное бюджетное общеобразовательное учреждение «Лесная школа»",
            "Муниципального бюджетного общеобразовательного учреждения «Лесная школа»",
        ),
        ("МБОУ «Лодейнинская СОШ»", "МБОУ «Лодейнинская СОШ»"),
        ("Лодейнинская СОШ", "Лодейнинской СОШ"),
        (
            "Управление образования администрации Кольского района",
            "Управления образования администрации Кольского района",
        ),
        (
            "Муниципальная автономная организация «Гимназия № 2»",
            "Муниципальной автономной организации «Гимназия № 2»",
        ),
    ],
)
def test_organisation_in_genitive(name: str, genitive: str) -> None:
    assert organisation_genitive(name) == genitive


def test_position_with_organisation() -> None:
    full = "Муниципальное казённое общеобразовательное учреждение «Кольская гимназия»"
    assert position_with_organisation("Директор", full) == (
        "Директор муниципального казённого общеобразовательного учреждения «Кольская гимназия»"
    )
    assert position_with_organisation("Директор", full, "МКОУ «Кольская гимназия»") == (
        "Директор МКОУ «Кольская гимназия»"
    )
    # a position that already names its organisation is printed as typed
    assert position_with_organisation("Директор МОУ СОШ № 1", full) == "Директор МОУ СОШ № 1"
