"""Questions a figure asks about the stretch of its sentence before it ("is there a ';'",
"does a term-wide phrase stand between that year and me"), answered by bisection over
what the sentence holds, worked out once per sentence: asked by every figure of a long
run-on sentence, a scan back to the sentence's start would make the sentence cost the
square of its length."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from pipeline.find import regions


class Marks:
    """Positions of the characters of `chars` in text[s0:s1]."""
    __slots__ = ("at",)

    def __init__(self, text: str, s0: int, s1: int, chars: str):
        self.at = [m.start() for m in regions.char_class(chars).finditer(text, s0, s1)]

    def last_before(self, lo: int, hi: int) -> int:
        """text.rfind(one of chars, lo, hi) for lo, hi inside the sentence."""
        i = bisect_left(self.at, hi) - 1
        return self.at[i] if i >= 0 and self.at[i] >= lo else -1


class WordHits:
    """Where a pattern of fixed-length words (lexicon.words_anywhere: a lookbehind, a
    literal alternation, a one-character lookahead) matches in text[s0:s1], at every
    position, so that `pattern.search(text, a, end)` is answered without scanning a..end."""
    __slots__ = ("pattern", "starts", "width")

    def __init__(self, pattern: re.Pattern, text: str, s0: int, s1: int, width: int):
        self.pattern, self.width, self.starts = pattern, width, []
        m = pattern.search(text, s0, s1)
        while m is not None:
            self.starts.append(m.start())           # overlapping matches too: a search may start inside one
            m = pattern.search(text, m.start() + 1, s1)

    def found(self, text: str, a: int, end: int) -> bool:
        """pattern.search(text, a, end) is not None, for a, end inside the sentence.

        A match starting before end - width - 1 ends before end, and its lookahead reads a
        character before end: it is the same whether the view is cut at end or not. Only the
        last width + 1 places before end can differ: they are searched."""
        near = max(a, end - self.width - 1)
        i = bisect_left(self.starts, a)
        if i < len(self.starts) and self.starts[i] < near:
            return True
        return near < end and self.pattern.search(text, near, end) is not None


@lru_cache(maxsize=64)
def _semicolons(text: str) -> Marks:
    return Marks(text, 0, len(text), ";")


NEAR = 256     # a scan back this far costs less than a bisection's set-up


def clause_start(text: str, s0: int, at: int) -> int:
    """Where the ";" clause holding `at` starts in the sentence starting at s0 (after the
    last ";" before at): a scan of the last NEAR characters, and beyond them a bisection
    over the text's ";" positions (a long run-on sentence stays linear)."""
    near = at - NEAR
    if near <= s0:
        return max(s0, text.rfind(";", s0, at) + 1)
    k = text.rfind(";", near, at)
    return k + 1 if k >= 0 else max(s0, _semicolons(text).last_before(s0, near) + 1)


@lru_cache(maxsize=32)
def lowered(text: str) -> str | None:
    """regions.lowered(text), once per paragraph however many of its sentences ask."""
    return regions.lowered(text)


class LowScan:
    """pattern.finditer(text, pos, endpos)'s spans for a case-blind word pattern, found by
    regions' led twin in the lowered text (a class of first characters passed over in
    one tight loop, no case folding per character), or by pattern where there is no twin
    or the text does not lower character by character (lowered gives None)."""
    __slots__ = ("pattern", "led")

    def __init__(self, pattern: re.Pattern):
        twin = regions.lowered_twin(pattern)
        self.pattern, self.led = pattern, regions.led(twin) if twin is not None else None

    def spans(self, text: str, pos: int, endpos: int, low: str | None | bool = False) -> list[tuple[int, int]]:
        """low: lowered(text) when the caller holds it (None: not lowered), False to ask."""
        if endpos <= pos and self.led is not None:
            return []                   # a led pattern never matches empty: no lowering
        if low is False:
            low = lowered(text) if self.led is not None else None
        if low is None:
            return [m.span() for m in self.pattern.finditer(text, pos, endpos)]
        out: list[tuple[int, int]] = []
        regions.led_spans(self.led, low, pos, endpos, endpos, out)
        return out

    def first(self, text: str) -> int:
        """Where pattern.search(text) starts, -1 for no match (the text is lowered anew:
        a title, asked once, would crowd a paragraph out of `lowered`'s memo)."""
        low = regions.lowered(text) if self.led is not None else None
        if low is None:
            m = self.pattern.search(text)
            return m.start() if m else -1
        m = self.led.search(low)
        return m.start(1) if m else -1
