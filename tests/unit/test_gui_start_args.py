"""The fast path for a plain GUI start parses exactly what the full parser would."""

from __future__ import annotations

import pytest

from ui.cli.parser import build_parser, parse_gui_start


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--data-dir", "/tmp/д"],
        ["--data-dir=/tmp/x"],
        ["--exit-after-paint", "--data-dir", "d"],
    ],
)
def test_gui_start_matches_the_full_parser(argv: list[str]) -> None:
    quick = parse_gui_start(argv)
    assert quick is not None
    full = build_parser().parse_args(argv)
    for name in ("command", "version", "data_dir", "exit_after_paint"):
        assert getattr(quick, name) == getattr(full, name)


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["-h"], ["--version"], ["init"], ["--data-dir"], ["--data-dir", "d", "demo"],
     ["--data-dir", "--version"], ["--data-dir="], ["--bogus"]],
)  # fmt: skip
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert parse_gui_start(argv) is None
