"""A fingerprint read over the phone and typed back is compared as the card prints it."""

from __future__ import annotations

from services.packages.keys import fingerprint_of, normalize_fingerprint


def test_typed_fingerprint_forgives_spacing_case_and_look_alikes() -> None:
    printed = "08VQ QJP5 1TT3 RSAR"
    for typed in ("08vq qjp5 1tt3 rsar", "O8VQ-QJP5-ITT3-RSAR", "08VQQJP5LTT3RSAR"):
        assert normalize_fingerprint(typed) == normalize_fingerprint(printed)
    assert normalize_fingerprint("08VQ QJP5 1TT3 RSAB") != normalize_fingerprint(printed)


def test_fingerprint_is_four_groups_of_unambiguous_characters() -> None:
    fp = fingerprint_of("RWQ" + "A" * 53, "age1" + "q" * 58, "site")
    groups = fp.split(" ")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert not set(fp) & set("ILOU")
    assert normalize_fingerprint(fp) == fp
