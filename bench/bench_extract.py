"""Speed of extraction against the floor of just opening the same .docx files with
python-docx, measured in one run (a script, not a test).

    .venv/bin/python bench/bench_extract.py [FOLDER] [--repeat N]
"""
from __future__ import annotations

import argparse
import time

import docx

from pipeline.stages import extract_file
from pipeline.write.files import find_docx
from pipeline.find.nlp import first_word


def timed(fn, files, repeat):
    best = float("inf")
    for _ in range(repeat):
        first_word.cache_clear()             # every pass sees the words afresh, as new reports would
        t = time.perf_counter()
        for f in files:
            fn(f)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default="corpus")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    files = list(find_docx([args.folder]))
    t = time.perf_counter()
    extract_file(files[0])                   # loads underthesea once, as a batch worker does
    cold = time.perf_counter() - t
    base = timed(lambda f: docx.Document(str(f)), files, args.repeat)
    ours = timed(extract_file, files, args.repeat)
    n = len(files)
    print(f"files: {n} (best of {args.repeat} passes; first extraction incl. model load {cold:.2f} s)")
    print(f"python-docx open : {n / base:8.1f} docs/s  {1000 * base / n:7.1f} ms/doc")
    print(f"chiso extract    : {n / ours:8.1f} docs/s  {1000 * ours / n:7.1f} ms/doc")
    print(f"ratio            : {ours / base:8.2f} x the python-docx floor")


if __name__ == "__main__":
    main()
