"""An annotated copy of a report for auditors who work in Word: `chiso annotate`.

Each extracted figure is highlighted (a colour per unit) and carries a Word comment
holding its row. The source file is never written: the copy goes to OUTDIR.
"""
from __future__ import annotations

import copy
import io
import unicodedata
from pathlib import Path

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from pipeline.find import lexicon as lx
from pipeline.model import Row
from pipeline.stages import process_blocks
from pipeline.write.files import write_atomic
from pipeline.read.docx import read_tracked
from pipeline.read.wordml import W

LABELS = [("indicator", "Chỉ tiêu"), ("value", "Giá trị"), ("unit", "Đơn vị"), ("qualifier", "Dấu so sánh"),
          ("change", "Biến động"), ("kind", "Loại"), ("period", "Kỳ"), ("per", "Tính trên"),
          ("counted", "Đối tượng đếm"), ("denominator", "Mẫu số"), ("section_path", "Mục")]


def highlight(unit: str) -> WD_COLOR_INDEX:
    """The Word highlight of a base unit (rules/units.yaml `base_units`); yellow for any other."""
    base = lx.base_units().get(unit)
    return getattr(WD_COLOR_INDEX, base["highlight"]) if base else WD_COLOR_INDEX.YELLOW


def comment_text(row: Row) -> str:
    parts = []
    for key, label in LABELS:
        value = getattr(row, key)
        if value in ("", None):
            continue
        if isinstance(value, float):
            value = f"{value:g}"
        parts.append(f"{label}: {value}")
    return "; ".join(parts)


class _Pieces:
    """Where each character of a block's NFC text lives: (run, child, offset in child)."""

    def __init__(self, pieces):
        self.spans = []          # (nfc_start, nfc_end, raw_text, run, child)
        pos = 0
        for raw, run, child in pieces:
            nfc = unicodedata.normalize("NFC", raw)
            self.spans.append((pos, pos + len(nfc), raw, run, child))
            pos += len(nfc)
        self.length = pos

    def covering(self, start: int, end: int):
        return [s for s in self.spans if s[0] < end and start < s[1]]


def _raw_offset(raw: str, nfc_offset: int) -> int:
    """The offset in raw whose NFC prefix has nfc_offset characters."""
    for k in range(len(raw) + 1):
        if len(unicodedata.normalize("NFC", raw[:k])) >= nfc_offset:
            return k
    return len(raw)


def _split_run(run, child, a: int, b: int):
    """Split run so that characters a:b of its single w:t child are a run of their own;
    return that run. Figures are split right to left, so the run still starts as it did."""
    texts = [c for c in run if c.tag != W + "rPr"]
    raw = child.text or ""
    if len(texts) != 1 or child.tag != W + "t" or (a == 0 and b == len(raw)):
        return run                     # not a plain text run, or already the whole run: mark it all
    pieces = [(raw[:a], "before"), (raw[a:b], "figure"), (raw[b:], "after")]
    made = {}
    anchor = run
    for text, name in pieces:
        if not text:
            continue
        if anchor is run and "first" not in made:
            target = run
            made["first"] = True
        else:
            target = copy.deepcopy(run)
            anchor.addnext(target)
        t = target.find(W + "t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        made[name] = target
        anchor = target
    return made["figure"]


def annotate(path, out_dir) -> Path:
    """Write OUT_DIR/<stem>.annotated.docx; returns its path."""
    path = Path(path)
    document = docx.Document(str(path))
    body = document.element.body
    blocks, tracked = read_tracked(path, body)
    rows = process_blocks(path.stem, blocks).rows
    by_block: dict[int, list[Row]] = {}
    for r in rows:
        by_block.setdefault(r.block, []).append(r)
    for block, block_rows in by_block.items():
        pieces = _Pieces(tracked.get(block, []))
        if pieces.length != len(blocks[block].text):
            continue                          # text that did not come from runs: leave it
        spans: dict[tuple[int, int], list[Row]] = {}
        for r in block_rows:
            spans.setdefault((r.start, r.end), []).append(r)
        for (start, end), same in sorted(spans.items(), reverse=True):    # right to left
            runs = []
            for p0, p1, raw, run, child in pieces.covering(start, end):
                if run is None:
                    continue
                a = _raw_offset(raw, max(start, p0) - p0)
                b = _raw_offset(raw, min(end, p1) - p0)
                runs.append(_split_run(run, child, a, b))
            if not runs:
                continue
            first, last = runs[0], runs[-1]
            paragraph = Paragraph(first.getparent() if first.getparent().tag == W + "p"
                                  else first.getparent().getparent(), document._body)
            for r_el in dict.fromkeys(runs):
                Run(r_el, paragraph).font.highlight_color = highlight(same[0].unit)
            for r in same:
                document.add_comment([Run(first, paragraph), Run(last, paragraph)], text=comment_text(r),
                                     author="chiso", initials="CS")
    out = Path(out_dir) / f"{path.stem}.annotated.docx"
    buf = io.BytesIO()
    document.save(buf)
    write_atomic(out, buf.getvalue())
    return out
