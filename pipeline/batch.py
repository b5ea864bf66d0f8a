"""Run extraction over many files: rows of the good ones, a reason for each bad one."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ChisoError
from .extractor import Row, extract_file
from .files import find_docx


@dataclass
class BatchResult:
    rows: list[Row] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)   # (file, reason)
    files: int = 0


def _progress(items, enabled: bool):
    if not enabled:
        return items
    from tqdm import tqdm
    return tqdm(items, unit="tệp", desc="chiso", file=sys.stderr)


def run_batch(paths, progress: bool | None = None) -> BatchResult:
    files = list(find_docx(paths))
    result = BatchResult(files=len(files))
    show = sys.stderr.isatty() if progress is None else progress
    for path in _progress(files, show):
        try:
            result.rows.extend(extract_file(path))
        except ChisoError as exc:
            result.errors.append((exc.path, exc.reason))
        except Exception as exc:  # a bug must not stop the batch; it is recorded like bad input
            result.errors.append((str(path), f"lỗi không mong đợi (unexpected error): {type(exc).__name__}: {exc}"))
    return result
