"""The link stage's shortcuts give what the plain computations give: a heading's period
and kind worked out once per heading text, a qualifier word looked for only in the last
characters before a figure, a sentence label looked for only where a colon stands."""
import random
import re
from pathlib import Path

from pipeline.find.sentences import split
from pipeline.link import context, cues
from pipeline.model import Figure

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _texts():
    return [line for f in sorted(CORPUS.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _figures(text, s0, s1):
    return [Figure(m.start(), m.end(), m.start(), m.end(), 1.0, "count") for m in NUMBER.finditer(text, s0, s1)]


def test_a_qualifier_word_is_found_in_the_last_characters():
    ending = cues._qualifier_rules()[2]
    words = list(cues._qualifier_rules()[1])
    rng = random.Random(3)
    befores = []
    for t in _texts():
        for m in NUMBER.finditer(t):
            befores.append(t[:m.start()].rstrip())
    pieces = words + ["xã", " ", "  ", ",", "(", "Hơn", "KHOẢNG", "1", "\n", "a"]
    befores += ["".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 40))).rstrip()
                for _ in range(3000)]
    for before in befores:
        plain = ending.search(before)
        fast = cues.qualifier_word(before)
        assert (plain and plain.span()) == (fast and fast.span()), before


def test_heading_period_and_kind_memos_match_the_plain_reading():
    titles = [t[:200] for t in _texts()] + ["KẾT QUẢ THỰC HIỆN NĂM 2024", "PHƯƠNG HƯỚNG, NHIỆM VỤ 2025 - 2030",
                                           "Đại hội Đảng bộ xã lần thứ I, nhiệm kỳ 2025 - 2030"]
    for t in titles:
        ms = [m for m in cues.mentions(t, names_date=True) if not m.base]
        assert context.title_period(t) == (ms[0].period if ms else "")
        assert context.frames(t) == (bool(cues.title_kind.__wrapped__(t)) or not cues.names_congress(t))
        for strong in (False, True):
            assert cues.title_kind(t, strong) == cues.title_kind.__wrapped__(t, strong)


def _label_period_plain(fig, text, s0):
    last_colon = text.rfind(":", s0, fig.start)
    for x in reversed(cues.mentions(text, s0, fig.start)):
        if not x.base and re.match(r"\s*:", text[x.end:fig.start]) and text.find(":", x.end) == last_colon:
            return x.period
    return ""


def test_label_period_without_a_colon_is_empty_as_the_plain_scan_says():
    texts = _texts() + ["Quy mô đàn gia súc đến năm 2020: đàn gia cầm đạt 40.000 con; đàn bò 250 con",
                        "Năm 2024 : sản lượng 120 tấn", "Đến năm 2025 đạt 12 tấn"]
    for t in texts:
        for s0, s1 in split(t):
            for fig in _figures(t, s0, s1):
                assert cues.label_period(fig, t, s0) == _label_period_plain(fig, t, s0), t


def test_a_clause_start_kept_per_figure_is_the_scanned_one(monkeypatch):
    from pipeline.link.indicators import ParagraphIndicators
    from pipeline.stages import extract_text
    memo = ParagraphIndicators._clause_start
    asked = []

    def checked(self, fig):
        got = memo(self, fig)
        assert got == self._clause_start_scan(fig), (self.text, fig)
        asked.append(got)
        return got

    monkeypatch.setattr(ParagraphIndicators, "_clause_start", checked)
    for t in _texts()[:400]:
        extract_text(t)
    assert asked


def test_a_counts_action_kept_per_figure_is_the_scanned_one(monkeypatch):
    from pipeline.link import indicators
    from pipeline.stages import extract_text
    memo, scan = indicators._action_before, indicators._action_before_scan
    asked = []

    def checked(c):
        was = c.action
        got = memo(c)
        assert got == scan(c), (c.text, c.fig)
        asked.append(was is not None)
        return got

    monkeypatch.setattr(indicators, "_action_before", checked)
    for t in _texts():
        extract_text(t)
    assert any(asked) and not all(asked)        # kept ones were asked again


def test_dropping_a_phrases_end_near_it_is_the_plain_substitution():
    from pipeline import registry as rules
    from pipeline.link import indicators
    spec = indicators._spec()
    s = rules.load("indicators")
    ends = list(s["trailing"]) + [f"{w} 2020" for w in s["year_words"]] + ["≥", "<", "=", "năm 2025", "  ", "\n"]
    rng = random.Random(11)
    phrases = [t[a:b] for t in _texts() for a, b in [(0, 60), (10, 90), (0, 25)]]
    pieces = ends + ["sản lượng", "tăng", "xã", " ", "  ", "\t", ",", "đạt", "Năm", "19", "2021"]
    phrases += ["".join(rng.choice(pieces) + rng.choice([" ", "", "  "]) for _ in range(rng.randint(0, 12)))
                for _ in range(4000)]
    phrases += [w for w in ends] + [" " + w for w in ends] + [w + "  " for w in ends]
    for phrase in phrases:
        assert indicators._drop_trailing(phrase) == spec["trailing"].sub("", phrase).strip(), repr(phrase)
    assert spec["trailing_reach"] is not None


def test_collapsing_white_space_by_splitting_is_the_substitution():
    import sys
    from pipeline.find import sentences
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if re.match(r"\s", chr(c)) or chr(c).isspace()]
    assert all(re.match(r"\s", c) and c.isspace() for c in spaces)      # one set of white space
    rng = random.Random(5)
    texts = _texts() + ["".join(rng.choice(spaces + ["a", "Đ", "1", ","]) for _ in range(rng.randint(0, 30)))
                        for _ in range(3000)]
    for t in texts:
        assert sentences.collapse(t) == sentences._WS.sub(" ", t).strip(), repr(t)


def test_a_blocks_heading_kind_and_period_kept_are_the_plain_ones():
    from pipeline.stages import process
    for path in sorted(CORPUS.glob("*.docx"))[:8]:
        doc = process(path)
        ctx = context.document_context(doc.blocks, doc.segmentation)
        for b in doc.blocks:
            for _ in range(2):          # asked again: the kept answer
                assert ctx.heading_kind(b.index) == ctx.heading_kind_of(b.index)
                assert ctx.heading_period(b.index) == ctx.heading_period_of(b.index)
