"""The dependency rules (README «Architecture»), enforced by parsing every import."""

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


# -- feature packages (README «Architecture») ---------------------------------------------------

AREAS = sorted(
    p.parent.name
    for p in (REPO / "services").glob("*/__init__.py")
    if p.parent.name not in ("core", "migrations")
)
# sqlite3 directly: the storage module, the quick identity read before the window paints, and the
# merge engine (its bulk path and the storage errors it translates); nowhere else.
SQLITE3_ALLOWED = {
    "services/core/db.py",
    "services/core/db_sqlite.py",
    "services/core/quickstate.py",
}


def test_services_are_feature_packages() -> None:
    top_modules = sorted(p.name for p in (REPO / "services").glob("*.py"))
    assert len(top_modules) <= 8, top_modules
    assert {"audit", "district", "roadmap", "results", "staff", "sync"} <= set(AREAS)


def test_ui_imports_an_area_only_through_its_package() -> None:
    def rule(module: str, _names: list[str]) -> str | None:
        parts = module.split(".")
        if parts[0] == "services" and len(parts) > 2 and parts[1] in AREAS:
            return f"imports the area's internal module {module}; use services.{parts[1]}"
        return None

    assert violations("ui", rule) == []


def test_area_exports_resolve_and_match_their_static_imports() -> None:
    import importlib

    for area in AREAS:
        package = importlib.import_module(f"services.{area}")
        exports: dict[str, str] = package._EXPORTS
        for name, module in exports.items():
            assert getattr(package, name) is getattr(importlib.import_module(module), name)
        static = {
            (node.module, alias.name)
            for node in ast.walk(ast.parse((REPO / "services" / area / "__init__.py").read_text()))
            if isinstance(node, ast.ImportFrom) and node.module != "services.core.lazy"
            for alias in node.names
            if node.module and node.module.startswith("services.")
        }
        assert static == {(m, n) for n, m in exports.items()}, area


def test_sqlite3_only_where_storage_lives() -> None:
    found = []
    for folder in ("services", "ui", "models"):
        for path in files_under(folder):
            rel = str(path.relative_to(REPO))
            if any(top(m) == "sqlite3" for m, _ in imports_of(path)) and rel not in SQLITE3_ALLOWED:
                found.append(rel)
    assert found == []


# -- resources come from AppPaths (main.py builds it; the frozen build moves the resources) -----


def test_resource_paths_come_from_app_paths() -> None:
    found = [
        str(path.relative_to(REPO))
        for folder in ("services", "ui", "models")
        for path in files_under(folder)
        if "__file__" in path.read_text(encoding="utf-8")
        and str(path.relative_to(REPO)) != "services/core/db.py"  # Alembic's scripts, in the code
    ]
    assert found == []


# -- one list of document kinds -----------------------------------------------------------------


def _report_choices() -> list[str]:
    import argparse

    from ui.cli.parser import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    report = commands.choices["report"]
    kind = next(a for a in report._actions if a.dest == "kind")
    return list(kind.choices or ())


def test_report_kinds_are_the_registered_documents() -> None:
    from services.documents.registry import DOCUMENTS, _load_all

    _load_all()  # every area's documents registered
    assert sorted(_report_choices()) == sorted(DOCUMENTS)


def test_readme_names_every_document_kind() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    paragraph = readme[readme.index("Document kinds available now") :].split("\n\n")[0]
    assert [k for k in _report_choices() if f"`{k}`" not in paragraph] == []
