"""Find the figures of one sentence: a number with its unit or counted noun.

Every number of the sentence ends up either as a Figure or as an Excluded span with
the reason it is not a row (date, document number, year, list number …), so that an
auditor can see why. Offsets are offsets in the block text.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from itertools import accumulate, groupby
from operator import itemgetter
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import registry as rules
from pipeline.model import Excluded, Figure

from pipeline.find import lexicon as lx, regions
from pipeline.find.numbers import NUMBER, NUMBER_REST, magnitudes, parse_digits, parse_words

NUM_AT = re.compile(NUMBER)
NUMBER_TOKEN = re.compile(r"(?<![\d.,])(?:%s)(?![\d])" % NUMBER)
RATIO = re.compile(r"/(?P<den>%s)(?![\d/])" % NUMBER)
UNIT_RATIO = re.compile(r"\s*/\s*(%s)" % NUMBER)
YEAR_AFTER = re.compile(r"\s+(?:19|20)\d{2}(?!\d)")
# patterns a number's reading tries (compiled here, not through re's cache on every call)
_MORE_DIGITS = re.compile(r"\s*(%s)" % NUMBER)
_PER_SLASH = re.compile(r"\s*/\s*")
_LETTERS = re.compile(r"\s*(%s+)" % lx.LETTER)
_WORDS = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")
LIST_MARKER = re.compile(r"^\s*\(?(?P<n>\d{1,2})\)?\s*[.)](?!\d)\s*(?:[.:]\s*)?(?=\S)")


# --- cue words of rules/numbers.yaml, units.yaml, counted.yaml, qualifiers.yaml -------------
@lru_cache(maxsize=1)
def _numbers():
    """Number words, range and ratio words of rules/numbers.yaml, compiled."""
    n = rules.load("numbers")
    ratio = n["written_ratio"]
    return dict(
        written_ratio=re.compile(r"\s+(?:%s)\s+(?:(?:%s)\s+)?(?:(?:%s)\s+)(?P<den>%s)(?![\d])" % (
            lx.alternation(ratio["of"]), lx.alternation(ratio["total"]), lx.alternation(ratio["count"]), NUMBER),
            re.IGNORECASE),
        range=re.compile(r"\s*(?:-|–|—|%s)\s*(?P<high>%s)(?![\d/])" % (lx.alternation(n["range_words"]), NUMBER),
                         re.IGNORECASE),
        word_number=re.compile(r"(?<![^\W_])(?:%s)(?:\s+(?:%s))*(?![^\W_])" % (
            lx.alternation(n["word_number_first"]), lx.alternation(n["word_number_next"])), re.IGNORECASE),
        # "hằng năm hộ …", "cả năm tổng …": the word is no number after these
        not_after=regions.quick(re.compile(r"(?<![^\W_])(?:%s)\s+$" % lx.alternation(n["word_number_not_after"]),
                                           re.IGNORECASE)),
        not_counting=frozenset(n["word_number_not_counting"]),
        negative_sign=re.compile(r"(?:(?<![^\W_])(?:%s)|[(])\s*$" % lx.alternation(n["negative"]["sign_after"]),
                                 re.IGNORECASE),
        signs=frozenset(n["negative"]["signs"]),
        negative_word=lx.words_ending(n["negative"]["words"]),
        pair_from=lx.words_ending(n["level_pair"]["from"]),
        pair_to=re.compile(r"\s*(?:\(?(?:(?:%s)\s+)?(?:19|20)\d{2}\)?\s+)?(?:%s)\s+(?=\d)" % (
            lx.alternation(n["level_pair"]["year_words"]), lx.alternation(n["level_pair"]["to"])), re.IGNORECASE),
    )


@lru_cache(maxsize=1)
def _units_cues():
    """Guards of unit words ("đồng chí") and the words after which "lần" multiplies."""
    u = lx.units_spec()
    guards = {}
    for word, g in u["not_units"].items():
        parts = []
        if g.get("next_word"):
            parts.append(re.compile(r"\s+(?:%s)" % lx.alternation(g["next_word"]), re.IGNORECASE))
        if g.get("next_letters"):
            parts.append(re.compile(r"\s*(?:%s)" % lx.alternation(g["next_letters"])))
        guards[word.lower()] = parts
    times_after = re.compile(r"(?<![^\W_])(?:%s)\s+(?:[^\W\d_]+\s+)?$" % lx.alternation(u["times_after"]),
                             re.IGNORECASE)
    return dict(guards=guards, times_after=times_after)


@lru_cache(maxsize=1)
def _after_qualifiers():
    """Words after a figure that bound it ("85% trở lên"): (pattern, word → qualifier)."""
    after = {w.lower(): r["qualifier"] for r in rules.load("qualifiers")["rules"] for w in r.get("after", [])}
    return re.compile(r"\s*(%s)(?![^\W_])" % lx.alternation(after), re.IGNORECASE), after


@lru_cache(maxsize=1)
def _list_patterns():
    """(joiner, tail) of a list of nouns sharing one number: "công ty, doanh nghiệp tư nhân"."""
    c = lx.counted()
    return (re.compile(r"\s*(?:%s)\s*" % lx.alternation(c["lists"])),
            re.compile(r"\s+(%s)(?![^\W_])" % lx.alternation(c["list_tails"])))


# NUMBER_TOKEN written from its first digit: sre passes over the text to a digit in one
# tight loop, and the match is the number, so finditer needs no Python step per number.
# The lookbehind reads the character before the digit, as NUMBER_TOKEN's does.
_DIGIT_TOKEN = re.compile(r"\d(?<![\d.,]\d)(?:%s)(?!\d)" % NUMBER_REST)


def number_tokens(text: str, s0: int, s1: int) -> list[tuple[int, int, bool]]:
    """NUMBER_TOKEN.finditer(text, s0, s1) as (start, end, False)."""
    return [(m.start(), m.end(), False) for m in _DIGIT_TOKEN.finditer(text, s0, s1)]


@lru_cache(maxsize=1)
def _word_number_scan():
    """(the quick form of the word_number pattern, a case-sensitive pattern of the
    lowered words a number in words starts with, where no letter or digit follows —
    None when lowering cannot stand in for the pattern's case-blind match)."""
    words = {w.lower() for w in rules.load("numbers")["word_number_first"]}
    # after its first word a number in words goes on with white space or stops before a
    # non-word: "chính", "khai" hold no start and are not tried
    starts = None if any(len(w) != len(w.lower()) or regions.odd_case(w) for w in words) else \
        re.compile(r"(?:%s)(?![^\W_])" % lx.alternation(words))
    return regions.quick(_numbers()["word_number"]), starts


def _word_numbers(text: str, s0: int, s1: int, low=False):
    """The numbers in words of text[s0:s1] (word_number.finditer), tried only where one
    of the words a number starts with is written: none starts elsewhere, and the case-blind
    pattern tried at every place costs more than a search for the words in the lowered
    text. low: regions.lowered(text[s0:s1]) if already worked out."""
    pattern, starts = _word_number_scan()
    if starts is not None and low is False:
        low = regions.lowered(text[s0:s1])
    if starts is None or low is None:
        return pattern.finditer(text, s0, s1)
    out = []
    at = starts.search(low)
    while at is not None:
        m = pattern.match(text, s0 + at.start(), s1)
        if m:
            out.append(m)        # finditer goes on after a match (never empty: a word)
        at = starts.search(low, m.end() - s0 if m else at.start() + 1)
    return out


@lru_cache(maxsize=1)
def _exclusion_rules() -> list[tuple[str, re.Pattern, bool, tuple, tuple | None]]:
    """(reason, pattern, whether a match may overlap a number in digits, its
    regions.planned, its regions.few_pieces) of each exclusion rule, in order."""
    return [(reason, p, not regions.never_on_digits(p), regions.planned(p), regions.few_pieces(p))
            for _name, reason, p in lx.exclusions()]


def _excluded_spans(text: str, s0: int, s1: int, near=None, low=False, memo=None,
                    near_digits=False) -> list[tuple[int, int, str]]:
    """The spans the exclusion rules mark in text[s0:s1], in rule order. With near (the
    (start, end) of the sentence's numbers), only those that may overlap one of them:
    each rule is run only between the clause marks around a number (find/regions.py).
    low: regions.lowered(text[s0:s1]) if already worked out; memo: a dict kept between
    calls on the same sentence (its clause marks, its lowered text); near_digits: near
    holds numbers in digits only, which rules of words alone ("một người dân") skip."""
    spans = []
    sentence = text[s0:s1]
    if near is not None:
        near = tuple((a - s0, b - s0) for a, b in near)
        memo = {} if memo is None else memo
        low = regions.memo_lowered(sentence, memo, low)
        todo: dict = {}              # the stretches around near by barriers, while near stays
    for reason, pattern, on_digits, plan, few in _exclusion_rules():
        if near_digits and not on_digits:
            continue
        if near is None:
            new = [(m.start(), m.end()) for m in pattern.finditer(sentence) if m.end() > m.start()]
        elif few is not None and low is not None and not _holds_one(low, few):
            continue                 # no piece its matches hold is in the sentence
        else:
            chars = plan[2]
            around = todo.get(chars)
            if around is None:
                around = todo[chars] = regions.stretches(near, len(sentence),
                                                         regions.barrier_stops(sentence, chars, memo))
            new = regions.matches_in(plan, sentence, low, around)
        if not new:
            continue
        spans.extend((s0 + a, s0 + b, reason) for a, b in new)
        if near is not None:
            # a number an earlier rule excludes keeps that rule's reason: later rules need not look
            kept = _not_overlapped(near, new)
            if not kept:
                break
            if len(kept) < len(near):
                near = kept
                todo.clear()
    return spans


def _holds_one(text: str, strings) -> bool:
    for s in strings:
        if s in text:
            return True
    return False


def _not_overlapped(near: tuple, new: list) -> tuple:
    """The spans of near that no span of new overlaps (few of each: compared pair by pair)."""
    if len(near) * len(new) > 32:
        marked = _Spans(new)
        return tuple(span for span in near if not marked.overlap(*span))
    return tuple((a, b) for a, b in near if not any(x0 < b and a < x1 for x0, x1 in new))


def _unit_at(text: str, pos: int, end: int):
    """(unit rule, word, end) of a unit written at pos, else None."""
    m = lx.unit_pattern().match(text, pos, end)
    if not m:
        return None
    word = m.group("unit")
    rest = text[m.end():m.end() + 6]
    if any(p.match(rest) for p in _units_cues()["guards"].get(word.lower(), ())):
        return None  # "đồng chí" is a person; "m ới" is "mới" broken
    return lx.unit_by_word()[word.lower()], word, m.end()


def _per_at(text: str, pos: int, end: int):
    m = lx.per_pattern().match(text, pos, end)
    if not m:
        return "", pos
    per = m.group("per") or m.group("pop")
    return " ".join(_PER_SLASH.sub("/", per.lower()).split()), m.end()


def counted_noun_at(text: str, pos: int, end: int, segmenter=None):
    """(noun as written, end) of the noun a number counts, starting at pos; else None."""
    for pattern in (lx.noun_pattern(), lx.classifier_pattern()):
        m = pattern.match(text, pos, end)
        if m:
            best = m
            # a classifier joins the noun after it: "căn nhà", "tuyến đường"
            if pattern is lx.noun_pattern():
                c = lx.classifier_pattern().match(text, pos, end)
                if c and c.end() > m.end() and m.group("noun").lower() in lx.counted()["classifiers"]:
                    best = c
            noun = best.group("noun")
            if noun.lower() in lx.counted()["not_before_year"] and YEAR_AFTER.match(text, best.end(), end):
                return None     # "từ 1.200 năm 2020 lên …": "năm 2020" dates the number
            if noun.split()[-1].lower() in lx.not_nouns():
                noun = noun.rsplit(None, 1)[0] if " " in noun else ""
                if not noun:
                    continue
            return noun, pos + len(text[pos:best.end()]) - len(text[pos:best.end()].lstrip()) + len(noun)
    if segmenter is None:
        return None
    m = _LETTERS.match(text, pos, end)
    if not m or m.group(1).lower() in lx.not_nouns() or lx.unit_pattern().match(text, pos, end):
        return None
    rest = text[pos:end]
    word = segmenter(rest)
    if not word or word.lower() in lx.not_nouns() or not _WORDS.fullmatch(word):
        return None
    if word[0].isupper() and not rest.lstrip().startswith(word):
        return None
    if word[0].isupper() and word.isupper():
        return None  # an abbreviation or a name, not a noun
    start = pos + len(rest) - len(rest.lstrip())
    return word, start + len(word)


@lru_cache(maxsize=1)
def _digit_or_unit() -> re.Pattern:
    return re.compile(r"\s*(?:\d|%s)" % lx.alternation(lx.units_words()), re.IGNORECASE)


def _noun_list(text: str, pos: int, end: int, noun: str):
    """Extend a counted noun over nouns that share its number: "công ty, doanh nghiệp tư nhân"."""
    while True:
        m = _list_patterns()[0].match(text, pos, end)
        if not m:
            return noun, pos
        nxt = lx.noun_pattern().match(text, m.end(), end)
        if not nxt:
            return noun, pos
        after = text[nxt.end():nxt.end() + 12]
        if _digit_or_unit().match(after):
            return noun, pos
        tail = _list_patterns()[1].match(text, nxt.end(), end)
        new_end = tail.end() if tail else nxt.end()
        noun = noun + text[pos:new_end]
        pos = new_end


_START, _END = itemgetter(0), itemgetter(1)


class _Spans:
    """Spans [x0, x1) that tell by bisection whether one of them overlaps [a, b): the spans
    starting before b, and the furthest end among them (matches need not be disjoint)."""
    __slots__ = ("starts", "reach")

    def __init__(self, spans):
        spans = sorted(spans)
        # map and itemgetter: no Python frame per span (a span may carry more than its ends)
        self.starts = list(map(_START, spans))
        self.reach = list(accumulate(map(_END, spans), max))

    def overlap(self, a: int, b: int) -> bool:
        i = bisect_left(self.starts, b)
        return i > 0 and self.reach[i - 1] > a


class _ExclusionIndex:
    """The exclusion spans of a sentence by rule, in rule order: the reason of the first
    rule that marks a number is found by bisection, not by reading every span of the
    sentence for every number (a long list sentence has thousands)."""

    def __init__(self, spans: list[tuple[int, int, str]]):
        # spans come rule after rule: a run of one reason is one rule (or rules alike)
        self.rules = [(reason, _Spans((x0, x1) for x0, x1, _r in run))
                      for reason, run in groupby(spans, key=itemgetter(2))]

    def reason(self, a: int, b: int) -> str | None:
        return next((reason for reason, found in self.rules if found.overlap(a, b)), None)


class _LazyIndex:
    """The _ExclusionIndex of the exclusion spans near `near`, worked out at the first ask."""

    def __init__(self, text: str, s0: int, s1: int, near, low, memo: dict):
        self.args, self.index = (text, s0, s1, near, low, memo), None

    def reason(self, a: int, b: int) -> str | None:
        if self.index is None:
            text, s0, s1, near, low, memo = self.args
            self.index = _ExclusionIndex(_excluded_spans(text, s0, s1, near=near, low=low, memo=memo))
        return self.index.reason(a, b)


@lru_cache(maxsize=1)
def _digit_next() -> re.Pattern | None:
    """White space then a digit, which no unit, counted noun or classifier word starts
    with: a number in words written before it reads as no figure (it counts nothing and
    takes no unit; in words it takes no ratio, range nor magnitude). None when some word
    of rules/ starts with a digit."""
    words = [*lx.units_words(), *lx.counted()["nouns"], *lx.counted()["classifiers"]]
    return None if any(w[:1].isdigit() for w in words) else re.compile(r"\s*\d")


def _no_reason(_a: int, _b: int) -> None:
    return None      # a sentence no exclusion rule marks


def _numbers_in(text: str, s0: int, s1: int, low) -> list[tuple[int, int, bool]]:
    """The numbers in digits and in words of text[s0:s1] as (start, end, in_words), in order."""
    tokens = number_tokens(text, s0, s1)
    tokens += [(m.start(), m.end(), True) for m in _word_numbers(text, s0, s1, low)]
    tokens.sort()
    return tokens


def paragraph_numbers(text: str) -> tuple[list[tuple[int, int, bool]], str | None]:
    """(the numbers of the whole text as _numbers_in gives them, regions.lowered(text)).

    Found in one scan per paragraph, not per sentence: no number runs across the end of a
    sentence (sentences.split ends one at a mark followed by white space, and a number
    holds neither), so the numbers of each sentence are a run of these."""
    low = regions.lowered(text)
    return _numbers_in(text, 0, len(text), low), low


def find_figures(text: str, s0: int, s1: int, *, block_start: bool, segmenter=None,
                 allow_bare: bool = False, numbers=None, low=False):
    """Figures and excluded numbers of the sentence text[s0:s1]. numbers: its numbers as
    _numbers_in gives them, if found already; low: regions.lowered(text[s0:s1]) if known."""
    figures: list[Figure] = []
    excluded: list[Excluded] = []
    if low is False:
        low = regions.lowered(text[s0:s1])
    tokens = _numbers_in(text, s0, s1, low) if numbers is None else numbers
    if not tokens:
        return figures, excluded
    digits = [(a, b) for a, b, in_words in tokens if not in_words]
    memo: dict = {}
    spans = _excluded_spans(text, s0, s1, near=digits, low=low, memo=memo, near_digits=True) if digits else []
    consumed_until = s0

    excluded_by = _ExclusionIndex(spans).reason if spans else _no_reason
    # the numbers in words, looked for together, once, when the first reads as a figure
    words = [(a, b) for a, b, in_words in tokens if in_words]
    word_excluded_by = _LazyIndex(text, s0, s1, words, low, memo) if words else None
    digit_next = _digit_next() if words else None

    marker = LIST_MARKER.match(text, s0, s1) if block_start else None
    marker_at = text.index(marker.group("n"), s0) if marker else None
    for a, b, in_words in tokens:
        if a < consumed_until:
            continue
        if a == marker_at and not in_words:
            excluded.append(Excluded(a, b, "đánh số ý"))
            continue
        if in_words:
            # a number in words leaves no trace unless it reads as a figure: only then
            # do the exclusions (looked for around it alone) decide
            if digit_next is not None and digit_next.match(text, b, s1):
                continue        # "năm 2020": no unit nor noun follows, no figure
            found = _read_figure(text, a, b, s1, in_words, segmenter, allow_bare)
            if isinstance(found, str) or word_excluded_by.reason(a, b):
                continue
        else:
            reason = excluded_by(a, b)
            if reason:
                excluded.append(Excluded(a, b, reason))
                continue
            found = _read_figure(text, a, b, s1, in_words, segmenter, allow_bare)
            if isinstance(found, str):
                excluded.append(Excluded(a, b, found))
                continue
        figures.extend(found)
        consumed_until = max(f.end for f in found)
    return figures, excluded


UNREAD = "không nhận dạng được"
PROPER_NAME = "tên riêng có số"
OUT_OF_RANGE = "số quá lớn, ngoài khoảng đọc được (out of range)"
MAX_VALUE = 1e18            # beyond any figure a report states (a quintillion đồng); JSON-safe


def _in_range(found):
    """A reason instead of figures whose value (or denominator) is no finite, sane number."""
    if isinstance(found, str):
        return found
    for f in found:
        for v in (f.value, f.denominator):
            if v is not None and not (math.isfinite(v) and abs(v) <= MAX_VALUE):
                return OUT_OF_RANGE
    return found


@dataclass(slots=True)
class _Reading:
    """A number at text[a:b] being read, with what follows it up to s1 (pos: read so far)."""
    text: str
    a: int
    b: int
    s1: int
    in_words: bool
    value: float
    pos: int
    denominator: float | None = None
    high: float | None = None
    scale: float = 1.0
    mag: re.Match | None = None
    unit: str = ""
    factor: float = 1.0
    per: str = ""
    counted: str = ""
    sign: float = 1.0
    start: int = -1            # raw start: a, or the "-" of a signed number


def _read_figure(text, a, b, s1, in_words, segmenter, allow_bare):
    """The figure(s) whose number is text[a:b], or a reason string when it is none."""
    return _in_range(_read_number(text, a, b, s1, in_words, segmenter, allow_bare))


def _read_number(text, a, b, s1, in_words, segmenter, allow_bare):
    glued = a > 0 and text[a - 1].isalpha()
    value = _number_value(text, a, b, in_words)
    if value is None:
        return UNREAD
    if in_words:
        segmenter = None  # a number in words counts only nouns that rules/counted.yaml knows
    r = _Reading(text, a, b, s1, in_words, value, b, start=a)
    if not in_words:
        _read_sign(r)
        _read_ratio_or_range(r)
    _read_magnitudes(r)
    unit = _unit_at(text, r.pos, s1)
    if unit is not None:
        found = _read_unit(r, unit)
    elif glued:
        return PROPER_NAME
    else:
        found = _read_counted(r, segmenter, allow_bare)
    if found is not None:
        return found
    if glued and r.unit == "count":
        return PROPER_NAME
    return _figures(r, _after_qualifier(text, r.pos, s1))


def _number_value(text: str, a: int, b: int, in_words: bool):
    """The value of the number text[a:b]; None for number words that are no number here."""
    if not in_words:
        return parse_digits(text[a:b])
    value = parse_words(text[a:b])
    if value is None or _numbers()["not_after"].search(text[max(0, a - 12):a]):
        return None
    return value


def _read_sign(r: _Reading) -> None:
    """A negative level: "đạt -2,5%" (the sign is part of raw), "tăng trưởng âm 1,2%"
    (the word is not, like a qualifier's): the value keeps the sign."""
    n = _numbers()
    head = r.text[max(0, r.a - 30):r.a]
    if r.a > 0 and r.text[r.a - 1] in n["signs"] and n["negative_sign"].search(head[:-1]):
        r.sign, r.start = -1.0, r.a - 1
    elif n["negative_word"].search(head):
        r.sign = -1.0


def _borrowed_unit(r: _Reading, segmenter):
    """"tăng từ 12,4 lên 15,8 bác sĩ": a starting level written bare takes the unit of the
    level it goes to; None when the number is no such starting level."""
    n = _numbers()
    m = n["pair_to"].match(r.text, r.b, r.s1)
    if not m or not n["pair_from"].search(r.text[max(0, r.a - 12):r.a]):
        return None
    nxt = NUM_AT.match(r.text, m.end(), r.s1)
    found = _read_figure(r.text, nxt.start(), nxt.end(), r.s1, False, segmenter, False) if nxt else None
    if not isinstance(found, list) or not found or found[0].denominator is not None:
        return None
    f, written = found[0], parse_digits(nxt.group())
    k = abs(f.value) / written if written else 1.0     # the scale and factor of its unit
    return [Figure(r.start, r.b, r.a, r.b, round9(r.sign * r.value * k), f.unit, f.counted, None, f.per)]


@lru_cache(maxsize=1)
def _ratio_or_range() -> re.Pattern:
    """RATIO, written_ratio (its denominator named den2) and range, tried in that order at
    a place by one match instead of three (RATIO holds no letter: the case-blind flag
    leaves it as it is)."""
    n = _numbers()
    written = n["written_ratio"].pattern.replace("(?P<den>", "(?P<den2>")
    return re.compile("|".join("(?:%s)" % p for p in (RATIO.pattern, written, n["range"].pattern)), re.IGNORECASE)


def _read_ratio_or_range(r: _Reading) -> None:
    """"3/5", "15 trong tổng số 20": a denominator; else "5 - 10", "5 đến 10": a range."""
    m = _ratio_or_range().match(r.text, r.pos, r.s1)
    if m is None:
        return
    high = m.group("high")
    if high is None:
        r.denominator = parse_digits(m.group("den") or m.group("den2"))
        r.pos = m.end()
    elif not r.text[m.end():m.end() + 1] in ("/",):
        r.high = parse_digits(high)
        r.pos = m.end()


def _read_magnitudes(r: _Reading) -> None:
    """A magnitude word after a number in digits scales it: "9,876 tỷ", "2 tỷ 150 triệu"."""
    r.mag = lx.magnitude_pattern().match(r.text, r.pos, r.s1)
    if not r.mag or r.in_words:
        return
    mags = magnitudes()
    r.scale = mags[r.mag.group("mag").lower()]
    r.pos = _dot_glued_unit(r.text, r.mag.end(), r.s1)
    # "2 tỷ 150 triệu đồng": magnitudes add up
    more = _MORE_DIGITS.match(r.text, r.pos, r.s1)
    if more:
        mag2 = lx.magnitude_pattern().match(r.text, more.end(), r.s1)
        if mag2 and mags[mag2.group("mag").lower()] < r.scale:
            r.value = r.value * r.scale + parse_digits(more.group(1)) * mags[mag2.group("mag").lower()]
            r.scale = 1.0
            r.pos = mag2.end()


def _dot_glued_unit(text: str, pos: int, s1: int) -> int:
    """Past the dot that glues a magnitude to its unit ("Tr.USD", "tỷ.đ"); else pos."""
    if text[pos:pos + 1] == "." and pos + 1 < s1 and not text[pos + 1].isspace() and _unit_at(text, pos + 1, s1):
        return pos + 1
    return pos


def _read_unit_ratio(r: _Reading, rule) -> None:
    """"3.412.500.000đ/2.950.000.000đ", "2,2 tỷ đồng/2,5 tỷ đồng": a ratio with the unit
    written on both sides gives the denominator (in the scale of the value)."""
    m = UNIT_RATIO.match(r.text, r.pos, r.s1)
    if not m:
        return
    pos, scale = m.end(), 1.0
    mag = lx.magnitude_pattern().match(r.text, pos, r.s1)
    if mag:
        scale, pos = magnitudes()[mag.group("mag").lower()], _dot_glued_unit(r.text, mag.end(), r.s1)
    u2 = _unit_at(r.text, pos, r.s1)
    if u2 and u2[0] is rule:
        r.denominator = parse_digits(m.group(1)) * scale / r.scale
        r.pos = u2[2]


def _read_unit(r: _Reading, unit):
    """The unit written at r.pos (and a range "10% - 15%", a per); a reason when no figure."""
    rule, word, r.pos = unit
    if r.in_words and rule["unit"] != "times":
        return UNREAD
    r.unit, r.factor = rule["unit"], float(rule["factor"])
    if r.unit == "times" and not _units_cues()["times_after"].search(r.text[max(0, r.a - 20):r.a]):
        r.unit, r.counted = "count", word   # "Mỗi năm 2 lần": a frequency, not a multiplier
    if r.high is None and r.denominator is None and not r.in_words:
        # "10% - 15%": a range with the unit on both ends
        m = _numbers()["range"].match(r.text, r.pos, r.s1)
        if m:
            u2 = _unit_at(r.text, m.end(), r.s1)
            if u2 and u2[0] is rule:
                r.high = parse_digits(m.group("high"))
                r.pos = u2[2]
        if r.high is None:
            _read_unit_ratio(r, rule)
    r.per, r.pos = _per_at(r.text, r.pos, r.s1)
    return None


def _read_counted(r: _Reading, segmenter, allow_bare):
    """A number with no unit: money ("30 triệu"), a counted noun, or a bare number.

    None when r is read; a reason, or the figure of a labelled number, otherwise."""
    noun = counted_noun_at(r.text, r.pos, r.s1, segmenter)
    money, money_magnitudes = lx.money_without_unit()
    if noun is None and r.scale > 1 and r.mag and r.mag.group("mag").lower() in money_magnitudes:
        r.unit, r.factor = money, 1.0   # "30 triệu": money
        r.per, r.pos = _per_at(r.text, r.pos, r.s1)
        return None
    if noun is None:
        return _read_bare(r, allow_bare, segmenter)
    word, r.pos = noun
    if r.in_words and word.lower() in _numbers()["not_counting"]:
        return UNREAD
    r.counted, r.pos = _noun_list(r.text, r.pos, r.s1, word)
    r.unit, r.factor = "count", 1.0
    r.per, r.pos = _per_at(r.text, r.pos, r.s1)
    return None


def _read_bare(r: _Reading, allow_bare: bool, segmenter=None):
    """A number with neither unit nor noun: a labelled count ("Hội viên PN: 1.783"), a bare
    count where allowed (None), else a reason."""
    if r.in_words:
        return UNREAD
    label = _label_before(r.text, r.a)
    if label is None and not allow_bare:
        if r.denominator is not None and r.value <= 31 and r.denominator <= 12:
            return "ngày tháng"
        if r.denominator is None and r.high is None:
            return _borrowed_unit(r, segmenter) or _subject_count(r) or UNREAD
        return UNREAD
    r.unit, r.factor, r.per = "count", 1.0, ""
    if label is not None:
        return [Figure(r.a, r.pos if r.denominator is not None else r.b, r.a, r.b, r.value * r.scale, "count",
                       _label_noun(label), denominator=r.denominator, label=label)]
    return None


def _after_qualifier(text: str, pos: int, s1: int) -> str:
    """The qualifier written after the figure: "85% trở lên" → ">="."""
    pattern, words = _after_qualifiers()
    m = pattern.match(text, pos, s1)
    return words[m.group(1).lower()] if m else ""


def round9(x: float) -> float:
    """round(x, 9): a whole number (most figures) is that already, and round goes through
    a decimal string (a microsecond a figure)."""
    return x if type(x) is float and x.is_integer() else round(x, 9)


def _figures(r: _Reading, after: str) -> list[Figure]:
    """The figure read, in base units; the two ends of a range as two figures."""
    k = r.factor * r.scale
    value = round9(r.value * k)
    denominator = round9(r.denominator * k) if r.denominator is not None else None
    counted = r.counted.lower() if r.unit == "count" else ""
    if r.high is None:
        return [Figure(r.start, r.pos, r.a, r.b, r.sign * value, r.unit, counted, denominator, r.per, "", "", after,
                       r.in_words)]
    high = round9(r.high * k)
    hm = _numbers()["range"].match(r.text, r.b, r.s1)
    h0 = hm.start("high") if hm else r.b
    h1 = h0 + len(hm.group("high")) if hm else r.b
    return [Figure(r.a, r.pos, r.a, r.b, value, r.unit, counted, None, r.per, "low", "", after),
            Figure(r.a, r.pos, h0, h1, high, r.unit, counted, None, r.per, "high", "", after)]


@lru_cache(maxsize=1)
def _subject_cues():
    s = lx.counted()["subject_count"]
    not_after = "".join(r"(?<!%s )" % re.escape(w) for w in s["not_after"])
    return (re.compile(r"(?<![^\W_])%s(?:%s)(?=\s)" % (not_after, lx.alternation(s["opens"])), re.IGNORECASE),
            re.compile(r"(?<![^\W_])(?:%s)\s*$" % lx.alternation(s["verbs"]), re.IGNORECASE),
            re.compile(r"\s*(?:[,;.)(]|$)"))


SUBJECT_REACH = 240         # characters before a number where its "(tổng) số <noun> … là" subject is read


@lru_cache(maxsize=1)
def _longest_verb() -> int:
    return max(map(len, lx.counted()["subject_count"]["verbs"]))


def _subject_count(r: _Reading):
    """"tổng số trang trại, gia trại của phường là 70, gồm …": a bare number that a clause
    opened by "(tổng) số <noun>" states with "là"/"đạt" counts that noun (raw: the number)."""
    opens, verb, ends = _subject_cues()
    # the subject is read within a bounded stretch before the number: a long list sentence
    # costs linear time, and a subject that far back is not this number's
    reach = max(0, r.a - SUBJECT_REACH)
    clause_start = max(reach, max(r.text.rfind(c, reach, r.a) for c in ";:") + 1)
    head = r.text[clause_start:r.a]
    if not ends.match(r.text, r.b, r.s1) or not verb.search(head, max(0, len(head.rstrip()) - _longest_verb())):
        return None
    subjects = list(opens.finditer(head))
    noun = lx.noun_pattern().match(head, subjects[-1].end()) if subjects else None
    if noun is None:
        return None
    counted, _end = _noun_list(head, noun.end(), len(head), noun.group("noun"))
    return [Figure(r.start, r.b, r.a, r.b, r.sign * r.value, "count", counted.lower())]


LABEL = re.compile(r"(?P<label>[^\W\d_][^:;,()]{0,40}?)\s*:\s*$")


def _label_before(text: str, a: int):
    """'Hội viên PN' in 'Hội viên PN: 1.783' (a label, a colon, then the number)."""
    head = text[max(0, a - 45):a]
    # LABEL ends in ":" and white space: elsewhere its search would try every place in vain
    if not head.rstrip().endswith(":"):
        return None
    m = LABEL.search(head)
    if not m:
        return None
    label = m.group("label").strip()
    return label if len(label.split()) <= 6 else None


def _label_noun(label: str) -> str:
    m = lx.noun_pattern().match(label)
    return (m.group("noun") if m else label.split()[0]).lower()
