"""Word lists from rules/ compiled once into matchers (longest first, word-bounded)."""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline import registry as rules
from pipeline.find.regions import lowered, odd_case, quick

LETTER = r"[^\W\d_]"
# Vietnamese words are separated by spaces; a match must not run into a letter or digit.
END = r"(?![^\W_])"


def alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def alternation_blind(words) -> str:
    """alternation(words) for a case-blind pattern, laid out as a trie of the lowered
    words: sre enters every branch of a flat list at each try (a case-blind literal gets
    no quick first-character check), a trie a few. The same matches: at each node the
    longer words come first, so of the words written at a place the longest is tried
    first, as in the longest-first list. The flat list when a word lowers otherwise than
    sre matches it (regions.odd_case)."""
    words = set(words)
    if any(lowered(w) is None or odd_case(w) for w in words):
        return alternation(words)
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_longest_first(trie)


def _alternation_for(words, flags: int) -> str:
    """The alternation of words for a pattern compiled with flags (a trie where it is case-blind)."""
    blind = flags & re.IGNORECASE and not flags & (re.ASCII | re.LOCALE)
    return alternation_blind(words) if blind else alternation(words)


def _trie_longest_first(node: dict) -> str:
    alts = [re.escape(ch) + _trie_longest_first(child) for ch, child in sorted(node.items()) if ch]
    if "" in node:
        alts.append("")              # the word ending here, after every longer one
    return alts[0] if len(alts) == 1 else "(?:%s)" % "|".join(alts)


def words_ending(words, flags=re.IGNORECASE) -> re.Pattern:
    """A pattern matching one of words at the end of a string (use .search)."""
    return quick(re.compile(r"(?<![^\W_])(?:%s)\s*$" % _alternation_for(words, flags), flags))


def words_anywhere(words, flags=re.IGNORECASE) -> re.Pattern:
    return quick(re.compile(r"(?<![^\W_])(?:%s)%s" % (_alternation_for(words, flags), END), flags))


@lru_cache(maxsize=None)
def units_spec() -> dict:
    """rules/units.yaml: its unit rules and what goes with them (base units, guards)."""
    return rules.load("units")


@lru_cache(maxsize=None)
def base_units() -> dict[str, dict]:
    """Base unit → {name, colour}, in the order the report lists them."""
    return units_spec()["base_units"]


@lru_cache(maxsize=None)
def money_without_unit() -> tuple[str, frozenset]:
    """(base unit, magnitude words) of "30 triệu": a magnitude with no unit word is money."""
    m = units_spec()["money_without_unit"]
    return m["unit"], frozenset(m["magnitudes"])


@lru_cache(maxsize=None)
def units() -> list[dict]:
    """The unit rules: words written after a number and the base unit they give."""
    return units_spec()["rules"]


@lru_cache(maxsize=None)
def unit_pattern() -> re.Pattern:
    words = [w for u in units() for w in u["words"]]
    # A unit may be glued to the number ("16.745ha"); "%" needs no boundary.
    return re.compile(r"\s*(?P<unit>%s)(?:(?<=%%)|%s)" % (alternation_blind(words), END), re.IGNORECASE)


@lru_cache(maxsize=None)
def unit_by_word() -> dict[str, dict]:
    return {w.lower(): u for u in units() for w in u["words"]}


@lru_cache(maxsize=None)
def per_pattern() -> re.Pattern:
    """The denominator of a rate after its unit: "/năm", "/1 ha", "/1 vạn dân", "trên 10.000 dân"."""
    p = rules.load("per")
    one = r"(?:(?:1|một)\s*(?![\d.,]))?"
    pop = population()
    words = alternation_blind(p["per"])
    return re.compile(r"\s*(?:/\s*%s(?P<per>%s|(?:%s)(?:\s*/\s*(?:%s)%s)*)|\s(?:%s)\s+%s(?P<pop>%s))%s" % (
        one, pop, words, words, END, alternation_blind(p["population_joiners"]), one, pop, END),
        re.IGNORECASE)


@lru_cache(maxsize=None)
def counted() -> dict:
    return rules.load("counted")


@lru_cache(maxsize=None)
def noun_pattern() -> re.Pattern:
    return re.compile(r"\s*(?P<noun>%s)%s" % (alternation_blind(counted()["nouns"]), END), re.IGNORECASE)


@lru_cache(maxsize=None)
def classifier_pattern() -> re.Pattern:
    return re.compile(r"\s*(?P<noun>(?:%s)(?:\s+%s+(?:\s+(?:%s)%s)?)?)%s" % (
        alternation_blind(counted()["classifiers"]), LETTER, alternation_blind(counted()["classifier_tails"]), END,
        END),
        re.IGNORECASE)


@lru_cache(maxsize=None)
def not_nouns() -> frozenset:
    return frozenset(w.lower() for w in counted()["not_nouns"])


@lru_cache(maxsize=None)
def magnitude_pattern() -> re.Pattern:
    from pipeline.find.numbers import magnitudes
    return re.compile(r"\s*(?P<mag>%s)%s" % (alternation_blind(magnitudes()), END), re.IGNORECASE)


@lru_cache(maxsize=None)
def _word_classes() -> dict[str, str]:
    """What `{units}`, `{magnitudes}`, `{counted}` stand for in an exclusion pattern."""
    from pipeline.find.numbers import magnitudes
    not_counting = {w.lower() for w in rules.load("numbers")["word_number_not_counting"]}
    return {"{units}": alternation(units_words()), "{magnitudes}": alternation(magnitudes()),
            "{counted}": alternation(n for n in counted()["nouns"] if n.lower() not in not_counting),
            "{per_population}": population()}


def population() -> str:
    """A rate's population denominator: an amount and a noun ("vạn dân", "1.000 trẻ đẻ sống")."""
    p = rules.load("per")
    return r"(?:%s)\s*(?:%s)" % (alternation(p["population_amounts"]), alternation(p["population_nouns"]))


def _expand(pattern: str) -> str:
    for key, words in _word_classes().items():
        pattern = pattern.replace(key, words)
    return pattern


@lru_cache(maxsize=None)
def exclusions() -> list[tuple[str, str, re.Pattern]]:
    out = []
    for r in rules.load("exclusions"):
        flags = 0
        for f in r.get("flags", ["IGNORECASE"]):
            flags |= getattr(re, f)
        out.append((r["name"], r["reason"], re.compile(_expand(r["pattern"]), flags)))
    return out


@lru_cache(maxsize=None)
def units_words() -> tuple[str, ...]:
    return tuple(w for u in units() for w in u["words"])
