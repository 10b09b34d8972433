"""Caps checked before any reader opens a file the user brings (DESIGN §8: bounded input).

A workbook of 4 MB can expand to gigabytes in memory; these checks read only the file's size
and its zip directory, so a «bomb» is refused before a byte of it is decompressed. The caps are
far above any real school or district document; each refusal names the cap it hit.

Call `check_container(path)` for .xlsx/.xlsm/.docx/.ods (zip-based) and .xls/.csv (file size
only); it raises `Invalid` with a Russian message, or returns when the file is within bounds.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from services.core.errors import Invalid

ZIP_SUFFIXES = frozenset({".xlsx", ".xlsm", ".docx", ".ods"})
FLAT_SUFFIXES = frozenset({".xls", ".csv"})


@dataclass(frozen=True, slots=True)
class Caps:
    """What a document may be; the defaults cover any real document with a wide margin."""

    file_size: int = 50 * 1024 * 1024  # the file on disk
    flat_file_size: int = 20 * 1024 * 1024  # .xls and .csv, read whole into memory
    members: int = 2_000  # entries in the zip
    member_size: int = 100 * 1024 * 1024  # one expanded entry (a sheet's XML)
    total_size: int = 200 * 1024 * 1024  # all entries expanded
    ratio: int = 100  # expanded ÷ compressed for one entry larger than `ratio_floor`
    ratio_floor: int = 1024 * 1024  # small entries may compress as well as they like


CAPS = Caps()


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.0f} МБ"


def check_container(path: Path, caps: Caps = CAPS) -> None:
    """Refuse a file whose size or zip directory exceeds the caps (see the module docstring)."""
    path = Path(path)
    if not path.is_file():
        raise Invalid(f"Файл {path} не найден. Проверьте путь к файлу.")
    size = path.stat().st_size
    suffix = path.suffix.lower()
    flat = suffix in FLAT_SUFFIXES
    cap = caps.flat_file_size if flat else caps.file_size
    if size > cap:
        raise Invalid(
            f"Файл {path.name} слишком велик: {_mb(size)}, а Опора читает файлы {suffix or ''} "
            f"не больше {_mb(cap)}. Разделите таблицу на несколько файлов."
        )
    if flat or not zipfile.is_zipfile(path):
        return  # what is not a zip is left to the reader, which says what it is not
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise Invalid(
            f"Файл {path.name} повреждён: оглавление архива внутри него не читается ({exc}). "
            "Откройте его в Excel или LibreOffice и сохраните заново."
        ) from exc
    _check_members(path.name, infos, caps)


def _check_members(name: str, infos: list[zipfile.ZipInfo], caps: Caps) -> None:
    if len(infos) > caps.members:
        raise Invalid(
            f"Файл {name} содержит {len(infos)} частей, а в документе их бывает не больше "
            f"{caps.members}. Это не обычный документ; Опора его не откроет."
        )
    total = 0
    for info in infos:
        if info.file_size > caps.member_size:
            raise Invalid(
                f"Часть «{info.filename}» файла {name} после распаковки занимает "
                f"{_mb(info.file_size)}, а Опора читает не больше {_mb(caps.member_size)} на "
                "часть. Разделите таблицу на несколько файлов."
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > caps.ratio_floor and ratio > caps.ratio:
            raise Invalid(
                f"Часть «{info.filename}» файла {name} сжата в {ratio:.0f} раз (допустимо до "
                f"{caps.ratio}): так выглядят файлы-«бомбы», которые занимают всю память. "
                "Опора его не откроет; пересохраните таблицу в Excel или LibreOffice."
            )
        total += info.file_size
    if total > caps.total_size:
        raise Invalid(
            f"Файл {name} после распаковки занимает {_mb(total)}, а Опора читает не больше "
            f"{_mb(caps.total_size)}. Разделите таблицу на несколько файлов."
        )
