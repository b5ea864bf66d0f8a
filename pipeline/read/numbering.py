"""Word's automatic numbering: render the label Word shows in front of a paragraph.

The label is not in the paragraph text; it follows from numbering.xml (abstract
definitions, num instances with overrides) and counters kept in reading order.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.read.wordml import W, attr, int_attr, wbool

ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def to_roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def to_letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz, aaa …
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return to_roman(n)
    if fmt == "lowerRoman":
        return to_roman(n).lower()
    if fmt == "upperLetter":
        return to_letters(n).upper()
    if fmt == "lowerLetter":
        return to_letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # lvlRestart: 0 = never restart
    legal: bool = False
    pstyle: str | None = None


@dataclass
class NumberingDefs:
    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[str, dict[int, Level | int]] = field(default_factory=dict)
    style_links: dict[str, str] = field(default_factory=dict)  # abstractNumId -> numStyleLink style


def _level(el) -> Level:
    lvl = Level()
    start = el.find(W + "start")
    if start is not None:
        lvl.start = int_attr(start, "val", 1, 0, 100_000)
    fmt = el.find(W + "numFmt")
    if fmt is not None:
        lvl.fmt = attr(fmt, "val") or "decimal"
    text = el.find(W + "lvlText")
    if text is not None:
        lvl.text = attr(text, "val") or ""
    restart = el.find(W + "lvlRestart")
    if restart is not None:
        lvl.restart = int_attr(restart, "val", 0, 0, 9)
    legal = el.find(W + "isLgl")
    lvl.legal = legal is not None and wbool(legal)
    pstyle = el.find(W + "pStyle")
    if pstyle is not None:
        lvl.pstyle = attr(pstyle, "val")
    return lvl


def parse_numbering(root) -> NumberingDefs:
    defs = NumberingDefs()
    if root is None:
        return defs
    for absn in root.iter(W + "abstractNum"):
        aid = attr(absn, "abstractNumId")
        defs.abstract[aid] = {int_attr(l, "ilvl", 0, 0, 8): _level(l) for l in absn.findall(W + "lvl")}
        link = absn.find(W + "numStyleLink")
        if link is not None:
            defs.style_links[aid] = attr(link, "val")
    for num in root.iter(W + "num"):
        nid = attr(num, "numId")
        ref = num.find(W + "abstractNumId")
        if ref is None:
            continue
        defs.nums[nid] = attr(ref, "val")
        over: dict[int, Level | int] = {}
        for ov in num.findall(W + "lvlOverride"):
            ilvl = int_attr(ov, "ilvl", 0, 0, 8)
            lvl = ov.find(W + "lvl")
            so = ov.find(W + "startOverride")
            if lvl is not None:
                over[ilvl] = _level(lvl)
            elif so is not None:
                over[ilvl] = int_attr(so, "val", 1, 0, 100_000)
        if over:
            defs.overrides[nid] = over
    return defs


class Numberer:
    """Counts numbered paragraphs in reading order and renders their labels."""

    def __init__(self, defs: NumberingDefs, style_numids: dict[str, str] | None = None):
        self.defs = defs
        self.style_numids = style_numids or {}
        self.counters: dict[str, dict[int, int]] = {}
        self.seen_nums: set[str] = set()

    def _abstract_id(self, num_id: str) -> str | None:
        aid = self.defs.nums.get(num_id)
        # A numStyleLink points at a style whose own numPr names the real list.
        link = self.defs.style_links.get(aid or "")
        if link and link in self.style_numids:
            aid = self.defs.nums.get(self.style_numids[link], aid)
        return aid

    def level(self, num_id: str, ilvl: int) -> Level | None:
        aid = self._abstract_id(num_id)
        if aid is None:
            return None
        over = self.defs.overrides.get(num_id, {}).get(ilvl)
        if isinstance(over, Level):
            return over
        return self.defs.abstract.get(aid, {}).get(ilvl)

    def label(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """The rendered label and its numFmt for the next paragraph of (numId, ilvl)."""
        if not num_id or num_id == "0":
            return None
        aid = self._abstract_id(num_id)
        lvl = self.level(num_id, ilvl)
        if aid is None or lvl is None:
            return None
        counters = self.counters.setdefault(aid, {})
        if num_id not in self.seen_nums:
            # A num instance with startOverride restarts its list where it is first used.
            self.seen_nums.add(num_id)
            for o_ilvl, over in self.defs.overrides.get(num_id, {}).items():
                if isinstance(over, int):
                    counters[o_ilvl] = over - 1
                else:
                    counters.pop(o_ilvl, None)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else lvl.start
        for deeper in [k for k in counters if k > ilvl]:
            deeper_lvl = self.level(num_id, deeper)
            restart = deeper_lvl.restart if deeper_lvl else None
            if restart is None or (restart != 0 and ilvl + 1 <= restart):
                del counters[deeper]
        if lvl.fmt == "bullet":
            text = lvl.text
            return ("•" if not text or any(0xE000 <= ord(c) <= 0xF8FF for c in text) else text), "bullet"
        out = lvl.text
        for k in range(9, 0, -1):
            token = f"%{k}"
            if token in out:
                ref = self.level(num_id, k - 1) or Level()
                value = counters.get(k - 1, ref.start)
                fmt = "decimal" if (lvl.legal and ref.fmt in ("upperRoman", "lowerRoman")) else ref.fmt
                out = out.replace(token, format_number(value, fmt))
        return out, lvl.fmt
