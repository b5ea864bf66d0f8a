"""Linear work on pathological paragraphs, and a row never carries a huge sentence whole
(issue 12 item 1). Inputs are generated, not committed.

No clock here: time is measured by `bench/bench_pathological.py`. What a test can count
without racing anything is the work the pipeline's own code does: the Python lines it
executes (sys.settrace), the same on every run. Eight times the input must cost less than
twelve times the lines (a quadratic step gives ~64). Work inside the regex engine is not
counted; the bench script times it."""
import os
import sys

import pytest

import pipeline
from pipeline.model import Block
from pipeline.stages import SENTENCE_LIMIT, extract_text, process_blocks


def commas(n):      # one sentence of comma-joined clauses, no full stop
    return ", ".join(f"xã {i} có {i % 97 + 1} hộ nghèo" for i in range(n))


def semicolons(n):  # one sentence of ";"-joined clauses, each with a change and a base
    return "; ".join(f"tăng {i}% so với năm 2020" for i in range(n))


def digits(n):      # one number of n × 60 digits
    return "Tổng số " + "1" * (n * 60) + " hộ"


def in_words(n):    # numbers written in words, ";"-joined
    return "; ".join(f"mười {['hai', 'ba', 'bốn'][i % 3]} hộ" for i in range(n))


def dates(n):       # excluded numbers only: dates
    return ", ".join(f"ngày {i % 28 + 1}/{i % 12 + 1}/20{i % 30:02d}" for i in range(n))


def years(n):       # one sentence, a year in every clause: each figure looks back for its year
    return ", ".join(f"năm {2000 + i % 25} xã {i} có {i % 97 + 1} hộ nghèo" for i in range(n))


def closed_years(n):  # every year in a (…) closed before the figures after it: none dates them
    return ", ".join(f"(năm {2000 + i % 25}) xã {i} có {i % 97 + 1} hộ" for i in range(n))


def paragraphs(n):  # a document: n paragraphs under numbered headings
    texts = []
    for i in range(n):
        if i % 10 == 0:
            texts.append(f"{i // 10 + 1}. Lĩnh vực {i}")
        texts.append(f"- Năm 2023, xã {i} có {i % 97 + 1} hộ nghèo, giảm {i % 7}% so với năm 2022.")
    return [Block(index=k, text=t) for k, t in enumerate(texts)]


def table(n):       # a document: one table of n rows (indicator, unit, two figures)
    cells = [(r, c, t) for r in range(n) for c, t in enumerate([f"Chỉ tiêu {r}", "ha", str(r * 3), f"{r % 9},5"])]
    return [Block(index=k, text=t, kind="cell", table=0, row=r, col=c) for k, (r, c, t) in enumerate(cells)]


def lines_run(text) -> int:
    """The lines of the pipeline's own code executed while extracting text (or blocks)."""
    root, count = os.path.dirname(pipeline.__file__), 0

    def line(frame, event, arg):
        nonlocal count
        count += 1
        return line

    def call(frame, event, arg):
        if frame.f_code.co_filename.startswith(root):
            return line(frame, event, arg)
        return None

    extract_text("Tổng thu đạt 5 tỷ đồng.")      # rules loaded outside the count
    previous = sys.gettrace()
    sys.settrace(call)
    try:
        extract_text(text) if isinstance(text, str) else process_blocks("generated", text)
    finally:
        sys.settrace(previous)
    return count


@pytest.mark.parametrize("shape", [commas, semicolons, digits, in_words, dates, years, closed_years, paragraphs, table],
                         ids=lambda f: f.__name__)
def test_eight_times_the_text_is_at_most_twelve_times_the_work(shape):
    small, big = lines_run(shape(40)), lines_run(shape(320))
    assert small > 0
    assert big < 12 * small, f"{shape.__name__}: {small} lines at 1x, {big} at 8x"


def test_huge_sentence_is_cut_around_each_figure():
    words = "các hộ nghèo thôn bản " * 14_000                   # no figure, no full stop
    text = commas(40) + ", " + words + ", " + commas(40)        # ≈ 300 KB, one sentence
    assert len(text) > 290_000
    rows = extract_text(text)
    assert len(rows) >= 80
    for r in rows[::7] + rows[-3:]:
        assert len(r.sentence) <= SENTENCE_LIMIT + 4
        assert text[r.start:r.end] == r.raw
        assert r.raw in r.sentence
    assert rows[0].sentence.endswith(" …") and rows[-1].sentence.startswith("… ")
