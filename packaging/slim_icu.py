"""A slim ICU data library for the bundle: `libicudata.so.NN` with only what Qt needs (issue 10).

PySide6's `libicudata.so.73` (31 MB) carries the ICU data of every language. Qt Core uses ICU
only for collation (`QCollator`, locale-aware sorting), case mapping (`QLocale::toUpper`), time
zone names (`QTimeZone::displayName`) and legacy text codecs (`QStringConverter`), and the
program is Russian (with English as Qt's source language). This script extracts the common data
package (symbol `icudtNN_dat`) from the library, removes with `icupkg` (Debian `icu-devtools`)
the items no Russian/English program needs, and links the rest back into a shared library with
the same soname and symbol (`as` and `ld`, Debian `binutils`), ~3 MB.

    python packaging/slim_icu.py SOURCE_LIB OUT_DIR   -> OUT_DIR/libicudata.so.NN

`build.spec` calls `build_slim_icudata` and bundles the result instead of PySide6's library.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

# Locales whose data stays in every tree (root is the fallback of all of them).
KEPT_LOCALES = re.compile(r"^(root|ru(_[A-Za-z0-9]*)*|en|en_US|en_US_POSIX)$")
# A locale-named item (`de.res`, `zh_Hant_TW.res`, `de_.res`); other .res items are shared data.
LOCALE_ITEM = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*$")
SHARED_RES = {"res_index", "pool"}
# Legacy converters kept for Cyrillic text (windows-1251, KOI8-R, cp866, ISO-8859-5) and
# windows-1252; UTF-8/16/32, Latin-1 and US-ASCII are built into ICU's code.
KEPT_CONVERTERS = {
    "ibm-5347_P100-1998.cnv",
    "ibm-1251_P100-1995.cnv",
    "ibm-878_P100-1996.cnv",
    "ibm-866_P100-1995.cnv",
    "ibm-915_P100-1995.cnv",
    "ibm-5348_P100-1997.cnv",
}
# Data of ICU services Qt never calls: break iterators (Qt has its own text boundaries),
# transliterators, StringPrep profiles, the spoof checker and character names.
DROPPED_TREES = ("brkitr/", "translit/")
DROPPED_SUFFIXES = (".spp", ".cfu")
DROPPED_ITEMS = {"unames.icu"}


def wanted(item: str) -> bool:
    """Whether an item of the ICU package (`coll/ru.res`, `ibm-866_P100-1995.cnv`) is kept."""
    name = item.rsplit("/", 1)[-1]
    stem, _, suffix = name.rpartition(".")
    if item.startswith(DROPPED_TREES) or name in DROPPED_ITEMS or name.endswith(DROPPED_SUFFIXES):
        return False
    if suffix == "cnv":
        return name in KEPT_CONVERTERS
    if suffix == "res" and stem not in SHARED_RES and LOCALE_ITEM.match(stem):
        return KEPT_LOCALES.match(stem) is not None
    return True


def _dynamic_symbol(lib: bytes, prefix: bytes) -> tuple[str, int, int]:
    """(name, file offset, size) of the first dynamic symbol starting with prefix (ELF64 LE)."""
    if lib[:5] != b"\x7fELF\x02" or lib[5] != 1:
        raise SystemExit("not a little-endian ELF64 library")
    shoff, shentsize, shnum = (
        struct.unpack_from("<Q", lib, 0x28)[0],
        *struct.unpack_from("<HH", lib, 0x3A),
    )
    sections = [struct.unpack_from("<IIQQQQIIQQ", lib, shoff + i * shentsize) for i in range(shnum)]
    dynsym = next(s for s in sections if s[1] == 11)  # SHT_DYNSYM
    strtab = sections[dynsym[6]]
    for off in range(dynsym[4], dynsym[4] + dynsym[5], 24):
        st_name, _, _, st_shndx, st_value, st_size = struct.unpack_from("<IBBHQQ", lib, off)
        start = strtab[4] + st_name
        name = lib[start : lib.index(b"\0", start)]
        if name.startswith(prefix) and st_shndx != 0:
            section = sections[st_shndx]
            return name.decode(), st_value - section[3] + section[4], st_size
    raise SystemExit(f"no {prefix.decode()}* symbol in the library")


def _run(*cmd: str | Path, cwd: Path) -> str:
    tool = shutil.which(str(cmd[0]))
    if tool is None:
        package = "icu-devtools" if cmd[0] == "icupkg" else "binutils"
        raise SystemExit(f"{cmd[0]} not found: install the Debian package {package}")
    done = subprocess.run([tool, *map(str, cmd[1:])], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def build_slim_icudata(source: Path, out_dir: Path) -> Path:
    """Write `out_dir/<soname of source>` with the kept items only; return its path."""
    lib = source.read_bytes()
    symbol, offset, size = _dynamic_symbol(lib, b"icudt")  # icudt73_dat
    package = symbol.removesuffix("_dat") + "l"  # icudt73l: little-endian, ASCII
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "full").mkdir(exist_ok=True)  # icupkg wants the package's own file name
    full, slim = out_dir / "full" / f"{package}.dat", out_dir / f"{package}.dat"
    full.write_bytes(lib[offset : offset + size])
    items = _run("icupkg", "-l", full, cwd=out_dir).split()
    dropped = [item for item in items if not wanted(item)]
    (out_dir / "dropped.txt").write_text("\n".join(dropped) + "\n", encoding="ascii")
    slim.unlink(missing_ok=True)
    _run("icupkg", "-r", "dropped.txt", full, slim.name, cwd=out_dir)
    (out_dir / "icudata.s").write_text(
        "\t.section .rodata\n"
        f"\t.globl {symbol}\n"
        f"\t.type {symbol}, @object\n"
        "\t.balign 16\n"
        f"{symbol}:\n"
        f'\t.incbin "{slim.name}"\n'
        f"\t.size {symbol}, . - {symbol}\n"
        '\t.section .note.GNU-stack,"",@progbits\n',
        encoding="ascii",
    )
    soname = source.name  # libicudata.so.73
    _run("as", "-o", "icudata.o", "icudata.s", cwd=out_dir)
    _run("ld", "-shared", "-soname", soname, "-z", "noexecstack", "-o", soname, "icudata.o",
         cwd=out_dir)  # fmt: skip
    shutil.rmtree(full.parent)
    return out_dir / soname


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    built = build_slim_icudata(Path(sys.argv[1]), Path(sys.argv[2]))
    sys.stdout.write(f"{built}: {built.stat().st_size // 1024} KiB\n")
