"""Link each figure to its sentence: qualifier, change, per, period, kind, indicator.

All cue words come from rules/ (qualifiers, changes, per, periods, targets); this module
holds only how they combine.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from bisect import bisect_left, bisect_right
from functools import lru_cache
from types import SimpleNamespace

from pipeline.find import lexicon as lx
from pipeline.find.regions import quick
from pipeline.link.marks import LowScan, Marks, WordHits, clause_start, lowered
from pipeline import registry as rules
from pipeline.model import Figure, stored_init

WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


class Ending:
    """lexicon.words_ending(words): one of words at the end of a text, white space aside. A
    match has as many characters as the word it matches (case-blind too), so it starts at
    most `width` before where the trailing white space starts: the search starts there,
    not at each character of a long head."""
    __slots__ = ("pattern", "width")

    def __init__(self, words):
        self.pattern = lx.words_ending(words)
        self.width = max((max(len(w), len(w.lower())) for w in words), default=0)

    def search(self, text: str):
        return self.pattern.search(text, max(0, len(text.rstrip()) - self.width))


# --- qualifier ------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _qualifier_rules():
    spec = rules.load("qualifiers")["rules"]
    symbols, words, after = {}, {}, {}
    for r in spec:
        for w in r.get("before", []):
            (symbols if not w[0].isalpha() else words)[w.lower()] = r["qualifier"]
        for w in r.get("after", []):
            after[w.lower()] = r["qualifier"]
    return symbols, words, lx.words_ending(list(words)), after


@lru_cache(maxsize=1)
def qualifier_reach() -> int:
    """How far before a figure its qualifier word can start: the longest word (a match
    of the `$`-anchored word list is one word as written, case aside), plus a margin."""
    return max(map(len, _qualifier_rules()[1]), default=0) + 8


def qualifier_word(before: str):
    """_qualifier_rules()'s word ending `before` (right-stripped), searched only in its
    last qualifier_reach() characters; the match's positions are before's."""
    return _qualifier_rules()[2].search(before, max(0, len(before) - qualifier_reach()))


@lru_cache(maxsize=1)
def _not_bounds():
    """Qualifier words that are no bound in some places (rules/qualifiers.yaml)."""
    q = rules.load("qualifiers")
    return dict(
        comparative=frozenset(q["comparative_words"]),
        change=tuple(q["change_words"]),
        level_from=frozenset(q["level_from"]),
        level_to=re.compile(r"(?<![^\W_])(?:%s)(?![^\W_])" % lx.alternation(q["level_to"])),
        between_numbers=frozenset(q["between_numbers"]),
    )


def qualifier(fig: Figure, text: str, s0: int, s1: int) -> str:
    if fig.range_role == "low":
        return ">="
    if fig.range_role == "high":
        return "<="
    symbols, words, ending, _after = _qualifier_rules()
    # the sentence before the figure, right-stripped, read only in its last characters: the
    # qualifier word lies within qualifier_reach(), and one more tells where a word starts
    reach = qualifier_reach()
    a = max(s0, fig.start - reach - 8)
    before = text[a:fig.start].rstrip()
    if a > s0 and len(before) < reach + 2:
        a, before = s0, text[s0:fig.start].rstrip()     # white space runs far back: all of it
    if before and before[-1] in "≥≤><":
        sym = before[-2:] if before[-2:] in symbols else before[-1]
        return symbols.get(sym, "=")
    if fig.after_qualifier:
        return fig.after_qualifier
    m = ending.search(before, max(0, len(before) - reach))      # qualifier_word(before)
    if not m:
        return "="
    return _bound_or_not(fig, text, s0, s1, a + m.start(), m.group(0), words)


def _bound_or_not(fig: Figure, text: str, s0: int, s1: int, word_start: int, found: str, words: dict) -> str:
    """The qualifier word found before a figure, unless the place says it is no bound
    (a base after the figure is looked for only behind a change word: few figures have one)."""
    word = re.sub(r"\s+", " ", found.strip().lower())
    nb = _not_bounds()
    if word in nb["comparative"] and comparative_before(text[s0:word_start]):
        return "="           # "cao hơn 2,4 tạ/ha": a comparative, not a bound
    if word.startswith(nb["change"]) and has_base_after(fig, text, s1):
        return "="           # "vượt 120 tấn so với kế hoạch": a change over the plan
    if word in nb["level_from"] and nb["level_to"].search(text[fig.end:fig.end + 40]):
        return "="           # "giảm từ 10% năm 2020 xuống còn 8,58%": a starting level
    if word in nb["between_numbers"] and fig.unit == "count" and re.search(r"\d\s*$", text[s0:word_start]):
        return "="           # "3 trên 5 xã": a part of a whole
    return words.get(word, "=")


def comparative_before(head: str) -> bool:
    return bool(_comparatives().search(head))


@lru_cache(maxsize=1)
def _comparatives():
    return Ending(rules.load("qualifiers")["comparatives"])


# --- change ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _change_rules():
    c = rules.load("changes")
    verbs = {w: "+" for w in c["increase"]} | {w: "-" for w in c["decrease"]}
    return dict(
        verbs=verbs,
        verb_scan=LowScan(lx.words_anywhere(list(verbs))),
        verb_reach=max(map(len, verbs), default=0) + 2,     # see ClauseScan
        level_after=re.compile(r"^\s*(?:%s)(?![^\W_])" % lx.alternation(c["level_after"]), re.IGNORECASE),
        level_inside=re.compile(r"(?<![^\W_])(?:%s)(?![^\W_])" % lx.alternation(c["level_inside"]), re.IGNORECASE),
        from_level=re.compile(r"\s*(?:%s)\s" % lx.alternation(c["from_level"])),
        needs_base=frozenset(c["needs_base"]),
        same_change=re.compile(r"\s*\(\s*(?:%s)?\s*" % lx.alternation(c["same_change"])),
        named_rate=Ending(c["named_rate"]),
        with_base=re.compile(r"\s*\)?\s*(?:%s)(?![^\W_])" % lx.alternation(c["with_base"]), re.IGNORECASE),
        stop=lx.words_anywhere(c["stop"]),
        rise_to=re.compile(r"(?<![^\W_])(?<!%s )(?:%s)(?![^\W_])" % (
            ")(?<!".join(re.escape(w) for w in c["rise_not_after"]), lx.alternation(c["rise_to"])), re.IGNORECASE),
        base_before=re.compile(r"(?<![^\W_])(?:%s)(?:\s*|[^,;()]*\(\s*)$" % lx.alternation(c["base_before"]),
                               re.IGNORECASE),
        from_before=re.compile(r"(?<![^\W_])(?:%s)\s*$" % lx.alternation(c["from_level"]), re.IGNORECASE),
        base_clause=re.compile(r"^\s*(?:%s)\s+[^,;]*$" % lx.alternation(c["base_clause_opens"]), re.IGNORECASE),
    )


def has_base_after(fig: Figure, text: str, s1: int) -> bool:
    return bool(_change_rules()["with_base"].match(text, fig.end, s1))


def _verb_sign(verb: str, fig: Figure, text: str, s1: int) -> str:
    v = verb.lower()
    sign = _change_rules()["verbs"].get(v, "")
    if v in _change_rules()["needs_base"] and not has_base_after(fig, text, s1):
        return ""
    return sign


def changes(figs: list[Figure], text: str, s0: int, s1: int) -> list[str]:
    """The change of each figure of one sentence, in order ("", "+" or "-")."""
    out: list[str] = []
    verbs = ClauseScan(_change_rules()["verb_scan"], _change_rules()["verb_reach"], text)
    for i, fig in enumerate(figs):
        sign = ""
        if fig.value < 0:
            pass                        # "tăng trưởng âm 1,2%": a signed level
        elif fig.denominator is None:
            prev = figs[i - 1] if i else None
            if prev is not None and out[i - 1] and prev.end <= fig.start and \
                    _change_rules()["same_change"].fullmatch(text[prev.end:fig.start]):
                sign = out[i - 1]       # "giảm 1.686ha (bằng 2,24%)": the same change twice
            elif prev is not None and prev.start == fig.start:
                sign = out[i - 1]       # the other end of a range
            else:
                sign = _governing_change(figs, out, i, text, s0, s1, verbs)
        out.append(sign)
    return out


class ClauseScan:
    """The (start, end) of the last match of a word list's pattern in text[lo:hi] for the
    figures of a sentence in order, each clause read once: an attempt reads `reach` characters
    at most from where it starts (its longest word and the character after it), so the
    matches up to the figure before that start `reach` or more before its end are this
    figure's too, and the text is read on from the last of them (or from `reach` before that end)."""

    def __init__(self, scan: LowScan, reach: int, text: str):
        self.scan, self.reach, self.text = scan, reach, text
        self.lo, self.hi, self.found = -1, -1, []
        self.low = False                # the lowered text, asked for once (see LowScan.spans)

    def last(self, lo: int, hi: int) -> tuple[int, int] | None:
        if self.low is False and hi > lo and self.scan.led is not None:
            self.low = lowered(self.text)
        if lo != self.lo or hi < self.hi:
            self.found = self.scan.spans(self.text, lo, hi, self.low)     # a new clause
        else:
            found = self.found
            while found and found[-1][0] + self.reach > self.hi:
                found.pop()             # it read near the old end: looked for anew
            resume = max(found[-1][1] if found else lo, self.hi - self.reach + 1)
            found.extend(self.scan.spans(self.text, resume, hi, self.low))
        self.lo, self.hi = lo, hi
        return self.found[-1] if self.found else None


def _governing_change(figs, out, i, text, s0, s1, verbs: ClauseScan) -> str:
    r = _change_rules()
    fig = figs[i]
    seg_start = clause_start(text, s0, fig.start)
    v = verbs.last(seg_start, fig.start)     # matches do not overlap: the last ends last
    if v is None:
        return ""
    v_start, v_end = v
    between = text[v_end:fig.start]
    if between.count(")") > between.count("("):
        return ""                       # "(vượt 24,5ha so với …) và 64,7 ha": the verb's aside is closed
    if r["named_rate"].search(text[max(s0, v_start - 30):v_start]):
        return ""                       # "tốc độ tăng … đạt 12%": a named rate
    if r["level_after"].match(between) or r["level_inside"].search(between):
        return ""                       # "giảm còn 1,96%", "giảm từ 10% … xuống còn 8,58%"
    if r["from_before"].search(between) and (r["level_inside"].search(text[fig.end:s1]) or
                                             r["rise_to"].search(re.split(r"[,;]", text[fig.end:s1])[0])):
        return ""                       # "tăng từ 12,4 lên 15,8 bác sĩ": a starting level
    if r["base_before"].search(between):
        return ""                       # "giảm so với 18,5 giường năm 2019": the base level
    if ":" in between:
        return ""
    j = _last_between(figs, i, v_end, fig.start)
    if j is not None:
        gap = text[figs[j].end:fig.start]
        if not out[j] or r["stop"].search(gap) or len(WORD.findall(gap)) > 8:
            return ""
        return out[j]                   # "tăng 05 công ty, 01 doanh nghiệp": one verb, two figures
    if "," in between or len(WORD.findall(between)) > 9:
        return ""
    if r["stop"].search(between) and not r["base_clause"].match(between):
        return ""
    return _verb_sign(text[v_start:v_end], fig, text, s1)


# --- per ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _per_rules():
    p = rules.load("per")
    yearly = [w for w in p["yearly"] if not w.startswith("/")]
    return (LowScan(lx.words_anywhere(yearly)), re.compile(r"\s*(?:%s)(?![^\W_])" % lx.alternation(yearly), re.IGNORECASE),
            max(map(len, yearly), default=0) + 2)       # the reach of a ClauseScan


@lru_cache(maxsize=512)
def _yearly_scan(text: str, s0: int, s1: int) -> "ClauseScan":
    """The sentence's scan for yearly words, kept for its figures (asked in order)."""
    scan, _right_after, reach = _per_rules()
    return ClauseScan(scan, reach, text)


@lru_cache(maxsize=1)
def _flow():
    return lx.words_anywhere(rules.load("per")["flows"])


def per_year(fig: Figure, change: str, text: str, s0: int, s1: int) -> str:
    if fig.per:
        return fig.per
    if fig.unit == "times":
        return ""
    scan, right_after, _reach = _per_rules()
    if right_after.match(text, fig.end, s1):
        return "năm"                      # "1.000-2.500 lao động mỗi năm"
    if fig.denominator is not None:
        return ""
    seg_start = clause_start(text, s0, fig.start)
    yearly = _yearly_scan(text, s0, s1).last(seg_start, fig.start)
    if yearly is None and seg_start == s0:
        return ""       # the short lead is this clause's head, cut at a mark or the figure: no yearly word either
    lead = _short_lead(text, s0, fig.start)
    if yearly is None:
        opening = scan.spans(text, s0, s0 + len(lead))
        yearly = opening[-1] if opening else None
    if yearly is None:
        return ""
    if fig.unit != "%" and _few_words(text, yearly[1], fig.start, 2):
        return "năm"                      # "Mỗi năm 2 lần", "mỗi năm đạt 25.000 tấn"
    own_clause = text[max(seg_start, text.rfind(",", seg_start, fig.start) + 1,
                          text.rfind(":", seg_start, fig.start) + 1):fig.start]
    if change or _flow().search(own_clause) or _flow().search(lead):
        return "năm"                      # a yearly change or flow
    return ""


_CLAUSE_MARK = re.compile(r"[,;:]")


def _short_lead(text: str, s0: int, end: int) -> str:
    """The sentence's opening clause before end when shorter than 40 characters, else "":
    a short one ("Bình quân hàng năm, …") frames the whole sentence."""
    mark = _CLAUSE_MARK.search(text, s0, min(end, s0 + 40))
    stop = mark.start() if mark else end
    return text[s0:stop] if stop - s0 < 40 else ""


def _few_words(text: str, a: int, b: int, most: int) -> bool:
    """At most `most` words in text[a:b], counted no further than one past it."""
    n = 0
    for _ in WORD.finditer(text, a, b):
        n += 1
        if n > most:
            return False
    return True


# --- period ---------------------------------------------------------------------------
@stored_init
@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    period: str
    base: bool


@lru_cache(maxsize=1)
def _period_rules():
    p = rules.load("periods")
    return (quick(re.compile(p["mention"], re.IGNORECASE)), Ending(p["base"]),
            re.compile(p["lead"], re.IGNORECASE), lx.words_anywhere(p["not_dating"]))


YEAR = r"(?:19|20)\d{2}"


@lru_cache(maxsize=1)
def _mention_year() -> re.Pattern | None:
    """A year as every mention names one (its first group): a text with none holds no
    mention, and most sentences hold none. None when the rule's mention has no such group."""
    return re.compile(YEAR) if "(%s)" % YEAR in rules.load("periods")["mention"] else None


@lru_cache(maxsize=1)
def _period_words():
    """Words around a year after the figure (rules/periods.yaml)."""
    p = rules.load("periods")
    return dict(
        open_span=re.compile(r"\s*(?:%s)" % lx.alternation(p["open_span_after"])),
        before_year=re.compile(r"\s*\(?\s*(?:(?:%s)\s+)?" % lx.alternation(p["year_after_between"])),
        year_named=re.compile(r"(?:%s)" % lx.alternation(p["year_after_names"]), re.IGNORECASE),
        base_figure=Ending(p["base_figure_after"]),
        term_wide=lx.words_anywhere(p["term_wide"]),
        title_skip=re.compile(p["title_skip"], re.IGNORECASE),
        naming=Ending(p["naming"]),
        standards=lx.words_anywhere(p["standards"]),
    )


def mentions(text: str, s0: int = 0, s1: int | None = None, names_date: bool = False) -> list[Mention]:
    """Years and spans named in text[s0:s1], each marked when it is a comparison base.

    In running text and title blocks the name of a congress or session dates nothing
    ("Đại hội … nhiệm kỳ 2025 - 2030"); a heading's term does (names_date=True)."""
    mention = _period_rules()[0]
    s1 = len(text) if s1 is None else s1
    out = []
    year = _mention_year()
    if year is not None and not year.search(text, s0, s1):
        return out
    open_span = _period_words()["open_span"]
    for m in mention.finditer(text, s0, s1):
        y1, y2 = m.group(1), m.group(2)
        period = f"{y1}-{y2}" if y2 else y1
        is_base = _not_dating(text, s0, m.start(), names_date)
        if open_span.match(text, m.end(), m.end() + 12):
            is_base = True          # "từ năm 2011 đến nay": an open span takes the term
        out.append(Mention(m.start(), m.end(), period, is_base))
    return out


@lru_cache(maxsize=512)
def _sentence_mentions(text: str, s0: int, s1: int) -> tuple[Mention, ...]:
    """mentions(text, s0, s1), once per sentence however many figures ask."""
    return tuple(mentions(text, s0, s1))


_CLAUSE_BREAK = re.compile(r"[,;:()]")


def _not_dating(text: str, s0: int, start: int, names_date: bool) -> bool:
    """What stands before a year makes it no figure's period: a comparison base, a price
    base, a standard or criteria set, and (in running text) the name of a resolution,
    programme, congress or session."""
    _mention, base, _lead, names = _period_rules()
    words = _period_words()
    head = text[max(s0, start - 40):start]
    if base.search(head):
        return True
    wide = _CLAUSE_BREAK.split(text[max(s0, start - 90):start])[-1]
    if words["standards"].search(" ".join(wide.split()[-10:])):
        return True
    if names_date:
        return False
    clause_head = _CLAUSE_BREAK.split(head)[-1]
    return bool(words["naming"].search(head)) or bool(names.search(" ".join(clause_head.split()[-6:])))


def names_congress(text: str) -> bool:
    """The text names a congress or a session (rule 28: its name dates nothing)."""
    return bool(_period_rules()[3].search(text))


def is_title_skip(text: str) -> bool:
    """A line of a title block that is no title: "An Bình, ngày 10 tháng 12 năm 2024", "Số: 125/BC-UBND"."""
    return bool(_period_words()["title_skip"].search(text))


@lru_cache(maxsize=512)
def lead_period(text: str, s0: int, s1: int) -> str:
    """The year or term that opens a sentence ("Năm 2024, …", "Đến năm 2025, phấn đấu …")."""
    _mention, _base, lead, _names = _period_rules()
    m = lead.match(text, s0, s1)
    if not m:
        return ""
    ms = [x for x in mentions(text, s0, min(s1, m.end() + 12)) if not x.base]
    return ms[0].period if ms else ""


def _apart(x: "Mention", fig: Figure) -> bool:
    return not (x.start < fig.end and fig.start < x.end)


@lru_cache(maxsize=512)
def _mention_index(text: str, s0: int, s1: int):
    """The sentence's mentions in order of start, their starts, and the longest one's length:
    each figure then looks only at the mentions of a bounded window (bisect), not all of them."""
    ms = _sentence_mentions(text, s0, s1)       # (finditer's order: by start)
    if not ms:
        return ms, [], 0
    return ms, [x.start for x in ms], max((x.end - x.start for x in ms), default=0)


@lru_cache(maxsize=1)
def _gap_pattern():
    longest = max(map(len, rules.load("periods")["year_after_between"]), default=0)
    return re.compile(r"(?:\s*\S){0,%d}\s*" % (longest + 1))


def _gap_end(text: str, at: int) -> int:
    """Where the next non-space after "(" and one year_after_between phrase stands: a mention
    starting past it leaves text[at:start] more than `before_year` (spaces, "(", one phrase)
    can fullmatch."""
    return _gap_pattern().match(text, at).end()


def _paren_gap(text: str, end: int) -> int:
    """The leftmost x with text[x:end] matching \\s*\\(\\s* (or end when there is none)."""
    j = end
    while j > 0 and text[j - 1].isspace():
        j -= 1
    if j == 0 or text[j - 1] != "(":
        return end
    j -= 1
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return j

def _last_between(figs: list[Figure], i: int, lo: int, hi: int):
    """The last j < i with figs[j] inside lo..hi (figures are in order of start, so the
    walk back stops at the first one starting before lo)."""
    for j in range(i - 1, -1, -1):
        if figs[j].start < lo:
            return None
        if figs[j].end <= hi:
            return j
    return None


_PAREN_GAP = re.compile(r"\s*\(\s*")
_COLON_GAP = re.compile(r"\s*:\s*")
_COLON_AFTER = re.compile(r"\s*:")


def clause_period(fig: Figure, text: str, s0: int, s1: int) -> tuple[str, str]:
    """Rule 25 (1): a year or span stated for the figure in its own clause → (period, source).

    source is "clause", or "base" when the figure is a comparison base: its own year ("so với
    năm 2023 (1.250 ha)", "so với 18,5 giường của năm 2019"), or none when it has no year
    ("so với cùng kỳ (120 ha)" → ("", "base"): rule 26); ("", "") when the clause says nothing."""
    words = _period_words()
    source = "base" if _base_before(fig, text, s0) else "clause"
    ms, starts, reach = _mention_index(text, s0, s1)
    if not ms:
        return "", ("base" if source == "base" else "")    # most sentences name no year
    far = _gap_end(text, fig.end)     # the year-after gap holds "(" and one phrase at most
    lo, hi = bisect_left(starts, fig.end), bisect_right(starts, far)
    after = [x for x in ms[lo:hi] if _apart(x, fig) and (not x.base or source == "base")
             and words["before_year"].fullmatch(text[fig.end:x.start])
             and words["year_named"].match(text[x.start:x.end])]
    if after and not (fig.unit == "times" and source == "clause"):
        return after[0].period, source      # "8,58% năm 2024"; "gấp 1,75 lần năm 2020" is a base
    start = clause_start(text, s0, fig.start)
    near = ms[bisect_left(starts, _paren_gap(text, fig.start) - reach):bisect_left(starts, fig.start)]
    own = [x for x in near if _apart(x, fig) and x.base and _PAREN_GAP.fullmatch(text, x.end, fig.start)]
    if own:
        return own[-1].period, "base"       # "so với năm 2023 (1.250 ha)"
    if source == "base":
        return "", "base"                   # a base with no year of its own: "so với cùng kỳ (120 ha)"
    before = _clause_marks(text, s0, s1).dating_before(text, fig, start, words["term_wide"])
    if before:
        lead = _period_rules()[2].match(text, s0, s1)
        if lead and before.start < lead.end():
            return "", ""                   # the sentence's lead ("Năm 2024, …"): the lead rule's
        return before.period, "clause"      # the nearest: "năm 2020 đạt X, trong khi năm 2015 là Y"
    return "", ""


class _ClauseMarks:
    """What the figures of one sentence ask about the years before them (clause_period),
    answered by bisection: a run-on sentence of n figures costs n, not n²."""

    def __init__(self, text: str, s0: int, s1: int, ms: tuple, reach: int):
        self.colons, self.closes = (Marks(text, s0, s1, c) for c in ":)")
        # where the white space before each colon starts (what "\s*:" matches): read back
        # from the colons found, not by a pattern tried at every character of the sentence
        self.colon_gap = {c: _space_before(text, c, s0) for c in self.colons.at}
        self.nonbase = [x for x in ms if not x.base]
        self.nonbase_starts = [x.start for x in self.nonbase]
        self.reach, self._open, self._hits = reach, None, None
        self.args = (text, s0, s1)

    def _in_open_paren(self):
        """The non-base mentions not inside a "(" left open at their start, and their starts."""
        if self._open is None:
            text, s0, s1 = self.args
            opens = Marks(text, s0, s1, "(")
            before_open, before_close = text.rfind("(", 0, s0), text.rfind(")", 0, s0)
            free = [x for x in self.nonbase if not self._opened(x.start, opens, before_open, before_close)]
            self._open = (free, [x.start for x in free])
        return self._open

    def _opened(self, at: int, opens: Marks, before_open: int, before_close: int) -> bool:
        s0 = self.args[1]
        opened = opens.last_before(s0, at)
        opened = opened if opened >= 0 else before_open
        closed = self.closes.last_before(s0, at)
        closed = closed if closed >= 0 else before_close
        return opened >= 0 and closed < opened

    def _walk_back(self, lo: int, hi: int):
        """The non-base mentions starting in [lo, hi), last first, less those inside a
        (…) group that closes before hi."""
        close = self.closes.last_before(lo, hi)
        k, stop = bisect_left(self.nonbase_starts, hi) - 1, bisect_left(self.nonbase_starts, max(lo, close + 1))
        for k in range(k, stop - 1, -1):
            yield self.nonbase[k]          # after the last ")": in no group closed before hi
        if close >= 0:
            free, starts = self._in_open_paren()
            for k in range(bisect_left(starts, close) - 1, bisect_left(starts, lo) - 1, -1):
                yield free[k]

    def dating_before(self, text: str, fig: Figure, lo: int, term_wide: re.Pattern):
        """The nearest non-base year in text[lo:fig.start] that dates the figure: no term-wide
        phrase between ("bình quân 5 năm tăng 9,36%"), and after a colon only a year right
        before it ("đến năm 2030: 90 triệu đồng"; after "như:" a list starts). None if none."""
        colon = self.colons.last_before(lo, fig.start)
        gap = self.colon_gap.get(colon, colon)    # the spaces before the colon start here
        blocked = -1        # a term-wide phrase stands between a year ending here or before and the figure
        for x in self._walk_back(lo, fig.start):
            if x.start + self.reach < blocked or (x.start <= colon and x.start + self.reach < gap):
                return None                 # so do all years further back (none is longer than reach)
            if x.end > fig.start or x.end <= blocked:
                continue
            if x.start <= colon and not _COLON_GAP.fullmatch(text, x.end, fig.start):
                continue
            if self._term_wide(term_wide).found(text, x.end, fig.start):
                blocked = x.end
                continue
            return x
        return None

    def _term_wide(self, term_wide: re.Pattern) -> WordHits:
        if self._hits is None:
            width = max(map(len, rules.load("periods")["term_wide"]), default=0)
            self._hits = WordHits(term_wide, *self.args, width)
        return self._hits


@lru_cache(maxsize=512)
def _clause_marks(text: str, s0: int, s1: int) -> _ClauseMarks:
    ms, _starts, reach = _mention_index(text, s0, s1)
    return _ClauseMarks(text, s0, s1, ms, reach)


def _base_before(fig: Figure, text: str, s0: int) -> bool:
    """The figure is a comparison base: "so với 18,5 giường", "gấp đôi so với 120 ha"."""
    head = text[max(s0, fig.start - 40):fig.start]
    if _period_words()["base_figure"].search(head):
        return True
    core = head.rstrip()                    # "so với cùng kỳ (120 ha)": a "(" then white space ends the head
    return core.endswith("(") and bool(_period_rules()[1].search(head[:len(core) - 1]))


def label_period(fig: Figure, text: str, s0: int, s1: int | None = None) -> str:
    """A label of the sentence that ends in a year and a colon dates every figure after it:
    "Quy mô đàn gia súc đến năm 2020: đàn gia cầm đạt 40.000 con; đàn bò 250 con".

    With s1, the sentence's mentions are read (once per sentence): those starting before
    the last colon are text[s0:fig.start]'s, as no mention reads past a colon."""
    last_colon = text.rfind(":", s0, fig.start)
    if last_colon < 0:
        return ""                       # no label: a mention needs a colon between it and the figure
    if s1 is None:
        ms = mentions(text, s0, fig.start)
        starts = [x.start for x in ms]
    else:
        ms, starts, _reach = _mention_index(text, s0, s1)
    label_end = _space_before(text, last_colon, s0)
    for x in reversed(ms[:bisect_left(starts, last_colon)]):
        if x.end < label_end:
            break                       # only white space may stand between the label and its colon
        if not x.base and _COLON_AFTER.match(text, x.end, fig.start) and text.find(":", x.end) == last_colon:
            return x.period             # a later label ("còn năng suất bình quân hằng năm: …") ends it
    return ""


def _space_before(text: str, at: int, lo: int) -> int:
    """Where the run of white space that ends at `at` starts (not before lo)."""
    while at > lo and text[at - 1].isspace():
        at -= 1
    return at


# --- kind -----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _kind_rules() -> SimpleNamespace:
    """The scans of rules/targets.yaml: the title words of a target (strong: without the
    weak ones) and of an actual, searched by their led twins (LowScan.first: a pattern's
    quick lead would try each letter), and the target cues before a figure."""
    t = rules.load("targets")
    return SimpleNamespace(
        weak_target=LowScan(lx.words_anywhere(t["target_titles"] + t["weak_target_titles"])),
        strong_target=LowScan(lx.words_anywhere(t["target_titles"])),
        actual=LowScan(lx.words_anywhere(t["actual_titles"])),
        target_cues=LowScan(lx.words_anywhere(t["target_cues"])))


@lru_cache(maxsize=2048)
def title_kind(title: str, strong: bool = False) -> str | None:
    """The kind a title names: the kind word that comes first is the head of the phrase
    ("KẾT QUẢ THỰC HIỆN CHỈ TIÊU" → actual, "MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN" → target).
    strong: leave out the weak target words (nhiệm vụ, giải pháp), which name a kind only
    where no enclosing heading names one ("Xây dựng Đảng … ngang tầm nhiệm vụ")."""
    k = _kind_rules()
    a, t = k.actual.first(title), (k.strong_target if strong else k.weak_target).first(title)
    if a >= 0 and (t < 0 or a <= t):
        return "actual"
    return "target" if t >= 0 else None


def clause_kind(fig: Figure, text: str, s0: int) -> str:
    """Rule 24 in the figure's own clause: a target cue before it in its ";" clause, or one
    that opens the sentence ("Phấn đấu đến năm 2025, …; …", "Đến năm 2025, dự kiến …; …")."""
    cues_before = _target_cues_before(text, s0, fig.start)
    if not cues_before:
        return ""                       # most sentences: no cue, no clause to find
    start = clause_start(text, s0, fig.start)
    if cues_before[-1] >= start:
        return "target"
    first = cues_before[0] if cues_before and cues_before[0] < start else None
    return "target" if first is not None and _opens_sentence(text, s0, first) else ""


class _CueScan:
    """The target cues of one sentence, found once, left to right, as far as its figures
    ask: each figure looks only at what was not read for the figures before it, so a long
    ";"-joined sentence costs linear time. (A cue holds no ";" and no digit, so no match
    straddles a clause start or a number: the scan finds what a search from either would.)"""
    __slots__ = ("text", "s0", "until", "starts", "low")

    def __init__(self, text: str, s0: int):
        self.text, self.s0, self.until, self.starts, self.low = text, s0, s0, [], False

    def upto(self, end: int) -> list[int]:
        if end > self.until:
            scan = _kind_rules().target_cues
            if self.low is False and scan.led is not None:
                self.low = lowered(self.text)       # once per sentence, not per figure
            self.starts.extend(a for a, _b in scan.spans(self.text, self.until, end, self.low))
            self.until = end
        return self.starts if not self.starts or self.starts[-1] < end else \
            [c for c in self.starts if c < end]


_SCAN = threading.local()   # the scan of the sentence whose figures this thread links


def _target_cues_before(text: str, s0: int, end: int) -> list[int]:
    """The starts of the target cues of the sentence at s0 that end by `end`, in order."""
    scan = getattr(_SCAN, "scan", None)
    if scan is None or scan.text is not text or scan.s0 != s0:
        scan = _SCAN.scan = _CueScan(text, s0)
    return scan.upto(end)


def _opens_sentence(text: str, s0: int, start: int) -> bool:
    """Only a list number, a lead ("Đến năm 2025,") or two words stand before start."""
    lead = _period_rules()[2].match(text, s0, start)
    head = text[lead.end() if lead else s0:start]
    return len(WORD.findall(re.sub(r"^\W*(?:\(?\d{1,2}\)?[.)])?", "", head))) <= 2
