"""Finding input files and writing output files whole (never half a file)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path



def word_suffixes() -> tuple[str, ...]:
    """The file suffixes the readers take (pipeline/read: .docx .docm .dotx .dotm .doc .dot)."""
    from pipeline.read import READERS
    return tuple(s for reader in READERS for s in reader.SUFFIXES)


def find_docx(paths):
    """Each Word file named, or found recursively under a named folder (by the readers'
    suffixes, Word's "~$" lock files left out), in sorted order.

    A path that does not exist, and a folder with no report in it, are yielded as they
    are, so that the reader reports them and a batch goes on."""
    suffixes = word_suffixes()
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.suffix.lower() in suffixes
                           and q.is_file() and not q.name.startswith("~$"))
            yield from found or [p]
        else:
            yield p


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside path, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
