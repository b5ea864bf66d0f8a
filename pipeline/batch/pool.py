"""A pool of forked worker processes, each holding one file at a time, so the parent knows
which file every worker holds and since when. A file that runs past its time limit, or
kills its worker, costs that file only: the worker is killed and replaced, the batch goes
on. Workers ignore Ctrl-C (the parent decides), end with the parent however it ends, and
print nothing of their own."""
from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import time
from collections import deque
from multiprocessing.connection import wait

from pipeline.errors import ChisoError, RuleError

READY = "ready"
WORKER_DIED = "tiến trình xử lý dừng đột ngột khi đọc tệp này (worker died)"
START_FAILURES = 3            # workers that die before they are ready: the pool gives up


def timeout_reason(seconds: float) -> str:
    return f"quá thời hạn xử lý một tệp (file timeout): hơn {seconds:g} giây; tiến trình bị dừng"


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel sends SIGKILL to this worker when the parent ends (even killed)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:       # the parent ended before the line above
        os._exit(0)


SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _serve(conn, parent, inherited, run_one, warm) -> None:
    """A worker's life; whatever ends it, it prints nothing (the parent reports the file)."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)       # Ctrl-C: the parent decides
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
        _die_with_parent(parent)
        _work(conn, inherited, run_one, warm)
    except BaseException:
        os._exit(70)
    os._exit(0)


def _work(conn, inherited, run_one, warm) -> None:
    """Warm up, say READY, then run one task per message until told to stop."""
    for other in inherited:           # the other workers' pipes, copied by fork
        other.close()
    try:
        warm()
    except Exception:                 # each file's own run will say what is wrong
        pass
    conn.send(READY)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            conn.send(("ok", run_one(*task)))
        except RuleError as exc:      # every file would fail the same way: the batch stops
            conn.send(("rule", exc))


class _Worker:
    def __init__(self, ctx, run_one, warm, inherited):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, os.getpid(), inherited, run_one, warm), daemon=True)
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)   # none reaches the child
        try:                                                          # before its own handlers
            self.proc.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        child.close()
        self.ready = False
        self.task: int | None = None
        self.since = 0.0

    def give(self, index: int, args: tuple) -> None:
        self.conn.send(args)
        self.task, self.since = index, time.monotonic()

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


class WorkerPool:
    """results(paths) yields run_one(path, *extra) for every path, in input order."""

    def __init__(self, jobs: int, run_one, warm, extra: tuple = (), timeout: float | None = None):
        self.ctx = mp.get_context("fork")     # workers share what the parent has loaded
        self.jobs, self.run_one, self.warm, self.extra, self.timeout = jobs, run_one, warm, extra, timeout
        self.workers: list[_Worker] = []
        self.failed_starts = 0

    def _spawn(self) -> _Worker:
        w = _Worker(self.ctx, self.run_one, self.warm, [x.conn for x in self.workers])
        self.workers.append(w)
        return w

    def _replace(self, w: _Worker) -> None:
        w.kill()
        self.workers.remove(w)
        self._spawn()

    def results(self, paths: list[str]):
        if not paths:
            return
        self.paths, self.done, self.tries = paths, {}, {}
        self.queue = deque(range(len(paths)))
        try:
            for _ in range(min(self.jobs, len(paths))):
                self._spawn()
            head = 0
            while head < len(paths):
                self._dispatch(head)
                self._step()
                while head in self.done:
                    yield self.done.pop(head)
                    head += 1
        finally:
            self.close()

    def _dispatch(self, head: int) -> None:
        """Give every idle worker the next file, at most 2 × jobs files ahead of the output."""
        for w in self.workers:
            if w.ready and w.task is None and self.queue and self.queue[0] < head + 2 * self.jobs:
                i = self.queue.popleft()
                w.give(i, (self.paths[i], *self.extra))

    def _step(self) -> None:
        """Wait for a message, a death or the nearest time limit, and act on it."""
        busy = [w for w in self.workers if w.task is not None]
        wait_for = None
        if self.timeout is not None and busy:
            wait_for = max(0.0, min(w.since for w in busy) + self.timeout - time.monotonic())
        for conn in wait([w.conn for w in self.workers], wait_for):
            self._receive(next(w for w in self.workers if w.conn is conn))
        if self.timeout is not None:
            now = time.monotonic()
            for w in [w for w in self.workers if w.task is not None and now - w.since >= self.timeout]:
                self.done[w.task] = (self.paths[w.task], None, timeout_reason(self.timeout))
                self._replace(w)

    def _receive(self, w: _Worker) -> None:
        try:
            message = w.conn.recv()
        except (EOFError, OSError):
            self._died(w)
            return
        if message == READY:
            w.ready, self.failed_starts = True, 0
            return
        kind, value = message
        if kind == "rule":
            raise value
        self.done[w.task] = value
        w.task = None

    def _died(self, w: _Worker) -> None:
        """A worker died (killed, out of memory): its file is tried once more in a fresh
        worker, so only a file that kills a worker twice is lost."""
        i = w.task
        if i is None:
            self.failed_starts += 1
            if self.failed_starts >= START_FAILURES:
                raise ChisoError("--jobs", "không khởi động được tiến trình xử lý (workers die at start)")
        else:
            self.tries[i] = self.tries.get(i, 0) + 1
            if self.tries[i] == 1:
                self.queue.appendleft(i)
            else:
                self.done[i] = (self.paths[i], None, WORKER_DIED)
        self._replace(w)

    def close(self) -> None:
        """Stop every worker now and reap it: nothing keeps running after the batch."""
        for w in self.workers:
            w.kill()
        self.workers.clear()
