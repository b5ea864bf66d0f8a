"""What a document says about all its figures: the kind and period of each section,
read from its headings (innermost first) and from the document's title lines."""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.link import cues
from pipeline.model import Block, Section, Segmentation


@dataclass
class DocContext:
    blocks: list[Block]
    seg: Segmentation
    ancestors: list[list[int]]          # for each section, its chain innermost first
    title_kind: str | None
    title_period: str
    _by_section: dict = field(default_factory=dict, repr=False)   # (what, section) → answer

    def section_kind(self, block: int) -> str:
        i = self.seg.block_section[block]
        if ("kind", i) not in self._by_section:
            self._by_section["kind", i] = self._section_kind(i)
        return self._by_section["kind", i]

    def section_period(self, block: int) -> str:
        i = self.seg.block_section[block]
        if ("period", i) not in self._by_section:
            self._by_section["period", i] = self._section_period(i)
        return self._by_section["period", i]

    def _section_kind(self, i: int | None) -> str:
        for k in self.ancestors[i] if i is not None else []:
            kind = cues.title_kind(self.seg.sections[k].title)
            if kind:
                return kind
        return self.title_kind or "actual"

    def _section_period(self, i: int | None) -> str:
        for k in self.ancestors[i] if i is not None else []:
            if ("title", k) not in self._by_section:     # a heading's own period, once
                s = self.seg.sections[k]
                ms = [m for m in cues.mentions(s.title, names_date=True) if not m.base]
                self._by_section["title", k] = ms[0].period if ms else None
            if self._by_section["title", k] is not None:
                return self._by_section["title", k]
        return self.title_period


def _ancestors(sections: list[Section]) -> list[list[int]]:
    out, stack = [], []
    for i, s in enumerate(sections):
        while stack and (sections[stack[-1]].level >= s.level or
                         sections[stack[-1]].path != s.path[:sections[stack[-1]].level]):
            stack.pop()
        stack.append(i)
        out.append(list(reversed(stack)))
    return out


def document_context(blocks: list[Block], seg: Segmentation) -> DocContext:
    first = seg.sections[0].block if seg.sections else len(blocks)
    title = " ".join(b.text for b in blocks[:first] if b.kind == "paragraph" and (b.bold or b.centered))
    periods = {m.period for m in cues.mentions(title) if not m.base}
    return DocContext(blocks, seg, _ancestors(seg.sections), cues.title_kind(title) if title else None,
                      periods.pop() if len(periods) == 1 else "")
