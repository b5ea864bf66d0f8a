"""Run extraction over many files: in this process, in worker processes (`--jobs N`) or
on a Dask cluster (`--engine dask`). Every engine runs the same per-file function and
streams its results, in input order, to the writer, so memory stays flat.
"""
from __future__ import annotations

import os
import sys
from collections import deque
from dataclasses import astuple

from pipeline.batch.pool import WORKER_DIED, WorkerPool  # noqa: F401  (WORKER_DIED: the reason, re-exported)
from pipeline.errors import ChisoError, RuleError
from pipeline.read.package import DEFAULT_LIMITS, Limits

DEFAULT_TIMEOUT = 300.0       # seconds one file may take (`--file-timeout`)


def process_file(path: str, limits: Limits = DEFAULT_LIMITS):
    """(path, rows as tuples or None, error reason or None[, the reader's warnings]): the
    unit of work of a batch. The warnings (what the file holds that was not read, such as
    an embedded chunk in another format) come only when there are some."""
    from pipeline.stages import process
    try:
        doc = process(path, limits)
        rows = [astuple(r) for r in doc.rows]
        return (path, rows, None, tuple(doc.warnings)) if doc.warnings else (path, rows, None)
    except ChisoError as exc:
        return path, None, exc.reason
    except RuleError:             # every file would fail the same way: the batch stops
        raise
    except Exception as exc:  # a bug must not stop a batch: the file is reported like bad input
        return path, None, f"lỗi không mong đợi (unexpected error): {type(exc).__name__}: {exc}"


def warm_up() -> None:
    """Load the models once per worker, not once per file."""
    from pipeline.find.nlp import first_word
    from pipeline.segment.headings import heading_types
    first_word("khởi động")
    heading_types()


def _run_one(path: str, limits: Limits):
    """The per-file function as this module holds it now (tests replace process_file)."""
    return process_file(path, limits)


def run_local(paths: list[str], limits: Limits, jobs: int, timeout: float | None = None):
    """Results in input order. With a time limit per file, or jobs > 1, files run in
    worker processes (pool.py): a file past its limit is killed and reported, the batch
    goes on. Without either, files run in this process."""
    if jobs <= 1 and timeout is None:
        for p in paths:
            yield process_file(p, limits)
        return
    yield from WorkerPool(max(1, jobs), _run_one, warm_up, (limits,), timeout).results(paths)


def run_dask(paths: list[str], limits: Limits, scheduler: str | None, window_size: int = 64):
    """The same per-file function on a Dask distributed cluster, results in input order."""
    try:
        from distributed import Client
    except ImportError:
        raise ChisoError("--engine dask", "cần Dask: pip install 'chiso[dask]' (dask.distributed is not installed)") \
            from None
    client = Client(scheduler) if scheduler else Client(processes=False)
    try:
        client.run(warm_up)
        pending = deque(paths)
        window: deque = deque()
        while pending or window:
            while pending and len(window) < window_size:
                p = pending.popleft()
                window.append(client.submit(process_file, p, limits, pure=False))
            future = window.popleft()
            yield future.result()
            future.release()
    finally:
        client.close()


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def progress(items, total: int, enabled: bool | None):
    if not (sys.stderr.isatty() if enabled is None else enabled):
        return items
    from tqdm import tqdm
    return tqdm(items, total=total, unit="tệp", desc="chiso", file=sys.stderr)
