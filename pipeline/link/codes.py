"""The canonical indicator code of a row (rules/codes.yaml): which measure it is, so that
figures of many reports can be joined, and the code's direction (up, down, none).

A row gets a code only when its indicator phrase names that measure and its unit, per and
change fit the code; otherwise "" (an empty code is always better than a wrong one)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline import registry as rules
from pipeline.find import regions
from pipeline.model import Row

# old-style tone placement → the form the rules are written in (hoá → hóa, thuỷ → thủy;
# toàn, quý stay)
_TONES = {"oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oé": "óe", "oè": "òe", "oẻ": "ỏe",
          "oẽ": "õe", "oẹ": "ọe", "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
# only where the syllable ends; one branch a vowel, each led by its vowel (no "q" before it)
# so that sre passes over the places no branch starts at in one loop
_TONE = re.compile(r"(?:%s)(?!\w)" % "|".join(
    "%s(?<!q%s)[%s]" % (v, v, "".join(k[1] for k in _TONES if k[0] == v)) for v in dict.fromkeys(k[0] for k in _TONES)))
_PUNCT = re.compile(r"[,;:()\[\]\"“”‘’'`–—\-]+")


@dataclass(frozen=True)
class Code:
    name: str
    unit: str
    per: frozenset
    direction: str
    change: frozenset | None
    report: bool
    words: tuple
    with_change: tuple
    without: tuple
    named: re.Pattern | None            # any of words, as one search (searched_together)
    named_changed: re.Pattern | None    # any of with_change
    unless: re.Pattern | None           # any of without


def _compile(patterns) -> tuple:
    return tuple(re.compile(p) for p in patterns or ())


_GROUP_REF = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")    # a group referred to by number or name


def searched_together(patterns: tuple):
    """One pattern whose search finds a match where one of patterns' does (a search each
    costs a call and a scan each); None for none. Patterns that refer to a group by number
    or name, or that differ in flags, are not joined but searched one by one."""
    if not patterns:
        return None
    if len({p.flags for p in patterns}) == 1 and not any(_GROUP_REF.search(p.pattern) for p in patterns):
        try:
            return re.compile("|".join("(?:%s)" % p.pattern for p in patterns), patterns[0].flags)
        except re.error:
            pass                    # (a named group twice): searched one by one
    return _AnyOf(patterns)


@dataclass(frozen=True)
class _AnyOf:
    """The patterns searched one by one, with a compiled pattern's `search` (truth only)."""
    patterns: tuple

    def search(self, text: str):
        return next((m for m in (p.search(text) for p in self.patterns) if m), None)


@dataclass(frozen=True)
class _Unit:
    """The codes of one unit, in rule order, and what names each: for every literal piece
    that a match of a code's words must hold (find/regions.py), the codes that need it,
    filed under the piece's rarest character (`_key`): only the pieces whose character
    is in a phrase are looked for. A code none of whose pieces is in a phrase is not
    tried; `pieces` is None when some code's words have no such piece (then every code
    is tried)."""
    codes: tuple
    pieces: dict | None             # key character → ((piece, indexes of codes, in order), …)
    keys: frozenset = frozenset()

    def candidates(self, text: str):
        if self.pieces is None:
            return self.codes
        pieces = self.pieces
        hit = [which for ch in self.keys.intersection(text) for piece, which in pieces[ch] if piece in text]
        if not hit:
            return ()
        return [self.codes[i] for i in (hit[0] if len(hit) == 1 else sorted(set().union(*hit)))]


_BUILT: dict = {}


def _rules() -> tuple[dict[str, _Unit], re.Pattern | None, re.Pattern | None, re.Pattern | None, dict]:
    """The compiled codes by unit, rebuilt when the registry loads the file again (after
    reset): (by unit, never coded, never coded or compared with a plan, ratio to a base,
    directions)."""
    data = rules.load("codes")
    if id(data) not in _BUILT:
        _BUILT.clear()
        codes = tuple(_code(c) for c in data["codes"])
        by_unit = {}
        for c in codes:
            by_unit.setdefault(c.unit, []).append(c)
        by_unit = {u: _unit(tuple(cs)) for u, cs in by_unit.items()}
        compared, never = _compile(data["not_coded"]), _compile(data["never_coded"])
        _BUILT[id(data)] = (by_unit, searched_together(never), searched_together(never + compared), searched_together(_compile(data["ratio_to_base"])),
                            {c.name: c.direction for c in codes})
    return _BUILT[id(data)]


def _code(c: dict) -> Code:
    words, with_change, without = _compile(c["words"]), _compile(c.get("with_change")), _compile(c.get("without"))
    return Code(c["name"], c["unit"], frozenset(c["per"]), c["direction"],
                frozenset(c["change"]) if "change" in c else None, bool(c.get("report")),
                words, with_change, without, searched_together(words), searched_together(with_change), searched_together(without))


def _unit(codes: tuple) -> _Unit:
    pieces = _pieces_of(codes)
    if pieces is None:
        return _Unit(codes, None)
    filed: dict[str, list] = {}
    for piece, which in pieces:
        filed.setdefault(_key(piece, pieces), []).append((piece, which))
    return _Unit(codes, {ch: tuple(ps) for ch, ps in filed.items()}, frozenset(filed))


def _key(piece: str, pieces: tuple) -> str:
    """A character of the piece that few phrases hold: a phrase without it cannot hold the
    piece. A letter with a tone mark or a stroke first (each is rare in running text, where
    every phrase holds plain letters: each key found costs a look at its pieces), then the
    one the fewest pieces of its unit hold."""
    counts = {ch: sum(ch in p for p, _w in pieces) for ch in set(piece)}
    return min(counts, key=lambda ch: (ch.isspace(), ch.isascii(), counts[ch], ch))


def _pieces_of(codes) -> tuple | None:
    """((piece, indexes of the codes whose words need it), …), or None (see `_Unit`)."""
    need: dict[str, set] = {}
    for i, c in enumerate(codes):
        for p in c.words + c.with_change:
            found = regions.required_pieces(p, at_least=0.0)
            if found is None or any(kind != "lit" for kind, _piece in found):
                return None
            for _kind, piece in found:
                need.setdefault(piece, set()).add(i)
    return tuple((piece, tuple(sorted(which))) for piece, which in need.items())


def normalize(text: str) -> str:
    """Lower-cased, tone marks in one placement, punctuation as spaces."""
    text = unicodedata.normalize("NFC", text or "").lower()
    text = _TONE.sub(_retoned, text)
    return " ".join(_PUNCT.sub(" ", text).split())     # (str.split's white space is re's \s)


def _retoned(m: re.Match) -> str:
    return _TONES[m.group()]


def _names(c: Code, text: str, change: str) -> bool:
    # the words first: few phrases hold any, and `without` matters only when one does
    named = bool(c.named and c.named.search(text)) or bool(change and c.named_changed and c.named_changed.search(text))
    return named and not (c.unless and c.unless.search(text))


def code_of(indicator: str, unit: str, per: str = "", change: str = "", counted: str = "") -> str:
    """The code of a row with this indicator (else counted noun), unit, per and change."""
    return _code_of(_rules(), indicator, unit, per, change, counted)


def _code_of(built: tuple, indicator: str, unit: str, per: str, change: str, counted: str) -> str:
    by_unit, never, never_or_compared, ratio, _ = built
    if unit not in by_unit:
        return ""                   # (before normalizing: no code has this unit)
    phrase = normalize(indicator or counted)
    text = f"{phrase} /{per}" if per else phrase
    codes = by_unit[unit].candidates(text) if phrase else ()
    if not codes:
        return ""
    if unit == "%" and not change and ratio and ratio.search(phrase):
        return ""
    reported = None                 # asked only of a code that fits and is no report code
    for c in codes:                 # (the unit fits: the codes are the unit's)
        if per not in c.per or (c.change is not None and change not in c.change):
            continue
        if not c.report:
            if reported is None:    # a comparison with a plan or target counts for a percentage or a change only
                found = never_or_compared if unit == "%" or change else never
                reported = bool(found and found.search(phrase))
            if reported:
                continue
        if _names(c, text, change):
            return c.name
    return ""


def direction_of(code: str) -> str:
    return _rules()[4].get(code, "") if code else ""


def code_fields(indicator: str, unit: str, per: str = "", change: str = "", counted: str = "") -> dict:
    """The code and direction of a row with these fields, as Row fields."""
    built = _rules()
    code = _code_of(built, indicator, unit, per, change, counted)
    return {"code": code, "direction": built[4].get(code, "") if code else ""}


def coded(row: Row) -> dict:
    """The row's code and direction, as Row fields."""
    return code_fields(row.indicator, row.unit, row.per, row.change, row.counted)
