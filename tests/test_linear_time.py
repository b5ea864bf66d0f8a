"""A row never carries a huge sentence whole (issue 12 item 1). Inputs are generated, not
committed. (Time on such input is measured by a script, never by a timed test.)"""
from pipeline.stages import SENTENCE_LIMIT, extract_text


def commas(n):      # one sentence of comma-joined clauses, no full stop
    return ", ".join(f"xã {i} có {i % 97 + 1} hộ nghèo" for i in range(n))


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
