"""Old Word files (.doc, .rtf) through LibreOffice, when it is installed: converted to .docx.

Опора reads .docx itself; a .doc or .rtf is converted by `soffice --headless --convert-to docx`
into a temporary directory (with its own LibreOffice profile there, so a LibreOffice the user has
open neither blocks nor swallows the job), under a time limit, and the normal pipeline reads the
result. Without LibreOffice the message says how to save the file as .docx by hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from services.core.errors import Invalid
from services.intake.readers import old_format_text

CONVERTIBLE = (".doc", ".rtf")
TIMEOUT = 120  # seconds; a school's plan converts in a few


def office() -> str | None:
    """The LibreOffice program on PATH, or where its Windows installer puts it; or None.

    The Windows installer does not add LibreOffice to PATH, so its usual folders are tried too.
    """
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    for variable in ("ProgramFiles", "ProgramFiles(x86)"):
        root = os.environ.get(variable)
        program = Path(root) / "LibreOffice" / "program" / "soffice.exe" if root else None
        if program is not None and program.is_file():
            return str(program)
    return None


def needs_conversion(path: Path) -> bool:
    return Path(path).suffix.lower() in CONVERTIBLE


@contextmanager
def readable_copy(path: Path, *, convert: bool) -> Iterator[Path]:
    """`path` itself, or (a .doc/.rtf with `convert`) its .docx made by LibreOffice.

    Without `convert`, a .doc/.rtf is refused with how to save it as .docx, and the flag to
    use when LibreOffice is installed. The converted copy is removed on exit.
    """
    path = Path(path)
    if not needs_conversion(path):
        yield path
        return
    if not path.is_file():
        raise Invalid(f"Файл {path} не найден.")
    if not convert:
        hint = (
            " LibreOffice установлен: Опора может преобразовать файл сама — повторите команду "
            "с флагом --convert."
            if office()
            else ""
        )
        raise Invalid(old_format_text(path.suffix) + hint)
    with tempfile.TemporaryDirectory(prefix="opora-convert-") as tmp:
        yield convert_to_docx(path, Path(tmp))


def convert_to_docx(path: Path, outdir: Path, timeout: float = TIMEOUT) -> Path:
    """Convert `path` to .docx in `outdir` with LibreOffice; raises `Invalid` on any failure."""
    program = office()
    if program is None:
        raise Invalid("LibreOffice не найден, преобразовать файл нельзя. " + old_format_text(""))
    profile = (outdir / "profile").resolve().as_uri()
    command = [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
               "docx", "--outdir", str(outdir), str(Path(path).resolve())]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise Invalid(
            f"LibreOffice не преобразовал {path.name} за {int(timeout)} с и был остановлен. "
            + old_format_text("")
        ) from exc
    except OSError as exc:
        raise Invalid(f"LibreOffice не запустился ({exc}). " + old_format_text("")) from exc
    result = outdir / f"{Path(path).stem}.docx"
    if done.returncode != 0 or not result.is_file():
        said = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip()[:300]
        raise Invalid(
            f"LibreOffice не смог преобразовать {path.name} в .docx"
            + (f" («{said}»)" if said else "")
            + ". "
            + old_format_text("")
        )
    return result
