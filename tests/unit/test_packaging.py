"""The distribution files agree with each other and with the tree (the build runs in CI)."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

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
    # nfpm's own xz leaves the .deb ~8 MB over what xz -9 makes of it (size budget 50 MB)
    deb_target = makefile.split("\ndeb:", 1)[1].split("\n\n", 1)[0]
    assert "bash packaging/recompress-deb.sh dist/opora_$(VERSION)_amd64.deb" in deb_target
    assert (PACKAGING / "recompress-deb.sh").exists()
    spec = (REPO / "build.spec").read_text(encoding="utf-8")
    assert 'tomllib.loads((ROOT / "pyproject.toml")' in spec


def _run_with_excluded_modules_blocked(*argv: str) -> subprocess.CompletedProcess[str]:
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
        f"sys.argv = ['main.py', *{list(argv)!r}]\n"
        "runpy.run_path('main.py', run_name='__main__')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, env=env
    )


def test_the_program_runs_without_the_modules_the_bundle_leaves_out(tmp_path: Path) -> None:
    """Modules build.spec excludes are blocked as in the frozen program; real runs still work.

    An excluded module the program needs fails only in the built bundle, so catch it here:
    `init` migrates a database; `self-check` also signs and encrypts a package and renders a
    Cyrillic PDF (SQLAlchemy imports asyncio, which must do without `ssl`; reportlab and the
    package code hash without OpenSSL's `_hashlib`).
    """
    data = str(tmp_path / "data")
    run = _run_with_excluded_modules_blocked(
        "--data-dir", data, "init", "--role", "district", "--name", "Отдел образования",
        "--code", "7701000001",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert (tmp_path / "data" / "opora.sqlite3").exists()  # the run really migrated a database
    check = _run_with_excluded_modules_blocked("--data-dir", str(tmp_path / "check"), "self-check")
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    assert "Самопроверка пройдена" in check.stdout


def _slim_icu() -> ModuleType:
    spec = importlib.util.spec_from_file_location("slim_icu", PACKAGING / "slim_icu.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_slim_icu_keeps_russian_english_and_shared_data_only() -> None:
    wanted = _slim_icu().wanted
    for item in (
        "root.res", "ru.res", "ru_UA.res", "en.res", "pool.res", "res_index.res",
        "supplementalData.res", "likelySubtags.res", "zoneinfo64.res", "metaZones.res",
        "coll/ucadata.icu", "coll/root.res", "coll/ru.res", "coll/res_index.res",
        "zone/ru.res", "zone/pool.res", "curr/ru.res", "lang/en.res", "cnvalias.icu",
        "ibm-5347_P100-1998.cnv", "ibm-878_P100-1996.cnv", "nfkc.nrm", "uts46.nrm",
    ):  # fmt: skip
        assert wanted(item), item
    for item in (
        "de.res", "zh_Hant_TW.res", "coll/de_.res", "coll/zh.res", "zone/fr.res",
        "brkitr/cjdict.dict", "brkitr/root.res", "translit/root.res", "gb18030.cnv",
        "ibm-943_P15A-2003.cnv", "rfc3491.spp", "confusables.cfu", "unames.icu", "en_GB.res",
    ):  # fmt: skip
        assert not wanted(item), item


ICU_PROBE = """
import functools
from PySide6.QtCore import QCollator, QDate, QLocale, QStringDecoder, QTimeZone
ru = QLocale(QLocale.Language.Russian, QLocale.Country.Russia)
words = ["ёж", "Ель", "яблоко", "Абрикос", "еда", "Жук", "apple", "Zebra", "Ёлка", "ель"]
print(sorted(words, key=functools.cmp_to_key(QCollator(ru).compare)))
print(ru.toUpper("ёлка straße"), ru.toLower("ЁЛКА"), QLocale("tr_TR").toUpper("i"))
print(ru.toString(QDate(2026, 11, 23), QLocale.FormatType.LongFormat), ru.toString(1234.5, "f", 1))
for name in ("windows-1251", "KOI8-R", "IBM866", "ISO-8859-5", "windows-1252"):
    print(name, QStringDecoder(name).isValid())
moscow = QTimeZone(b"Europe/Moscow")
long_name = QTimeZone.NameType.LongName
print(moscow.displayName(QTimeZone.TimeType.StandardTime, long_name, ru))
print([line.split()[-1] for line in open("/proc/self/maps") if "libicudata" in line][0])
"""


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("icupkg", "as", "ld")) or sys.platform != "linux",
    reason="needs icu-devtools and binutils (Linux)",
)
def test_slim_icu_library_gives_qt_the_same_collation_case_dates_codecs_and_zones(
    tmp_path: Path,
) -> None:
    """Qt's ICU calls answer the same with the slim data library as with PySide6's full one."""
    from PySide6 import QtCore

    full = next((Path(QtCore.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    slim = _slim_icu().build_slim_icudata(full, tmp_path)
    assert slim.name == full.name and slim.stat().st_size < full.stat().st_size / 5

    def probe(env: dict[str, str]) -> list[str]:
        run = subprocess.run(
            [sys.executable, "-c", ICU_PROBE], capture_output=True, text=True, env=env, check=True
        )
        return run.stdout.splitlines()

    with_full = probe({**os.environ})
    # Qt Core finds the already loaded library of the same soname instead of PySide6's own.
    with_slim = probe({**os.environ, "LD_PRELOAD": str(slim)})
    assert with_full[-1] == str(full) and with_slim[-1] == str(slim)
    assert with_slim[:-1] == with_full[:-1]
    assert with_slim[0] == str(
        ["Абрикос", "еда", "ёж", "Ёлка", "ель", "Ель", "Жук", "яблоко", "apple", "Zebra"]
    )
    assert "23 ноября 2026" in with_slim[2] and "Москва" in with_slim[-2]
    assert all(line.endswith("True") for line in with_slim[3:8])


@pytest.mark.slow
def test_roadmaps_import_from_word_without_python_docx_or_lxml(tmp_path: Path) -> None:
    """The bundle leaves python-docx and lxml out: Word tables are read with the stdlib."""
    excluded = _spec_constant("PY_EXCLUDES")
    assert isinstance(excluded, list) and {"docx", "lxml"} <= set(excluded)
    data = str(tmp_path / "data")
    fixture = str(REPO / "tests" / "fixtures" / "intake" / "seed000.docx")
    init = _run_with_excluded_modules_blocked(
        "--data-dir", data, "init", "--role", "school", "--name", "Школа", "--code", "1234567890"
    )
    assert init.returncode == 0, init.stderr[-2000:]
    run = _run_with_excluded_modules_blocked(
        "--data-dir", data, "import-xlsx", "roadmap", fixture, "--map", "Срок исполнения=deadline"
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "Загружено в дорожную карту: 24 мероприятия" in run.stdout
    out = str(tmp_path / "roadmap.xlsx")
    export = _run_with_excluded_modules_blocked(
        "--data-dir", data, "report", "roadmap", "--out", out
    )
    assert export.returncode == 0, export.stderr[-2000:]
