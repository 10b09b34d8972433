"""The distribution files agree with each other and with the tree (the build runs in CI)."""

from __future__ import annotations

import ast
import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGING = REPO / "packaging"


def _spec_constant(name: str) -> object:
    tree = ast.parse((REPO / "build.spec").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not in build.spec")


def test_spec_bundles_existing_resources_and_keeps_the_qt_modules_the_ui_imports() -> None:
    resources = _spec_constant("RESOURCES")
    assert isinstance(resources, list)
    for src, dst in resources:
        assert (REPO / src).is_dir() and src == dst  # found through __file__ as in the tree
    assert (REPO / "resources" / "fonts" / "OFL.txt").exists()  # the fonts' licence ships
    used = set()
    for path in [*REPO.glob("ui/**/*.py"), REPO / "main.py"]:
        used |= set(re.findall(r"from PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    spec_text = (REPO / "build.spec").read_text(encoding="utf-8")
    excluded = re.search(r"QT_EXCLUDES = \[.*?\n\]", spec_text, re.S)
    assert excluded is not None
    assert not {m for m in used if re.search(rf"\b{m}\b", excluded.group(0))}
    assert {"QtWebEngineCore", "QtQml", "QtQuick", "QtMultimedia", "Qt3DCore"} <= set(
        re.findall(r"Qt\w+", excluded.group(0))
    )


def test_desktop_entry_launches_the_installed_program() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "opora.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Name"] == "Опора"
    assert desktop["Exec"] == "opora" and desktop["Icon"] == "opora"
    assert "Education" in desktop["Categories"].split(";")
    launcher = (PACKAGING / "opora-launcher.sh").read_text(encoding="utf-8")
    assert "exec /opt/opora/opora" in launcher


def test_nfpm_installs_what_the_tree_has_and_declares_qt_system_libraries() -> None:
    text = (PACKAGING / "nfpm.yaml").read_text(encoding="utf-8")
    sources = re.findall(r"- src: (\S+)", text)
    assert "dist/opora" in sources
    for src in sources:
        if src != "dist/opora":
            assert (REPO / src).exists(), src
    for lib in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libfontconfig1", "libcups2"):
        assert f"  - {lib}\n" in text
    assert "dst: /opt/opora" in text and "dst: /usr/bin/opora" in text


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no desktop-file-utils")
def test_desktop_file_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(PACKAGING / "opora.desktop")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_windows_installer_is_per_user_russian_and_refuses_old_windows() -> None:
    iss = (PACKAGING / "opora.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in iss
    assert "MinVersion=10.0.17763" in iss
    assert 'MessagesFile: "compiler:Languages\\Russian.isl"' in iss
    assert "WindowsVersionNotSupported=" in iss


def test_makefile_version_comes_from_pyproject() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "pyproject.toml" in makefile.split("VERSION :=", 1)[1].splitlines()[0]
    assert "build.spec" in makefile and "packaging/nfpm.yaml" in makefile
    spec = (REPO / "build.spec").read_text(encoding="utf-8")
    assert 'tomllib.loads((ROOT / "pyproject.toml")' in spec


def test_the_program_runs_without_the_modules_the_bundle_leaves_out(tmp_path: Path) -> None:
    """Modules build.spec excludes are blocked as in the frozen program; a real run still works.

    An excluded module the program needs fails only in the built bundle, so catch it here.
    """
    excluded = _spec_constant("PY_EXCLUDES")
    assert isinstance(excluded, list)
    script = (
        "import sys, runpy\n"
        f"BLOCKED = {excluded!r}\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if any(name == m or name.startswith(m + '.') for m in BLOCKED):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"sys.argv = ['main.py', '--data-dir', {str(tmp_path)!r}, 'init', '--role',"
        " 'district', '--name', 'Отдел образования', '--code', '7701000001']\n"
        "runpy.run_path('main.py', run_name='__main__')\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert (tmp_path / "opora.sqlite3").exists()  # the run really created and migrated a database
