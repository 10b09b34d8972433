"""The dependency rules of STYLE §3.2, enforced by parsing every import."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

from sqlmodel import SQLModel

import models

REPO = Path(__file__).resolve().parent.parent
QT = ("PySide6", "shiboken6")
ORM = ("sqlmodel", "sqlalchemy")
TABLE_CLASSES = {
    name
    for name in dir(models)
    if isinstance(getattr(models, name), type)
    and issubclass(getattr(models, name), SQLModel)
    and hasattr(getattr(models, name), "__table__")
}


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """(module, imported names) for every import statement in a file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def files_under(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def violations(folder: str, rule: Callable[[str, list[str]], str | None]) -> list[str]:
    bad = []
    for path in files_under(folder):
        for module, names in imports_of(path):
            problem = rule(module, names)
            if problem:
                bad.append(f"{path.relative_to(REPO)}: {problem}")
    return bad


def top(module: str) -> str:
    return module.split(".")[0]


def test_the_layers_exist() -> None:
    for folder in ("models", "services", "ui/gui", "ui/cli"):
        assert files_under(folder), folder


def test_models_import_neither_services_nor_ui_nor_qt() -> None:
    def rule(module: str, _names: list[str]) -> str | None:
        if top(module) in ("services", "ui", *QT):
            return f"imports {module}"
        return None

    assert violations("models", rule) == []


def test_services_never_import_qt_or_ui() -> None:
    def rule(module: str, _names: list[str]) -> str | None:
        if top(module) in ("ui", *QT):
            return f"imports {module}"
        return None

    assert violations("services", rule) == []


def test_ui_never_imports_the_orm_or_table_classes() -> None:
    def rule(module: str, names: list[str]) -> str | None:
        if top(module) in ORM:
            return f"imports {module}"
        if top(module) == "models":
            tables = sorted(set(names) & TABLE_CLASSES)
            if tables:
                return f"imports table classes {tables} from {module}"
        return None

    assert violations("ui", rule) == []


def test_cli_never_imports_qt() -> None:
    def rule(module: str, _names: list[str]) -> str | None:
        if top(module) in QT or module.startswith("ui.gui"):
            return f"imports {module}"
        return None

    assert violations("ui/cli", rule) == []


def test_the_rule_checker_catches_a_violation(tmp_path: Path) -> None:
    # The checks above pass only if the parser really sees imports, also nested ones.
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from sqlmodel import Session\n    import PySide6.QtCore\n")
    assert [m for m, _ in imports_of(sample)] == ["sqlmodel", "PySide6.QtCore"]


def test_table_classes_are_known() -> None:
    assert {"Roadmap", "Site", "Teacher", "VprResult"} <= TABLE_CLASSES
    assert "SiteRead" not in TABLE_CLASSES
