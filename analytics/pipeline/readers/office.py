"""Office files of the older kinds (.doc, .wps, .rtf, .odt) -> text, through LibreOffice.

County offices still send .doc and WPS files. LibreOffice's Writer converts them headless to plain text
(UTF-8), in a temporary folder with a profile of its own (so conversions never share or lock a user's
profile), within a time limit. Without LibreOffice Writer the file is refused with a message saying
what to install. Debian: `apt-get install libreoffice-writer` (its Writer component is what reads .doc;
FACTS.md).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

OFFICE_FORMATS = ("doc", "wps", "rtf", "odt")
CONVERT_SECONDS = 120


class OfficeError(ValueError):
    """An office file that cannot be converted; str() is the reason, for the user."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_to_text(data: bytes, extension: str) -> str:
    """The text of a .doc/.wps/.rtf/.odt file as LibreOffice Writer reads it."""
    program = soffice()
    if program is None:
        raise OfficeError(f".{extension} needs LibreOffice Writer to be read: install it "
                          "(Debian: apt-get install libreoffice-writer) or save the file as .docx (需要 LibreOffice)")
    with tempfile.TemporaryDirectory(prefix="countylens-office-") as scratch:
        source = Path(scratch) / f"document.{extension}"
        source.write_bytes(data)
        try:
            done = subprocess.run(
                [program, f"-env:UserInstallation=file://{scratch}/profile", "--headless", "--norestore",
                 "--convert-to", "txt:Text (encoded):UTF8", "--outdir", scratch, str(source)],
                capture_output=True, timeout=CONVERT_SECONDS)
        except subprocess.TimeoutExpired:
            raise OfficeError(f"LibreOffice took longer than {CONVERT_SECONDS} s to convert it (转换超时)") from None
        target = Path(scratch) / "document.txt"
        if done.returncode != 0 or not target.exists():
            reason = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise OfficeError(f"LibreOffice could not read it: {reason[-1] if reason else 'no output'} (文件无法转换)")
        return target.read_text(encoding="utf-8-sig", errors="replace")
