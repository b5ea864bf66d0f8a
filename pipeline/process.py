"""One file in, its indicator rows out: read → segment → sentences → find → link."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.link import cues as link
from pipeline.link.indicators import ParagraphIndicators
from pipeline.find.figures import find_figures
from pipeline.find.nlp import first_word
from pipeline.read.package import DEFAULT_LIMITS, Limits
from pipeline.model import Block, Row, Section, Segmentation
from pipeline.read.docx import read_blocks
from pipeline.segment.headings import segment
from pipeline.find.sentences import collapse, split
from pipeline.tables.cells import table_rows


@dataclass
class DocContext:
    """What a document says about all its figures: its sections' kinds and periods."""
    blocks: list[Block]
    seg: Segmentation
    ancestors: list[list[int]]          # for each section, its chain innermost first
    title_kind: str | None
    title_period: str

    def section_kind(self, block: int) -> str:
        i = self.seg.block_section[block]
        for k in self.ancestors[i] if i is not None else []:
            kind = link.title_kind(self.seg.sections[k].title)
            if kind:
                return kind
        return self.title_kind or "actual"

    def section_period(self, block: int) -> str:
        i = self.seg.block_section[block]
        for k in self.ancestors[i] if i is not None else []:
            s = self.seg.sections[k]
            ms = [m for m in link.mentions(s.title, names_date=True) if not m.base]
            if ms:
                return ms[0].period
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


def document_context(blocks: list[Block]) -> DocContext:
    seg = segment(blocks)
    first = seg.sections[0].block if seg.sections else len(blocks)
    title = " ".join(b.text for b in blocks[:first] if b.kind == "paragraph" and (b.bold or b.centered))
    periods = {m.period for m in link.mentions(title) if not m.base}
    return DocContext(blocks, seg, _ancestors(seg.sections), link.title_kind(title) if title else None,
                      periods.pop() if len(periods) == 1 else "")


def _segmenter(text: str) -> str:
    return first_word(text)


def paragraph_rows(doc_id: str, ctx: DocContext, block: Block, excluded_out: list | None = None) -> list[Row]:
    text = block.text
    sents = split(text)
    rows: list[Row] = []
    section = ctx.seg.section_of(block.index)
    path, title = (section.section_path, section.title) if section else ("", "")
    section_kind = ctx.section_kind(block.index)
    fallback = ctx.section_period(block.index)
    para_lead = link.lead_period(text, *sents[0]) if sents else ""
    indicators = ParagraphIndicators(text)
    for n, (s0, s1) in enumerate(sents):
        figs, excluded = find_figures(text, s0, s1, block_start=(n == 0), segmenter=_segmenter)
        if excluded_out is not None:
            excluded_out.extend((block.index, x) for x in excluded)
        if not figs:
            continue
        sentence = collapse(text[s0:s1])
        chg = link.changes(figs, text, s0, s1)
        indicators.sentence(s0, s1, figs)
        for fig, change in zip(figs, chg):
            ind = indicators(fig)
            rows.append(Row(
                doc_id=doc_id, section_path=path, section_title=title, block=block.index,
                start=fig.start, end=fig.end, sentence=sentence, raw=text[fig.start:fig.end],
                indicator=ind, value=fig.value, unit=fig.unit, counted=fig.counted,
                denominator=fig.denominator,
                qualifier=link.qualifier(fig, text, s0, link.has_base_after(fig, text, s1)),
                change=change, kind=link.kind(fig, text, s0, s1, section_kind),
                period=link.period(fig, text, s0, s1, para_lead or fallback),
                per=link.per_year(fig, change, text, s0, s1)))
    return rows


def extract_blocks(doc_id: str, blocks: list[Block], excluded_out: list | None = None) -> list[Row]:
    ctx = document_context(blocks)
    rows: list[Row] = []
    tables: dict[int, list[Block]] = {}
    for b in blocks:
        if b.kind == "cell":
            tables.setdefault(b.table, []).append(b)
            continue
        if b.index in ctx.seg.heading_blocks or not b.text.strip():
            continue
        rows.extend(paragraph_rows(doc_id, ctx, b, excluded_out))
    for cells in tables.values():
        rows.extend(table_rows(doc_id, ctx, cells))
    rows.sort(key=lambda r: (r.block, r.start))
    return rows


def extract_text(text: str, doc_id: str = "text") -> list[Row]:
    """The rows of a single paragraph of text (no sections): for rule examples and tries."""
    return extract_blocks(doc_id, [Block(index=0, text=text)])


def extract_file(path, limits: Limits = DEFAULT_LIMITS) -> list[Row]:
    """The rows of one .docx, each carrying the path as given and the file's sha256."""
    path = Path(path)
    rows = extract_blocks(path.stem, read_blocks(path, limits))
    digest = sha256_of(path)
    return [replace(r, source_path=str(path), source_sha256=digest) for r in rows]


def sha256_of(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def extract_sentences(path):
    """(block text, s0, s1, figures, excluded) of every paragraph sentence that holds a
    number, with (start, end, label) spans in block-text offsets: for viewers."""
    blocks = read_blocks(path)
    ctx = document_context(blocks)
    for b in blocks:
        if b.kind != "paragraph" or b.index in ctx.seg.heading_blocks or not b.text.strip():
            continue
        for n, (s0, s1) in enumerate(split(b.text)):
            figs, excluded = find_figures(b.text, s0, s1, block_start=(n == 0), segmenter=_segmenter)
            if figs or excluded:
                yield (b.text, s0, s1, [(f.start, f.end, f.unit) for f in figs],
                       [(x.start, x.end, x.reason) for x in excluded])


def excluded_numbers(blocks: list[Block], ctx: DocContext | None = None) -> dict[int, list[tuple[int, int, str]]]:
    """For every block, the numbers that are no rows, with the reason: what the finder
    excluded in paragraphs, numbers in headings, and the STT/header numbers of tables."""
    from pipeline.find.figures import NUMBER_TOKEN
    ctx = ctx or document_context(blocks)
    out: dict[int, list[tuple[int, int, str]]] = {}
    for b in blocks:
        if not b.text.strip():
            continue
        if b.kind == "paragraph" and b.index not in ctx.seg.heading_blocks:
            for n, (s0, s1) in enumerate(split(b.text)):
                _figs, excluded = find_figures(b.text, s0, s1, block_start=(n == 0), segmenter=_segmenter)
                out.setdefault(b.index, []).extend((x.start, x.end, x.reason) for x in excluded)
        else:
            reason = "số trong đề mục" if b.kind == "paragraph" else "số thứ tự hoặc tiêu đề bảng"
            out[b.index] = [(m.start(), m.end(), reason) for m in NUMBER_TOKEN.finditer(b.text)]
    return out
