"""Batches: `extract_many(paths, outdir)` runs every file through the stages on an
engine (this process, worker processes, a Dask cluster) and streams the rows into one
table written whole, with errors.csv and the resume manifest beside it."""
from __future__ import annotations

import csv
import errno
import io
import os
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.audit.sources import record_workdir
from pipeline.batch.engines import DEFAULT_TIMEOUT, default_jobs, progress, run_dask, run_local
from pipeline.stages import sha256_of
from pipeline.read.package import DEFAULT_LIMITS, Limits
from pipeline.write.datapackage import write_datapackage
from pipeline.write.files import doc_ids, find_docx, write_atomic, writing
from pipeline.write.stream import COLUMNS, MANIFEST, TableWriter, load_manifest, manifest_text, previous_rows

SHA = COLUMNS.index("source_sha256")
DOC = COLUMNS.index("doc_id")
SRC = COLUMNS.index("source_path")


@dataclass
class BatchResult:
    table: Path                                   # OUTDIR/indicators.<format>
    files: list[str]                              # every input file, in order (each once)
    rows: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)   # (file, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file, what was not read): file still read
    carried: list[str] = field(default_factory=list)              # unchanged since the last run
    written: bool = True          # False: no file succeeded, the previous outputs were kept

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


def _results(todo, limits, engine, jobs, scheduler, timeout):
    if engine == "dask":
        return run_dask(todo, limits, scheduler)
    return run_local(todo, limits, jobs or default_jobs(), timeout)


def _named(rows, ids: dict[str, str]):
    """Rows with the run's doc_id of their file (unique within the run, see doc_ids)."""
    return [r if ids.get(r[SRC], r[DOC]) == r[DOC] else (*r[:DOC], ids[r[SRC]], *r[DOC + 1:]) for r in rows]


def extract_many(paths, outdir, *, fmt: str = "csv", jobs: int = 0, resume: bool = False,
                 limits: Limits = DEFAULT_LIMITS, engine: str = "local", scheduler: str | None = None,
                 show_progress: bool | None = False, file_timeout: float | None = DEFAULT_TIMEOUT) -> BatchResult:
    """Extract every .docx named or found under the folders in paths into OUTDIR.

    The table is streamed to a temporary file and renamed over the previous one only when
    the run ends: an interrupted run leaves the previous output whole, and so does a run
    in which no file succeeded (result.written is then False; only errors.csv is written:
    the table, the manifest and datapackage.json stay as they were). A file that takes longer
    than file_timeout seconds (None: no limit) is an error line and the batch goes on.
    An output that cannot be written raises pipeline.errors.OutputError."""
    out = Path(outdir)
    files = [str(p) for p in find_docx(paths)]
    ids = doc_ids(files)
    carried, todo = _split_resumed(files, load_manifest(out, fmt) if resume else {})
    result = BatchResult(out / f"indicators.{fmt}", files, carried=list(carried))
    with writing(out):
        if out.exists() and not out.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(out))
        writer = TableWriter(result.table, fmt)     # fails here, before any file is read
    done: dict[str, str] = {}
    try:
        with writing(result.table):
            for rows in previous_rows(result.table, fmt, set(carried)):
                writer.write(_named(rows, ids))
        # closing(): the workers end here, whatever ends the loop (an error, a signal)
        with closing(_results(todo, limits, engine, jobs, scheduler, file_timeout)) as results:
            for path, rows, reason, *warned in progress(results, len(todo), show_progress):
                result.warnings.extend((path, w) for w in (warned[0] if warned else ()))
                if reason is not None:
                    result.errors.append((path, reason))
                    continue
                with writing(result.table):
                    writer.write(_named(rows, ids))
                done[path] = rows[0][SHA] if rows else sha256_of(path)
        result.rows = writer.count
        if files and not result.succeeded:
            result.written = False
            writer.abort()                      # nothing new: the previous table stays
            _write_errors(out, result)
            return result
        with writing(result.table):
            writer.commit()
    except BaseException:
        writer.abort()                          # the previous output stays whole
        raise
    _write_beside(out, fmt, result, carried | done)
    return result


WARNING = "cảnh báo (warning): "     # an errors.csv line about a file that was read all the same


def _write_errors(out: Path, result: BatchResult) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows([("file", "reason"), *result.errors,
                               *((f, WARNING + w) for f, w in result.warnings)])
    write_atomic(out / "errors.csv", buf.getvalue())


def _write_beside(out: Path, fmt: str, result: BatchResult, manifest: dict[str, str]) -> None:
    _write_errors(out, result)
    write_atomic(out / MANIFEST, manifest_text(fmt, manifest))
    record_workdir(out)                         # relative source paths are found again from anywhere
    with writing(out / "datapackage.json"):
        write_datapackage(out)


__all__ = ["BatchResult", "extract_many"]
