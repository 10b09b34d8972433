"""The program's version, from the installed package metadata (or the frozen build's copy)."""

from __future__ import annotations

from functools import cache


@cache
def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("opora")
    except PackageNotFoundError:
        return "0.0.0+unknown"
