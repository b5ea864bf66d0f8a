"""Segment blocks into the report's section tree.

Headings come from Word heading styles, from typed numbering ("Phần thứ nhất", "I.",
"1.", "a)", "-", "*") and from Word's automatic numbering labels. The hard part is
telling headings from numbered list items and bullets of body text; see is_heading.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import registry as rules
from pipeline.model import Block, Section, Segmentation


@dataclass(frozen=True)
class HeadingType:
    name: str
    rank: int
    regex: re.Pattern
    bullet: bool = False


@lru_cache(maxsize=1)
def heading_types() -> tuple[HeadingType, ...]:
    out = []
    for r in rules.load("headings")["rules"]:
        flags = 0
        for f in r.get("flags", []):
            flags |= getattr(re, f)
        out.append(HeadingType(r["name"], r["rank"], re.compile(r["pattern"], flags), r.get("bullet", False)))
    return tuple(out)


def collapse(text: str) -> str:
    # str.split's white space is re's \s (both Py_UNICODE_ISSPACE), and it is 3x faster
    return " ".join(text.split())


def clean_title(text: str) -> str:
    return collapse(text).rstrip(":.").rstrip()


@dataclass(frozen=True)
class Candidate:
    type: HeadingType
    element: str       # path element ("" = use the title)
    title: str


_INLINE_FLAGS = {re.IGNORECASE: "i", re.DOTALL: "s", re.MULTILINE: "m", re.VERBOSE: "x", re.UNICODE: ""}
_GROUP_NAME = re.compile(r"\(\?P<(\w+)>")
_WORDY = re.compile(r"[^\W\d_]")
_ANY: dict = {}         # id(heading types) → (types, their patterns as one alternation or None)


def any_heading(types: tuple[HeadingType, ...]) -> re.Pattern | None:
    """One pattern that matches where some type's does, the first such type's alternative
    named "_h<its index>": most paragraphs start with no numbering, told by one match
    instead of one per type. None when a pattern cannot be joined safely (back-references,
    flags with no inline form, groups not plainly named)."""
    got = _ANY.get(id(types))
    if got is None or got[0] is not types:
        _ANY.clear()
        got = _ANY[id(types)] = (types, _joined(types))
    return got[1]


def _joined(types) -> re.Pattern | None:
    parts = []
    for i, ht in enumerate(types):
        p, flags = ht.regex.pattern, ht.regex.flags
        if not isinstance(p, str) or "(?P=" in p or re.search(r"\\[1-9]", p) or \
                flags & ~sum(_INLINE_FLAGS) or len(_GROUP_NAME.findall(p)) != len(ht.regex.groupindex):
            return None
        inline = "".join(c for f, c in _INLINE_FLAGS.items() if flags & f)
        parts.append(f"(?P<_h{i}>(?{inline}:{_GROUP_NAME.sub('(?:', p)}))")
    try:
        return re.compile("|".join(parts))
    except re.error:
        return None


def match_heading(text: str) -> Candidate | None:
    """The typed numbering at the start of text, if any (does not decide heading-ness)."""
    s = text.lstrip()
    types = heading_types()
    first = 0
    joined = any_heading(types)
    if joined is not None:
        m = joined.match(s)
        if not m:
            return None
        first = int(m.lastgroup[2:])       # the types before it do not match
    for ht in types[first:]:
        m = ht.regex.match(s)
        if not m:
            continue
        groups = m.groupdict()
        title = groups.get("title") or ""
        element = groups.get("num") or collapse(groups.get("label") or "")
        if not _WORDY.search(title) and not groups.get("label"):
            continue  # "-----" or "1. 2024": no words, no heading
        return Candidate(ht, element, title)
    return None


_STYLE_TYPE_RANK = 5  # styled headings: rank = 5 + 10 * outline level


def _is_upper_line(text: str) -> bool:
    """Some letters, all upper-case (told at the first other letter: body text is long)."""
    seen = False
    for c in text:
        if c.isalpha():
            if not c.isupper():
                return False
            seen = True
    return seen


def _neighbour_texts(blocks: list[Block], i: int) -> tuple[str, str]:
    """The texts of the nearest non-empty paragraphs before and after block i."""
    def near(places):               # (by index: a slice would copy the list each time)
        for j in places:
            b = blocks[j]
            if b.text.strip():
                return b.text if b.kind == "paragraph" else ""
        return ""
    return near(range(i - 1, -1, -1)), near(range(i + 1, len(blocks)))


def segment(blocks: list[Block]) -> Segmentation:
    """Find the headings of blocks and give every block its section."""
    cands: dict[int, Candidate] = {}
    for b in blocks:
        if b.kind != "paragraph" or not b.text.strip():
            continue
        text = f"{b.label} {b.text}" if b.label else b.text
        c = match_heading(text)
        if c is not None:
            cands[b.index] = c
    # Reports that bold their headings: a numbered paragraph that is not bold is body text.
    bold_mode = any(blocks[i].bold for i, c in cands.items() if not c.type.bullet)

    sections: list[Section] = []
    block_section: list[int | None] = [None] * len(blocks)
    heading_blocks: set[int] = set()
    stack: list[tuple[int, int]] = []   # (rank, section index)
    list_context = False                # after a heading ending ":", decimal items are list items
    current: int | None = None
    skip_until = -1
    for b in blocks:
        if b.index <= skip_until:
            block_section[b.index] = current
            continue
        cand = cands.get(b.index)
        heading = None if cand is None and b.outline_level is None else \
            _heading(b, cand, bold_mode, list_context, lambda i=b.index: _neighbour_texts(blocks, i))
        if heading is None:
            block_section[b.index] = current
            continue
        rank, element, title, kind = heading
        own = [b.index]
        if kind == "part" and not collapse(title):
            # "Phần thứ nhất" alone: following upper-case, bold or centered lines are its title.
            lines = []
            for nxt in blocks[b.index + 1:b.index + 4]:
                if nxt.kind != "paragraph" or nxt.index in cands or not nxt.text.strip():
                    break
                if not (_is_upper_line(nxt.text) and (nxt.bold or nxt.centered)):
                    break
                lines.append(nxt.text)
                own.append(nxt.index)
            title = " ".join(lines) or element
        while stack and stack[-1][0] >= rank:
            stack.pop()
        parent = sections[stack[-1][1]].path if stack else ()
        title = clean_title(title) or element
        sections.append(Section(parent + (element or title,), title, b.index, b.text, kind, tuple(own)))
        stack.append((rank, len(sections) - 1))
        current = len(sections) - 1
        for i in own:
            block_section[i] = current
            heading_blocks.add(i)
        skip_until = own[-1]
        if kind in ("part", "roman", "upper_letter") or rank < 40:
            list_context = False
        if b.text.rstrip().endswith(":"):      # (how collapse(b.text) ends, without collapsing it)
            list_context = True
    return Segmentation(sections, block_section, heading_blocks)


def _heading(b: Block, cand: Candidate | None, bold_mode: bool, list_context: bool, neighbours):
    """(rank, path element, title, kind) when block b is a heading, else None.

    Bold mode (the report bolds its headings): a numbered paragraph is a heading when
    bold throughout. Otherwise the text decides: short, no final ";", no decimal items
    right after a heading ending ":" (a list of figures), and a bullet heading is short
    and stands between body text, not among other bullets of its kind.
    """
    if b.kind != "paragraph" or (cand is None and b.outline_level is None):
        return None                  # (before collapsing: most paragraphs are neither)
    end = b.text.rstrip()             # where collapse(b.text) ends, without collapsing it
    if not end:
        return None
    if b.outline_level is not None:
        if cand is not None:
            return cand.type.rank, cand.element, cand.title, cand.type.name
        return _STYLE_TYPE_RANK + 10 * b.outline_level, "", b.text, "style"
    if cand is None:
        return None
    t = cand.type
    if t.bullet and end.endswith((".", ";", "…")):
        return None                  # (most bullets: body sentences)
    # the length of collapse(b.text), collapsed only when a limit below could tell (it never grows)
    size = len(b.text) if len(b.text) <= 120 else len(collapse(b.text))
    if size > 300:
        return None
    if bold_mode:
        if not b.bold:
            return None
    else:
        if size > 200 or end.endswith(";"):
            return None
        if list_context and t.name in ("decimal", "paren_decimal", "lower_letter"):
            return None
        if t.bullet:
            before, after = neighbours()
            if size > 120 or not after.strip():
                return None
            for other in (before, after):
                c = match_heading(other)
                if c is not None and c.type is t:
                    return None
    return t.rank, cand.element, cand.title, t.name


def outline(seg: Segmentation, as_json: bool = False) -> list[str]:
    """The section tree as lines: indented headings, or one JSON object per heading."""
    if as_json:
        return [json.dumps({"section_path": s.section_path, "title": s.title, "level": s.level,
                            "block": s.block, "text": s.text}, ensure_ascii=False) for s in seg.sections]
    lines = []
    for s in seg.sections:
        head = s.path[-1]
        sep = " – " if s.kind == "part" else ". "
        lines.append("  " * (s.level - 1) + (head if head == s.title else f"{head}{sep}{s.title}"))
    return lines
