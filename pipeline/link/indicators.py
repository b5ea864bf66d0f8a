"""The indicator: the phrase of the sentence that says what a figure measures.

Counts name it after the number ("08 nhà màng trồng dưa lưới"); amounts before it, in
the subject ("tỷ lệ hộ nghèo giảm còn 1,96%"), with a comparison base when one is
stated ("… đạt 100,5% kế hoạch" → "… so với kế hoạch"); a percentage of a group names
the group after it ("95% dân số dùng nước sạch" → "tỷ lệ dân số dùng nước sạch").
A sentence remembers its last subject for the figures that follow without one.

The finder is a set of named rules, as Duckling declares them: small functions that
each look at one figure's context (`Ctx`) and return a phrase, or None when they do not
apply. A chain is tried in order and its first rule that applies wins (COUNT_RULES,
AMOUNT_RULES); an adjustment step (SUBJECT_STEPS, FINISH_STEPS) is a group of rules of
which the first that applies rewrites the subject. Every rule has examples in
rules/indicators.yaml (`rules:`), run by tests/test_indicator_rules.py, which also checks
that the named rule fired. The cue words the rules look for are lists in that file too.
"""
from __future__ import annotations

import bisect
import os
import re
from re import _casefix
import _sre
from itertools import chain
from contextlib import contextmanager
from functools import lru_cache
from types import SimpleNamespace
from typing import Callable, Optional

from pipeline.find import regions
from pipeline.link import pos
from pipeline.link.marks import Marks, clause_start
from pipeline import registry as rules
from pipeline.model import Figure

MAX_WORDS = 18
BOUNDARY_MARKS = ",;:()[]"             # the characters that end a clause
DIGIT = re.compile(r"\d")
DIGIT_WORD = re.compile(r"\S*\d\S*")      # a word (as str.split() cuts them) with a digit in it
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
ASIDE = re.compile(r"\([^()]*\)")
LEAD_ASIDE = re.compile(r"\s*\([^()]*\)")          # matched at the start: ^…
LEAD_SPACE = re.compile(r"(?:\s*(\)))?\s*")  # a closing bracket (group 1) and the white space after
OPEN_BEFORE = re.compile(r"\(\s*$")
CLOSES_ASIDE = re.compile(r"[^()]*\)")
ITEM_NUMBER = re.compile(r"\s*\(?\d{1,2}\)?[.)]")
LABEL_MARKS = ";:()"                   # a label runs from the last of these to its colon
PUNCT_STOP = r"[,;:.()\[\]…]|\d"
B, E = r"(?<![^\W_])", r"(?![^\W_])"       # a word starts / ends here
CAPITALISED = r"[A-ZĐ][^\W\d_]*"


def _alt(words) -> str:
    """An alternation of words in the order given (the first alternative that fits wins)."""
    return _tree([words] if isinstance(words, str) else list(words))


def _longest_first(words) -> str:
    """lexicon.alternation(words): the longest word first."""
    return _tree(sorted(set(words), key=len, reverse=True))


def _same_class(ch: str) -> int:
    """The characters a pattern character matches case-blind (re: by its lower case and the
    few extra equivalents re lists), as one number: two characters of different numbers
    never match one character of a text, with or without re.IGNORECASE."""
    lower = _sre.unicode_tolower(ord(ch))
    return min((lower, *_casefix._EXTRA_CASES.get(lower, ())))


def _tree(words: list[str]) -> str:
    """"|".join(map(re.escape, words)) with words sharing a first character under one
    branch ("đạt|đạt được|đến" → "đ(?:ạt|ạt\\ được)|đến"): the same matches, fewer branches
    tried at each place. A word moves up only past words whose first characters are never
    matched by one character (_same_class) — they never both match at one place, so their
    order does not matter — and never past an empty word, which matches everywhere."""
    groups: list[tuple[str, list[str]]] = []      # (first character, words) in order
    for w in words:
        at = None
        for i in range(len(groups) - 1, -1, -1):
            first = groups[i][0]
            if not w or not first:
                break
            if first == w[0]:
                at = i
                break
            if _same_class(first) == _same_class(w[0]):
                break
        if at is None:
            groups.append((w[:1], [w]))
        else:
            groups[at][1].append(w)
    return "|".join(re.escape(ws[0]) if len(ws) == 1 else _branch(ws) for _first, ws in groups)


def _branch(words: list[str]) -> str:
    """Words that share their first character: what they all begin with, then the rest."""
    n = len(os.path.commonprefix(words))
    return "%s(?:%s)" % (re.escape(words[0][:n]), _tree([w[n:] for w in words]))


def _not_after(words) -> str:
    """Lookbehinds: not right after one of words and a space ("lớp 9")."""
    return "".join(r"(?<!%s )" % re.escape(w) for w in words)


Q = regions.quick      # a pattern led by a look at the characters its matches can start with


def _phrase_cues(s: dict, a: dict, i: int) -> dict:
    """The cue patterns of the rules that read a subject's parts: its doer's action, its
    owner, its share, its sector, its frequency."""
    return dict(
        last_joint=re.compile(r"^.*%s(?:%s)\s+" % (B, a["count_joiners"]), i),
        share_is=re.compile(r"\s+(?:%s)\s+(?=[^\W\d_])" % a["share_is"], i),   # matched in place at a figure's end
        frequency=re.compile(r"(?:%s)(?:\s+(?:%s))*" % (a["frequency_words"], a["frequency_words"]), i),
        joined_end=Q(re.compile(r"%s(?:%s)\s*$" % (B, a["count_joiners"]), i)),
        count_change=Q(re.compile(r"%s(?:%s)(?:\s+(?:%s))?\s*$" % (B, a["change_verbs"], a["change_additions"]), i)),
        aggregate=re.compile(r"^(?:%s)%s" % (a["aggregates"], E), i),
        sector=re.compile(r"(?:^|\s)(?:%s)%s" % (a["sector_words"], E), i),
        breakdown=Q(re.compile(r"%s(?:%s)%s" % (B, a["breakdown_leads"], E), i)),
        change_end=re.compile(r"(?:\s+(?:%s|%s))+\s*$" % (a["change_verbs"], a["frequency_words"]), i),
        action_unnamed=re.compile(r"(?:%s)" % a["count_actions_unnamed"], i),
        share_verb=Q(re.compile(r"%s(?:%s)(?:\s+(?:%s))*\s*$" % (B, a["share_verbs"], a["trailing_bounds"]), i)),
        rate_owner=re.compile(r"^(.+?)\s+(?:%s)\s+((?:%s|%s)%s.*)$" % (
            a["rate_owner_links"], a["rate_words"], _longest_first(s["measures"]), E), i),
        rate_owner_of=s["rate_owner_of"],
        # the most words a count_change match holds: it ends the clause, so it is in its last ones
        count_change_words=max(len(w.split()) for w in s["change_verbs"]) +
        max((len(w.split()) for w in s["change_additions"]), default=0),
    )


@lru_cache(maxsize=1)
def _cues() -> SimpleNamespace:
    """The cue words of rules/indicators.yaml, compiled once into patterns."""
    s = rules.load("indicators")
    a = {k: _alt(v) for k, v in s.items() if isinstance(v, list) and all(isinstance(w, str) for w in v)}
    bare, named, i = s["bare_measures"], s["named_rates"], re.IGNORECASE
    return SimpleNamespace(
        **_phrase_cues(s, a, i),
        tail_stop=re.compile(r"%s|%s(?:%s)%s" % (PUNCT_STOP, B, a["tail_stop_words"], E), i),
        tail_skip=Q(re.compile(r"%s(?:%s)%s\s*|%s(?:%s) (?:\w+ )?(?-i:(?:%s\s*)+)" % (
            B, a["tail_skip_words"], E, B, a["tail_skip_place_leads"], CAPITALISED), i)),
        tail_cut=_tail_cut(s["tail_skip_words"] + s["tail_skip_place_leads"]),
        # names read in place from a figure's end (no "^": match at pos; "$" is the sentence's end)
        names=Q(re.compile(r"\s*(?:%s(?:\s+|$))+(?:(?:%s|,)\s+(?:%s(?:\s+|$))+)*" % (
            CAPITALISED, a["name_joiners"], CAPITALISED))),
        rate=re.compile(r"^(?:%s)%s" % (a["rate_words"], E), i),
        rate_prefix=re.compile(r"^(?:%s)\s+" % a["rate_prefixes"], i),
        rate_noun=s["rate_noun"],
        base_link=s["base_link"],
        named_rate_end=re.compile(r"%s$" % _named_rate(named), i),
        # matched in place at a figure's end (no "^", no look behind): no copy of the sentence's rest
        noun_after=re.compile(r"\s+(?!(?:%s)%s)([^\W\d_]+)" % (a["not_noun_after"], E), i),
        group_stop=Q(re.compile(r"%s|%s\d|%s(?:%s)%s" % (PUNCT_STOP.replace(r"|\d", ""), _not_after(s["ordinal_nouns"]),
                                                   B, a["group_stop_words"], E), i)),
        bare_measure=re.compile(r"(?:(?:%s)\s+)?(?:%s)(?:\s+(?:%s))?" % (
            _alt(bare["totals"]), _alt(bare["measures"]), _alt(bare["averages"])), i),
        unit_measures=dict(s["unit_measures"]),
        units_not_prefixed=set(s["units_not_prefixed"]),
        units_for_what=set(s["units_for_what"]),
        season=Q(re.compile(r"%s(?:%s)%s" % (B, a["seasons"], E), i)),
        topic=re.compile(r"^\s*(?:%s)\s+((?:(?:%s)\s+)?[^\W\d_]+(?:\s+[^\W\d_]+){0,3})\s*$" % (
            a["topic_leads"], a["topic_classifiers"]), i),
        anaphora=Q(re.compile(r"%s(?:%s)$" % (B, a["anaphora"]))),
        measure_link_end=Q(re.compile(r"%s(?:%s)\s*$" % (B, a["measure_links"]))),
        restating=(re.compile(r"\s*\(\s*(?:%s)?\s*" % a["restating_in_brackets"]),
                   re.compile(r"\s*,?\s*(?:%s)\s*" % a["restating_after_comma"])),
        change_verb=Q(re.compile(r"%s(?:%s)%s" % (B, a["change_verbs"], E))),
        change_verbs=list(s["change_verbs"]),
        base_end=re.compile(r"\s+(?:%s)%s.*$" % (a["base_ends"], E)),
        count_joint=re.compile(r"\s*(?:,|%s|,\s*(?:%s))\s*" % (a["count_joiners"], a["count_joiners"])),
        members_link=Q(re.compile(r"%s(?:%s)\s*$" % (B, a["count_members_link"]))),
        count_noun_lead=re.compile(r"^(?:%s|-|–)\s*" % a["count_noun_leads"]),
        count_of=re.compile(r"^(?:%s)\s+" % a["count_of"]),
        group_lead=re.compile(r"^\s*(?:(?:%s)\s+)?" % a["group_leads"], i),
        total_end=Q(re.compile(r"%s(?:%s)\s+$" % (B, a["totals"]))),
    )


def _tail_cut(skipped: list[str]) -> re.Pattern | None:
    """The punctuation a count's tail stops at (tail_stop), where its window may be cut
    before tail_skip runs: no skipped words hold one, so none is skipped and the tail stops
    there or before. None when some skipped word holds one."""
    punct = re.compile(PUNCT_STOP.replace(r"|\d", ""))
    return None if any(punct.search(w) for w in skipped) else punct


@lru_cache(maxsize=1)
def _spec():
    s = rules.load("indicators")
    return dict(
        measure=Q(re.compile(r"%s(?:%s)%s" % (B, _longest_first(s["measures"]), E), re.IGNORECASE)),   # lexicon.words_anywhere
        **_trailing(s),
        leading=re.compile(r"^(?:\W+|\(?\d{1,2}\)?[.)]\s*|(?:%s)(?![^\W_])\s*|(?:(?:%s) )?(?:%s) (?:19|20)\d\d\s*)" % (
            _longest_first(s["leading"]), _alt(s["leading_year_leads"]), _alt(s["year_words"])), re.IGNORECASE),
        bases=[Q(re.compile(p, re.IGNORECASE)) for p in s["bases"]],
        times_bases=[re.compile(p, re.IGNORECASE) for p in s["times_bases"]],
        base_after=_first_of(s["bases"]),
        times_base_after=_first_of(s["bases"] + s["times_bases"]),
        **_kept(s),
        agent=re.compile(r"^(?:toàn\s+)?(?:%s)(?:\s+(?:%s))?(?:\s+(?-i:%s))*\s+(?:(?:%s)\s+)?" % (
            _longest_first(s["agents"]), _longest_first(s["owner_units"]), CAPITALISED,
            _longest_first(s["agent_auxiliaries"])), re.IGNORECASE),
        link_verb=re.compile(r"^(?:%s)%s" % (_longest_first(s["link_verbs"]), E), re.IGNORECASE),
        owner=regions.quick(re.compile(r"\s*%s(?:%s) (?:%s)(?!\s+(?-i:[A-ZĐ])|\s+(?:%s)%s)%s" % (
            B, _alt(s["owner_leads"]), _longest_first(s["owner_units"]), _alt(s["owner_unit_compounds"]), E, E),
            re.IGNORECASE)),
        owner_lead=Q(re.compile(_alt(s["owner_leads"]), re.IGNORECASE)),   # in every match of owner
        owner_kept=re.compile(r"^(?:%s)%s" % (_alt(s["owner_kept_after"]), E), re.IGNORECASE),
    )


def _named_rate(named: dict) -> str:
    """A rate named with its verb: "tốc độ tăng", "tỷ lệ giảm"."""
    return r"(?:%s) (?:%s)(?: (?:%s))?" % (_alt(named["heads"]), _alt(named["verbs"]), _alt(named["suffixes"]))


def _kept(s: dict) -> dict:
    """What clean() keeps at a phrase's end, as one pattern: a rate named with its verb
    (_cues().named_rate_end) or a kept ending ("… hằng năm"; lexicon.words_ending). Both match
    only at the end, the ending with white space after it: kept_reach says how far back
    from the end, and from the end of its last word, a match of each can start."""
    rate = _named_rate(s["named_rates"])
    ending = r"(?<![^\W_])(?:%s)" % _longest_first(s["kept_endings"])
    reach = (_width(rate), _width(ending))
    return dict(kept=regions.quick(re.compile(r"%s$|%s\s*$" % (rate, ending), re.IGNORECASE)),
                kept_reach=None if None in reach else reach)


def _width(pattern: str, flags=re.IGNORECASE) -> int | None:
    """The most characters a match of pattern can span (None: no bound worked out)."""
    width = regions.P.parse(pattern, flags).getwidth()[1]
    return width if width < regions.C.MAXREPEAT else None


def _first_of(patterns: list[str]) -> re.Pattern:
    """One pattern whose match is that of the first of patterns that matches (they have no
    groups: an alternation tries its branches in order)."""
    assert all(re.compile(p).groups == 0 for p in patterns)
    return re.compile("|".join("(?:%s)" % p for p in patterns), re.IGNORECASE)


def _trailing(s: dict) -> dict:
    """What clean() drops from a phrase's end, as a pattern; how long at most what it drops
    without the whitespace before it is (None: no bound worked out); and what the last
    word of what it drops can be."""
    words = r"(?:%s|(?:(?:%s) )?(?:%s) (?:19|20)\d\d|[≥≤<>=])" % (
        _longest_first(s["trailing"]), _alt(s["trailing_year_leads"]), _alt(s["year_words"]))
    width = _width(words)
    last = r"(?:%s)|(?:19|20)\d\d|[≥≤<>=]" % _longest_first({w.split()[-1] for w in s["trailing"]})
    return dict(trailing=re.compile(r"(?:^|\s+)%s\s*$" % words, re.IGNORECASE),
                trailing_reach=width + 1 if width is not None else None,
                trailing_last=re.compile(last, re.IGNORECASE))


def _drop_trailing(phrase: str) -> str:
    """_spec()["trailing"].sub("", phrase).strip(), looked for only near the phrase's end.

    Every match ends at the end ("$") and is whitespace (or the start) before words at
    most trailing_reach - 1 long that end where only whitespace follows; starting the
    search one character before the longest such words, a match is found there or later
    whenever the plain search finds one, and they differ only by whitespace before it.
    Such words end with the phrase's last word, so when that is no last word of theirs
    (trailing_last, matched as the pattern matches) there is no match: most phrases."""
    return _cut_trailing(phrase) if _may_drop(phrase) else phrase.strip()


def _cut_trailing(phrase: str) -> str:
    """_drop_trailing(phrase) for a phrase whose last word may end the words dropped."""
    spec = _spec()
    reach = spec["trailing_reach"]
    if reach is None:
        return spec["trailing"].sub("", phrase).strip()
    m = spec["trailing"].search(phrase, max(0, len(phrase.rstrip()) - reach))
    return (phrase[:m.start()] if m else phrase).strip()


def _may_drop(phrase: str) -> bool:
    """Can _drop_trailing drop words from the phrase's end: does its last word end one of
    the words dropped (or is there no bound to look near the end within)?"""
    spec = _spec()
    words = phrase.rsplit(None, 1)
    return spec["trailing_reach"] is None or bool(words) and spec["trailing_last"].fullmatch(words[-1]) is not None


@lru_cache(maxsize=4096)
def clean(phrase: str, lead: bool = True) -> str:
    """Drop verbs, bounds and times from the end and (lead) fillers from the start; a
    group right after its number opens with its noun ("97% tổ chức đảng …"): lead=False."""
    spec = _spec()
    phrase = " ".join(phrase.split())
    if spec["owner_lead"].search(phrase) and not spec["owner_kept"].match(phrase):
        owned, n = spec["owner"].subn(" ", phrase)
        phrase = " ".join(owned.split()) if n else phrase
    return _clean_ends(phrase, lead, spec).strip(" ,;:-–")


def _clean_ends(phrase: str, lead: bool, spec: dict) -> str:
    """clean()'s loop over a phrase of single spaces with none around it (so is every
    phrase it makes): _may_drop, _kept_end, _cut_trailing and _drop_leading inlined, their
    white space handling left out (nothing to strip), as every phrase asks them."""
    last, trailing, reach = spec["trailing_last"], spec["trailing"], spec["trailing_reach"]
    kept, kept_reach, leading = spec["kept"], spec["kept_reach"], spec["leading"]
    for _ in range(8):
        new = phrase
        if reach is None or phrase and last.fullmatch(phrase, phrase.rfind(" ") + 1):
            n = len(phrase)             # "tốc độ tăng" names a rate: keep its verb; "… hằng năm" stays
            if kept.search(phrase, max(0, min(n - kept_reach[0] - 1, n - kept_reach[1]) if kept_reach else 0)) is None:
                if reach is None:
                    new = trailing.sub("", phrase).strip()
                else:
                    m = trailing.search(phrase, max(0, n - reach))
                    new = phrase[:m.start()].strip() if m else phrase
        if lead:
            m = leading.match(new)
            new = (new[m.end():] if m else new).strip()
        else:
            new = new.lstrip(" ,;:-–(")
        if new == phrase:
            break
        phrase = new
    return phrase


def _kept_end(phrase: str) -> bool:
    """Does the phrase end with a rate named by its verb or a kept ending? Looked for only
    in its last characters: a rate ends at the end ("$": or before a last newline), an
    ending where only white space follows, after the phrase's last word."""
    spec = _spec()
    reach = spec["kept_reach"]
    start = min(len(phrase) - reach[0] - 1, len(phrase.rstrip()) - reach[1]) if reach else 0
    return spec["kept"].search(phrase, max(0, start)) is not None


def _drop_leading(phrase: str) -> str:
    """_spec()["leading"].sub("", phrase): it matches only at the start ("^")."""
    m = _spec()["leading"].match(phrase)
    return phrase[m.end():] if m else phrase


def without_agent(phrase: str) -> str:
    """The phrase without the doer in front when a verb follows it: "xã đã huy động" →
    "huy động"; "Xã nông thôn mới nâng cao" stays (no verb after "xã")."""
    m = _spec()["agent"].match(phrase)
    rest = phrase[m.end():] if m else ""
    if not rest or _spec()["link_verb"].match(rest):
        return phrase
    if not (pos.verb_at(phrase, len(phrase[:m.end()].split())) or pos.first_is_verb(rest)):
        return phrase
    return clean(rest)


@lru_cache(maxsize=1)
def _generic() -> re.Pattern:
    return re.compile(_longest_first(rules.load("indicators")["generic"]), re.IGNORECASE)


def _lower_first(word: str) -> str:
    return word[:1].lower() + word[1:] if word[:1].isupper() and not word[:2].isupper() else word


def _lower_words(phrase: str) -> str:
    """The phrase's words, each by _lower_first, joined by single spaces; a phrase with no
    capital in it ("nhà màng", most nouns) only re-spaced."""
    if phrase.islower():
        return " ".join(phrase.split())
    return " ".join([_lower_first(w) for w in phrase.split()])


def _cap(phrase: str, n: int = MAX_WORDS) -> str:
    words = phrase.split()
    return " ".join(words[:n])


@lru_cache(maxsize=256)
def _word(word: str) -> re.Pattern:
    """The word as a whole word, case-blind: a counted noun, asked by several figures."""
    return re.compile(r"%s%s%s" % (B, re.escape(word), E), re.IGNORECASE)


def _has_word(word: str, text: str) -> bool:
    return _word(word).search(text) is not None


def _tail(text: str, start: int, end: int) -> list[str]:
    """The first words of text[start:end], skipped words left out, up to a stop; the
    window cut first at its first punctuation (_tail_cut), where the tail stops anyway."""
    cues = _cues()
    cut = cues.tail_cut.search(text, start, end) if cues.tail_cut else None
    tail = cues.tail_skip.sub("", text[start:cut.start() if cut else end])
    stop = cues.tail_stop.search(tail)
    tail = tail[:stop.start()] if stop else tail
    return tail.split()[:10]


# ---------------------------------------------------------------- the figure's context

class _once:
    """A property worked out on first use and then kept on the instance (what
    functools.cached_property does, without its lock: a context is read by one thread)."""

    def __init__(self, fn):
        self.fn, self.name = fn, fn.__name__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


class Ctx:
    """What the rules of one figure see: the paragraph's state and the figure's clause.
    A plain class, its defaults on the class: one is made per figure, and a dataclass's
    __init__ assigns every field."""
    # amounts
    start: int = 0                      # where the figure's subject may start
    local: str = ""                     # the cleaned words between there and the figure
    base: str = ""                      # its comparison base ("so với kế hoạch")
    span: Optional[tuple[int, int]] = None   # where that base was, when before the figure
    measure: Optional[re.Match] = None  # the measure word in `local`
    noun_after: Optional[re.Match] = None
    subject: str = ""
    # counts
    noun: str = ""
    words: list[str]
    in_parens: bool = False
    action: Optional[str] = None        # _action_before, once per figure (several count rules ask)
    _measured: tuple[str, bool] = ("", False)     # subject_names_measure: the last subject asked

    def __init__(self, p: "ParagraphIndicators", fig: Figure):
        self.p, self.fig, self.fired, self.words = p, fig, [], []
        # the paragraph's text and the figure before, as they stand while this one is read
        self.text, self.prev = p.text, p.prev
        self.prev_count = self.prev is not None and self.prev.unit == "count"

    def subject_names_measure(self) -> bool:
        """Does the subject hold a measure word? Asked by two steps of one subject: searched
        once for it."""
        if self._measured[0] != self.subject:
            self._measured = (self.subject, _spec()["measure"].search(self.subject) is not None)
        return self._measured[1]

    def prev_is(self, unit: str) -> bool:
        return self.prev is not None and self.prev.unit == unit

    @_once
    def clause_start(self) -> int:
        return self.p._clause_start(self.fig)

    @_once
    def restating(self) -> bool:
        """Does the figure restate the one before it ("…, tương ứng 0,61%", "(bằng 2,24%)")?"""
        if self.prev is None:
            return False
        text, a, b = self.text, self.prev.end, self.fig.start   # read in place: they look at nothing around
        for p in _cues().restating:         # a loop, not any(): no generator per figure
            if p.fullmatch(text, a, b):
                return True
        return False

    @property
    def measured_unit(self) -> str:
        """The measure the figure's unit implies, for units put before a phrase."""
        cues = _cues()
        unit = self.fig.unit
        return cues.unit_measures[unit] if unit in cues.unit_measures and unit not in cues.units_not_prefixed else ""

    @_once
    def generic_noun(self) -> bool:
        """Is the counted noun one that says nothing itself ("người", "con")? Asked by
        several count rules: matched once."""
        return _generic().fullmatch(self.noun) is not None

    @_once
    def measure_phrase(self) -> str:
        return clean(self.local[self.measure.start():])

    @_once
    def bare_measure(self) -> bool:
        """Is the measure phrase a bare measure ("chiều dài", "tổng giá trị")?"""
        return _cues().bare_measure.fullmatch(self.measure_phrase) is not None

    @_once
    def head(self) -> str:
        """The measure a list opens with ("Tỷ lệ …: A đạt x"): only list_head asks."""
        return self.p._list_head(self.fig)

    @_once
    def group(self) -> str:
        return self.p._group(self.fig)

    @_once
    def topic(self) -> tuple[str, str]:
        return self.p._topic(self.fig)


Rule = Callable[[Ctx], Optional[str]]
COUNT_RULES: list[Rule] = []        # first that applies wins
AMOUNT_RULES: list[Rule] = []       # first that applies wins
COUNT_STEPS: list[list[Rule]] = []       # after a count's chain, in order, as SUBJECT_STEPS
SUBJECT_STEPS: list[list[Rule]] = []     # in order; in each, the first that applies rewrites the subject
FINISH_STEPS: list[list[Rule]] = []
RESTATING: set[str] = set()         # amount rules whose figure restates the one before it
PERCENT_ONLY: set[str] = set()      # amount rules and steps that apply to a percentage only


def _rule(chain: list[Rule], restates: bool = False, percent: bool = False):
    """Add the function below to the end of a chain (percent: it returns None for any
    figure that is not a percentage, so such a figure's chain leaves it out)."""
    def register(fn: Rule) -> Rule:
        chain.append(fn)
        if restates:
            RESTATING.add(fn.__name__)
        if percent:
            PERCENT_ONLY.add(fn.__name__)
        return fn
    return register


def _step(steps: list[list[Rule]], or_else: bool = False, percent: bool = False):
    """Add the function below as a new step, or (or_else) as the alternative of the last
    step's rules, tried only when they do not apply (percent: as for _rule)."""
    def register(fn: Rule) -> Rule:
        if percent:
            PERCENT_ONLY.add(fn.__name__)
        if or_else:
            steps[-1].append(fn)
        else:
            steps.append([fn])
        return fn
    return register


def rule_names() -> list[str]:
    """Every named rule, in the order they are tried."""
    count_steps = [r for group in COUNT_STEPS for r in group]
    steps = [r for group in SUBJECT_STEPS + FINISH_STEPS for r in group]
    return [figure_label.__name__] + [r.__name__ for r in COUNT_RULES + count_steps + AMOUNT_RULES + steps]


@lru_cache(maxsize=1)
def _not_percent() -> tuple[list[Rule], list[list[Rule]]]:
    """AMOUNT_RULES and FINISH_STEPS without the rules that apply to a percentage only:
    what the other amounts try (those rules would return None for them)."""
    def kept(rules_: list[Rule]) -> list[Rule]:
        return [r for r in rules_ if r.__name__ not in PERCENT_ONLY]
    return kept(AMOUNT_RULES), [group for group in map(kept, FINISH_STEPS) if group]


def _first(chain: list[Rule], c: Ctx) -> tuple[str, str]:
    for r in chain:
        out = r(c)
        if out is not None:
            c.fired.append(r.__name__)
            return out, r.__name__
    raise AssertionError("the last rule of a chain always applies")


def _steps(steps: list[list[Rule]], c: Ctx) -> None:
    for group in steps:
        for r in group:
            out = r(c)
            if out is not None:
                c.fired.append(r.__name__)
                c.subject = out
                break


def figure_label(c: Ctx) -> Optional[str]:
    """A figure with a label before its colon is of the label: "Hội viên PN: 1.783"."""
    return c.fig.label or None


# ---------------------------------------------------------------- counts: the noun and what follows

def _count_ctx(c: Ctx) -> Ctx:
    p, fig, text, cues = c.p, c.fig, c.text, _cues()
    noun = fig.counted if fig.in_words or fig.range_role or fig.denominator is not None else \
        " ".join(DIGIT_WORD.sub(" ", text[fig.start:fig.end]).split()) \
        or fig.counted
    lead = cues.count_noun_lead.match(noun)        # "^…": at the start only
    noun = (noun[lead.end():] if lead else noun).strip() or fig.counted
    noun = noun.split("/")[0].strip() or fig.counted
    c.noun = _lower_words(noun)
    c.words = p._tail_words(fig)
    c.in_parens = text[fig.end:fig.end + 2].lstrip().startswith(")") and \
        OPEN_BEFORE.search(text, max(p.s0, fig.start - 3), fig.start) is not None
    if c.in_parens and not c.words:       # "(1 xã) được công nhận …": the words after the bracket
        after = text[text.find(")", fig.end) + 1:p.s1]
        after = cues.tail_skip.sub("", after[:90])
        stop = cues.tail_stop.search(after)
        c.words = (after[:stop.start()] if stop else after).split()[:10]
    return c


@_rule(COUNT_RULES)
def count_restating_share(c: Ctx) -> Optional[str]:
    """A count in brackets after a percentage is of the percentage's group, without
    "tỷ lệ": "chiếm 6,25% (1 xã)"."""
    if c.in_parens and c.prev_is("%") and c.p.prev_indicator:
        return _cues().rate_prefix.sub("", c.p.prev_indicator)
    return None


def _label_before(c: Ctx) -> Optional[str]:
    """The label that a colon right before the figure closes: the text from the last of
    LABEL_MARKS before the colon up to it ("trong đó: hộ dịch vụ: 170 hộ" → " hộ dịch vụ");
    None when no colon stands right before the figure. The last mark is found by bisection:
    every figure of a long list asks, and a scan back to the sentence's start would cost n²."""
    text, at = c.text, c.fig.start
    while at > c.p.s0 and text[at - 1].isspace():
        at -= 1
    if at == c.p.s0 or text[at - 1] != ":":
        return None
    mark = c.p.label_marks().last_before(c.p.s0, at - 1)
    return text[mark + 1 if mark >= 0 else c.p.s0:at - 1]


@_rule(COUNT_RULES)
def count_label(c: Ctx) -> Optional[str]:
    """A count after a label and its colon is of the label: "trong đó: hộ dịch vụ: 170
    hộ" → "hộ dịch vụ" (the counted noun added when the label lacks it)."""
    label = _label_before(c)
    if label is None:
        return None
    if DIGIT.search(label) or not label.strip() or len(label.split()) > 6:
        return None
    label = clean(label)
    if not label:
        return None
    return label if _has_word(c.noun, label) or c.generic_noun else f"{c.noun} {label}"


@_rule(COUNT_RULES)
def count_members(c: Ctx) -> Optional[str]:
    """A count "với" another count is of its members: "01 HTX với 67 thành viên"."""
    prev = c.prev
    if not c.words and c.prev_count and prev.counted and \
            _cues().members_link.search(c.text[prev.end:c.fig.start]):
        return f"{c.noun} {c.p.prev_indicator or prev.counted}"
    return None


@_rule(COUNT_RULES)
def count_list(c: Ctx) -> Optional[str]:
    """Counts listed with one verb and one tail share both: "thay đổi 01 Chủ tịch,
    01 Phó chủ tịch và 01 Ủy viên Ủy ban nhân dân xã"."""
    if c.fig.start not in c.p.lists:
        return None
    prefix, shared = c.p.lists[c.fig.start]
    return _cap(" ".join(x for x in (prefix, c.noun, " ".join(c.words) or shared) if x))


@_rule(COUNT_RULES)
def count_earlier_mention(c: Ctx) -> Optional[str]:
    """A planned range with nothing around it is of the noun the sentence described
    before: "bê tông hóa đường hẻm chính và phụ, mục tiêu từ 08 đến 10 đường hẻm"."""
    if c.words:
        return None
    earlier = c.p._earlier_mention(c.fig, c.noun, c.clause_start)
    return _cap(earlier) if earlier else None


def _short_action(local: str) -> str:
    """A short action that makes what is counted or measured ("trồng mới", "kiên cố"),
    without its doer; not a link nor an action that only says the things are new."""
    local = without_agent(local) if local else ""
    if not local or len(local.split()) > 3 or _spec()["link_verb"].match(local) or \
            _cues().action_unnamed.fullmatch(local) or not pos.first_is_verb(local):
        return ""
    return _lower_first(local)


def _action_before(c: Ctx) -> str:
    """The words of the count's clause before it, without a base or a doer; for a noun
    that says nothing itself, over a comma inside a short list ("đàn trâu, bò đạt 250 con").
    Worked out once per figure: it reads only the figure, its noun and its sentence."""
    if c.action is None:
        c.action = _action_before_scan(c)
    return c.action


def _action_before_scan(c: Ctx) -> str:
    start = c.clause_start
    if c.generic_noun and len(clean(c.text[start:c.fig.start]).split()) <= 2:
        wider = c.p._extend_over_commas(start, c.fig)
        segment = c.text[wider:start].strip(" ,")
        start = wider if clean(segment) == segment else start     # not over a lead: "Trong năm, …"
    local = without_agent(clean(_spec()["bases"][0].sub(" ", c.text[start:c.fig.start])))
    joined = _cues().last_joint.search(local)       # "… vững mạnh và kết nạp 150 đảng viên": the last action
    if joined and pos.first_is_verb(local[joined.end():]):
        local = local[joined.end():]
    if _cues().action_unnamed.fullmatch(local):      # "phát triển 05 tổ hợp tác": only says they are new
        return ""
    agent = _spec()["agent"].match(local + " ")
    return "" if agent and agent.end() > len(local) else local      # "phường có 99 doanh nghiệp": the doer alone


@_rule(COUNT_RULES)
def count_activity_before(c: Ctx) -> Optional[str]:
    """A count ending its clause is of the activity before it: "đào tạo sơ cấp 14 đồng
    chí" (a generic noun adds nothing); "số hộ nghèo giảm còn 16 hộ" (the noun is there)."""
    if c.words:
        return None
    local = _action_before(c)
    if not local or len(local.split()) > 8:
        return None
    named = c.generic_noun or _has_word(c.noun, local)
    return _cap(_cues().count_of.sub("", local if named else f"{local} {c.noun}"))


@_rule(COUNT_RULES)
def count_generic_of_subject(c: Ctx) -> Optional[str]:
    """A noun that says nothing itself, with nothing around it, counts the last subject:
    "đàn gia cầm tăng 0,3 lần, đạt 40.000 con" → "đàn gia cầm"."""
    if c.words or not c.generic_noun or not c.p.last_subject or _action_before(c):
        return None
    return c.p.last_subject


@_rule(COUNT_RULES)
def count_action_and_tail(c: Ctx) -> Optional[str]:
    """A count the object of a short action before it is of the noun, its words and the
    action: "xã đã xóa 25 nhà tạm trên địa bàn" → "nhà tạm trên địa bàn xóa"."""
    action = _short_action(_action_before(c))
    return _cap(" ".join([c.noun] + c.words + [action])) if action else None


@_rule(COUNT_RULES)
def count_noun_and_tail(c: Ctx) -> Optional[str]:
    """The counted noun and the words that qualify it: "08 nhà màng trồng dưa lưới"."""
    return _cap(" ".join([c.noun] + c.words))


@_step(COUNT_STEPS)
def count_change(c: Ctx) -> Optional[str]:
    """A count keeps the verb of change before it and the base it is compared with:
    "số doanh nghiệp tăng 28 doanh nghiệp so với năm 2015" → "… tăng so với năm 2015";
    "tăng thêm 04 doanh nghiệp (tương đương 0,7 lần) so với năm 2015" (an aside in
    brackets skipped); "29 đảng viên so đầu nhiệm kỳ"."""
    if not c.subject:
        return None
    p, cues = c.p, _cues()
    start = c.clause_start
    verb = _change_at_end(c.text, start, c.fig.start)
    base = p._base(c.fig, start, skip_aside=True)[0]
    if not (verb or base):
        return None
    extra = [verb.group(0).strip().lower() if verb else "", base]
    words = [c.subject] + [x for x in extra if x and x.lower() not in c.subject.lower()]
    return " ".join(words) if len(words) > 1 else None


def _change_at_end(text: str, start: int, end: int) -> Optional[re.Match]:
    """count_change.search(text[start:end]) (a verb of change ending the clause), looked
    for in its last count_change_words words only: a match ends at the end and holds no
    more words (starting inside the first of them at the earliest, as "(tăng"). Read in
    place past the clause's start, its look behind sees what the copy's would."""
    cues = _cues()
    clause = text[start:end]
    parts = clause.rsplit(None, cues.count_change_words)
    if len(parts) <= cues.count_change_words:
        return cues.count_change.search(clause)
    return cues.count_change.search(text, start + len(parts[0]), end)


# ---------------------------------------------------------------- amounts: the subject before

def _amount_ctx(c: Ctx) -> Ctx:
    p, fig, text = c.p, c.fig, c.text
    c.start = p._extend_over_commas(c.clause_start, fig)
    if c.prev is not None and c.start == c.prev.end:      # "102,4% kế hoạch giao và bằng 100,2%": the base of the one before
        before = text[c.start:fig.start]
        m = next((m for m in (b.match(before.lstrip()) for b in _spec()["bases"][1:]) if m), None)
        if m:
            c.start += len(before) - len(before.lstrip()) + m.end()
    c.base, c.span = p._base(fig, c.start)
    local_text = text[c.start:fig.start]
    if c.span:
        local_text = text[c.start:max(c.start, c.span[0])] + " " + text[max(c.start, c.span[1]):fig.start]
    c.local = clean(local_text)
    c.measure = _spec()["measure"].search(c.local)
    c.noun_after = None if (c.base and c.span is None) else _cues().noun_after.match(text, fig.end, p.s1)
    return c


def _restating(c: Ctx) -> bool:
    return c.restating


@_rule(AMOUNT_RULES, restates=True)
def restates_count(c: Ctx) -> Optional[str]:
    """An amount restating a count is of the count's noun: "số hộ nghèo giảm còn 16 hộ,
    tương ứng 0,61%"."""
    if not (_restating(c) and c.prev_count):
        return None
    c.base = ""
    return _cues().count_of.sub("", c.p.prev_indicator)


@_rule(AMOUNT_RULES, restates=True)
def restates_amount(c: Ctx) -> Optional[str]:
    """An amount restating the amount before has its subject and base: "giảm 1.686ha
    (bằng 2,24%)"."""
    if not _restating(c):
        return None
    c.base = c.base if c.base and c.span is None else c.p.prev_base     # its own base after it, else the one before
    return c.p.prev_subject


@_rule(AMOUNT_RULES, percent=True)
def percent_is_group(c: Ctx) -> Optional[str]:
    """A percentage that "is" a group is that group's share: "có 19.606 người, trong đó
    98% là đồng bào dân tộc thiểu số" → "tỷ lệ đồng bào dân tộc thiểu số"."""
    cues = _cues()
    m = cues.share_is.match(c.text, c.fig.end, c.p.s1) if c.fig.unit == "%" else None
    if not m:
        return None
    group = ASIDE.sub(" ", c.text[m.end():c.p.s1])
    stop = cues.group_stop.search(group)
    group = clean(group[:stop.start()] if stop else group)
    return f"{cues.rate_noun} {group}" if group else None


@_rule(AMOUNT_RULES, percent=True)
def joined_percent_of_group(c: Ctx) -> Optional[str]:
    """A percentage joined to the one before it and followed by its own group is of that
    group, not of the words before: "98% đảng viên đạt … và 93% chi bộ hoàn thành …"."""
    if not (c.fig.unit == "%" and c.noun_after and c.prev_is("%")):
        return None
    between = c.text[c.prev.end:c.fig.start]
    return f"{_cues().rate_noun} {c.group}" if _cues().joined_end.search(between) else None


@_rule(AMOUNT_RULES, percent=True)
def share_of_group(c: Ctx) -> Optional[str]:
    """A share of a whole named after it is the subject's share of that whole: "lao động
    nông nghiệp chiếm 50% tổng số lao động" → "lao động nông nghiệp so với tổng số lao
    động"; after a count, the count's: "357 đảng viên, bằng 3,3% dân số"."""
    cues = _cues()
    if not (c.fig.unit == "%" and c.noun_after and cues.share_verb.search(c.text[c.clause_start:c.fig.start])):
        return None
    subject = c.local or (c.p.prev_indicator if c.prev_count else "")
    if not subject:
        return None
    c.base = f"{cues.base_link} {c.group}"
    return subject


@_rule(AMOUNT_RULES)
def subject_anaphora(c: Ctx) -> Optional[str]:
    """A subject pointing back is the last subject: "Mức năng suất này bằng …"."""
    if c.p.last_subject and _cues().anaphora.search(c.local):
        return c.p.last_subject
    return None


@_rule(AMOUNT_RULES)
def measure_of_previous_count(c: Ctx) -> Optional[str]:
    """A bare measure right after a count measures the counted things: "08 đoạn đường …
    với chiều dài 1,5 km"."""
    if not c.measure:
        return None
    subject = c.measure_phrase
    after_count = c.prev_count and c.start <= c.prev.end
    if c.bare_measure and after_count and c.p.prev_indicator:
        return f"{subject} {c.p.prev_indicator}"
    return None


@_rule(AMOUNT_RULES)
def measure_of_group_after(c: Ctx) -> Optional[str]:
    """A short measure before the figure and a group after it: "diện tích 28,3 hecta
    trồng lúa nếp …"."""
    if not c.measure:
        return None
    subject = c.measure_phrase
    if c.noun_after and len(subject.split()) <= 3 and not _cues().rate.match(subject):
        return f"{subject} {c.group}"
    return None


@_rule(AMOUNT_RULES)
def measure_of_object_before(c: Ctx) -> Optional[str]:
    """A bare measure of the object named before it: "đường … bê tông hóa với tổng chiều
    dài 1.100m"."""
    if not c.measure:
        return None
    if not c.bare_measure:          # the words before are worked out only for a bare measure
        return None
    before = clean(_cues().measure_link_end.sub("", c.local[:c.measure.start()]))
    return f"{c.measure_phrase} {before}" if before else None


@_rule(AMOUNT_RULES)
def rate_of_owner(c: Ctx) -> Optional[str]:
    """A thing said to have a rate or a measure is its owner: "tổng thu ngân sách có tốc
    độ tăng bình quân 10%" → "tốc độ tăng bình quân của tổng thu ngân sách"; "hộ trồng
    cam có thu nhập trên 100 triệu đồng" → "thu nhập của hộ trồng cam"."""
    cues = _cues()
    m = cues.rate_owner.match(c.local) if c.measure else None
    if not m and c.measure and c.prev_count and c.p.prev_indicator:     # "46 mô hình …, mang lại thu nhập"
        m = cues.rate_owner.match(f"{c.p.prev_indicator} {c.local}")
    if not m or not _spec()["measure"].match(m.group(1)) and len(m.group(1).split()) > 6:
        return None
    owner = _lower_first(clean(m.group(1)))
    if cues.rate.fullmatch(m.group(2)) or cues.frequency.match(owner):   # "tỷ lệ hộ nghèo", "thu nhập bình quân …"
        return f"{m.group(2)} {owner}"
    return f"{m.group(2)} {cues.rate_owner_of} {owner}"


@_rule(AMOUNT_RULES)
def measure_in_clause(c: Ctx) -> Optional[str]:
    """The clause from its measure word on: "tỷ lệ hộ nghèo giảm còn 1,96%"."""
    return c.measure_phrase if c.measure else None


@_rule(AMOUNT_RULES)
def amount_label(c: Ctx) -> Optional[str]:
    """An amount right after a label and its colon is of the label: "…; các loại rau
    màu: 20 ha" (the steps may add the unit's measure: "diện tích các loại rau màu")."""
    if c.local:
        return None
    label = _label_before(c)
    if label is None or not label.strip() or len(label.split()) > 8 or DIGIT.search(YEAR.sub("", label)):
        return None
    return clean(label) or None


@_rule(AMOUNT_RULES)
def list_head(c: Ctx) -> Optional[str]:
    """The measure a list opens with, and the item: "Tỷ lệ học sinh đi học: Mẫu giáo
    5 tuổi đạt 100%"."""
    if not c.head or not (c.local or _cues().rate.match(c.head)) or c.local and not _cues().rate.match(c.head):
        return None
    return clean(f"{c.head} {c.local}")


@_rule(AMOUNT_RULES, percent=True)
def percent_of_group(c: Ctx) -> Optional[str]:
    """A percentage of the group after it: "95% dân số dùng nước sạch"."""
    if c.fig.unit == "%" and c.noun_after:
        return f"{_cues().rate_noun} {c.group}"
    return None


@_rule(AMOUNT_RULES)
def unit_of_group(c: Ctx) -> Optional[str]:
    """An amount of the group after it, measured as its unit says: "905.867 tấn lương
    thực có hạt" (a sum of money is not: see group_after)."""
    cues = _cues()
    if not (c.fig.unit in cues.unit_measures and c.fig.unit not in cues.units_for_what and c.noun_after):
        return None
    group = c.group
    if c.measured_unit and not _spec()["measure"].match(group):
        group = f"{c.measured_unit} {group}"
    action = _short_action(c.local)
    return f"{group} {action}" if action else group


@_rule(AMOUNT_RULES)
def frequency_of_last_subject(c: Ctx) -> Optional[str]:
    """A clause that only says how often is of the last subject: "tỷ lệ hộ nghèo giảm còn
    7%, bình quân mỗi năm giảm 4,6%" → "tỷ lệ hộ nghèo bình quân mỗi năm"."""
    if c.local and c.p.last_subject and _cues().frequency.fullmatch(c.local):
        return f"{c.p.last_subject} {c.local}"
    return None


@_rule(AMOUNT_RULES)
def clause_subject(c: Ctx) -> Optional[str]:
    """The words of the clause before the figure, without a doer: "Nông, lâm, thủy sản
    tăng 6%"."""
    return without_agent(c.local) or None


@_rule(AMOUNT_RULES)
def group_after(c: Ctx) -> Optional[str]:
    """The group after the figure: "và 9,1 tỷ đồng do nhân dân đóng góp"."""
    return c.group if c.noun_after else None


@_rule(AMOUNT_RULES)
def carried_subject(c: Ctx) -> Optional[str]:
    """After an amount, the same subject: "thóc đạt 888.132 tấn, giảm 0,34%"."""
    if c.prev is not None and not c.prev_count and c.p.last_subject:
        return c.p.last_subject
    return None


@_rule(AMOUNT_RULES)
def previous_count(c: Ctx) -> Optional[str]:
    """After a count, with no measure since, the count's indicator: "20/20 xã … về đích
    nông thôn mới (đạt 100%)"."""
    if c.prev_count and c.p.prev_indicator and not c.p._recent_subject(c.fig, since=c.prev.end):
        return c.p.prev_indicator
    return None


@_rule(AMOUNT_RULES)
def recent_subject(c: Ctx) -> Optional[str]:
    """The last measure phrase of the sentence, or the last subject: "… tham gia lực
    lượng dân quân, chiếm 1,07% so dân số". Failing both, after a count, the count's
    indicator (in theory only: previous_count takes such a figure unless a measure phrase
    follows the count, and then this rule has found that phrase)."""
    subject = c.p._recent_subject(c.fig) or c.p.last_subject
    if not subject and c.prev_count and c.p.prev_indicator:
        subject = c.p.prev_indicator
    return subject or None


@_rule(AMOUNT_RULES)
def no_subject(c: Ctx) -> Optional[str]:
    """Nothing names it: the indicator is the base alone, or empty."""
    return ""


# ---------------------------------------------------------------- amounts: the subject adjusted

@_step(SUBJECT_STEPS)
def rate_of_previous_count(c: Ctx) -> Optional[str]:
    """A bare rate word after a count is the rate of the counted things: "14/14 xã đạt
    chuẩn … (tỷ lệ 100%)"."""
    if c.prev_count and _cues().rate.fullmatch(c.subject or "x"):
        return f"{c.subject} {c.p.prev_indicator}"
    return None


@_step(SUBJECT_STEPS)
def sector_of_measure(c: Ctx) -> Optional[str]:
    """A sector or item broken out of an aggregate named before takes that aggregate:
    "giá trị sản xuất … tăng 16%; cụ thể: ngành dịch vụ tăng 18%" → "giá trị sản xuất
    ngành dịch vụ"; "… bình quân tăng 3,2%/năm, ngành xây dựng 11%/năm". Items listed
    one after another share the aggregate of the first."""
    cues, p = _cues(), c.p
    if not c.subject or c.subject_names_measure():
        return None
    head = p.sector_head[1] if p.sector_head and p.sector_head[0] == p.last_subject else \
        _aggregate(p.last_subject) or _aggregate(p._lead_label())
    if not head:
        return None
    if not (cues.sector.match(c.subject) or cues.breakdown.search(c.text[p.s0:c.clause_start])):
        return None
    if head.lower() in c.subject.lower():
        return None
    out = f"{head} {c.subject}"
    p.sector_head = (out, head)
    return out


def _aggregate(subject: str) -> str:
    """The aggregate a subject names, before its own sector and change words: "giá trị
    sản xuất ngành nông nghiệp bình quân tăng" → "giá trị sản xuất"."""
    cues = _cues()
    if not subject or not cues.aggregate.match(subject):
        return ""
    head = _spec()["owner"].sub(" ", cues.sector.split(subject, maxsplit=1)[0])
    return cues.change_end.sub("", clean(head)).strip()


@_step(SUBJECT_STEPS)
def unit_measure_prefix(c: Ctx) -> Optional[str]:
    """A subject naming no measure takes its unit's: "ngô đạt 17.724 tấn" → "sản
    lượng ngô"."""
    if c.subject and not c.subject_names_measure() and c.measured_unit:
        return f"{c.measured_unit} {c.subject}"
    return None


@_step(SUBJECT_STEPS)
def bare_measure_of_previous_count(c: Ctx) -> Optional[str]:
    """A bare measure after a count measures the counted things: "14 tuyến phố với tổng
    giá trị 482 triệu đồng"."""
    if c.prev_count and c.p.prev_indicator and _cues().bare_measure.fullmatch(c.subject):
        return f"{c.subject} {c.p.prev_indicator}"
    return None


@_step(SUBJECT_STEPS, or_else=True)
def bare_measure_of_last_subject(c: Ctx) -> Optional[str]:
    """A bare measure is of the same thing as the last subject, its measure words left
    out: "…16.745ha cây lương thực có hạt, tổng sản lượng đạt 101.600 tấn"."""
    cues = _cues()
    if not (cues.bare_measure.fullmatch(c.subject) and c.p.last_subject):
        return None
    rest = c.p.last_subject
    while True:                 # drop every measure word in front: "diện tích gieo trồng …"
        m = cues.bare_measure.match(rest) or _spec()["measure"].match(rest)
        if not m or not m.end():
            break
        rest = rest[m.end():].strip()
    return f"{c.subject} {rest}" if rest else None


def _lead_suffix(c: Ctx, kind: str) -> Optional[str]:
    if not c.subject:               # the lead is looked for only for a subject
        return None
    lead, lead_kind = c.topic
    if lead_kind == kind and lead and lead.lower() not in c.subject.lower():
        return f"{c.subject} {lead}"
    return None


@_step(SUBJECT_STEPS)
def season_suffix(c: Ctx) -> Optional[str]:
    """The season the sentence opens with: "Cả năm, tổng diện tích lúa …", "Trong vụ mùa
    năm 2019, …"."""
    return _lead_suffix(c, "season")


@_step(SUBJECT_STEPS, or_else=True)
def topic_suffix(c: Ctx) -> Optional[str]:
    """The topic the clause opens with: "Riêng cây lúa, …", "Đối với lúa xuân, …"."""
    return _lead_suffix(c, "topic")


@_step(FINISH_STEPS, percent=True)
def rate_of_change(c: Ctx) -> Optional[str]:
    """A percentage in a clause of change is the subject and its verb, as the text says
    it: "dịch vụ tăng 18,2%" → "dịch vụ tăng"; "thóc đạt 888.132 tấn, giảm 0,34%" →
    "sản lượng thóc giảm"."""
    cues = _cues()
    if c.fig.unit != "%" or not c.subject or cues.rate.match(c.subject):
        return None
    clause = c.text[c.clause_start:c.fig.start]
    if cues.change_verb.search(clause):
        verb = next((v for v in reversed(cues.change_verbs) if v in clause), cues.change_verbs[0])
        return f"{c.subject} {verb}"
    return None


@_step(FINISH_STEPS, or_else=True, percent=True)
def rate_of_subject(c: Ctx) -> Optional[str]:
    """A percentage of a subject that names no rate nor base is its rate: "hộ nghèo còn
    1,96%" → "tỷ lệ hộ nghèo"."""
    cues = _cues()
    if c.fig.unit == "%" and c.subject and not cues.rate.match(c.subject) and not c.base:
        return f"{cues.rate_noun} {c.subject}"
    return None


# ---------------------------------------------------------------- the paragraph

_TRACE: list | None = None


@contextmanager
def traced():
    """Record (start, raw, indicator, rules fired) of every figure while inside: for tests."""
    global _TRACE
    saved, _TRACE = _TRACE, []
    try:
        yield _TRACE
    finally:
        _TRACE = saved


class ParagraphIndicators:
    """Indicators of the figures of one paragraph, sentence by sentence, in order.

    The last subject carries over to the next sentence ("Mức năng suất này bằng 102,1%
    kế hoạch" refers to the subject before it). `last_rules` names the rules that made
    the last indicator: the one that won its chain first, then the adjustments."""

    def __init__(self, text: str):
        self.text = text
        self.s0 = self.s1 = 0
        self.last_subject = ""
        self.prev: Figure | None = None
        self.prev_indicator = ""
        self.prev_subject = self.prev_base = ""
        self.lists: dict[int, tuple[str, str]] = {}
        self.sector_head: tuple[str, str] | None = None      # (subject made, the aggregate it took)
        self.last_rules: tuple[str, ...] = ()
        self._starts: dict[tuple[int, int, int], int] = {}     # _clause_start, asked by several rules
        self._bounds: list[int] = []        # where the sentence's clause boundaries are
        self._label: str | None = None
        self._label_marks: Marks | None = None
        self._leads: dict[int, tuple[int | None, str | None, str | None]] = {}     # _lead_at
        self._scan: tuple | None = None     # _clause_start_scan's state: (s0, upto, start, marks)

    def label_marks(self) -> Marks:
        """Where the sentence's LABEL_MARKS stand (worked out at the first ask)."""
        if self._label_marks is None:
            self._label_marks = Marks(self.text, self.s0, self.s1, LABEL_MARKS)
        return self._label_marks

    @property
    def last_rule(self) -> str:
        """The rule that gave the last figure its indicator (before any adjustment)."""
        return self.last_rules[0] if self.last_rules else ""

    def sentence(self, s0: int, s1: int, figs: list[Figure] = ()) -> "ParagraphIndicators":
        self.s0, self.s1 = s0, s1
        self.prev = None
        self._bounds = Marks(self.text, s0, s1, BOUNDARY_MARKS).at
        self._label = None                  # _lead_label, once per sentence
        self._label_marks = None
        self._leads = {}
        self.lists = self._count_lists(list(figs))
        return self

    def __call__(self, fig: Figure) -> str:
        c = Ctx(self, fig)
        if figure_label(c) is not None:
            c.fired.append(figure_label.__name__)
            ind = fig.label
        elif fig.unit == "count" and fig.counted:
            c.subject = _first(COUNT_RULES, _count_ctx(c))[0]
            _steps(COUNT_STEPS, c)
            ind = c.subject
        else:
            ind = self._amount(_amount_ctx(c))
        ind = _lower_first(ind)
        self.prev, self.prev_indicator = fig, ind
        self.last_rules = tuple(c.fired)
        if _TRACE is not None:
            _TRACE.append((fig.start, self.text[fig.start:fig.end], ind, self.last_rules))
        return ind

    def _amount(self, c: Ctx) -> str:
        chain, finish = (AMOUNT_RULES, FINISH_STEPS) if c.fig.unit == "%" else _not_percent()
        c.subject, name = _first(chain, c)
        if name not in RESTATING:
            # lowered before the steps: the same as after the first (a rate word and more)
            c.subject = _lower_first(c.subject)
            _steps(SUBJECT_STEPS, c)
            self.last_subject = c.subject
        self.prev_subject, self.prev_base = c.subject, c.base
        _steps(finish, c)
        return " ".join(c.subject.split()[:MAX_WORDS] + c.base.split())     # _cap(subject), then base

    def _count_lists(self, figs: list[Figure]) -> dict[int, tuple[str, str]]:
        """Counts listed with one verb and one tail share both: "thay đổi 01 Chủ tịch,
        01 Phó chủ tịch và 01 Ủy viên Ủy ban nhân dân xã" → (prefix, tail) by figure start."""
        out: dict[int, tuple[str, str]] = {}
        n, joint, i = len(figs), _cues().count_joint, 0
        while i < n - 1:                # a list needs two figures
            j = i
            while j + 1 < n and figs[j].unit == figs[j + 1].unit == "count" and figs[j].counted and \
                    figs[j + 1].counted and joint.fullmatch(self.text, figs[j].end, figs[j + 1].start):
                j += 1
            if j > i:
                prefix = self.text[self._clause_start_plain(figs[i].start):figs[i].start]
                prefix = "" if DIGIT.search(prefix) else clean(prefix)
                tail = " ".join(self._tail_words(figs[j]))
                for f in figs[i:j + 1]:
                    out[f.start] = (prefix if len(prefix.split()) <= 5 else "", tail)
            i = j + 1
        return out

    def _clause_start(self, fig: Figure) -> int:
        """Where the figure's clause starts; a (…) group before it does not end a clause.
        Worked out once per sentence, figure and figure before it (several rules ask)."""
        key = (self.s0, fig.start, self.prev.end if self.prev is not None else -1)
        got = self._starts.get(key)
        if got is None:
            got = self._starts[key] = self._clause_start_scan(fig)
        return got

    def _clause_start_scan(self, fig: Figure) -> int:
        start, depth_marks, upto = self.s0, [], self.s0
        scan = self._scan                   # the scan so far of this sentence, resumed:
        if scan and scan[0] == self.s0 and scan[1] <= fig.start:    # boundaries are single
            upto, start, depth_marks = scan[1], scan[2], list(scan[3])   # characters
        bounds, text = self._bounds, self.text       # the sentence's boundaries, found once
        for i in range(bisect.bisect_left(bounds, upto), bisect.bisect_left(bounds, fig.start)):
            ch = text[bounds[i]]
            if ch == "(":
                depth_marks.append(start)
                start = bounds[i] + 1
            elif ch == ")" and depth_marks:
                start = depth_marks.pop()
            else:
                start = bounds[i] + 1
        self._scan = (self.s0, fig.start, start, tuple(depth_marks))
        if self.prev is not None and self.prev.end <= fig.start:
            start = max(start, self.prev.end)
            close = CLOSES_ASIDE.match(self.text, start, fig.start)    # the one before closed an aside
            if close:
                start = close.end()
        return start

    def _earlier_mention(self, fig: Figure, noun: str, clause_start: int) -> str:
        """ "… bê tông hóa đường hẻm chính và phụ, mục tiêu từ 08 đến 10 đường hẻm": a range
        with nothing around it is of the noun the sentence described before."""
        if not fig.range_role or clean(self.text[clause_start:fig.start]):
            # only a planned range ("mục tiêu từ 08 đến 10 đường hẻm") restates an object
            # described before; a plain count ("toàn xã có 4.566/12.663 đoàn viên") is its own subject
            return ""
        found = list(_word(noun).finditer(self.text[self.s0:fig.start]))
        if not found:
            return ""
        at = self.s0 + found[-1].start()
        end = self._next_bound(at, fig.start)
        phrase = self.text[at:fig.start if end is None else end]
        if DIGIT.search(phrase):
            return ""
        verb = clean(self.text[self._clause_start_plain(at):at])
        return " ".join(x for x in (phrase.strip(), verb) if x)

    def _next_bound(self, a: int, b: int) -> int | None:
        """Where the first clause boundary in text[a:b] is (the first of BOUNDARY_MARKS there)."""
        i = bisect.bisect_left(self._bounds, a)
        return self._bounds[i] if i < len(self._bounds) and self._bounds[i] < b else None

    def _clause_start_plain(self, at: int) -> int:
        """Where the clause of `at` starts: after the last boundary before it (the
        sentence's boundaries are found once)."""
        i = bisect.bisect_left(self._bounds, at)
        return self._bounds[i - 1] + 1 if i else self.s0

    def _tail_words(self, fig: Figure) -> list[str]:
        cues = _cues()
        start = fig.end             # no copy of the sentence's rest: a long list asks once a figure
        names = cues.names.match(self.text, start, self.s1)
        if names and names.end() < self.s1:
            start = names.end()     # "hai xã Tiên Cảnh và Tiên Phong đã được …"
        return _tail(self.text, start, min(self.s1, start + 90))

    def _base(self, fig: Figure, clause_start: int, skip_aside: bool = False) -> tuple[str, tuple[int, int] | None]:
        text = self.text
        after = self._base_after(fig, skip_aside)
        if after is not None:
            return after, None
        for pattern in _spec()["bases"][:1]:
            first = pattern.search(text, clause_start, fig.start)      # mostly none: no list made
            if first is None:
                continue
            found = [m for m in pattern.finditer(text, first.start(), fig.start)   # not one in an aside
                     if text.count("(", clause_start, m.start()) <= text.count(")", clause_start, m.start())
                     and text.count(")", m.end(), fig.start) <= text.count("(", m.end(), fig.start)]
            if found:
                m = found[-1]
                return _cues().base_end.sub("", m.group(0).strip()), (m.start(), m.end())
        return self._base_clause_before(clause_start)

    def _base_after(self, fig: Figure, skip_aside: bool) -> str | None:
        """The base stated right after the figure (an aside in brackets skipped)."""
        # read in place (when the patterns look at nothing before them), a skipped aside or
        # bracket counting as one space; then the lead after the white space, in place too
        text, at, end, pad = self.text, fig.end, min(self.s1, fig.end + 80), 0
        aside = LEAD_ASIDE.match(text, at, end) if skip_aside else None
        if aside:
            at, pad = aside.end(), 1
        space = LEAD_SPACE.match(text, at, end)     # "giảm 0,34% (3.042 tấn) so với năm trước": both
        if space.start(1) >= 0:
            at, pad = space.end(1), 1
        if pad + space.end() - at > 2:
            return None
        p = _spec()["times_base_after" if fig.unit == "times" else "base_after"]
        # in place unless a base rule of rules/indicators.yaml looks before its start
        m = p.match(text[space.end():end]) if regions.looks_behind(p) else p.match(text, space.end(), end)
        if not m:
            return None
        base = m.group(0).strip()
        link = _cues().base_link          # "kế hoạch" → "so với kế hoạch"
        return base if base.lower().startswith(link.split()[0]) else f"{link} {base}"

    def _base_clause_before(self, clause_start: int) -> tuple[str, tuple[int, int] | None]:
        """A base that is a clause of its own before the figure's: "so với năm 2023, sản
        lượng tăng 4.770 tấn", "So với KH tỉnh giao, sản lượng đạt 102,8%"."""
        text = self.text
        if clause_start <= self.s0 or text[clause_start - 1] != ",":
            return "", None
        start = self._clause_start_plain(clause_start - 1)
        lead = text[start:clause_start - 1]
        m = _spec()["bases"][0].match(lead.strip())
        if not m or m.end() < len(lead.strip()):
            return "", None
        return m.group(0).strip(), (start, clause_start)

    def _extend_over_commas(self, start: int, fig: Figure) -> int:
        """Reach back over commas inside a noun phrase: "Nông, lâm, thủy sản tăng 6%",
        "mức độ hài lòng của người dân khi đến quan hệ, giao dịch đạt trên 99%"."""
        measure = _spec()["measure"]
        for _ in range(3):          # every test stops at start: the cheap ones first
            if start <= self.s0 or self.text[start - 1] != ",":
                return start
            prev_start = self._clause_start_plain(start - 1)
            if self.prev is not None and prev_start < self.prev.end:
                return start
            segment = self.text[prev_start:start - 1]
            if DIGIT.search(segment) or measure.search(self.text[start:fig.start]):
                return start
            if not (measure.search(segment) or len(segment.split()) <= 2 or _cues().sector.match(segment.strip())):
                return start
            start = prev_start
        return start

    def _topic(self, fig: Figure) -> tuple[str, str]:
        """A framing lead and its kind: a season ("Trong vụ mùa năm 2019, …", "Cả năm, …")
        or a topic ("Riêng cây lúa, …", "Đối với lúa xuân, …"). A clause after ";" may open
        its own; a season of the sentence still frames it, a topic does not."""
        clause = clause_start(self.text, self.s0, fig.start)
        for start in (clause,) if clause == self.s0 else (clause, self.s0):
            lead_end, season, topic = self._lead_at(start)
            if lead_end is None or lead_end >= fig.start:
                continue            # the lead's boundary is not before the figure: no lead
            if season is not None:
                return season, "season"
            if topic is not None and start == clause:
                return clean(topic).lower(), "topic"
        return "", ""

    def _lead_at(self, start: int) -> tuple[int | None, str | None, str | None]:
        """The first clause boundary at or after start, and the season and the topic words
        of the lead up to it (None: none, or a lead of more than 6 words). Once per sentence
        and start: the figures of a clause share its lead."""
        got = self._leads.get(start)
        if got is None:
            cues, season, topic = _cues(), None, None
            end = self._next_bound(start, self.s1)
            if end is not None and len(self.text[start:end].split()) <= 6:
                lead = self.text[start:end]
                found = cues.season.search(lead)
                season = found.group(0).lower() if found else None
                m = cues.topic.match(lead)
                topic = m.group(1) if m else None
            got = self._leads[start] = (end, season, topic)
        return got

    def _group(self, fig: Figure) -> str:
        """The noun phrase after a figure, parenthesised asides left out."""
        cues = _cues()
        group = cues.group_lead.sub("", ASIDE.sub(" ", self.text[fig.end:self.s1]))
        stop = cues.group_stop.search(group)
        if stop and stop.group(0) == "," and len(group[:stop.start()].split()) <= 3:
            # a short list of nouns sharing what follows: "100% cơ quan, đơn vị đạt …"
            further = cues.group_stop.search(group, stop.end())
            if not (further and further.start() == stop.end()) and not re.match(r"\s*\d", group[stop.end():]):
                stop = further
        return clean(group[:stop.start()] if stop else group, lead=False)

    def _lead_label(self) -> str:
        """The words before the colon that opens the sentence's list: "Về cơ cấu kinh tế: …",
        "Đến năm 2025, cơ cấu kinh tế gồm: …". Once per sentence."""
        if self._label is None:
            self._label = self._lead_label_scan()
        return self._label

    def _lead_label_scan(self) -> str:
        colon = self.text.find(":", self.s0, self.s1)
        lead = re.split(r"[,;]", self.text[self.s0:colon])[-1] if colon > 0 else ""
        return clean(lead) if lead and not DIGIT.search(lead) else ""

    def _list_head(self, fig: Figure) -> str:
        """The measure named before a colon that opens a list: "Tỷ lệ …: A đạt x; B đạt y"."""
        colon = self.text.rfind(":", self.s0, fig.start)
        if colon < 0:
            return ""
        head_start = clause_start(self.text, self.s0, colon)
        head_text = self.text[head_start:colon]
        number = ITEM_NUMBER.match(head_text)       # "(1) …", "2. …": ^…
        if DIGIT.search(YEAR.sub("", head_text[number.end():] if number else head_text)):
            return ""
        head = clean(self.text[head_start:colon])
        m = _spec()["measure"].search(head)
        return clean(head[m.start():]) if m and m.start() < 12 else ""

    def _recent_subject(self, fig: Figure, since: int | None = None) -> str:
        """The last measure phrase of the sentence before the figure (after `since`)."""
        if since is not None:
            before = self.text[since:fig.start]
            return _last_measure(before, reversed(list(_spec()["measure"].finditer(before))), len(before))
        sent, found, ends = _sentence_measures(self.text, self.s0, self.s1)
        end = fig.start - self.s0
        keep = bisect.bisect_left(ends, end - _MEASURE_MARGIN)
        pos = max(found[keep - 1].end() if keep else 0, end - _MEASURE_MARGIN - _longest_measure())
        tail = list(_spec()["measure"].finditer(sent, pos, end))   # near the figure, read anew
        earlier = _jumped(self.text, self.s0, self.s1, found, keep, end)
        return _last_measure(sent, chain(reversed(tail), earlier), end)


_MEASURE_MARGIN = 200   # a measure match ending this far before a figure is the same cut or not


@lru_cache(maxsize=1)
def _longest_measure() -> int:
    """The longest measure word: a measure match starting before end - margin - this ends
    before end - margin, so it is among the sentence's matches already."""
    return max(map(len, rules.load("indicators")["measures"]), default=0)


@lru_cache(maxsize=64)
def _sentence_measures(text: str, s0: int, s1: int):
    """The sentence text[s0:s1] and its measure matches, once per sentence: each figure reads
    anew only its last stretch (matches are words, so the earlier ones are the same)."""
    sent = text[s0:s1]
    found = list(_spec()["measure"].finditer(sent))
    return sent, found, [m.end() for m in found]


@lru_cache(maxsize=64)
def _measure_jumps(text: str, s0: int, s1: int):
    """For the sentence's measure matches: where each one's phrase starts and stops (a comma
    or digit, else the sentence end), and for each k the last j <= k whose phrase, stopped
    there, has two words (-1 if none); None when phrase starts are out of order."""
    sent, found, _ends = _sentence_measures(text, s0, s1)
    firsts, stops, last, best = [], [], -1, []
    for k, m in enumerate(found):
        first = _phrase_start(sent, m.start())
        stop = _STOP.search(sent, first)
        firsts.append(first)
        stops.append(stop.start() if stop else len(sent))
        if len(clean(sent[first:stops[-1]]).split()) >= 2:
            last = k
        best.append(last)
    if any(a > b for a, b in zip(firsts, firsts[1:])):
        return None
    return stops, best


def _phrase_start(before: str, at: int) -> int:
    ws = at
    while ws > 0 and before[ws - 1].isspace():
        ws -= 1
    total = _cues().total_end.search(before, max(0, ws - _MEASURE_MARGIN), at)
    return total.start() if total else at


def _last_measure(before: str, found, end: int) -> str:
    """The last measure phrase in before[:end] among found (the measure matches there, last
    first), led by a total word standing right before it ("tổng số …"), cut at a comma or digit."""
    for m in found:
        first = _phrase_start(before, m.start())
        stop = _STOP.search(before, first, end)
        phrase = clean(before[first:stop.start() if stop else end])
        if len(phrase.split()) >= 2:
            return phrase
    return ""


def _jumped(text: str, s0: int, s1: int, found: list, keep: int, end: int):
    """The matches found[keep-1], found[keep-2], … but, once one's phrase stops before end
    (so reads as it does in the whole sentence), straight to the last that has two words."""
    jumps = _measure_jumps(text, s0, s1)
    k = keep - 1
    while k >= 0:
        if jumps and jumps[0][k] < end:
            if jumps[1][k] >= 0:
                yield found[jumps[1][k]]
            return
        yield found[k]
        k -= 1


_STOP = re.compile(r"[,;:]|\d")
