"""Run a regex only where its matches can touch given spans, with the same result.

A character that a pattern can never consume (in a match, or in a lookahead other than
as the last character it reads) is a *barrier* for it: no match spans it, so `pattern.finditer` over the whole string and
over the stretch between two barriers find the same matches in that stretch (the scan
is back in step right after a barrier; lookbehinds still see what lies before `pos`;
and with `endpos` just past a barrier, nothing can look beyond it). So the matches that
overlap a number are found by scanning only from the barrier before it to the barrier
after it. Barriers are worked out from the parsed pattern; when that is not certain
(an empty match is possible, an unknown construct), there are none and the whole
string is scanned, as before.

A stretch is not scanned at all when it lacks every *piece* each match must contain
(a literal such as "tháng" or "/", or a class such as [A-ZĐ]; `required_pieces`, also
worked out from the parsed pattern): case-blind literals are looked for in the lowered
text, which stands in for sre's case-blind match except around "İ", "ı", "ſ"
(`lowered` declines those texts).
"""
from __future__ import annotations

import itertools
import os
import re
from bisect import bisect_left
from functools import lru_cache

try:
    from re import _constants as C, _parser as P   # Python ≥ 3.11
except ImportError:                                 # pragma: no cover
    import sre_constants as C                       # type: ignore
    import sre_parse as P                           # type: ignore

# characters that commonly end a clause in a report; a barrier is one of these that the
# pattern cannot consume ("\n" is left out: "$" may match before it)
CANDIDATES = ",;:()[]{}!?\"“”‘’…|"

_CATEGORY = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
             C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W"}
_CHAR_FLAGS = re.IGNORECASE | re.DOTALL | re.ASCII | re.UNICODE


class _Unsure(Exception):
    pass


def _combine(flags: int, add: int, rem: int) -> int:
    """The flags inside (?add-rem:…), as sre combines them (a type flag replaces the other)."""
    if add & (re.ASCII | re.LOCALE | re.UNICODE):
        flags &= ~(re.ASCII | re.LOCALE | re.UNICODE)
    return (flags | add) & ~rem


def _char_class(op, av) -> str:
    """A regex matching exactly the characters one consuming node matches."""
    if op is C.LITERAL:
        return re.escape(chr(av))
    if op is C.NOT_LITERAL:
        return "[^%s]" % re.escape(chr(av))
    if op is C.ANY:
        return "."
    if op is C.IN:
        parts, negate = [], False
        for iop, iav in av:
            if iop is C.NEGATE:
                negate = True
            elif iop is C.LITERAL:
                parts.append(re.escape(chr(iav)))
            elif iop is C.RANGE:
                parts.append("%s-%s" % (re.escape(chr(iav[0])), re.escape(chr(iav[1]))))
            elif iop is C.CATEGORY and iav in _CATEGORY:
                parts.append(_CATEGORY[iav])
            else:
                raise _Unsure(iop)
        return "[%s%s]" % ("^" if negate else "", "".join(parts))
    raise _Unsure(op)


def _consumable(sub, flags: int, chars: set[str]) -> None:
    """Remove from chars every character some node of sub can consume (assertions too)."""
    for op, av in sub:
        if not chars:
            return
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            cls = re.compile(_char_class(op, av), flags & _CHAR_FLAGS)
            chars -= {c for c in chars if cls.fullmatch(c)}
        elif op is C.GROUPREF:
            chars.clear()
        elif op is C.AT:
            pass                     # zero-width
        else:
            for child, child_flags in _children(op, av, flags):
                _consumable(child, child_flags, chars)


def _children(op, av, flags):
    """The sub-patterns of a node that is not a single character."""
    if op is C.BRANCH:
        return [(alt, flags) for alt in av[1]]
    if op is C.SUBPATTERN:
        _group, add, rem, p = av
        return [(p, _combine(flags, add, rem))]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        return [(av[2], flags)]
    if op in (C.ASSERT, C.ASSERT_NOT):
        return [(av[1], flags)]
    if op is getattr(C, "ATOMIC_GROUP", None):
        return [(av, flags)]
    if op is C.GROUPREF_EXISTS:
        return [(av[1], flags)] + ([(av[2], flags)] if av[2] is not None else [])
    raise _Unsure(op)


def _plan(sub, flags: int, chars: set[str], reach: list[int], where: str = "match") -> None:
    """Narrow chars to barriers of sub, and widen reach[0] to how far past a barrier a
    lookahead may read. where: "match" (what the match consumes), "behind" (inside a
    lookbehind: it reads only left of the position reached)."""
    for op, av in sub:
        if not chars:
            return
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            if where == "match":
                _consumable([(op, av)], flags, chars)
        elif op is C.GROUPREF:
            chars.clear()
        elif op is C.AT:
            pass
        elif op in (C.ASSERT, C.ASSERT_NOT) and av[0] < 0:
            _plan(av[1], flags, chars, reach, "behind")
        elif op in (C.ASSERT, C.ASSERT_NOT):
            read = set(chars)
            _consumable(av[1], flags, read)
            if read == chars:
                continue             # it reads no barrier: it stops before one
            hi = av[1].getwidth()[1]
            if where == "match" and hi <= 50 and _simple(av[1]):
                reach[0] = max(reach[0], hi + 1)   # + 1: a "\b" or "$" at its end looks on
            elif where == "match":
                # a barrier it reads only as its last character still cuts the scan: the
                # view up to the barrier itself (reach >= 1) is all it reads
                chars -= _reads_past(av[1], flags, chars - read, False)
            else:
                chars &= read
        else:
            for child, child_flags in _children(op, av, flags):
                _plan(child, child_flags, chars, reach, where)


def _reads_past(sub, flags: int, chars: set[str], more: bool) -> set[str]:
    """The characters of chars that a match of sub may consume and then read on past
    (any node after one that consumes it reads on, even a zero-width one); more: a
    node follows sub. Errs on the side of more characters."""
    out: set[str] = set()
    for i, (op, av) in enumerate(sub):
        after = more or i + 1 < len(sub)
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            if after:
                kept = set(chars)
                _consumable([(op, av)], flags, kept)
                out |= chars - kept
        elif op is C.AT or (op in (C.ASSERT, C.ASSERT_NOT) and av[0] < 0):
            pass                     # reads nothing on the right
        elif op in (C.ASSERT, C.ASSERT_NOT) or op is C.GROUPREF:
            kept = set(chars)
            _consumable([(op, av)], flags, kept)
            out |= chars - kept      # what a lookahead inside reads: counted as read past
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            out |= _reads_past(av[2], flags, chars, after or av[1] > 1)   # a next round reads on
        else:
            for child, child_flags in _children(op, av, flags):
                out |= _reads_past(child, child_flags, chars, after)
    return out


def _simple(sub) -> bool:
    """No assertion or back reference inside sub."""
    for op, av in sub:
        if op in (C.ASSERT, C.ASSERT_NOT, C.GROUPREF, C.GROUPREF_EXISTS):
            return False
        if op not in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN, C.AT):
            if not all(_simple(child) for child, _f in _children(op, av, 0)):
                return False
    return True


@lru_cache(maxsize=None)
def barriers(pattern: re.Pattern) -> tuple[str, int]:
    """(chars, reach): the characters of CANDIDATES that no match of pattern contains and
    that no lookahead reads on past, and how many characters after such a barrier a
    lookahead may still read (at least 1: the barrier itself). ("", 1) when unsure."""
    try:
        parsed = P.parse(pattern.pattern, pattern.flags)
        if parsed.getwidth()[0] == 0:
            return "", 1             # an empty match moves the scan by one: keep it whole
        chars, reach = set(CANDIDATES), [1]
        _plan(parsed, parsed.state.flags, chars, reach)
    except (_Unsure, re.error, RecursionError):
        return "", 1
    return "".join(sorted(chars)), reach[0]


def _first(sub, flags: int):
    """([(op, av, flags)] of the nodes that can consume the first character of a match
    of sub, whether sub can match empty); raises _Unsure."""
    nodes = []
    for op, av in sub:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            return nodes + [(op, av, flags)], False
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue                 # zero-width
        if op is C.BRANCH:
            empty = False
            for alt in av[1]:
                n, e = _first(alt, flags)
                nodes += n
                empty = empty or e
        elif op is C.SUBPATTERN:
            _group, add, rem, p = av
            n, empty = _first(p, _combine(flags, add, rem))
            nodes += n
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            n, empty = _first(av[2], flags)
            nodes += n
            empty = empty or av[0] == 0
        else:
            raise _Unsure(op)
        if not empty:
            return nodes, False
    return nodes, True


def _first_nodes(pattern: re.Pattern):
    """The first-character nodes of pattern's matches, or None when unsure or when a
    match may be empty."""
    try:
        parsed = P.parse(pattern.pattern, pattern.flags)
        nodes, empty = _first(parsed, parsed.state.flags)
    except (_Unsure, re.error, RecursionError):
        return None
    return None if empty or not nodes else nodes


_DIGIT = re.compile(r"\d")
_DIGIT_FREE = (C.CATEGORY_NOT_DIGIT, C.CATEGORY_SPACE, C.CATEGORY_NOT_WORD)


def _may_take_digit(op, av) -> bool:
    """A consuming node may match a digit (\\d); True when unsure."""
    if op is C.LITERAL:
        return bool(_DIGIT.match(chr(av)))
    if op is not C.IN:
        return True                  # any character, or any but one
    for iop, iav in av:
        if iop is C.LITERAL and not _DIGIT.match(chr(iav)):
            continue
        if iop is C.RANGE and iav[1] - iav[0] < 4096 and \
                not any(_DIGIT.match(chr(c)) for c in range(iav[0], iav[1] + 1)):
            continue
        if iop is C.CATEGORY and iav in _DIGIT_FREE:
            continue
        return True                  # a digit, a negated class, a class with digits
    return False


def _digit_free(sub) -> bool:
    """No match of sub takes in a digit (what an assertion reads is no part of it);
    False when unsure."""
    for op, av in sub:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            if _may_take_digit(op, av):
                return False
        elif op is C.GROUPREF:
            return False
        elif op not in (C.AT, C.ASSERT, C.ASSERT_NOT) and \
                not all(_digit_free(child) for child, _f in _children(op, av, 0)):
            return False
    return True


def never_on_digits(pattern: re.Pattern) -> bool:
    """No match of pattern overlaps a number written in digits: none consumes a digit
    and none is shorter than two characters (inside a number, what is no digit is one
    character between two digits). False when unsure."""
    try:
        parsed = P.parse(pattern.pattern, pattern.flags)
        return parsed.getwidth()[0] >= 2 and _digit_free(parsed)
    except (_Unsure, re.error, RecursionError):
        return False


# anchors that look at the character before the position they stand at, or need the real start
_LOOKS_BACK = {C.AT_BEGINNING, C.AT_BEGINNING_LINE, C.AT_BEGINNING_STRING, C.AT_BOUNDARY,
               C.AT_NON_BOUNDARY, C.AT_LOC_BOUNDARY, C.AT_LOC_NON_BOUNDARY, C.AT_UNI_BOUNDARY,
               C.AT_UNI_NON_BOUNDARY}


def _reads_back(sub) -> bool:
    for op, av in sub:
        if op is C.AT:
            if av in _LOOKS_BACK:
                return True
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if av[0] < 0 or _reads_back(av[1]):
                return True
        elif op is C.BRANCH:
            if any(_reads_back(alt) for alt in av[1]):
                return True
        elif op is C.SUBPATTERN:
            if _reads_back(av[-1]):
                return True
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            if _reads_back(av[2]):
                return True
        elif op is C.GROUPREF_EXISTS:
            if _reads_back(av[1]) or (av[2] is not None and _reads_back(av[2])):
                return True
        elif op is getattr(C, "ATOMIC_GROUP", None):
            if _reads_back(av):
                return True
    return False


@lru_cache(maxsize=None)
def looks_behind(pattern: re.Pattern) -> bool:
    """May a match of pattern at pos depend on text before pos (a lookbehind, \\b, ^)?
    If not, pattern.match(text, pos, end) is pattern.match(text[pos:end]) moved by pos,
    and a rule can be matched in place without copying the text. True when unsure."""
    try:
        return _reads_back(P.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError):
        return True


@lru_cache(maxsize=None)
def quick(pattern: re.Pattern) -> re.Pattern:
    """pattern, led by a lookahead for the characters a match can start with, so that the
    many places where none starts are passed over at once. The same matches and groups;
    pattern itself when that cannot be worked out."""
    nodes = _first_nodes(pattern)
    if nodes is None or _anchored(pattern):
        return pattern               # no lead: sre gives up at once where it cannot start
    try:
        classes = [_char_class(op, av) for op, av, _f in nodes]
    except _Unsure:
        return pattern
    if any(c == "." or c.startswith("[^") for c in classes):
        return pattern               # almost any character may start a match
    if pattern.flags & re.ASCII and not all(f & re.ASCII for _op, _av, f in nodes):
        return pattern               # a node reads Unicode classes the lead would read as ASCII
    # one class: a single case-blind set if any node is (a superset of each node's set)
    ignore = any(f & re.IGNORECASE for _op, _av, f in nodes)
    members = "".join(c[1:-1] if c.startswith("[") else c for c in classes)
    lead = "(?=(?%s:[%s]))" % ("i" if ignore else "-i", members)
    try:
        fast = re.compile(lead + "(?:" + pattern.pattern + ")", pattern.flags)
    except (re.error, ValueError):
        return pattern
    if fast.groups != pattern.groups or fast.groupindex != pattern.groupindex:
        return pattern
    return fast


def led(pattern: re.Pattern) -> re.Pattern | None:
    """pattern behind a class of the characters a match can start with, "[F](?<=(?=(pattern)).)":
    a search finds in group 1 the match of pattern at the first place it finds one (the
    class first lets sre pass over the other places in one tight loop instead of trying
    the pattern at each; quick's lookahead lead cannot; a case-blind start is led by the
    characters it matches, each written out). None when pattern may match empty, reads
    ASCII or locale classes where it starts, or has groups of its own."""
    nodes = _first_nodes(pattern)
    if nodes is None or pattern.groups or _anchored(pattern) or \
            any(f & (re.ASCII | re.LOCALE) for _op, _av, f in nodes):
        return None
    try:
        classes = [_blind_class(op, av) if f & re.IGNORECASE else _char_class(op, av) for op, av, f in nodes]
    except _Unsure:
        return None
    if any(c == "." or c.startswith("[^") for c in classes):
        return None
    members = "".join(c[1:-1] if c.startswith("[") else c for c in classes)
    try:
        return re.compile("[%s](?<=(?=(%s))(?s:.))" % (members, pattern.pattern), pattern.flags)
    except (re.error, ValueError):
        return None


def _blind_class(op, av) -> str:
    """A case-sensitive class of the characters a case-blind node (Unicode) matches: sre
    tests tolower(x) against the lowered members and their extra cases (re._casefix)."""
    if op is C.LITERAL:
        av = [(C.LITERAL, av)]
    elif op is not C.IN:
        raise _Unsure(op)
    codes, cats = set(), []
    for iop, iav in av:
        if iop is C.CATEGORY and iav in _CATEGORY:
            cats.append(_CATEGORY[iav])   # tolower keeps what a character is (\d, \w, \s)
        elif iop in (C.LITERAL, C.RANGE) and (iop is C.LITERAL or iav[1] - iav[0] < 4096):
            for c in (iav,) if iop is C.LITERAL else range(iav[0], iav[1] + 1):
                lo = _tolower(c)
                for m in (lo, *_EXTRA_CASES.get(lo, ())):
                    codes.update(_lowering_to(m))
        else:
            raise _Unsure(iop)        # a negated class, a wide range
    return "[%s%s]" % (_code_ranges(codes), "".join(cats))


def _lowering_to(m: int) -> list[int]:
    """The characters x with tolower(x) == m (none beyond the BMP lower into it: tests)."""
    return ([m] if _tolower(m) == m else []) + _uppers().get(m, [])


@lru_cache(maxsize=1)
def _uppers() -> dict[int, list[int]]:
    """{m: the characters of the BMP other than m that sre lowers to m}."""
    out: dict[int, list[int]] = {}
    for x in range(0x10000):
        lo = _tolower(x)
        if lo != x:
            out.setdefault(lo, []).append(x)
    return out


@lru_cache(maxsize=None)
def char_class(chars: str) -> re.Pattern:
    """The class of chars, compiled once (re.compile's own cache costs a look-up and
    re.escape a scan at every call)."""
    return re.compile("[%s]" % re.escape(chars))


def barrier_positions(text: str, chars: str) -> list[int]:
    return [m.start() for m in char_class(chars).finditer(text)] if chars else []


def regions(spans, length: int, stops: list[int], reach: int = 1) -> list[tuple[int, int, int]]:
    """(pos, stop, endpos) stretches to scan so as to find every match overlapping a span:
    from pos, matches starting before stop, reading the text up to endpos.

    stops: the barrier positions of the text, sorted; spans: (start, end) pairs."""
    return [(pos, stop, min(stop + reach, length)) for pos, stop in stretches(spans, length, stops)]


def stretches(spans, length: int, stops: list[int]) -> list[tuple[int, int]]:
    """The (pos, stop) of regions(spans, length, stops, reach), which are the same for
    every reach."""
    if not stops:
        return [(0, length)] if spans else []    # one stretch: the whole text
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        i = bisect_left(stops, a)
        start = stops[i - 1] + 1 if i else 0
        j = bisect_left(stops, b)
        stop = stops[j] if j < len(stops) else length
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], stop))
        else:
            out.append((start, stop))
    return out


_PLANS: dict[int, tuple] = {}


def planned(pattern: re.Pattern) -> tuple:
    """(pattern, quick(pattern), barriers, reach, prefilter, led(lowered twin) or None,
    led(pattern) when there is no such twin, or None), worked out once per pattern object
    (a dict by id: hashing a pattern hashes its code)."""
    got = _PLANS.get(id(pattern))
    if got is None or got[0] is not pattern:
        chars, reach = barriers(pattern)
        twin = lowered_twin(pattern)
        twin = led(twin) if twin is not None else None
        got = _PLANS[id(pattern)] = (pattern, quick(pattern), chars, reach, prefilter(pattern),
                                     twin, led(pattern) if twin is None else None)
    return got


def plan(pattern: re.Pattern) -> tuple[re.Pattern, str, int]:
    """(quick(pattern), barriers, reach), worked out once per pattern object."""
    return planned(pattern)[1:4]


def finditer_near(pattern: re.Pattern, text: str, spans, memo: dict | None = None):
    """The matches of pattern.finditer(text) that can overlap one of spans (a superset of
    those that do, in order), scanning only the stretches around them. memo: a dict kept
    while the same text is scanned by several patterns (barrier positions, stretches)."""
    fast, chars, reach = plan(pattern)
    memo = {} if memo is None else memo
    key = (chars, reach, tuple(spans))
    todo = memo.get(key)
    if todo is None:
        stops = memo.get(chars)
        if stops is None:
            stops = memo[chars] = barrier_positions(text, chars)
        todo = memo[key] = regions(spans, len(text), stops, reach)
    for pos, stop, endpos in todo:
        for m in fast.finditer(text, pos, endpos):
            if m.start() >= stop:
                break                # past the barrier the view is cut short
            yield m


def barrier_stops(text: str, chars: str, memo: dict) -> list[int]:
    """barrier_positions(text, chars), kept in memo: read off the positions of all the
    CANDIDATES (every set of barriers is part of them), so that the rules whose barriers
    differ cost no scan of the text of their own."""
    stops = memo.get(chars)
    if stops is None:
        every = memo.get(CANDIDATES)
        if every is None:
            every = memo[CANDIDATES] = barrier_positions(text, CANDIDATES)
        stops = memo[chars] = every if chars == CANDIDATES else [i for i in every if text[i] in chars]
    return stops


def matches_near(pattern: re.Pattern, text: str, spans, memo: dict) -> list[tuple[int, int]]:
    """The non-empty (start, end) of the matches of finditer_near(pattern, text, spans,
    memo), as a list (no generator: the exclusions run it for every rule and sentence)."""
    got = _PLANS.get(id(pattern))
    if got is None or got[0] is not pattern:
        got = planned(pattern)
    key = (got[2], spans)
    todo = memo.get(key)
    if todo is None:
        todo = memo[key] = stretches(spans, len(text), barrier_stops(text, got[2], memo))
    return matches_in(got, text, memo_lowered(text, memo), todo)


def memo_lowered(text: str, memo: dict, low=False) -> str | None:
    """lowered(text), kept in memo["low"]; low: lowered(text) if the caller worked it out."""
    if low is False:
        low = memo.get("low", False)
        if low is False:
            low = lowered(text)
    memo["low"] = low
    return low


def matches_in(got: tuple, text: str, low: str | None, todo) -> list[tuple[int, int]]:
    """matches_near's spans, from what is worked out before: got = planned(pattern),
    low = lowered(text), todo = the stretches around the spans (`stretches`, with the
    positions of got's barriers)."""
    _p, fast, chars, reach, pre, twin, lead = got
    if low is None:
        pre = twin = None
    in_low, in_text, leading = pre if pre is not None else (None, None, False)
    n = len(text)
    out = []
    for pos, stop in todo:
        endpos = stop + reach if stop + reach < n else n
        if pre is not None:
            if in_text is not None and in_text.search(text, pos, endpos):
                pass                 # (the cheaper search first)
            elif in_low is None or (hit := in_low.search(low, pos, endpos)) is None:
                continue             # no piece every match contains is in this stretch
            elif leading:
                pos = hit.start()    # no match starts before the first piece
        if twin is not None:
            led_spans(twin, low, pos, stop, endpos, out)
            continue
        if lead is not None:
            led_spans(lead, text, pos, stop, endpos, out)
            continue
        for m in fast.finditer(text, pos, endpos):
            if m.start() >= stop:
                break                # past the barrier the view is cut short
            if m.end() > m.start():
                out.append(m.span())
    return out


def led_spans(scan: re.Pattern, low: str, pos: int, stop: int, endpos: int, out: list) -> None:
    """Append to out the spans of the matches starting before stop of the pattern that
    scan = led(pattern) stands for (pattern.finditer(low, pos, endpos); never empty)."""
    m = scan.search(low, pos, endpos)
    while m is not None:
        a, pos = m.span(1)
        if a >= stop:
            return
        out.append((a, pos))
        m = scan.search(low, pos, endpos)


# --- a required piece: what every match contains -------------------------------------
# characters whose case-blind match sre decides otherwise than str.lower() (re._casefix)
try:
    from re._casefix import _EXTRA_CASES
except ImportError:                                 # pragma: no cover
    _EXTRA_CASES = {}
_ODD_CASE = frozenset(chr(c) for k, v in _EXTRA_CASES.items() for c in (k, *v) if c >= 128)
_ODD_TEXT = re.compile("[ıſİ]")     # text chars matching an ASCII letter case-blind, or lowered to two
# (`lowered` looks for each with `in`: three string searches cost less than one class search)


def odd_case(s: str) -> bool:
    """s holds a character whose case-blind matches str.lower() does not tell."""
    return bool(_ODD_CASE.intersection(s.lower()) or _ODD_TEXT.search(s))


def _piece_of_literal(chars: list[str], flags: int):
    lit = "".join(chars)
    if not flags & re.IGNORECASE:
        return ("lit", lit)
    low = lit.lower()
    if len(low) != len(lit) or _ODD_CASE.intersection(low):
        raise _Unsure(lit)
    return ("low", low)


def _required_of(op, av, flags):
    """([pieces], score) that any match of one node contains one of; None if none."""
    if op is C.IN and not any(iop is C.NEGATE for iop, _ in av):
        # a few listed characters are rarer than a range, a range rarer than \d, \w …
        few = len(av) <= 3 and all(iop is C.LITERAL for iop, _ in av)
        score = 0.8 if few else 0.3 if any(iop is C.CATEGORY for iop, _ in av) else 0.5
        return [("re", re.compile(_char_class(op, av), flags & _CHAR_FLAGS))], score
    if op is C.SUBPATTERN:
        _group, add, rem, p = av
        return _required(p, _combine(flags, add, rem))
    if op is C.BRANCH:
        alts = [_required(alt, flags) for alt in av[1]]
        if any(a is None for a in alts):
            return None
        return [f for frags, _s in alts for f in frags], min(s for _f, s in alts)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        return _required(av[2], flags) if av[0] >= 1 else None
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _required(av, flags)
    return None      # zero-width, any character, back reference, negated class …


def _required(sub, flags: int):
    """([pieces], score) such that every match of sub contains one of the pieces; the
    most selective such choice found (longer literals score higher)."""
    best, run = None, []
    for op, av in list(sub) + [(None, None)]:
        if op is C.LITERAL and (not run or run[1] == flags):
            run = [run[0] + [chr(av)] if run else [chr(av)], flags]
            continue
        if run:
            # a lone letter ("h") is in most stretches: worth less than a class of marks
            got = [_piece_of_literal(*run)], 0.4 if len(run[0]) == 1 and run[0][0].isalpha() else len(run[0])
            best = got if best is None or got[1] > best[1] else best
            run = [[chr(av)], flags] if op is C.LITERAL else []
            if op is C.LITERAL:
                continue
        if op is None:
            break
        got = _required_of(op, av, flags)
        if got is not None and (best is None or got[1] > best[1]):
            best = got
    return best


def required_pieces(pattern: re.Pattern, at_least: float = 0.0) -> tuple | None:
    """Pieces one of which every match of pattern contains: ("low", s): s in the lowered
    text; ("lit", s): s in the text; ("re", p): p searched in the text. None when none
    is worked out, or when the choice scores below at_least (a class of letters 0.5, a
    class of a few marks 0.8, a literal its length, a lone letter 0.4)."""
    if pattern.flags & (re.ASCII | re.LOCALE) or not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = P.parse(pattern.pattern, pattern.flags)
        got = _required(parsed, parsed.state.flags)
    except (_Unsure, re.error, RecursionError, ValueError):
        return None
    return tuple(got[0]) if got is not None and got[1] >= at_least else None


# --- a twin of a case-blind pattern, scanning the lowered text ------------------------
# sre reads a case-blind node by lowering each character it tries (LITERAL_UNI_IGNORE,
# IN_UNI_IGNORE): a case-sensitive twin run on the lowered text, where that is done once
# for the whole sentence, finds the same spans at about half the cost.
from _sre import unicode_iscased as _iscased, unicode_tolower as _tolower  # noqa: E402

_AT = {C.AT_BEGINNING_STRING: r"\A", C.AT_END_STRING: r"\Z", C.AT_BOUNDARY: r"\b", C.AT_NON_BOUNDARY: r"\B"}


# characters a lowered text never holds (`lowered` declines a text with them; no other
# character lowers to them): the twin need not match them as extra cases of "i", "s"
_NEVER_LOWERED = frozenset(map(ord, "ıſ"))


def _extra_cases(lo: int) -> list[int]:
    """The characters sre matches case-blind with lo besides lo itself, that a lowered text may hold."""
    return [c for c in _EXTRA_CASES.get(lo, ()) if c not in _NEVER_LOWERED]


def _code_ranges(codes) -> str:
    """The members of a class holding exactly codes."""
    out, run = [], None
    for c in sorted(codes) + [None]:
        if run is not None and c == run[1] + 1:
            run[1] = c
            continue
        if run is not None:
            a, b = run
            out.append(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else ""))
        run = [c, c] if c is not None else None
    return "".join(out)


def _twin_class(op, av, blind: bool) -> str:
    """A case-sensitive class that matches lower(x) wherever node (op, av) matches x: what
    sre tests case-blind is tolower(x) against the lowered members (and their extra cases,
    re._casefix); a case-sensitive node is kept only when it holds no cased character
    (tolower keeps digits, spaces and word characters what they are: tests/test_fast_paths)."""
    negate = op is C.NOT_LITERAL
    codes, cats = set(), []
    for iop, iav in ([(C.LITERAL, av)] if op in (C.LITERAL, C.NOT_LITERAL) else av):
        if iop is C.NEGATE:
            negate = True
        elif iop is C.CATEGORY and iav in _CATEGORY:
            cats.append(_CATEGORY[iav])
        elif iop in (C.LITERAL, C.RANGE):
            for c in (iav,) if iop is C.LITERAL else range(iav[0], iav[1] + 1):
                if c > 0xFFFF or (not blind and _iscased(c)):
                    raise _Unsure(c)      # the lowered text no longer tells its case
                lo = _tolower(c) if blind else c
                codes.add(lo)
                codes.update(_extra_cases(lo))
        else:
            raise _Unsure(iop)
    if len(codes) == 1 and not cats and not negate:
        return re.escape(chr(codes.pop()))
    return "[%s%s%s]" % ("^" if negate else "", _code_ranges(codes), "".join(cats))


def _twin_source(sub, flags: int) -> str:
    """The source of the twin of sub (groups made non-capturing: only spans are asked)."""
    out = []
    for op, av in sub:
        if op in (C.LITERAL, C.NOT_LITERAL, C.IN):
            out.append(_twin_class(op, av, bool(flags & re.IGNORECASE)))
        elif op is C.ANY:
            out.append("(?s:.)" if flags & re.DOTALL else "(?-s:.)")
        elif op is C.AT and av in _AT:
            out.append(_AT[av])
        elif op is C.AT and av in (C.AT_BEGINNING, C.AT_END):
            out.append("(?%sm:%s)" % ("" if flags & re.MULTILINE else "-", "^" if av is C.AT_BEGINNING else "$"))
        elif op is C.BRANCH:
            words = [_twin_word(alt, flags) for alt in av[1]]
            out.append("(?:%s)" % (_ordered_trie(words) if None not in words else
                                   "|".join(_twin_source(alt, flags) for alt in av[1])))
        elif op is C.SUBPATTERN:
            inner = _combine(flags, av[1], av[2])
            if inner & (re.ASCII | re.LOCALE):
                raise _Unsure(inner)
            out.append("(?:%s)" % _twin_source(av[3], inner))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            lo, hi, item = av
            out.append("(?:%s){%d,%s}%s" % (_twin_source(item, flags), lo, "" if hi == C.MAXREPEAT else hi,
                                            "?" if op is C.MIN_REPEAT else "" if op is C.MAX_REPEAT else "+"))
        elif op in (C.ASSERT, C.ASSERT_NOT):
            out.append("(?%s%s%s)" % ("<" if av[0] < 0 else "", "=" if op is C.ASSERT else "!",
                                      _twin_source(av[1], flags)))
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out.append("(?>%s)" % _twin_source(av, flags))
        else:
            raise _Unsure(op)         # a back reference: the twin has no groups
    return "".join(out)


def _twin_word(sub, flags: int) -> str | None:
    """The lowered string an alternative of literals stands for in the twin; None when it
    is no plain string there (a class, a character with extra cases)."""
    chars = []
    for op, av in sub:
        if op is not C.LITERAL:
            return None
        lo = _tolower(av) if flags & re.IGNORECASE else av
        if _extra_cases(lo) or (not flags & re.IGNORECASE and _iscased(av)):
            return None
        chars.append(chr(lo))
    return "".join(chars)


def _ordered_trie(words: list[str]) -> str:
    """"|".join(map(re.escape, words)) with words sharing a first character under one
    branch, in the order given (sre tries a flat list's words one by one at each try): a
    word moves up only past words that start otherwise, which never match at its place
    (the twin is case-sensitive), and never past an empty word, which matches everywhere."""
    groups: list[tuple[str, list[str]]] = []
    for w in words:
        at = None
        for i in range(len(groups) - 1, -1, -1):
            if not w or not groups[i][0]:
                break
            if groups[i][0] == w[0]:
                at = i
                break
        if at is None:
            groups.append((w[:1], [w]))
        else:
            groups[at][1].append(w)
    parts = []
    for _first, ws in groups:
        n = len(os.path.commonprefix(ws))
        parts.append(re.escape(ws[0]) if len(ws) == 1 else
                     "%s(?:%s)" % (re.escape(ws[0][:n]), _ordered_trie([w[n:] for w in ws])))
    return "|".join(parts)


@lru_cache(maxsize=None)
def lowered_twin(pattern: re.Pattern) -> re.Pattern | None:
    """A case-sensitive pattern whose matches in `lowered(text)` are the spans of pattern's
    matches in text (for any pos, endpos); None for a pattern that ignores no case, or
    when that cannot be worked out."""
    if not pattern.flags & re.IGNORECASE or pattern.flags & (re.ASCII | re.LOCALE) or \
            not isinstance(pattern.pattern, str) or not _EXTRA_CASES:
        return None
    try:
        parsed = P.parse(pattern.pattern, pattern.flags)
        return re.compile(_twin_source(parsed, parsed.state.flags))
    except (_Unsure, re.error, RecursionError, ValueError, OverflowError):
        return None


def _anchored(pattern: re.Pattern) -> bool:
    """pattern starts with "^" or "\\A" (no MULTILINE): sre gives up at once at other
    places, so neither a lead nor a prefilter is worth it. Only a matter of speed."""
    return pattern.pattern.lstrip("(?:").startswith(("^", r"\A")) and not pattern.flags & re.MULTILINE


@lru_cache(maxsize=None)
def prefilter(pattern: re.Pattern) -> tuple | None:
    """(a pattern to search in the lowered text, a pattern to search in the text, whether
    every match starts with what the first finds), the patterns None when there is no
    such piece: where neither finds anything, pattern finds no match (see `lowered`).
    None when no selective enough piece is worked out (a lone letter, or \\d, \\w …:
    nearly every stretch holds one)."""
    if _anchored(pattern):
        return None                  # its scan stops at once anyway
    pieces = required_pieces(pattern, at_least=0.5)
    if pieces is None:
        return None
    low = sorted({p for k, p in pieces if k == "low"}, key=len, reverse=True)
    raw = [re.escape(p) for k, p in pieces if k == "lit"] + [p.pattern for k, p in pieces if k == "re"]
    flags = {p.flags for k, p in pieces if k == "re"}
    if len(flags) > 1:
        return None
    heads = leading_strings(pattern)
    leading = bool(low) and not raw and heads is not None and all(h.startswith(tuple(low)) for h in heads)
    return (re.compile(any_of(low)) if low else None,
            re.compile("|".join(raw), flags.pop() if flags else 0) if raw else None, leading)


def few_pieces(pattern: re.Pattern, most: int = 10) -> tuple[str, ...] | None:
    """The strings of the lowered text one of which every match of pattern holds, when
    that is all prefilter looks for and there are at most `most` of them (few enough to
    look for in a whole sentence with `in`, cheaper than a search per stretch); else None."""
    pre = prefilter(pattern)
    if pre is None or pre[0] is None or pre[1] is not None:
        return None
    low = {p for k, p in required_pieces(pattern, at_least=0.5) if k == "low"}
    low = sorted(p for p in low if not any(q != p and q in p for q in low))   # "mừng" tells "chào mừng"
    return tuple(low) if len(low) <= most else None


def leading_strings(pattern: re.Pattern) -> set[str] | None:
    """The strings, as in the lowered text, one of which every match of pattern starts
    with; None when that is not worked out."""
    if pattern.flags & (re.ASCII | re.LOCALE) or not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = P.parse(pattern.pattern, pattern.flags)
        return _heads(list(parsed), parsed.state.flags)
    except (_Unsure, re.error, RecursionError, ValueError):
        return None


def _heads(sub: list, flags: int) -> set[str]:
    """The strings one of which each match of sub starts with; raises _Unsure."""
    for i, (op, av) in enumerate(sub):
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue                 # zero-width
        if op is C.LITERAL:
            run = [chr(a) for _op, a in itertools.takewhile(lambda n: n[0] is C.LITERAL, sub[i:])]
            kind, s = _piece_of_literal(run, flags)
            if kind == "lit" and s.lower() != s:
                raise _Unsure(s)     # a cased letter the lowered text no longer tells
            return {s}
        if op is C.BRANCH:
            return set().union(*(_heads(list(alt), flags) for alt in av[1]))
        if op is C.SUBPATTERN:
            return _heads(list(av[3]), _combine(flags, av[1], av[2]))
        raise _Unsure(op)
    raise _Unsure("empty")


def any_of(strings) -> str:
    """A pattern finding where one of strings is written (case as given), laid out as a
    trie: sre tries the branches of an alternation one by one, so a flat list of many
    words costs as many tries at every position; a trie, a few per character read.
    Which of the strings a match stops at is not specified: only where one starts."""
    trie: dict = {}
    for s in strings:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    if "" in node:
        return ""                    # a string ends here: the match may stop at once
    alts = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items())]
    return alts[0] if len(alts) == 1 else "(?:%s)" % "|".join(alts)


def lowered(text: str) -> str | None:
    """text.lower() when it lines up with text character by character and with how sre
    matches case-blind (no "İ", dotless "ı", long "ſ"; no "Σ", which lowers to "ς" at the
    end of a word where sre's tolower gives "σ"); else None."""
    low = text.lower()
    return low if len(low) == len(text) and not ("ı" in text or "ſ" in text or "İ" in text or "Σ" in text) \
        else None
