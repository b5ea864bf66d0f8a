"""Speed of extraction against the floor of just opening the same .docx files with
python-docx, measured in one process (a script, not a test).

For each document, and for the whole folder, the median over N repeats of
`docx.Document(path)` and of `pipeline.process.extract_file(path)`, and their ratio,
after one warm-up extraction (which loads underthesea, as a batch worker does once).
The last line is the seed report's. Before each timed extraction the memo caches of the
pipeline (bounded functools caches keyed by text: underthesea's words, sentence
mentions, cleaned phrases …) are emptied, so that a repeat sees its text afresh, as a
new report would; rule and pattern caches stay filled, as in a batch worker.

    .venv/bin/python bench/bench_extract.py [FOLDER] [--repeat N] [--seed NAME] [--cpu]

--cpu times with the process's CPU time instead of the wall clock: steadier on a
machine other jobs are loading.
"""
from __future__ import annotations

import argparse
import functools
import gc
import statistics
import sys
import time
from pathlib import Path

# the pipeline of this checkout, not whichever one the environment has installed
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx  # noqa: E402

from pipeline.stages import extract_file  # noqa: E402
from pipeline.write.files import find_docx  # noqa: E402

SEED = "binh-thanh-dong-2020-2025"
clock = time.perf_counter


def _open(path: Path) -> None:
    docx.Document(str(path))


def _memo_caches() -> list:
    """The bounded lru caches of the pipeline's modules (size > 1): memos keyed by text.
    Unbounded and size-1 caches hold rules and compiled patterns."""
    out = []
    for name, mod in list(sys.modules.items()):
        if name == "pipeline" or name.startswith("pipeline."):
            for obj in vars(mod).values():
                if isinstance(obj, functools._lru_cache_wrapper) and (obj.cache_parameters()["maxsize"] or 0) > 1 \
                        and obj not in out:
                    out.append(obj)
    return out


MEMOS: list = []


def _extract(path: Path) -> None:
    for cache in MEMOS:
        cache.cache_clear()       # each run sees its text afresh, as a new report would
    extract_file(path)


def _once(fn, path: Path) -> float:
    t = clock()
    fn(path)
    return clock() - t


def measure(files: list[Path], repeat: int) -> dict[Path, tuple[list[float], list[float]]]:
    """Per file, the times of `repeat` opens and `repeat` extractions, interleaved by pass."""
    times = {f: ([], []) for f in files}
    gc_was = gc.isenabled()
    for _ in range(repeat):
        for f in files:
            gc.collect()
            gc.disable()
            try:
                times[f][0].append(_once(_open, f))
                times[f][1].append(_once(_extract, f))
            finally:
                if gc_was:
                    gc.enable()
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default="corpus")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--seed", default=SEED, help="the document of the last line (file stem)")
    ap.add_argument("--cpu", action="store_true", help="CPU time of this process, not wall-clock time")
    args = ap.parse_args()
    global clock
    clock = time.process_time if args.cpu else time.perf_counter
    files = [f for f in find_docx([args.folder]) if f.suffix.lower() == ".docx"]
    if not files:
        sys.exit(f"no .docx under {args.folder}")

    t = time.perf_counter()
    extract_file(files[0])        # warm-up: loads underthesea and the rules once
    _once(_open, files[0])
    cold = time.perf_counter() - t
    MEMOS[:] = _memo_caches()

    times = measure(files, args.repeat)
    med = {f: (statistics.median(o), statistics.median(e)) for f, (o, e) in times.items()}
    # the corpus as a whole: per pass, the sum over documents; then the median of passes
    passes = [(sum(times[f][0][k] for f in files), sum(times[f][1][k] for f in files))
              for k in range(args.repeat)]
    whole = (statistics.median(p[0] for p in passes), statistics.median(p[1] for p in passes))

    print(f"{len(files)} files, median of {args.repeat} repeats, one process, "
          f"{'CPU' if args.cpu else 'wall-clock'} time (warm-up extraction incl. model load {cold:.2f} s)")
    print("memo caches emptied before each extraction: " + ", ".join(c.__qualname__ for c in MEMOS))
    width = max(len(f.stem) for f in files + [Path("CORPUS (sum)")])
    print(f"{'document':<{width}}  {'python-docx':>11}  {'extract':>9}  {'ratio':>6}")
    for f in files:
        o, e = med[f]
        print(f"{f.stem:<{width}}  {1000 * o:8.2f} ms  {1000 * e:6.2f} ms  {e / o:5.2f}x")
    o, e = whole
    print(f"{'CORPUS (sum)':<{width}}  {1000 * o:8.2f} ms  {1000 * e:6.2f} ms  {e / o:5.2f}x")
    over = [f.stem for f in files if med[f][1] > 3 * med[f][0]]
    print(f"over 3x: {', '.join(over) if over else 'none'}")
    seed = next((f for f in files if f.stem == args.seed), None)
    if seed is not None:
        o, e = med[seed]
        print(f"seed: extract {1000 * e:.1f} ms, python-docx {1000 * o:.1f} ms, ratio {e / o:.1f}x")


if __name__ == "__main__":
    main()
