"""Lazy exports of an area package (PEP 562): its names load on first use, not on import.

An area's `__init__` lists what the front ends may use. Importing the package then costs nothing,
so the window can paint before any area (and SQLAlchemy under it) is loaded, and the areas can
import each other's modules without import cycles through their packages.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`, whose `exports` map a name to its module."""

    def getattr_(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    def dir_() -> list[str]:
        return sorted(exports)

    return getattr_, dir_
