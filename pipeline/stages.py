"""One document through the stages, in order: read → segment → find → link → tables.

`process(path)` returns the `Document` with what each stage added (blocks, sections,
sentences with their figures, excluded numbers, rows); the audit, the report, `show`
and `annotate` read that object instead of running stages again.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_left
from pathlib import Path

from pipeline.find.figures import find_figures, number_tokens, paragraph_numbers
from pipeline.find.nlp import first_word
from pipeline.find.sentences import collapse, split
from pipeline.link import cues as link
from pipeline.link.codes import code_fields, coded
from pipeline.link.context import DocContext, Where, document_context, infer
from pipeline.link.indicators import ParagraphIndicators
from pipeline.model import Block, Document, Excluded, Row, Sentence
from pipeline.read import read_blocks
from pipeline.read.package import DEFAULT_LIMITS, Limits
from pipeline.segment.headings import segment
from pipeline.tables.cells import table_rows

HEADING_NUMBER = "số trong đề mục"
TABLE_NUMBER = "số thứ tự hoặc tiêu đề bảng"


SENTENCE_LIMIT = 2000      # a row's `sentence` longer than this is cut around its figure
CUT = "…"


def row_sentence(sentence: str, text: str, s0: int, s1: int, fig) -> str:
    """The row's sentence, or, past SENTENCE_LIMIT characters, the stretch of it around the
    figure, cut at spaces and marked "… " / " …" where cut (`raw` and offsets stay whole)."""
    if len(sentence) <= SENTENCE_LIMIT:
        return sentence
    half = max(0, (SENTENCE_LIMIT - (fig.end - fig.start)) // 2)
    a, b = max(s0, fig.start - half), min(s1, fig.end + half)
    if a > s0:
        space = next((i for i in range(a, fig.start) if text[i].isspace()), a)
        a = space
    if b < s1:
        space = next((i for i in range(b - 1, fig.end - 1, -1) if text[i].isspace()), b)
        b = space
    part = collapse(text[a:b])[:SENTENCE_LIMIT]
    return (CUT + " " if a > s0 else "") + part + (" " + CUT if b < s1 else "")


def _segmenter(text: str) -> str:
    return first_word(text)


def paragraph_rows(doc: Document, ctx: DocContext, block: Block, period: str = "", kind: str = "") -> list[Row]:
    """Find the figures of each sentence of a paragraph and link them into rows.

    A table cell read as a paragraph passes what its column or row says (period, kind)
    instead of its section's."""
    text = block.text
    sents = split(text)
    rows: list[Row] = []
    indicators = None       # with its section and lead: for a paragraph with figures only
    excluded = doc.excluded.setdefault(block.index, [])
    source = _source(doc)
    numbers, low = paragraph_numbers(text)      # one scan for all sentences
    j = 0
    for n, (s0, s1) in enumerate(sents):
        i = bisect_left(numbers, (s0,), j)
        j = bisect_left(numbers, (s1,), i)      # the sentence's numbers: numbers[i:j]
        if i == j:
            continue        # no number: no figure nor excluded number
        figs, excl = find_figures(text, s0, s1, block_start=(n == 0), segmenter=_segmenter,
                                  numbers=numbers[i:j], low=low[s0:s1] if low is not None else False)
        excluded.extend(excl)
        if figs or excl:
            doc.sentences.append(Sentence(block.index, s0, s1, figs, excl))
        if not figs:
            continue
        if indicators is None:
            section = ctx.seg.section_of(block.index)
            path, title = (section.section_path, section.title) if section else ("", "")
            para_lead = link.lead_period(text, *sents[0])
            indicators = ParagraphIndicators(text)
        sentence = collapse(text[s0:s1])
        chg = link.changes(figs, text, s0, s1)
        indicators.sentence(s0, s1, figs)
        for fig, change in zip(figs, chg):
            got = infer(Where(ctx, block.index, fig, text, s0, s1, para_lead, column_kind=kind,
                              column_period=period))
            indicator = indicators(fig)
            got.sources.append(("indicator", indicators.last_rule or "none"))   # the named rule
            per = link.per_year(fig, change, text, s0, s1)
            coded_as = code_fields(indicator, fig.unit, per, change, fig.counted)
            # whole at once (no copies), by position in Row's field order: a call by 23
            # keywords and two merged dicts costs twice as much
            rows.append(Row(
                doc.doc_id, path, title, block.index, fig.start, fig.end,
                row_sentence(sentence, text, s0, s1, fig), text[fig.start:fig.end],
                indicator, fig.value, fig.unit, fig.counted, fig.denominator,
                link.qualifier(fig, text, s0, s1), change, got.kind, got.period, per,
                source["source_path"], source["source_sha256"], coded_as["code"], coded_as["direction"],
                got.basis))
    return rows


def _source(doc: Document) -> dict:
    """The provenance columns of a document's rows: its path as given and its sha256."""
    return {"source_path": doc.path, "source_sha256": doc.sha256} if doc.path else \
        {"source_path": "", "source_sha256": ""}


def _numbers_as(block: Block, reason: str) -> list[Excluded]:
    return [Excluded(a, b, reason) for a, b, _w in number_tokens(block.text, 0, len(block.text))]


def run_stages(doc: Document) -> Document:
    """Segment, find, link and read the tables of a document whose blocks are read."""
    doc.segmentation = segment(doc.blocks)
    ctx = document_context(doc.blocks, doc.segmentation)
    rows: list[Row] = []
    tables: dict[int, list[Block]] = {}
    for b in doc.blocks:
        if b.kind == "cell":
            tables.setdefault(b.table, []).append(b)
            doc.excluded[b.index] = _numbers_as(b, TABLE_NUMBER)   # the report shows rows over these
        elif not b.text or b.text.isspace():     # blank (no stripped copy made to see it)
            continue
        elif b.index in doc.segmentation.heading_blocks:
            doc.excluded[b.index] = _numbers_as(b, HEADING_NUMBER)
        else:
            rows.extend(paragraph_rows(doc, ctx, b))

    def read_prose(cell: Block, period: str, kind: str) -> list[Row]:
        # A cell written as a sentence is read like a paragraph; its rows' `sentence` is
        # the cell's own sentence, not the ` | `-joined row (that is for number cells).
        doc.excluded[cell.index] = []
        got = paragraph_rows(doc, ctx, cell, period, kind)
        whole.update((id(r), r) for r in got)
        return got

    whole: dict[int, Row] = {}  # prose cells' rows are made whole; number cells' get source and code
    source = _source(doc)
    for cells in tables.values():
        rows.extend(r if whole.get(id(r)) is r else Row(**{**r.__dict__, **source, **coded(r)})
                    for r in table_rows(doc.doc_id, ctx, cells, read_prose))
    rows.sort(key=lambda r: (r.block, r.start))
    doc.rows = rows
    return doc


def process(path, limits: Limits = DEFAULT_LIMITS, doc_id: str | None = None) -> Document:
    """Read one report and run every stage on it."""
    path = Path(path)
    doc = Document(doc_id or path.stem, str(path))
    doc.blocks = read_blocks(path, limits)
    doc.warnings = list(getattr(doc.blocks, "warnings", ()))
    doc.sha256 = sha256_of(path)
    return run_stages(doc)


def process_blocks(doc_id: str, blocks: list[Block]) -> Document:
    """Every stage after reading, on blocks already read (tests, rule examples, annotate)."""
    return run_stages(Document(doc_id, blocks=blocks))


def extract_file(path, limits: Limits = DEFAULT_LIMITS) -> list[Row]:
    """The rows of one .docx, each carrying the path as given and the file's sha256."""
    return process(path, limits).rows


def extract_blocks(doc_id: str, blocks: list[Block]) -> list[Row]:
    return process_blocks(doc_id, blocks).rows


def extract_text(text: str, doc_id: str = "text") -> list[Row]:
    """The rows of a single paragraph of text (no sections): for rule examples and tries."""
    return extract_blocks(doc_id, [Block(index=0, text=text)])


def sha256_of(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
