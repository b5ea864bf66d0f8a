"""Batches: `extract_many(paths, outdir)` runs every file through the stages on an
engine (this process, worker processes, a Dask cluster) and streams the rows into one
table written whole, with errors.csv and the resume manifest beside it."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.audit.sources import record_workdir
from pipeline.batch.engines import default_jobs, progress, run_dask, run_local
from pipeline.stages import sha256_of
from pipeline.read.package import DEFAULT_LIMITS, Limits
from pipeline.write.datapackage import write_datapackage
from pipeline.write.files import find_docx, write_atomic
from pipeline.write.stream import COLUMNS, MANIFEST, TableWriter, load_manifest, manifest_text, previous_rows

SHA = COLUMNS.index("source_sha256")


@dataclass
class BatchResult:
    table: Path                                   # OUTDIR/indicators.<format>
    files: list[str]                              # every input file, in order
    rows: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)   # (file, reason)
    carried: list[str] = field(default_factory=list)              # unchanged since the last run

    @property
    def succeeded(self) -> int:
        return len(self.files) - len(self.errors)


def _split_resumed(files: list[str], manifest: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    carried, todo = {}, []
    for f in files:
        if manifest.get(f) and Path(f).is_file() and sha256_of(f) == manifest[f]:
            carried[f] = manifest[f]           # unchanged since the last run: keep its rows
        else:
            todo.append(f)
    return carried, todo


def _results(todo, limits, engine, jobs, scheduler):
    if engine == "dask":
        return run_dask(todo, limits, scheduler)
    return run_local(todo, limits, jobs or default_jobs())


def extract_many(paths, outdir, *, fmt: str = "csv", jobs: int = 0, resume: bool = False,
                 limits: Limits = DEFAULT_LIMITS, engine: str = "local", scheduler: str | None = None,
                 show_progress: bool | None = False) -> BatchResult:
    """Extract every .docx named or found under the folders in paths into OUTDIR.

    The table is streamed to a temporary file and renamed over the previous one only when
    the run ends: an interrupted run leaves the previous output whole."""
    out = Path(outdir)
    files = [str(p) for p in find_docx(paths)]
    carried, todo = _split_resumed(files, load_manifest(out, fmt) if resume else {})
    result = BatchResult(out / f"indicators.{fmt}", files, carried=list(carried))
    writer = TableWriter(result.table, fmt)
    done: dict[str, str] = {}
    try:
        for rows in previous_rows(result.table, fmt, set(carried)):
            writer.write(rows)
        for path, rows, reason in progress(_results(todo, limits, engine, jobs, scheduler), len(todo),
                                           show_progress):
            if reason is not None:
                result.errors.append((path, reason))
                continue
            writer.write(rows)
            done[path] = rows[0][SHA] if rows else sha256_of(path)
        result.rows = writer.count
        writer.commit()
    except BaseException:
        writer.abort()                          # the previous output stays whole
        raise
    buf = io.StringIO()
    csv.writer(buf).writerows([("file", "reason"), *result.errors])
    write_atomic(out / "errors.csv", buf.getvalue())
    write_atomic(out / MANIFEST, manifest_text(fmt, carried | done))
    record_workdir(out)                         # relative source paths are found again from anywhere
    write_datapackage(out)
    return result


__all__ = ["BatchResult", "extract_many"]
