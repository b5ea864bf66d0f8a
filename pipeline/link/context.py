"""Where a figure's period and kind come from: one ordered chain of named rules each.

conventions.md rules 24–28: the figure's own clause, the table row's label and the column
header, the paragraph's lead, the enclosing headings (innermost first, a first-line title
that is no styled heading included), the document's title. The first rule that finds a
value wins; the rule's name is the source written in the row's `basis` column
(`period=heading;kind=title`). Heading and title steps read only titles and headings,
never a body sentence, so a bulletin whose opening mentions "mục tiêu" stays `actual`.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from pipeline.link import cues
from pipeline.model import Block, Figure, Section, Segmentation

TITLE_MAX_WORDS = 40          # a title line is short; a longer first paragraph is body text
SENTENCE_END = re.compile(r"[.;!?…]\W*$")   # and ends with no full stop: a body sentence does


@dataclass
class DocContext:
    blocks: list[Block]
    seg: Segmentation
    ancestors: list[list[int]]          # for each section, its chain innermost first
    title_kind: str | None
    title_period: str                   # only when the title frames the figures (rule 25 (4))

    loose: list[int] = field(default_factory=list)   # headings the segmenter left as text, in order
    _memo: dict = field(default_factory=dict, repr=False)   # frame → its framing titles
    _heading: dict = field(default_factory=dict, repr=False)    # block → (kind, period) of its headings
    _framed: dict = field(default_factory=dict, repr=False)     # frame → (kind, period) of its headings

    def framing_titles(self, block: int) -> list[tuple[str, bool]]:
        """The headings above a block, innermost first, each (text, frames its period):
        a loose heading inside the innermost section, the sections' headings, then the
        nearest loose heading above them (a bold "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025" part line)."""
        frame = self._frame(block)
        if frame not in self._memo:
            i, inner, outer = frame
            chain = self.ancestors[i] if i is not None else []
            titles = [self.blocks[k].text for k in inner] + [self.seg.sections[k].title for k in chain] + \
                [self.blocks[k].text for k in outer]
            self._memo[frame] = [(t, frames(t)) for t in titles]
        return self._memo[frame]

    def _frame(self, block: int) -> tuple:
        """What frames a block, the same for every block of a stretch of its section: the
        section, the nearest loose heading above the block inside it and the nearest one
        above the section's heading (each a tuple of at most one block index)."""
        i = self.seg.block_section[block]
        start = self.seg.sections[self.ancestors[i][0]].block if i is not None else -1
        j = bisect_left(self.loose, block)
        m = bisect_right(self.loose, start, 0, j)      # loose[:m] stand at or above the section's heading
        return i, tuple(self.loose[j - 1:j] if j > m else ()), tuple(self.loose[m - 1:m] if m else ())

    def heading_kind(self, block: int) -> str:
        """The innermost heading's kind; a weak word (nhiệm vụ) only where no heading has a strong one."""
        return self._headings(block)[0]

    def heading_period(self, block: int) -> str:
        """The first year or term of the headings that frame the block, innermost first."""
        return self._headings(block)[1]

    def _headings(self, block: int) -> tuple[str, str]:
        """(heading kind, heading period) of a block, once per frame: every figure asks."""
        got = self._heading.get(block)
        if got is None:
            frame = self._frame(block)
            got = self._framed.get(frame)
            if got is None:
                got = self._framed[frame] = (self.heading_kind_of(block), self.heading_period_of(block))
            self._heading[block] = got
        return got

    def heading_kind_of(self, block: int) -> str:
        titles = [t for t, _ in self.framing_titles(block)]
        for strong in (True, False):
            kind = next((k for k in (cues.title_kind(t, strong) for t in titles) if k), None)
            if kind:
                return kind
        return ""

    def heading_period_of(self, block: int) -> str:
        for title, framing in self.framing_titles(block):
            period = title_period(title) if framing else ""
            if period:
                return period
        return ""

    def section_period(self, block: int) -> str:
        return self.heading_period(block) or self.title_period

    def cell(self, block: int, label: str, column_kind: str | None, column_period: str) -> "Inferred":
        """Kind, period and basis of a table cell: row label, column header, then the chain."""
        return infer(Where(self, block, label=label, column_kind=column_kind or "",
                           column_period=column_period))


# --- the chains ----------------------------------------------------------------------------
@dataclass
class Where:
    """A figure and what surrounds it: a paragraph's sentence, or a table cell's row and column."""
    ctx: DocContext
    block: int
    fig: Figure | None = None
    text: str = ""
    s0: int = 0
    s1: int = 0
    para_lead: str = ""                 # the year or term that opens the paragraph
    label: str = ""                     # a table row's label
    column_kind: str = ""
    column_period: str = ""
    _clause_memo: tuple[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def clause(self) -> tuple[str, str]:
        """(period, source) of the figure's own clause, once: two rules ask (a plain attribute,
        as functools.cached_property takes a lock on every first read)."""
        got = self._clause_memo
        if got is None:
            got = self._clause_memo = cues.clause_period(self.fig, self.text, self.s0, self.s1) if self.fig else ("", "")
        return got


@dataclass(frozen=True)
class Rule:
    name: str                           # the source written in `basis`
    find: Callable[[Where], str | None]     # None: no say; "" a decided empty value
    doc: str


def _row_label(w: Where) -> str:
    ms = [m for m in cues.mentions(w.label) if not m.base] if w.label else []
    return ms[0].period if ms else None


def _clause(w: Where) -> str | None:
    period, source = w.clause
    return period if source == "clause" else None


def _base(w: Where) -> str | None:
    period, source = w.clause
    return period if source == "base" else None


def _lead(w: Where) -> str:
    if not w.fig:
        return None
    return cues.lead_period(w.text, w.s0, w.s1) or cues.label_period(w.fig, w.text, w.s0, w.s1) or w.para_lead or None


PERIOD_CHAIN = (
    Rule("clause", _clause,
         "a year or span stated for the figure in its clause: '10% năm 2020'"),
    Rule("base", _base,
         "a comparison base's own year: 'so với 18,5 giường của năm 2019' → 2019 for 18,5; "
         "a base with none is empty: 'so với cùng kỳ (120 ha)'"),
    Rule("row-label", _row_label, "a table row's label: 'Tổng thu ngân sách năm 2023'"),
    Rule("column", lambda w: w.column_period or None, "a table column's header: 'Thực hiện năm 2024'"),
    Rule("lead", _lead, "the sentence's or paragraph's lead: 'Năm 2024, …', 'Trong nhiệm kỳ vừa qua (2015 - 2020), …'"),
    Rule("heading", lambda w: w.ctx.heading_period(w.block) or None, "the nearest enclosing heading with a year or term"),
    Rule("title", lambda w: w.ctx.title_period or None, "the title, when it frames the figures (a target list, a report)"),
)
KIND_CHAIN = (
    Rule("clause", lambda w: (cues.clause_kind(w.fig, w.text, w.s0) if w.fig else "") or None,
         "a target cue in the figure's sentence: 'Phấn đấu đến năm 2025, …'"),
    Rule("column", lambda w: w.column_kind or None, "a table column's header: 'Kế hoạch', 'Thực hiện'"),
    Rule("heading", lambda w: w.ctx.heading_kind(w.block) or None, "the innermost heading that names a kind"),
    Rule("title", lambda w: w.ctx.title_kind or None, "the title (first line included) that names a kind"),
)
DEFAULTS = {"period": ("", "none"), "kind": ("actual", "default")}
CHAINS = {"period": PERIOD_CHAIN, "kind": KIND_CHAIN}


def first_match(name: str, w: Where) -> tuple[str, str]:
    """(value, source) of the first rule of the named chain that has its say."""
    return _first(CHAINS[name], DEFAULTS[name], w)


def _first(chain: tuple[Rule, ...], default: tuple[str, str], w: Where) -> tuple[str, str]:
    for rule in chain:
        value = rule.find(w)
        if value is not None:
            return value, rule.name
    return default


@dataclass
class Inferred:
    kind: str
    period: str
    sources: list[tuple[str, str]] = field(default_factory=list)   # (field, source), in order

    @property
    def basis(self) -> str:
        return basis_of(self.sources)


def basis_of(sources: list[tuple[str, str]]) -> str:
    """The `basis` column: 'period=heading;kind=title' (other fields may add their pairs)."""
    return ";".join([f"{f}={s}" for f, s in sources])     # (a list: join makes one of a generator anyway)


_PERIOD_DEFAULT, _KIND_DEFAULT = DEFAULTS["period"], DEFAULTS["kind"]


def infer(w: Where) -> Inferred:
    period, p_src = _first(PERIOD_CHAIN, _PERIOD_DEFAULT, w)
    kind, k_src = _first(KIND_CHAIN, _KIND_DEFAULT, w)
    return Inferred(kind, period, [("period", p_src), ("kind", k_src)])


# --- the document --------------------------------------------------------------------------
@lru_cache(maxsize=1024)
def title_period(title: str) -> str:
    """The first year or term a heading names that is no base, once per heading text
    (every figure under it asks)."""
    ms = [m for m in cues.mentions(title, names_date=True) if not m.base]
    return ms[0].period if ms else ""


@lru_cache(maxsize=1024)
def frames(title: str) -> bool:
    """A title or heading dates the figures under it unless it only names a congress or a
    session (rule 28: "Xã A tổ chức Đại hội Đảng bộ lần thứ I, nhiệm kỳ 2025 - 2030");
    one that names a kind frames them ("KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI … NHIỆM KỲ 2020-2025")."""
    return bool(cues.title_kind(title, False)) or not cues.names_congress(title)   # (the key heading_kind_of asks)


def _ancestors(sections: list[Section]) -> list[list[int]]:
    out, stack = [], []
    paths = [s.path for s in sections]          # a section's level is its path's length
    for i, path in enumerate(paths):
        while stack and (len(paths[stack[-1]]) >= len(path) or paths[stack[-1]] != path[:len(paths[stack[-1]])]):
            stack.pop()
        stack.append(i)
        out.append(stack[::-1])
    return out


def title_block(blocks: list[Block], first_section: int) -> list[Block]:
    """The title block: the leading short paragraphs before the first heading that are bold
    or centred, and the document's first line even when plain; the first body paragraph
    (long, or ending in a full stop) ends it. Place-and-date and number lines are passed over."""
    out: list[Block] = []
    for b in blocks[:first_section]:
        text = b.text.strip()
        if b.kind != "paragraph" or not text or cues.is_title_skip(text):
            continue
        if not _title_like(b) or not (b.bold or b.centered or not out):
            break
        out.append(b)
    return out


def _title_like(b: Block) -> bool:
    text = b.text.strip()
    return len(text.split()) <= TITLE_MAX_WORDS and not SENTENCE_END.search(text)


def loose_headings(blocks: list[Block], seg: Segmentation, title: list[Block]) -> list[int]:
    """Bold or centred title-like lines that the segmenter left as text and that name a
    kind or a year: they head what follows as a heading does."""
    skip = seg.heading_blocks | {b.index for b in title}
    return [b.index for b in blocks if (b.bold or b.centered) and b.kind == "paragraph" and b.index not in skip
            and b.text.strip() and _title_like(b)
            and (cues.title_kind(b.text) or any(not m.base for m in cues.mentions(b.text, names_date=True)))]


def document_context(blocks: list[Block], seg: Segmentation) -> DocContext:
    first = seg.sections[0].block if seg.sections else len(blocks)
    lines = title_block(blocks, first)
    title = " ".join(b.text.strip() for b in lines)
    kind = cues.title_kind(title) if title else None
    periods = {m.period for m in cues.mentions(title) if not m.base} if frames(title) else set()
    return DocContext(blocks, seg, _ancestors(seg.sections), kind,
                      periods.pop() if len(periods) == 1 else "", loose_headings(blocks, seg, lines))
