"""Batch benchmark (a script, not a test): N reports built from the corpus, extracted with
`chiso extract --jobs 1` and `--jobs 2`, against just opening them with python-docx, all
in one run. Peak memory is the largest summed RSS of the chiso process tree, sampled.

    .venv/bin/python bench/bench_batch.py [N] [--corpus corpus] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import docx


def build_reports(corpus: Path, n: int, folder: Path) -> list[Path]:
    """n .docx files cycling over the corpus; each differs (a zip comment) so each is new."""
    sources = sorted(corpus.glob("*.docx"))
    out = []
    for k in range(n):
        src = sources[k % len(sources)]
        dst = folder / f"{src.stem}-{k:05d}.docx"
        shutil.copy(src, dst)
        with zipfile.ZipFile(dst, "a") as z:
            z.comment = f"chiso bench copy {k}".encode()
        out.append(dst)
    return out


def _tree_rss(pid: int) -> int:
    """Summed resident memory (bytes) of pid and its descendants."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


def run_chiso(folder: Path, out: Path, jobs: int) -> tuple[float, int, int]:
    """(seconds, peak summed RSS, rows) of one `chiso extract` run."""
    chiso = Path(sys.executable).with_name("chiso")
    t = time.perf_counter()
    proc = subprocess.Popen([str(chiso), "extract", str(folder), "-o", str(out), "-q", "--jobs", str(jobs)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(proc.stderr.read().decode())
    with (out / "indicators.csv").open(encoding="utf-8") as fh:
        rows = sum(1 for _ in fh) - 1
    return seconds, peak, rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=1000)
    ap.add_argument("--corpus", default="corpus")
    ap.add_argument("--keep", help="build the reports here and keep them")
    args = ap.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="chiso-bench-"))
    small, big = base / "small", base / "big"
    for f in (small, big):
        f.mkdir(parents=True, exist_ok=True)
    files = build_reports(Path(args.corpus), args.n, big)
    build_reports(Path(args.corpus), max(1, args.n // 5), small)
    t = time.perf_counter()
    for f in files:
        docx.Document(str(f))
    floor = time.perf_counter() - t
    print(f"{args.n} reports built from {args.corpus}/ ({os.cpu_count()} cores)")
    print(f"{'run':34} {'docs/s':>8} {'x floor':>8} {'peak RSS':>9} {'rows':>7}")
    print(f"{'python-docx open (1 process)':34} {args.n / floor:8.1f} {1.0:8.2f} {'':>9} {'':>7}")
    for jobs in (1, 2):
        for label, folder, n in ((f"{args.n // 5}", small, max(1, args.n // 5)), (f"{args.n}", big, args.n)):
            seconds, peak, rows = run_chiso(folder, base / f"out-{jobs}-{label}", jobs)
            ratio = (seconds / n) / (floor / args.n)
            print(f"{f'chiso extract --jobs {jobs}, {label} files':34} {n / seconds:8.1f} {ratio:8.2f} "
                  f"{peak / 2**20:7.0f} MB {rows:7d}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
