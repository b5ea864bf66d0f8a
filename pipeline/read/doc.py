"""Legacy Word 97-2003 (.doc, .dot): converted to .docx by LibreOffice, then read as a .docx.

Each conversion runs `soffice --headless` with a LibreOffice profile folder of its own
(`-env:UserInstallation=…`, in the conversion's temporary folder), so that worker
processes (`--jobs N`) convert side by side instead of failing on a shared, locked
profile; it is stopped, with everything it started, after CONVERT_TIMEOUT seconds.
Without LibreOffice the file is one line of errors.csv that says how to convert it.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import ChisoError
from pipeline.model import Block
from pipeline.read import docx
from pipeline.read.package import DEFAULT_LIMITS, LEGACY_HOWTO, Limits, is_legacy_word

SUFFIXES = (".doc", ".dot")
CONVERT_TIMEOUT = 120           # seconds; a first start of LibreOffice takes a few


def accepts(head: bytes) -> bool:
    return is_legacy_word(head)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_command(program: str, path: Path, outdir: Path, profile: Path, fmt: str = "docx") -> list[str]:
    return [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--convert-to", fmt, "--outdir", str(outdir), str(path)]


def run_soffice(cmd: list[str], timeout: float | None = None) -> None:
    """Run LibreOffice in a process group of its own; on timeout (CONVERT_TIMEOUT by
    default) the group is killed (soffice starts soffice.bin, which a plain kill would
    leave running)."""
    timeout = CONVERT_TIMEOUT if timeout is None else timeout
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=timeout)
    except BaseException:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()
        raise


def _convert(path: Path, tmp: Path) -> Path:
    program = soffice()
    if program is None:
        raise ChisoError(path, LEGACY_HOWTO)
    outdir = tmp / "out"
    outdir.mkdir()
    try:
        run_soffice(convert_command(program, path.resolve(), outdir, tmp / "profile"))
    except subprocess.TimeoutExpired:
        raise ChisoError(path, f"LibreOffice chuyển tệp .doc quá {CONVERT_TIMEOUT} giây, bỏ qua "
                               "(conversion timed out)") from None
    except OSError as exc:
        raise ChisoError(path, f"không chạy được LibreOffice ({exc.strerror}); {LEGACY_HOWTO}") from None
    out = outdir / (path.stem + ".docx")
    if not out.is_file():
        raise ChisoError(path, "LibreOffice không chuyển được tệp .doc này sang .docx (conversion failed)")
    return out


def read_blocks(path, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    path = Path(path)
    tmp = Path(tempfile.mkdtemp(prefix="chiso-doc-"))
    try:
        converted = _convert(path, tmp)
        try:
            return docx.read_blocks(converted, limits)
        except ChisoError as exc:
            raise ChisoError(path, exc.reason) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
