"""The per-sentence answers of pipeline/link/marks.py agree with the scans they replace."""
from hypothesis import given, settings, strategies as st

from pipeline.find import lexicon as lx
from pipeline.link.marks import Marks, WordHits, clause_start

WORDS = ["hằng năm", "lũy kế", "5 năm qua", "trong 5 năm", "đến nay"]
PIECES = st.sampled_from(WORDS + [" ", ",", ";", ":", "(", ")", "a", "5", "năm", "qua", "trong", "Lũy Kế", "x"])
TEXTS = st.lists(PIECES, max_size=30).map("".join)


@given(TEXTS, st.integers(0, 200), st.integers(0, 200), st.integers(0, 200))
def test_last_mark_before_is_rfind(text, s0, lo, hi):
    s0 = min(s0, len(text))
    lo, hi = min(max(lo, s0), len(text)), min(max(hi, s0), len(text))
    assert Marks(text, s0, len(text), ";:").last_before(lo, hi) == max(text.rfind(";", lo, hi), text.rfind(":", lo, hi))


@given(TEXTS, st.integers(0, 200), st.integers(0, 200))
def test_word_hits_answer_as_a_search_cut_at_the_end_does(text, a, end):
    pattern = lx.words_anywhere(WORDS)
    hits = WordHits(pattern, text, 0, len(text), max(map(len, WORDS)))
    a, end = min(a, len(text)), min(end, len(text))
    assert hits.found(text, a, end) == (pattern.search(text, a, end) is not None)


def test_word_hits_find_overlapping_words():
    # "trong 5 năm qua": a search from inside "trong 5 năm" still finds "5 năm qua"
    text = "đạt, trong 5 năm qua tăng"
    pattern = lx.words_anywhere(WORDS)
    hits = WordHits(pattern, text, 0, len(text), max(map(len, WORDS)))
    start = text.index("5 năm qua")
    assert hits.found(text, start, len(text))
    assert not hits.found(text, start + 1, len(text))


# --- clause_period's walk back for a dating year, against the scan it replaced ----------
from bisect import bisect_left  # noqa: E402

from pipeline.find.figures import find_figures  # noqa: E402
from pipeline.link import cues  # noqa: E402

YEARISH = st.sampled_from(["năm 2020 ", "năm 2023 đạt 12 ha", "so với năm 2019 ", "giai đoạn 2021-2025 ", "12 ha",
                           "8,5%", "(năm 2021) 5 ha", "đến năm 2030: 90 triệu đồng", "năm 2022 (", " ", ", ", "; ",
                           ": ", "(", ")", "hằng năm ", "bình quân 5 năm ", "như: ", "đạt ", "tăng "])
SENTENCES = st.lists(YEARISH, min_size=1, max_size=24).map("".join)


def _scanned(text, fig, s0, s1):
    """The years clause_period took before the walk back: every mention of the clause checked."""
    ms, starts, _reach = cues._mention_index(text, s0, s1)
    words = cues._period_words()
    clause_start = max(s0, text.rfind(";", s0, fig.start) + 1)
    colon = text.rfind(":", clause_start, fig.start)

    def in_closed_parens(start, end):
        opened = text.rfind("(", 0, start)
        return opened >= 0 and text.rfind(")", 0, start) < opened and text.find(")", start, end) >= 0

    clause = ms[bisect_left(starts, clause_start):bisect_left(starts, fig.start)]
    return [x for x in clause if cues._apart(x, fig) and x.end <= fig.start and not x.base
            and not in_closed_parens(x.start, fig.start)
            and not words["term_wide"].search(text, x.end, fig.start)
            and (colon < 0 or x.start > colon or cues._COLON_GAP.fullmatch(text, x.end, fig.start))]


@settings(max_examples=400)
@given(SENTENCES)
def test_the_walk_back_finds_the_year_the_full_scan_found(text):
    s0, s1 = 0, len(text)
    figures, _excluded = find_figures(text, s0, s1, block_start=True)
    term_wide = cues._period_words()["term_wide"]
    for fig in figures:
        marks = cues._clause_marks(text, s0, s1)
        lo = clause_start(text, s0, fig.start)
        scanned = _scanned(text, fig, s0, s1)
        assert marks.dating_before(text, fig, lo, term_wide) == (scanned[-1] if scanned else None)


@given(TEXTS, st.integers(0, 200), st.integers(0, 200))
def test_clause_start_is_after_the_last_semicolon_before(text, s0, at):
    s0 = min(s0, len(text))
    at = min(max(at, s0), len(text))
    assert clause_start(text, s0, at) == max(s0, text.rfind(";", s0, at) + 1)


@given(TEXTS, st.integers(0, 200), st.integers(0, 200))
def test_clause_start_past_the_near_scan_bisects(text, s0, at):
    # a NEAR of 3 sends most calls to the bisection over the text's ";" positions
    from pipeline.link import marks
    s0 = min(s0, len(text))
    at = min(max(at, s0), len(text))
    near, marks.NEAR = marks.NEAR, 3
    try:
        assert clause_start(text, s0, at) == max(s0, text.rfind(";", s0, at) + 1)
    finally:
        marks.NEAR = near


@given(st.lists(PIECES | st.sampled_from(["HẰNG NĂM", "Trong 5 Năm", "ſ", "İ"]), max_size=30).map("".join),
       st.integers(0, 200), st.integers(0, 200))
def test_a_low_scan_finds_the_spans_finditer_finds(text, pos, endpos):
    from pipeline.link.marks import LowScan
    pattern = lx.words_anywhere(WORDS)
    pos, endpos = min(pos, len(text)), min(endpos, len(text))
    assert LowScan(pattern).spans(text, pos, endpos) == [m.span() for m in pattern.finditer(text, pos, endpos)]


@given(st.lists(PIECES | st.sampled_from(["HẰNG NĂM", "Trong 5 Năm", "ſ", "İ"]), max_size=30).map("".join))
def test_a_low_scan_first_is_where_search_starts(text):
    from pipeline.link.marks import LowScan
    pattern = lx.words_anywhere(WORDS)
    m = pattern.search(text)
    assert LowScan(pattern).first(text) == (m.start() if m else -1)
