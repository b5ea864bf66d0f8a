"""Reading: input formats behind one interface, `read_blocks(path, limits) → [Block]`.

A format is one module with `accepts(head: bytes) -> bool` (its first bytes) and
`read_blocks(path, limits)`; list it in READERS. The first module that accepts the
file's head reads it; .docx is the default, so that its reader names what is wrong
with a file nobody accepts (not a zip, empty, missing …).
"""
from __future__ import annotations

from pathlib import Path

from pipeline.model import Block
from pipeline.read import doc, docx
from pipeline.read.package import DEFAULT_LIMITS, OLE_MAGIC, Limits

READERS = (doc, docx)
HEAD_BYTES = 4 * 1024 * 1024        # an OLE file names its streams in its directory sectors


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            return head + fh.read(HEAD_BYTES) if head == OLE_MAGIC else head
    except OSError:
        return b""


def reader_for(path) -> object:
    head = _head(Path(path)) if Path(path).is_file() else b""
    return next((r for r in READERS if r.accepts(head)), docx)


def read_blocks(path, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """All text blocks of the report at path, in reading order; ChisoError when it can't."""
    return reader_for(path).read_blocks(path, limits)


__all__ = ["READERS", "read_blocks", "reader_for"]
