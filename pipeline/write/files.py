"""Finding input files, naming their documents, and writing output files whole (never
half a file, never a temporary file left behind)."""
from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import OutputError



def word_suffixes() -> tuple[str, ...]:
    """The file suffixes the readers take (pipeline/read: .docx .docm .dotx .dotm .doc .dot)."""
    from pipeline.read import READERS
    return tuple(s for reader in READERS for s in reader.SUFFIXES)


def find_docx(paths):
    """Each Word file named, or found recursively under a named folder (by the readers'
    suffixes, Word's "~$" lock files left out), in sorted order; a file named twice (the
    same resolved path) is yielded once.

    A path that does not exist, and a folder with no report in it, are yielded as they
    are, so that the reader reports them and a batch goes on."""
    suffixes = word_suffixes()
    seen: set[str] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.suffix.lower() in suffixes
                           and q.is_file() and not q.name.startswith("~$"))
        else:
            found = [p]
        for q in found or [p]:
            key = os.path.realpath(q)
            if key not in seen:
                seen.add(key)
                yield q


def doc_ids(paths) -> dict[str, str]:
    """The doc_id of each path of a run: the file's name without its extension when no
    other file of the run has that name; otherwise the shortest tail of its path that
    tells it apart (`2023/baocao`, `2024/baocao`)."""
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for p in map(Path, paths):
        by_stem[p.stem].append(p)
    ids = {}
    for stem, group in by_stem.items():
        for p in group:
            ids[str(p)] = stem if len(group) == 1 else _distinct_tail(p, group)
    return ids


def _distinct_tail(path: Path, group: list[Path]) -> str:
    def parts(p: Path) -> tuple[str, ...]:
        return Path(os.path.abspath(p)).with_suffix("").parts
    mine = parts(path)
    for n in range(2, len(mine) + 1):
        if sum(parts(q)[-n:] == mine[-n:] for q in group) == 1:
            return "/".join(mine[-n:])
    return path.name          # baocao.doc beside baocao.docx: only the extension differs


@contextmanager
def writing(path):
    """Turn an OSError raised while writing an output into one OutputError line."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(exc.filename or path, exc) from None


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside path, then rename over it."""
    path = Path(path)
    with writing(path):
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
