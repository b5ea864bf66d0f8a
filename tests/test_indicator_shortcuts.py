"""The indicator finder's shortcuts give what the plain patterns give: word lists as trees
of shared first characters, the kept endings looked for near a phrase's end, the base
after a figure as one pattern."""
import random
import re
from pathlib import Path

from pipeline import registry as rules
from pipeline.link import indicators

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _texts():
    return [line for f in sorted(CORPUS.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _words():
    s = rules.load("indicators")
    return [w for v in s.values() if isinstance(v, list) for w in v if isinstance(w, str) and len(w) < 40]


def _samples(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    pieces = _words() + [" ", "  ", ",", "(", ")", "Đ", "đ", "1", "2020", "năm", "xã", "A", "\n", "\t", "ſ", "İ"]
    out = ["".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(0, 10))) for _ in range(n)]
    return out + [t.upper() for t in out[:n // 4]] + [t.title() for t in out[:n // 4]]


def test_a_word_tree_matches_as_the_plain_alternation():
    s = rules.load("indicators")
    lists = [v for v in s.values() if isinstance(v, list) and all(isinstance(w, str) for w in v)]
    lists += [["đạt", "đạt được", "", "Đạt", "đến"], ["s", "ſ", "S", "sx"], ["i", "İ", "ı", "in"]]
    texts = _samples(1, 1500) + [t[:60] for t in _texts()[:500]]
    for words in lists:
        for flags in (0, re.IGNORECASE):
            plain = re.compile("(?:%s)" % "|".join(map(re.escape, words)), flags)
            tree = re.compile("(?:%s)" % indicators._alt(words), flags)
            for t in texts:
                for pos in (0, len(t) // 2):
                    a, b = plain.match(t, pos), tree.match(t, pos)
                    assert (a and a.span()) == (b and b.span()), (words[:5], t, pos)


def test_a_kept_end_found_near_the_end_is_the_plain_search():
    cues, spec = indicators._cues(), indicators._spec()
    s = rules.load("indicators")
    plain_end = re.compile(r"(?<![^\W_])(?:%s)\s*$" % "|".join(map(re.escape, s["kept_endings"])), re.IGNORECASE)
    phrases = _samples(2, 3000) + [t[a:b] for t in _texts()[:800] for a, b in [(0, 40), (5, 70)]]
    phrases += [w + e for w in s["kept_endings"] + ["tốc độ tăng", "tỷ lệ giảm trưởng"] for e in ["", " ", "\n", "x"]]
    for phrase in phrases:
        plain = bool(cues.named_rate_end.search(phrase) or plain_end.search(phrase))
        assert indicators._kept_end(phrase) == plain, repr(phrase)
    assert spec["kept_reach"] is not None


def test_the_base_after_a_figure_is_the_first_base_pattern_that_matches():
    spec = indicators._spec()
    texts = _samples(3, 2000) + [t[:80] for t in _texts()]
    for t in texts:
        for one, patterns in ((spec["base_after"], spec["bases"]), (spec["times_base_after"], spec["bases"] + spec["times_bases"])):
            first = next((m for m in (p.match(t) for p in patterns) if m), None)
            got = one.match(t)
            assert (first and first.group(0)) == (got and got.group(0)), t


def test_names_after_a_figure_read_in_place_as_on_the_sentence_rest():
    """The names after a figure are matched at the figure's end with the sentence's end as
    endpos (no copy of the rest of a long sentence per figure): as `^…` on that rest."""
    a = rules.load("indicators")
    cap = indicators.CAPITALISED
    sliced = re.compile(r"^\s*(?:%s(?:\s+|$))+(?:(?:%s|,)\s+(?:%s(?:\s+|$))+)*" % (
        cap, indicators._alt(a["name_joiners"]), cap))
    in_place = indicators._cues().names
    rng = random.Random(3)
    texts = _samples(3, 800) + ["hai xã Tiên Cảnh và Tiên Phong đã được công nhận", "12 xã, Tiên Cảnh, Tiên Lập, Đạt"]
    for t in texts:
        for _ in range(4):
            s0 = rng.randint(0, len(t))
            s1 = rng.randint(s0, len(t))
            m = sliced.match(t[s0:s1])
            got = in_place.match(t, s0, s1)
            assert (m and s0 + m.end()) == (got and got.end()), (t, s0, s1)


def _plain_ends(phrase: str, lead: bool) -> str:
    """clean()'s loop as it reads with its helpers called one by one."""
    for _ in range(8):
        keep = not indicators._may_drop(phrase) or indicators._kept_end(phrase)
        new = phrase if keep else indicators._cut_trailing(phrase)
        new = indicators._drop_leading(new).strip() if lead else new.lstrip(" ,;:-–(")
        if new == phrase:
            break
        phrase = new
    return phrase


def test_cleaning_a_phrases_ends_inline_is_the_loop_over_its_helpers():
    spec = indicators._spec()
    s = rules.load("indicators")
    phrases = _samples(4, 3000) + [t[a:b] for t in _texts()[:800] for a, b in [(0, 40), (5, 70)]]
    phrases += [f"{w} x {e}" for w in s["leading"][:20] for e in s["trailing"][:20] + s["kept_endings"]]
    for phrase in phrases:
        phrase = " ".join(phrase.split())
        for lead in (True, False):
            assert indicators._clean_ends(phrase, lead, spec) == _plain_ends(phrase, lead), repr(phrase)


def test_lowering_a_phrases_first_letters_skips_a_phrase_with_no_capital():
    phrases = _samples(5, 2000) + [t[:40] for t in _texts()[:500]] + ["ǅa Đb", "ǅ", "", "  x  y ", "ĐBSCL xã"]
    for phrase in phrases:
        plain = " ".join([indicators._lower_first(w) for w in phrase.split()])
        assert indicators._lower_words(phrase) == plain, repr(phrase)


def test_a_word_pattern_finds_the_word_whole_and_case_blind():
    assert indicators._has_word("hộ", "Số HỘ nghèo") and not indicators._has_word("hộ", "hội viên")
    assert indicators._word("a.b").search("axb") is None


def test_a_tail_read_in_a_window_cut_at_its_punctuation_is_the_plain_one():
    cues = indicators._cues()
    assert cues.tail_cut is not None
    texts = _samples(6, 2000) + [t[:200] for t in _texts()[:800]]
    texts += ["đã, 5 xã", "trên địa bàn xã Tiên Cảnh, và", "hộ đều đã (1) so với", "trên địa bàn 5 Xã A."]
    for t in texts:
        for start in (0, 3, len(t) // 3):
            tail = cues.tail_skip.sub("", t[start:start + 90])
            stop = cues.tail_stop.search(tail)
            plain = (tail[:stop.start()] if stop else tail).split()[:10]
            assert indicators._tail(t, start, min(len(t), start + 90)) == plain, (t, start)


def test_the_noun_after_a_figure_matched_in_place_is_the_anchored_match_of_the_rest():
    cues = indicators._cues()
    anchored = re.compile("^" + cues.noun_after.pattern, cues.noun_after.flags)
    texts = _samples(7, 2000) + [t[:200] for t in _texts()[:800]]
    for t in texts:
        for at in (0, 2, len(t) // 2):
            a, b = anchored.match(t[at:]), cues.noun_after.match(t, at, len(t))
            assert (a and a.group(1)) == (b and b.group(1)), (t, at)


def test_a_verb_of_change_ending_a_clause_found_in_its_last_words_is_the_plain_search():
    cues = indicators._cues()
    verbs = rules.load("indicators")["change_verbs"]
    texts = _samples(8, 3000) + [t[:120] for t in _texts()[:800]]
    texts += [f"{a}{v}{b}" for v in verbs for a in ["", "x ", "(", "số hộ  ", "a\n"] for b in ["", " ", " thêm ", "  thêm\n", "x", " thêm x"]]
    for t in texts:
        for start in (0, 1, len(t) // 2):
            plain = cues.count_change.search(t[start:])
            got = indicators._change_at_end(t, start, len(t))
            assert (plain and plain.group(0)) == (got and got.group(0)), (t, start)


def test_a_counts_words_without_digits_are_the_split_words_without_one():
    texts = _samples(10, 1500) + [t[:80] for t in _texts()[:500]] + ["08 nhà màng", "1.000ha\u00a0đất 2x", "٣ hộ"]
    digit = re.compile(r"\d")
    for t in texts:
        plain = " ".join(w for w in t.split() if not digit.search(w))
        assert " ".join(indicators.DIGIT_WORD.sub(" ", t).split()) == plain, t


def test_a_share_and_the_white_space_after_a_figure_read_in_place_are_the_anchored_matches():
    cues = indicators._cues()
    anchored = re.compile("^" + cues.share_is.pattern, cues.share_is.flags)
    texts = _samples(11, 1500) + [t[:200] for t in _texts()[:500]] + [" là hộ", "  )  so với", ") x", " )"]
    for t in texts:
        for at in {0, min(2, len(t)), len(t) // 2}:
            a, b = anchored.match(t[at:]), cues.share_is.match(t, at, len(t))
            assert (a and a.end() + at) == (b and b.end()), (t, at)
            close, space = re.match(r"\s*\)", t[at:]), indicators.LEAD_SPACE.match(t, at, len(t))
            assert (close.end() + at if close else -1) == space.end(1), (t, at)
            rest = close.end() + at if close else at
            assert re.match(r"\s*", t[rest:]).end() + rest == space.end(), (t, at)


def test_the_rules_left_out_for_a_figure_not_a_percentage_would_not_apply(monkeypatch):
    from pipeline.find.figures import find_figures
    from pipeline.find.sentences import split
    texts = [t[:400] for t in _texts()[:400]] + ["Sản lượng thóc đạt 888.132 tấn, giảm 0,34%; 95% dân số dùng nước sạch."]
    got, full = [], []
    for out, chains in ((got, None), (full, (indicators.AMOUNT_RULES, indicators.FINISH_STEPS))):
        if chains:
            monkeypatch.setattr(indicators, "_not_percent", lambda: chains)
        for t in texts:
            p = indicators.ParagraphIndicators(t)
            for s0, s1 in split(t):
                figs, _ = find_figures(t, s0, s1, block_start=True)
                p.sentence(s0, s1, figs)
                out.extend((f.unit, p(f), p.last_rules) for f in figs)
    assert any(u not in ("%", "count") for u, _i, _r in got)
    assert got == full
