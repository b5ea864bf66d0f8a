"""Legacy .doc for real (issue 12, item 8): LibreOffice saves a corpus report as Word
97-2003, chiso converts it back and finds the same figures; conversions in worker
processes side by side; a conversion that hangs is stopped with what it started.
(`make test` installs LibreOffice's writer; without it the LibreOffice tests skip.)"""
import csv
import os
import stat
import time
from collections import Counter
from pathlib import Path

import pytest

from builders import CORPUS, write_cfb
from pipeline.cli import main
from pipeline.errors import ChisoError
from pipeline.read import doc as legacy_doc, read_blocks
from pipeline.stages import extract_file

needs_soffice = pytest.mark.skipif(legacy_doc.soffice() is None, reason="LibreOffice is not installed "
                                   "(make test installs it: libreoffice-writer-nogui)")


FORMATS = {".doc": "doc", ".dot": "dot:MS Word 97 Vorlage"}     # document, template


def _to_doc(src: Path, outdir: Path, suffix: str = ".doc") -> Path:
    """A real Word 97-2003 file, saved by LibreOffice from a .docx."""
    legacy_doc.run_soffice(legacy_doc.convert_command(
        legacy_doc.soffice(), src.resolve(), outdir, outdir / ".profile", fmt=FORMATS[suffix]))
    return outdir / (src.stem + suffix)


def _figures(rows):
    return Counter((r.value, r.unit, r.raw) for r in rows)


@needs_soffice
def test_real_legacy_doc_gives_the_figures_of_its_docx(tmp_path):
    src = CORPUS / "d01.docx"
    doc_file = _to_doc(src, tmp_path)
    assert doc_file.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    rows = extract_file(doc_file)
    assert rows and _figures(rows) == _figures(extract_file(src))


@needs_soffice
def test_legacy_docs_convert_side_by_side_in_worker_processes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for stem, suffix in (("d01", ".doc"), ("d02", ".dot")):
        _to_doc(CORPUS / f"{stem}.docx", folder, suffix)
    assert main(["extract", str(folder), "-o", str(tmp_path / "out"), "--jobs", "2"]) == 0
    errors = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8").splitlines()
    assert errors == ["file,reason"]
    with (tmp_path / "out" / "indicators.csv").open(encoding="utf-8") as fh:
        docs = Counter(row["doc_id"] for row in csv.DictReader(fh))
    assert docs == {"d01": len(extract_file(CORPUS / "d01.docx")), "d02": len(extract_file(CORPUS / "d02.docx"))}


def test_conversion_that_hangs_is_stopped_with_what_it_started(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pid_file = tmp_path / "child.pid"
    fake = bin_dir / "soffice"
    fake.write_text(f'#!/bin/sh\nsleep 300 &\necho $! > "{pid_file}"\nwait\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setattr(legacy_doc, "CONVERT_TIMEOUT", 1)
    path = write_cfb(tmp_path / "treo.doc", "WordDocument", b"\xec\xa5" + b"\0" * 64)
    with pytest.raises(ChisoError) as exc:
        read_blocks(path)
    assert "timed out" in exc.value.reason
    assert not _alive(int(pid_file.read_text()))


def _alive(pid: int) -> bool:
    """Whether pid runs, waiting a little for a SIGKILL to land (a zombie is not running)."""
    for _ in range(100):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.05)
    return True
