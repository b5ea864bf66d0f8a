"""Run extraction over many files: in this process, in worker processes (`--jobs N`) or
on a Dask cluster (`--engine dask`). Every engine runs the same per-file function and
streams its results, in input order, to the writer, so memory stays flat.
"""
from __future__ import annotations

import os
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import astuple

from pipeline.errors import ChisoError, RuleError
from pipeline.read.package import DEFAULT_LIMITS, Limits

WORKER_DIED = "tiến trình xử lý dừng đột ngột khi đọc tệp này (worker died)"


def process_file(path: str, limits: Limits = DEFAULT_LIMITS):
    """(path, rows as tuples or None, error reason or None): the unit of work of a batch."""
    from pipeline.stages import extract_file
    try:
        return path, [astuple(r) for r in extract_file(path, limits)], None
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


def run_local(paths: list[str], limits: Limits, jobs: int):
    """Results in input order; jobs > 1 uses worker processes, at most 2 × jobs in flight."""
    if jobs <= 1:
        for p in paths:
            yield process_file(p, limits)
        return
    pending = deque(paths)
    executor = ProcessPoolExecutor(max_workers=jobs, initializer=warm_up)
    window: deque = deque()
    try:
        while pending or window:
            try:
                while pending and len(window) < 2 * jobs:
                    window.append((pending[0], executor.submit(process_file, pending[0], limits)))
                    pending.popleft()
                result = window[0][1].result()
            except BrokenProcessPool:
                # A worker died (killed, out of memory); the pool says so at the next
                # submit or result. Retry what was in flight, one file at a time in a
                # fresh worker, so only a file that kills its worker is lost.
                executor.shutdown(wait=False, cancel_futures=True)
                retry = [q for q, _f in window]
                window.clear()
                for q in retry:
                    yield _isolated(q, limits)
                executor = ProcessPoolExecutor(max_workers=jobs, initializer=warm_up)
                continue
            window.popleft()
            yield result
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _isolated(path: str, limits: Limits):
    with ProcessPoolExecutor(max_workers=1) as one:
        try:
            return one.submit(process_file, path, limits).result()
        except BrokenProcessPool:
            return path, None, WORKER_DIED


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
