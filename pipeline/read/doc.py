"""Legacy Word 97-2003 (.doc): converted to .docx by LibreOffice, then read as a .docx.

Without LibreOffice the file is one line of errors.csv that says how to convert it.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from pipeline.errors import ChisoError
from pipeline.model import Block
from pipeline.read import docx
from pipeline.read.package import DEFAULT_LIMITS, LEGACY_HOWTO, Limits, is_legacy_word

SUFFIXES = (".doc",)


def accepts(head: bytes) -> bool:
    return is_legacy_word(head)


def _convert(path: Path, outdir: str) -> Path | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    try:
        subprocess.run([soffice, "--headless", "--convert-to", "docx", "--outdir", outdir, str(path)],
                       check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError):
        return None
    out = Path(outdir) / (path.stem + ".docx")
    return out if out.is_file() else None


def read_blocks(path, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    path = Path(path)
    tmp = tempfile.mkdtemp(prefix="chiso-doc-")
    try:
        converted = _convert(path, tmp)
        if converted is None:
            raise ChisoError(path, LEGACY_HOWTO)
        try:
            return docx.read_blocks(converted, limits)
        except ChisoError as exc:
            raise ChisoError(path, exc.reason) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
