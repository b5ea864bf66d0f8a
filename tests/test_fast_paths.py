"""The fast paths give what the plain ones give: a rule scanned only around the numbers
(pipeline/find/regions.py) finds the matches a scan of the whole sentence finds over
them; quick forms of patterns match the same; numbers are tried at the heads of runs of
digits; a style's numbering is read when asked for."""
import random
import re
from pathlib import Path

import pytest

from pipeline import registry as rules
from pipeline.find import lexicon as lx, regions
from pipeline.find.figures import NUMBER_TOKEN, _numbers

WORD_NUMBER = _numbers()["word_number"]
from pipeline.find.sentences import split

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _overlapping(matches, spans):
    return sorted({m for m in matches if any(m[0] < b and a < m[1] for a, b in spans)})


def _same(pattern, text, spans):
    full = [m.span() for m in pattern.finditer(text)]
    near = [m.span() for m in regions.finditer_near(pattern, text, spans)]
    assert set(near) <= set(full), (pattern.pattern, text, spans)
    assert _overlapping(full, spans) == _overlapping(near, spans), (pattern.pattern, text, spans)


def _sentences():
    texts = [line for f in sorted(CORPUS.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    for r in rules.load("exclusions"):
        texts += [ex["text"] for ex in r.get("examples", [])]
    return [t[a:b] for t in texts for a, b in split(t)]


def test_exclusion_rules_scan_the_same_around_numbers():
    sents = _sentences()
    pieces = [w for s in sents for w in re.findall(r"\S+|\s+", s)] + list(",;:()“”/-.% \n")
    rng = random.Random(7)
    sents += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(1500)]
    patterns = [p for _n, _r, p in lx.exclusions()]
    assert all(regions.barriers(p)[0] for p in patterns)   # every rule takes the fast path
    for s in sents:
        numbers = [m.span() for m in NUMBER_TOKEN.finditer(s)] + [m.span() for m in WORD_NUMBER.finditer(s)]
        if numbers:
            for p in patterns:
                _same(p, s, numbers)


@pytest.mark.parametrize("pattern", [
    r"a+b?", r"(?<=,)a+", r"a(?=,\b)", r"a(?!,a)", r"a\b", r"a+$", r"^a", r"b(?=.?,a)", r"a(?=[^;]{0,3};)",
    r"(?<![a,])a+", r"a[ ,]*b", r"(?:a|b)+(?=\s*,)", r"\w+(?!\s*;)", r"(?i:A)b+", r"(a)\1", r"[^,]+",
    r"a(?=(?:,|;)a)", r"(?<=(?=,a)),?a", r"a?", r"(?=a)",
])
def test_tricky_patterns_scan_the_same(pattern):
    p = re.compile(pattern)
    rng = random.Random(pattern)
    for _ in range(800):
        s = "".join(rng.choice("aab ,;1\n(") for _ in range(rng.randint(1, 25)))
        spans = [(a, min(len(s), a + rng.randint(1, 4))) for a in (rng.randrange(len(s)) for _ in range(2))]
        _same(p, s, spans)


def test_what_is_unsure_scans_everything():
    assert regions.barriers(re.compile(r"a.b"))[0] == ""        # "." consumes any clause mark
    assert regions.barriers(re.compile(r"a?"))[0] == ""         # may match empty
    assert regions.barriers(re.compile(r"(a,)?\1"))[0] == ""    # back reference
    assert "," not in regions.barriers(re.compile(r"a(?=.*,)"))[0]
    assert regions.barriers(re.compile(r"a(?!,\d)"))[1] == 3      # a lookahead reads on past ","


def test_quick_forms_find_the_same_matches():
    cue_words = [w for k, ws in rules.load("targets").items() if k.endswith(("titles", "cues")) for w in ws]
    patterns = [p for _n, _r, p in lx.exclusions()] + [NUMBER_TOKEN, WORD_NUMBER] + [
        re.compile(r"(?<![^\W_])(?:%s)%s" % (lx.alternation(cue_words), lx.END), re.IGNORECASE),
        re.compile(r"(?<![^\W_])(?:%s)\s*$" % lx.alternation(cue_words), re.IGNORECASE)]
    patterns += [re.compile(s, f) for s, f in [(r"(?i:A)b+", 0), (r"^\s*ba\b", re.I), (r"(?<=x)[^\W\d]+", 0),
                                                (r"(a|b)\1", 0), (r"[^,]+", 0), (r"\bĐ\w+", re.I)]]
    sents = _sentences()[:3000] + ["xAb ab đĐ aa bb", "Đường 1, ba ba"]
    for p in patterns:
        q = regions.quick(p)
        assert q.groups == p.groups and q.groupindex == p.groupindex
        for s in sents:
            assert [m.span() for m in q.finditer(s)] == [m.span() for m in p.finditer(s)], (p.pattern, s)


def test_scoped_flags_are_combined_as_sre_does():
    ascii_then_unicode = re.compile(r"(?u:\w)x|\dy", re.ASCII)
    assert regions.quick(ascii_then_unicode) is ascii_then_unicode
    for p in [re.compile(r"(?u:\w)x", re.ASCII), re.compile(r"(?a:\w)x"), re.compile(r"(?i:é)x|(?-i:Y)z", re.I)]:
        for s in ["éx", "Éx", "ax", "yz", "Yz", "ÉX"]:
            assert [m.span() for m in regions.quick(p).finditer(s)] == [m.span() for m in p.finditer(s)]


def test_number_tokens_tried_at_digits_only_are_the_same():
    from pipeline.find.figures import number_tokens
    rng = random.Random(11)
    for _ in range(3000):
        s = "".join(rng.choice("0123456789.,/ -a%٣\u00a0") for _ in range(rng.randint(1, 30)))
        s0 = rng.randrange(len(s))
        s1 = rng.randint(s0, len(s))
        assert number_tokens(s, s0, s1) == [(m.start(), m.end(), False) for m in NUMBER_TOKEN.finditer(s, s0, s1)]


def test_number_written_from_its_first_digit_is_number():
    from pipeline.find.numbers import NUMBER, NUMBER_REST
    whole, from_first = re.compile(NUMBER), re.compile(r"\d(?:%s)" % NUMBER_REST)
    rng = random.Random(5)
    for _ in range(3000):
        s = "".join(rng.choice("0123456789.,/ -a٣\u00a0\u2009") for _ in range(rng.randint(1, 30)))
        for pos in range(len(s)):
            m, n = whole.match(s, pos), from_first.match(s, pos)
            assert (m and m.span()) == (n and n.span()), (s, pos)


def test_style_numbering_looked_up_lazily_is_the_same():
    from pipeline.read import docx as reader
    from pipeline.read.package import open_package
    for f in sorted(CORPUS.glob("*.docx")):
        pkg = open_package(f)
        try:
            part = pkg.related(pkg.document_part, "/styles")
            eager, lazy = (reader._Styles(pkg.xml(part, required=False)) for _ in range(2))
        finally:
            pkg.close()
        ref, ids = eager.num_ids(), reader._StyleNumIds(lazy)
        for sid in list(eager.by_id._elements) + ["no such style", ""]:
            assert (sid in ref) == (sid in ids)
            if sid in ref:
                assert ref[sid] == ids[sid]


def _canon(el):
    return (el.tag, dict(el.attrib), (el.text or "").strip(), [_canon(c) for c in el])


def _styles_xml_variants():
    """styles.xml of the corpus and hand-made variants: what the scan must take the same
    way or leave to the parser."""
    import zipfile
    base = zipfile.ZipFile(CORPUS / "t01.docx").read("word/styles.xml").decode("utf-8")
    out = {f.name: zipfile.ZipFile(f).read("word/styles.xml") for f in sorted(CORPUS.glob("*.docx"))}
    edits = {
        "comment": ("<w:docDefaults>", "<!-- x --><w:docDefaults>"),
        "entity": ('w:styleId="Normal"', 'w:styleId="N&amp;l"'),
        "newline in value": ('w:styleId="Normal"', 'w:styleId="No\nrmal"'),
        "self-closing": ("<w:docDefaults>", '<w:docDefaults/><w:style w:type="paragraph" w:styleId="X"/><w:x>'),
        "nested": ('<w:style w:type="paragraph" w:default="1" w:styleId="Normal">',
                   '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:style w:styleId="In"></w:style>'),
        "spaced end tag": ("</w:style>", "</w:style >"),
        "defaults later": ("<w:docDefaults>", "<w:latentStyles/><w:docDefaults>"),
        "single quotes": ('w:styleId="Normal"', "w:styleId='Normal' "),
        "tab between attributes": ('w:type="paragraph" w:default="1"', 'w:type="paragraph"\tw:default="1"'),
        "other prefix": ("<w:docDefaults>", '<v:x xmlns:v="urn:v"/><w:docDefaults>'),
        "pi": ("<w:docDefaults>", "<?pi x?><w:docDefaults>"),
        "latin1": ("encoding='UTF-8'", "encoding='ISO-8859-1'"),
    }
    for name, (a, b) in edits.items():
        assert a in base, name
        text = base.replace(a, b, 1) if name != "spaced end tag" else base.replace(a, b)
        if name == "self-closing":
            text = text.replace("<w:x>", "", 1).replace("</w:docDefaults>", "", 1)
            text = text.replace("<w:docDefaults/>", "<w:docDefaults/>", 1)
            text = re.sub(r"<w:rPrDefault>.*?</w:pPrDefault>", "", text, count=1, flags=re.S)
        out[name] = text.encode("utf-8")
    return out


@pytest.mark.parametrize("name, data", list(_styles_xml_variants().items()))
def test_styles_scanned_lazily_are_the_parsed_ones(name, data):
    from lxml import etree
    from pipeline.read import docx as reader, lazyxml
    from pipeline.read.package import _PARSER
    from pipeline.read.wordml import W
    root = etree.fromstring(data, _PARSER)
    found = lazyxml.split(data, _PARSER, "styles", "style", first="docDefaults")
    if found is None:
        return                       # left to the parser
    lead, styles = found
    full = list(root.iter(W + "style"))
    assert [s.attrs for s in styles] == [{k: v for k, v in s.attrib.items() if k.startswith(W)} for s in full]
    for frag, el in zip(styles, full):
        assert _canon(frag.element()) == _canon(el)
    defaults = root.find(W + "docDefaults")
    assert (lead is None) == (defaults is None)
    if lead is not None:
        assert _canon(lead.element()) == _canon(defaults)
    eager, lazy = reader._Styles(root), reader._Styles(reader._LazyStylesRoot(lead, styles))
    assert (eager.default_para, eager.default_bold, eager.default_font) == \
        (lazy.default_para, lazy.default_bold, lazy.default_font)
    assert eager.by_id.items() == lazy.by_id.items()


def test_styles_of_the_corpus_take_the_scan():
    from pipeline.read import lazyxml
    from pipeline.read.package import _PARSER
    data = _styles_xml_variants()["t01.docx"]
    assert lazyxml.split(data, _PARSER, "styles", "style", first="docDefaults") is not None


def _fuzz_sentences(n, seed):
    sents = _sentences()
    pieces = [w for s in sents for w in re.findall(r"\S+|\s+", s)] + list(",;:()“”/-.% \nİıſ") + ["KHÓA", "Năm"]
    rng = random.Random(seed)
    return sents + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(n)]


TRICKY_PIECES = [r"(?i:năm)\s+\d+", r"ab|c[de]f", r"x?(?:hh|k)", r"(?i)[A-ZĐ]\w*-\d+", r"(?:a|bc)+d", r"[-/]\d",
                 r"(?i:Đ|ờ)ng", r"(?i:İs|KHÓA)\s", r"(?i)ſt|ıx", r"(?:ab)?", r"\d+(?=%)", r"(?i)s+ı"]


def test_required_pieces_are_in_every_match():
    patterns = [p for _n, _r, p in lx.exclusions()] + [re.compile(t) for t in TRICKY_PIECES] + [WORD_NUMBER]
    for s in _fuzz_sentences(1500, 5):
        low = regions.lowered(s)
        for p in patterns:
            pieces = regions.required_pieces(p)
            if pieces is None:
                continue
            for m in p.finditer(s):
                a, b = m.span()
                assert low is None or any(
                    (low.find(x, a, b) if k == "low" else s.find(x, a, b) if k == "lit" else
                     (0 if x.search(s, a, b) else -1)) != -1 for k, x in pieces), (p.pattern, s, m)


def test_leading_strings_start_every_match():
    assert regions.leading_strings(re.compile(r"(?<!x)(?:Năm|từ)\s+\d|\b19\d", re.I)) == {"năm", "từ", "19"}
    assert regions.leading_strings(re.compile(r"(?:a|\d)b")) is None          # a class starts it
    assert regions.leading_strings(re.compile(r"Ab")) is None                  # a cased letter, case told
    assert regions.leading_strings(re.compile(r"(?:ab)?c")) is None            # may start with c
    for low, m, heads in _fuzz_matches(regions.leading_strings, 13):
        assert low.startswith(tuple(heads), m.start()), (m, heads)


def _fuzz_matches(derive, seed):
    """(lowered sentence, match, derive(pattern)) of the exclusions' and tricky patterns'
    matches in fuzzed sentences, where derive(pattern) is not None."""
    patterns = [p for _n, _r, p in lx.exclusions()] + [re.compile(t) for t in TRICKY_PIECES]
    derived = [(p, derive(p)) for p in patterns]
    for s in _fuzz_sentences(500, seed):
        low = regions.lowered(s)
        for p, got in derived if low is not None else ():
            for m in p.finditer(s) if got is not None else ():
                yield low, m, got


def test_exclusions_prefiltered_around_numbers_are_the_same():
    patterns = [p for _n, _r, p in lx.exclusions()] + [re.compile(t) for t in TRICKY_PIECES]
    for s in _fuzz_sentences(1500, 9):
        numbers = tuple(m.span() for m in NUMBER_TOKEN.finditer(s))
        if not numbers:
            continue
        memo: dict = {}
        for p in patterns:
            plain = [m.span() for m in regions.finditer_near(p, s, numbers) if m.end() > m.start()]
            assert regions.matches_near(p, s, numbers, memo) == plain, (p.pattern, s)


def test_exclusions_near_numbers_give_each_number_the_reason_of_its_first_rule():
    from pipeline.find.figures import _ExclusionIndex, _excluded_spans
    for s in _fuzz_sentences(800, 11):
        text = "Mục 1. " + s + " (2020)"
        s0, s1 = 7, 7 + len(s)
        plain = _ExclusionIndex(_excluded_spans(text, s0, s1)).reason
        memo: dict = {}
        for pattern, in_digits in ((NUMBER_TOKEN, True), (WORD_NUMBER, False)):
            near = [m.span() for m in pattern.finditer(text, s0, s1)]
            if near:
                got = _ExclusionIndex(_excluded_spans(text, s0, s1, near=near, memo=memo,
                                                      near_digits=in_digits)).reason
                assert [got(a, b) for a, b in near] == [plain(a, b) for a, b in near], (s, near)


def test_few_pieces_are_in_every_match():
    assert regions.few_pieces(re.compile(r"(?i)(?:chào mừng|mừng|kỷ niệm)\s+\d")) == ("kỷ niệm", "mừng")
    assert regions.few_pieces(re.compile(r"(?i)(?:a|b|c)x\d", re.I), most=2) is None     # too many
    assert regions.few_pieces(re.compile(r"(?i)năm\s+\d|[-/]\d")) is None              # a piece in the text
    for low, m, few in _fuzz_matches(regions.few_pieces, 17):
        assert any(w in low[m.start():m.end()] for w in few), (m, few)


def test_numbers_in_words_scanned_from_the_first_number_word_are_the_same():
    from pipeline.find.figures import _word_numbers
    rng = random.Random(3)
    for s in _fuzz_sentences(3000, 13) + ["İ một", "MƯỜI hai", "xhai ba", "ſáu năm"]:
        s0 = rng.randrange(len(s) + 1)
        s1 = rng.randint(s0, len(s))
        assert [m.span() for m in _word_numbers(s, s0, s1)] == \
            [m.span() for m in WORD_NUMBER.finditer(s, s0, s1)], (s, s0, s1)


def _runs_and_paragraphs():
    """w:r and w:p elements of the corpus, and hand-made ones with repeated properties."""
    import zipfile
    from lxml import etree
    from pipeline.read.wordml import W, WNS
    out = []
    for f in sorted(CORPUS.glob("*.docx")):
        root = etree.fromstring(zipfile.ZipFile(f).read("word/document.xml"))
        out += list(root.iter(W + "r")) + list(root.iter(W + "p"))
    made = [
        '<w:r><w:rPr><w:rFonts w:ascii="A"/></w:rPr><w:rPr><w:b/><w:rFonts w:ascii="B"/></w:rPr><w:t>x</w:t></w:r>',
        '<w:r><w:rPr/><w:rPr><w:rStyle w:val="S"/><w:b w:val="0"/></w:rPr><w:rPr><w:b/></w:rPr></w:r>',
        '<w:r><w:t>x</w:t><w:rPr><w:rFonts w:hAnsi="H"/><w:rFonts w:ascii="A"/><!-- c --></w:rPr></w:r>',
        '<w:p><w:pPr><w:jc w:val="center"/><w:pStyle w:val="A"/><w:pStyle w:val="B"/><w:numPr/></w:pPr>'
        '<w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:p>',
        '<w:p><!-- c --><w:pPr><!-- c --><w:outlineLvl w:val="2"/><w:jc/><w:jc w:val="left"/></w:pPr></w:p>',
    ]
    out += [etree.fromstring(x.replace("<w:", f'<w:', 1).replace(">", f' xmlns:w="{WNS}">', 1)) for x in made]
    return out


def test_run_and_paragraph_properties_read_in_one_pass_are_the_same():
    from pipeline.read import docx as reader
    from pipeline.read.wordml import W
    for el in _runs_and_paragraphs():
        if el.tag == W + "r":
            rpr = el.find(W + "rPr")
            assert reader._run_props(el) == (el.find(f"{W}rPr/{W}b"), el.find(f"{W}rPr/{W}rStyle"),
                                             rpr.find(W + "rFonts") if rpr is not None else None)
        ppr = reader._child(el, W + "pPr")
        assert ppr is el.find(W + "pPr") or ppr == el.find(W + "pPr")
        if ppr is not None:
            assert reader._ppr_children(ppr) == [ppr.find(W + t) for t in ("pStyle", "numPr", "outlineLvl", "jc")]


def test_sentences_trimmed_in_place_are_the_same():
    rng = random.Random(23)
    texts = [t for f in sorted(CORPUS.glob("*.txt")) for t in f.read_text(encoding="utf-8").splitlines()]
    texts += ["".join(rng.choice(["Một. ", " ", "\u00a0", "\t", "x", ". ", "A", "1", "\u2003", "? ", "“B", "\n"])
                      for _ in range(rng.randint(0, 20))) for _ in range(2000)]
    from pipeline.find import sentences
    for t in texts:
        spans = sentences.split(t)
        for a, b in spans:
            seg = t[a:b]
            assert seg == seg.strip() and seg
        # the same spans as trimming each untrimmed piece with str.strip
        assert spans == _split_by_strip(t), t


def _split_by_strip(text):
    from pipeline.find import sentences as S
    spans, start = [], 0
    marker = S._LIST_MARKER.match(text)
    skip_until = marker.end() if marker else 0
    for m in S._END.finditer(text):
        nxt = re.match(r"\s+(.)", text[m.end():])
        if m.end() <= skip_until or not nxt or not (nxt.group(1).isupper() or nxt.group(1).isdigit() or
                                                    nxt.group(1) in "“\"("):
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if b - trail > a + lead:
            out.append((a + lead, b - trail))
    return out


def test_tolower_keeps_what_a_character_is():
    """What lowered twins rest on: for every character that lowers to one, str.lower
    is sre's tolower, and tolower keeps digits, spaces and word characters what they are
    and lowers no cased character to an uncased one."""
    import sys
    from _sre import unicode_iscased, unicode_tolower
    word, digit, space = re.compile(r"\w"), re.compile(r"\d"), re.compile(r"\s")
    for x in range(sys.maxunicode + 1):
        c = chr(x)
        low = c.lower()
        if len(low) != 1:
            continue
        lo = unicode_tolower(x)
        assert ord(low) == lo, hex(x)
        assert all(bool(p.match(c)) == bool(p.match(low)) for p in (word, digit, space)), hex(x)
        assert lo == x or unicode_iscased(lo), hex(x)
        assert lo not in regions._NEVER_LOWERED or lo == x, hex(x)   # only "ı", "ſ" lower to them


TWIN_PATTERNS = [r"[a-zà-ỹ]+\b|(?i:σ)x|K\d", r"(?<![\w.,])\d+[a-zđ]?\s*[-/]\s*[A-ZĐ][A-ZĐa-zđ]*", r"^\s*ba\b",
                 r"(?<!đạt )\d+(?=%)|µ+|İs|ſt|ıx", r"(?:a|bc)+?d|[^\WA-C]{2}$", r"(?m:^x)|(?s:a.b)|(?>ab|a)c",
                 r"(?:đến|Từ|tới|đến hết|tính đến|)\s+\d|(?:ab|a|abc|b|)x|(?:k|K|ǅ|ǆ|σ|ς|s|i)+"]


def test_lowered_twins_find_the_same_spans():
    patterns = [p for _n, _r, p in lx.exclusions()] + [re.compile(t, re.I) for t in TWIN_PATTERNS + TRICKY_PIECES]
    twins = [(p, regions.lowered_twin(p)) for p in patterns]
    assert all(t is not None for p, t in twins[:len(lx.exclusions())] if p.flags & re.I)
    rng = random.Random(17)
    odd = list("ΣσςµμΜKkİıſsSΑΒẞßǅǄǆ") + ["AΣ", "ΑΣ b"]
    texts = _fuzz_sentences(1500, 21) + ["".join(rng.choice(odd + list("ab đ1,")) for _ in range(12))
                                         for _ in range(2000)]
    for s in texts:
        low = regions.lowered(s)
        if low is None:
            continue
        for p, t in twins:
            if t is not None:
                pos = rng.randrange(len(s) + 1)
                assert [m.span() for m in t.finditer(low, pos)] == [m.span() for m in p.finditer(s, pos)], \
                    (p.pattern, s, pos)


def test_a_case_sensitive_cased_pattern_has_no_twin():
    assert regions.lowered_twin(re.compile(r"[A-Z]\d")) is None          # ignores no case
    assert regions.lowered_twin(re.compile(r"(?-i:[A-Z])\d", re.I)) is None
    assert regions.lowered_twin(re.compile(r"(a)\1", re.I)) is None       # a back reference
    assert regions.lowered_twin(re.compile(r"(?-i:[,\d])a", re.I)) is not None   # no cased character


def test_led_patterns_find_the_same_matches():
    rng = random.Random(23)
    for source in [r"(?<![\d.,])\d+\s*(?:giờ|h)", r"\bmột\s+số\b|là\s+một", r"(?<=\d )trên\s*\d+|/\s*\d+",
                   r"x[ab]*y|yy"]:
        p = re.compile(source)
        scan = regions.led(p)
        assert scan is not None
        for _ in range(500):
            s = "".join(rng.choice(["một", " số", "là", " ", "1", "2", ",", "giờ", "h", "x", "a", "y", "/"])
                        for _ in range(rng.randint(1, 15)))
            pos = rng.randrange(len(s) + 1)
            out: list = []
            regions.led_spans(scan, s, pos, len(s), len(s), out)
            assert out == [m.span() for m in p.finditer(s, pos)], (source, s, pos)
    assert regions.led(re.compile(r"a?")) is None and regions.led(re.compile(r"(a)b")) is None
    assert regions.led(re.compile(r"[^a]b", re.I)) is None


def test_led_case_blind_starts_find_the_same_matches():
    rng = random.Random(29)
    for source, flags in [(r"\b[A-ZĐ]\w*\d|(?i:\bấp|khu|[k-m])\s+\d+", 0), (r"(?i:K)x|İ\d|ſ", 0),
                          (r"[a-cđ]+\d|ı", re.I), (r"\dk|[\w]x", re.I)]:
        p = re.compile(source, flags)
        scan = regions.led(p)
        assert scan is not None, source
        for _ in range(500):
            s = "".join(rng.choice(["Ấp", "ấp", " ", "1", "KHU", "khu", "K", "\u212a", "x", "X", "İ", "i", "I",
                                    "ı", "ſ", "S", "s", "Đ", "đ", "B", "l", "M"]) for _ in range(rng.randint(1, 15)))
            pos = rng.randrange(len(s) + 1)
            out: list = []
            regions.led_spans(scan, s, pos, len(s), len(s), out)
            assert out == [m.span() for m in p.finditer(s, pos)], (source, s, pos)


def test_no_character_beyond_the_bmp_lowers_into_it():
    from _sre import unicode_tolower
    assert all(unicode_tolower(x) > 0xFFFF for x in range(0x10000, 0x110000))


def test_sentence_ends_led_by_their_class_are_the_same():
    from pipeline.find import sentences
    plain = re.compile(r"(?:\.\.\.|[.!?…])[”\"')\]]*")
    rng = random.Random(29)
    for _ in range(5000):
        t = "".join(rng.choice(".!?…”\"')]x A.\n\xa0") for _ in range(rng.randint(0, 14)))
        # only an end with white space after it may close a sentence: those ends are the same
        ends = [m.end() for m in plain.finditer(t) if t[m.end():m.end() + 1].isspace()]
        assert [m.end() for m in sentences._END.finditer(t)] == ends, t


def test_case_blind_tries_match_as_the_longest_first_lists():
    lists = [lx.counted()["nouns"], lx.units_words(), lx.counted()["classifiers"], rules.load("per")["per"],
             ["ha", "Hà", "hạ", "hab", "HA", "a b", "ab", "", "K", "k"], ["ſt", "st"], ["ab", "İx"]]
    rng = random.Random(31)
    for words in lists:
        pool = list(words) + [w.upper() for w in words] + [" ", "x", "b", ",", "1", "ſ", "\u212a"]
        for tail in (lx.END, r"\s+x", r"b?$", r"\s*$"):
            flat = re.compile(r"\s*(?P<w>%s)%s" % (lx.alternation(words), tail), re.IGNORECASE)
            trie = re.compile(r"\s*(?P<w>%s)%s" % (lx.alternation_blind(words), tail), re.IGNORECASE)
            for _ in range(400):
                s = "".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
                a, b = flat.match(s), trie.match(s)
                assert (a and a.span("w"), a and a.end()) == (b and b.span("w"), b and b.end()), (words[:3], s)


def test_members_inflated_from_memory_are_what_zipfile_reads():
    import io
    import zipfile

    from pipeline.read.package import _inflate
    for f in sorted(CORPUS.glob("*.docx")):
        blob = f.read_bytes()
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            for info in zf.infolist():
                assert _inflate(blob, info) == zf.read(info), (f.name, info.filename)


def test_an_odd_or_damaged_member_is_left_to_zipfile():
    import io
    import zipfile

    from pipeline.read.package import _inflate
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.xml", b"<a>" + b"x" * 5000 + b"</a>")
        zf.writestr("b.xml", b"<b/>", compress_type=zipfile.ZIP_STORED)
    blob = buf.getvalue()
    infos = zipfile.ZipFile(io.BytesIO(blob)).infolist()
    assert [_inflate(blob, i) for i in infos] == [b"<a>" + b"x" * 5000 + b"</a>", b"<b/>"]
    for change in ({"CRC": infos[0].CRC ^ 1}, {"file_size": 10}, {"flag_bits": 1}, {"header_offset": 3},
                   {"compress_size": len(blob)}, {"compress_type": zipfile.ZIP_BZIP2}):
        info = zipfile.ZipInfo("a.xml")
        for k in ("CRC", "file_size", "flag_bits", "header_offset", "compress_size", "compress_type"):
            setattr(info, k, change.get(k, getattr(infos[0], k)))
        assert _inflate(blob, info) is None, change
    assert _inflate(blob[:infos[0].header_offset + 40], infos[0]) is None


def test_style_attributes_read_from_the_start_tag_are_the_dict_s():
    from pipeline.read import lazyxml
    from pipeline.read.package import _PARSER, open_package
    from pipeline.read.wordml import W
    names = (W + "styleId", W + "type", W + "default", W + "customStyle", "styleId", W + "no")
    for f in sorted(CORPUS.glob("*.docx")):
        pkg = open_package(f)
        try:
            data = pkg.raw(pkg.related(pkg.document_part, "/styles"), required=False)
        finally:
            pkg.close()
        found = lazyxml.split(data, _PARSER, "styles", "style", first="docDefaults") if data else None
        for st in found[1] if found else []:
            got = st.values(names)
            assert got == [dict(st.attrs).get(n) for n in names]
        if found:
            assert found[1].values(names) == [st.values(names) for st in found[1]]
    assert lazyxml._canonical_values(b' w:a="1" x:b="2" w:b="3"/', lazyxml._wanted((W + "b", W + "a")), 2) == ["3", "1"]


def test_all_start_tags_read_by_one_regex_are_each_one_s():
    from pipeline.read import lazyxml
    from pipeline.read.package import _PARSER
    from pipeline.read.wordml import W, WNS
    head = f'<w:styles xmlns:w="{WNS}" xmlns:x="urn:x">'.encode()
    body = (b'<w:s w:a="" x:a="2" w:ab="3"/><w:s w:b="1" w:a="4" w:a="5"></w:s><w:s/>'
            b'<w:s w:c="\xc3\xa9" w:b=""></w:s><w:s  w:b="x"/>')
    names = (W + "a", W + "b", "a", W + "zz")
    for data in (head + body + b"</w:styles>", head + body.split(b"<w:s w:c")[0] + b"</w:styles>"):
        frags = lazyxml.split(data, _PARSER, "styles", "s")[1]
        assert frags.values(names) == [f.values(names) for f in frags]
        assert frags.values(()) == [[] for _ in frags]
    assert frags._joined is not None        # (the last one canonical: read by the regex)
    assert frags.values(names) == [["", None, None, None], ["5", "1", None, None], [None, None, None, None]]


def test_upper_line_told_at_the_first_other_letter_is_the_same():
    from pipeline.segment.headings import _is_upper_line
    rng = random.Random(5)
    for _ in range(3000):
        s = "".join(rng.choice("aAđĐ1 .ªǅ-ỆệX") for _ in range(rng.randint(0, 12)))
        letters = [c for c in s if c.isalpha()]
        assert _is_upper_line(s) == (bool(letters) and all(c.isupper() for c in letters)), s


def test_labels_looked_for_only_before_a_colon_are_the_same():
    from pipeline.find.figures import LABEL, _label_before
    rng = random.Random(31)
    for _ in range(3000):
        t = "".join(rng.choice(["Hội viên", " ", ":", "\u00a0", "\n", "PN", ";", "1", "(", "a"])
                    for _ in range(rng.randint(0, 16)))
        m = LABEL.search(t[max(0, len(t) - 45):])
        plain = m.group("label").strip() if m else None
        plain = plain if plain is not None and len(plain.split()) <= 6 else None
        assert _label_before(t, len(t)) == plain, t


def test_text_with_no_white_space_but_single_spaces_collapses_to_itself():
    import sys
    from pipeline.find import sentences
    # the fast path holds because no white space but " " is printable
    assert all(not chr(c).isprintable() for c in range(sys.maxunicode + 1) if chr(c).isspace() and c != 32)
    for t in ["a b", "Đạt 1.234 ha", "a  b", " a", "a ", "a\u00a0b", "", " ", "a\tb", "a\u200bb c"]:
        assert sentences.collapse(t) == sentences._WS.sub(" ", t).strip(), repr(t)


def test_sentence_breaks_read_with_their_next_character_are_the_same():
    from pipeline.find import sentences
    rng = random.Random(37)
    for _ in range(5000):
        t = "".join(rng.choice([".", "...", "…", "!", "?", "”", '"', ")", "]", " ", "\n", "\u00a0", "a", "B", "1",
                               "(", "“", "1. "]) for _ in range(rng.randint(0, 16)))
        assert sentences.split(t) == _split_by_strip(t), repr(t)


def test_digits_parsed_without_the_general_steps_are_the_same():
    from pipeline.find import numbers

    def plain(text):
        s = numbers._GROUP_SPACE_RE.sub("", text.strip())
        if "," in s:
            whole, frac = s.split(",", 1)
            return float(whole.replace(".", "") + "." + frac)
        if numbers._DECIMAL_POINT.fullmatch(s):
            return float(s)
        return float(s.replace(".", ""))

    def outcome(fn, t):
        try:
            return fn(t)
        except ValueError:
            return "error"
    rng = random.Random(41)
    for _ in range(3000):
        t = "".join(rng.choice("0123456789٣²., \u00a0") for _ in range(rng.randint(1, 9)))
        assert outcome(numbers.parse_digits, t) == outcome(plain, t), repr(t)


def test_figures_rounded_without_round_for_whole_numbers_are_the_same():
    import math
    from pipeline.find.figures import round9
    rng = random.Random(43)
    xs = [0.0, -0.0, 1e18, -1e18, 2.0 ** 53 + 2, 1e300, math.inf, -math.inf, 3, 12.5, 8.58, 1 / 3]
    xs += [rng.choice([rng.randint(-10 ** 12, 10 ** 12) * 1.0, rng.uniform(-1e6, 1e6), rng.randint(0, 999) / 100 * 1e6])
           for _ in range(5000)]
    for x in xs:
        got, plain = round9(x), round(x, 9)
        assert got == plain and type(got) is type(plain) and math.copysign(1, got) == math.copysign(1, plain), x


def test_numbers_of_a_paragraph_are_those_of_its_sentences():
    from pipeline.find.figures import _numbers_in, paragraph_numbers
    texts = [line for f in sorted(CORPUS.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    pieces = [w for t in texts[:400] for w in re.findall(r"\S+|\s+", t)] + \
        list(".!?…”)( \u00a0") + ["1.", "2020.", "hai", "Năm", "1 200", "3,5", "İ", "khai", "mươi", "Hai mươi", "1.200,5"]
    rng = random.Random(17)
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(2000)]
    for t in texts:
        numbers, low = paragraph_numbers(t)
        assert low == regions.lowered(t)
        for s0, s1 in split(t):
            assert [n for n in numbers if s0 <= n[0] < s1] == _numbers_in(t, s0, s1, regions.lowered(t[s0:s1]))
        inside = {n for s0, s1 in split(t) for n in numbers if s0 <= n[0] and n[1] <= s1}
        assert inside == set(numbers), t


def test_a_number_in_words_before_a_digit_reads_as_no_figure():
    from pipeline.find.figures import _digit_next, _read_figure, _word_numbers
    assert _digit_next() is not None
    seen = 0
    for s in _fuzz_sentences(2000, 19) + ["năm 2020", "hai 3 hộ", "Ba  15%", "hai triệu 5 đồng"]:
        for m in _word_numbers(s, 0, len(s)):
            if _digit_next().match(s, m.end()):
                seen += 1
                assert isinstance(_read_figure(s, m.start(), m.end(), len(s), True, None, False), str), s
    assert seen > 10


def test_ratio_or_range_in_one_match_is_the_three():
    from pipeline.find.figures import RATIO, _ratio_or_range
    ratio, written, ranged = RATIO, _numbers()["written_ratio"], _numbers()["range"]
    rng = random.Random(23)
    pieces = ["/", " / ", "3", "1.200", "12,5", " ", " - ", "–", " đến ", " tới ", " trong tổng số ", " TRÊN số ", " TRÊN ", "x", "%"]
    for _ in range(5000):
        s = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        m = _ratio_or_range().match(s)
        r = ratio.match(s) or written.match(s)
        if r:
            assert m and m.span() == r.span() and (m.group("den") or m.group("den2")) == r.group("den"), s
        else:
            g = ranged.match(s)
            assert (m and (m.span(), m.group("high"))) == (g and (g.span(), g.group("high"))), s


def test_looks_behind_tells_which_patterns_match_in_place_as_on_a_copy():
    behind = [r"\bso với", r"(?<!x)kế hoạch", r"^năm", r"(?:a|(?<=\s)b)", r"(?=(?<=a)b)b", r"x\B"]
    in_place = [r"so\s+với[^,;.()]*", r"(?:kế hoạch|KH)(?![^\W_])", r"năm\s+(?:19|20)\d\d$", r"(a)(?(1)b|c)"]
    for p in behind:
        assert regions.looks_behind(re.compile(p)), p
    for p in in_place:
        assert not regions.looks_behind(re.compile(p)), p
    text = "tăng 5so với"        # why it matters: in place, \b sees the digit before "so"
    assert re.compile(r"\bso").match(text, 6) is None and re.compile(r"\bso").match(text[6:])


def test_base_rules_match_in_place_as_on_a_copy():
    from pipeline.link.indicators import _spec
    for key in ("base_after", "times_base_after"):
        p = _spec()[key]
        assert not regions.looks_behind(p), key     # today's rules: the fast path is taken
        for s in _sentences()[:2000]:
            for pos in range(0, len(s), 7):
                a, b = p.match(s, pos), p.match(s[pos:])
                assert (a and a.group(0)) == (b and b.group(0)), (key, s, pos)
