"""An annotated copy of a report for auditors who work in Word: `chiso annotate`.

Each extracted figure is shaded in its unit's colour (the report's colour of its base
unit, rules/units.yaml `base_units`: light colours, readable under black text) and
carries a Word comment holding its row with Vietnamese labels. The source is never
written, and a copy is never written into an input folder (the next extract would read
it as a report): the copies go to OUTDIR, named by their path below the input folder.

A file is opened through the same safe package reader as extract (size, zip-bomb and
format checks before python-docx inflates anything); whatever goes wrong with one file
is a ChisoError, one line, and a batch goes on.
"""
from __future__ import annotations

import copy
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from pipeline.errors import ChisoError, RuleError
from pipeline.find import lexicon as lx
from pipeline.model import Row
from pipeline.read.docx import read_tracked
from pipeline.read.package import DEFAULT_LIMITS, Limits, open_package, transitional
from pipeline.read.wordml import W
from pipeline.stages import process_blocks
from pipeline.write.files import find_docx, write_atomic

SUFFIX = ".annotated.docx"
DEFAULT_FILL = "FFF2A8"          # a unit with no colour of its own: light yellow
KIND_VI = {"actual": "thực hiện", "target": "mục tiêu"}
CHANGE_VI = {"+": "tăng", "-": "giảm"}
QUALIFIER_VI = {"~": "khoảng", ">": "trên", ">=": "từ … trở lên", "<": "dưới", "<=": "không quá"}
LABELS = [("value", "Giá trị"), ("unit", "Đơn vị"), ("indicator", "Chỉ tiêu"), ("code", "Mã"), ("kind", "Loại"),
          ("period", "Kỳ"), ("qualifier", "So sánh"), ("change", "Biến động"), ("per", "Tính trên"),
          ("counted", "Đối tượng đếm"), ("denominator", "Mẫu số"), ("section_path", "Mục")]
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHD_AFTER = ("w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",   # the
              "w:specVanish", "w:oMath")                     # elements after w:shd in w:rPr (its schema order)


def fill(unit: str) -> str:
    """The shading of a figure of this base unit: its colour in the report, as Word's RRGGBB."""
    base = lx.base_units().get(unit)
    return base["colour"].lstrip("#").upper() if base else DEFAULT_FILL


def vn_number(value: float) -> str:
    """A number as Vietnamese text writes it: 11.665 and 448,3 (dots group thousands)."""
    if not math.isfinite(value):
        return str(value)
    whole, _, frac = format(Decimal(repr(float(value))), "f").partition(".")
    frac = frac.rstrip("0")
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    return sign + f"{int(digits):,}".replace(",", ".") + ("," + frac if frac else "")


def xml_safe(text: str) -> str:
    """Text Word XML can hold: a control character (from w:sym, a broken file …) becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _shown(key: str, value) -> str:
    if isinstance(value, float) or key == "value":
        return vn_number(value)
    if key == "unit":
        name = lx.base_units().get(value, {}).get("name")
        return f"{name} ({value})" if name else value
    names = {"kind": KIND_VI, "change": CHANGE_VI, "qualifier": QUALIFIER_VI}.get(key)
    if names is not None:
        return f"{names[value]} ({value})" if value in names else ""
    return str(value)


def comment_text(row: Row) -> str:
    """The row as the comment shows it, one Vietnamese label a line; XML-safe."""
    lines = []
    for key, label in LABELS:
        value = getattr(row, key, "")
        shown = "" if value in ("", None) else _shown(key, value)
        if shown:
            lines.append(f"{label}: {shown}")
    return xml_safe("\n".join(lines))


def _shade(run_el, colour: str) -> None:
    """Shade one w:r (character shading, any RGB); a highlight of the source would hide it."""
    rpr = run_el.get_or_add_rPr()
    for old in rpr.findall(qn("w:highlight")) + rpr.findall(qn("w:shd")):
        rpr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    rpr.insert_element_before(shd, *_SHD_AFTER)


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


def _mark(document, blocks, tracked, rows: list[Row]) -> int:
    """Shade every figure and add one comment per row; the number of comments."""
    by_block: dict[int, list[Row]] = {}
    for r in rows:
        by_block.setdefault(r.block, []).append(r)
    comments = 0
    for block, block_rows in by_block.items():
        pieces = _Pieces(tracked.get(block, []))
        if pieces.length != len(blocks[block].text):
            continue                          # text that did not come from runs: leave it
        spans: dict[tuple[int, int], list[Row]] = {}
        for r in block_rows:
            spans.setdefault((r.start, r.end), []).append(r)
        for (start, end), same in sorted(spans.items(), reverse=True):    # right to left
            runs = _figure_runs(pieces, start, end)
            if not runs:
                continue
            first, last = runs[0], runs[-1]
            paragraph = Paragraph(first.getparent() if first.getparent().tag == W + "p"
                                  else first.getparent().getparent(), document._body)
            for r_el in dict.fromkeys(runs):
                _shade(r_el, fill(same[0].unit))
            for r in same:
                document.add_comment([Run(first, paragraph), Run(last, paragraph)], text=comment_text(r),
                                     author="chiso", initials="CS")
                comments += 1
    return comments


def _figure_runs(pieces: _Pieces, start: int, end: int) -> list:
    runs = []
    for p0, p1, raw, run, child in pieces.covering(start, end):
        if run is None:
            continue
        a = _raw_offset(raw, max(start, p0) - p0)
        b = _raw_offset(raw, min(end, p1) - p0)
        runs.append(_split_run(run, child, a, b))
    return runs


# python-docx opens a package whose main part is typed as a document's only; extract reads
# macro-enabled documents and templates too, so the copy is made of the same parts with the
# main part typed as a document's (and, for a .docm, without its macros: the copy is a .docx).
_OTHER_MAIN = re.compile(rb"application/vnd\.(?:ms-word\.(?:document|template)\.macroEnabled"
                         rb"|openxmlformats-officedocument\.wordprocessingml\.template)\.main\+xml")
_DOCUMENT_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACROS = "/vbaProject"


def _as_docx(path: Path, limits: Limits) -> io.BytesIO:
    """The package at path as python-docx opens a .docx: read through the safe reader
    (what extract refuses is refused here, before anything is inflated), Strict OOXML
    namespaces mapped to the transitional ones, the main part typed as a document's."""
    pkg = open_package(path, limits)
    buf = io.BytesIO()
    try:
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info in pkg.zip.infolist():
                data = pkg.read(info.filename)
                if info.filename.endswith((".xml", ".rels")):
                    data = transitional(data)
                if info.filename == "[Content_Types].xml":
                    data = _OTHER_MAIN.sub(_DOCUMENT_MAIN, data)
                out.writestr(info, data)
    finally:
        pkg.close()
    buf.seek(0)
    return buf


def _without_macros(document) -> None:
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith(_MACROS):
            document.part.drop_rel(rel_id)


def _annotated_bytes(path: Path, limits: Limits) -> bytes:
    package = _as_docx(path, limits)
    try:
        document = docx.Document(package)
        _without_macros(document)
        blocks, tracked = read_tracked(path, document.element.body, limits)
        _mark(document, blocks, tracked, process_blocks(path.stem, blocks).rows)
        buf = io.BytesIO()
        document.save(buf)
    except (ChisoError, RuleError):
        raise
    except (RecursionError, MemoryError) as exc:
        raise ChisoError(path, f"cấu trúc tài liệu quá sâu hoặc quá lớn ({type(exc).__name__})") from None
    except Exception as exc:  # what python-docx refuses in a package the reader accepted
        raise ChisoError(path, f"không tạo được bản chú thích ({type(exc).__name__}: {exc})") from None
    return buf.getvalue()


def annotate(path, out_dir=None, *, target=None, limits: Limits = DEFAULT_LIMITS) -> Path:
    """Write the annotated copy of path to target (default OUT_DIR/<stem>.annotated.docx);
    returns its path. Raises ChisoError, and nothing else, for any file it cannot annotate."""
    path = Path(path)
    out = Path(target) if target is not None else Path(out_dir) / f"{path.stem}{SUFFIX}"
    data = _annotated_bytes(path, limits)
    try:
        write_atomic(out, data)
    except OSError as exc:
        raise ChisoError(out, f"không ghi được bản chú thích ({exc.strerror or exc})") from None
    return out


def _inside(folder: Path, out: Path) -> bool:
    return out == folder or folder in out.parents


def check_output(inputs, out_dir) -> None:
    """Refuse an OUTDIR inside an input folder (or beside a file named on its own): the
    next `chiso extract` of that folder would read the copies as reports."""
    out = Path(out_dir).resolve()
    if out.exists() and not out.is_dir():
        raise ChisoError(out_dir, "không phải thư mục (-o must be a folder)")
    for given in map(Path, inputs):
        folder = given.resolve() if given.is_dir() else given.resolve().parent
        if given.is_dir() and _inside(folder, out) or not given.is_dir() and out == folder:
            raise ChisoError(out_dir, f"thư mục ra nằm trong thư mục đầu vào {given}; lần trích xuất sau "
                                      "sẽ đọc bản chú thích như báo cáo — hãy chọn thư mục khác "
                                      "(-o inside an input folder)")


def plan_copies(inputs, out_dir) -> list[tuple[Path, Path]]:
    """(source, copy) for every report named or found under the input folders, each file
    once; copies of an earlier run found in a folder are no input. A copy is named by the
    file's path below its input folder (subfolders kept); when two still meet at one name,
    the later gets a short hash of its path."""
    out = Path(out_dir)
    plan, seen, taken = [], set(), set()
    for given in map(Path, inputs):
        for path in find_docx([given]):
            key = path.resolve()
            if key in seen or path != given and path.name.endswith(SUFFIX):   # a copy of an earlier run
                continue
            seen.add(key)
            below = path.relative_to(given) if given.is_dir() and path != given else Path(path.name)
            target = out / below.parent / f"{below.stem}{SUFFIX}"
            if target in taken:
                tag = hashlib.sha1(str(key).encode("utf-8", "surrogateescape")).hexdigest()[:8]
                target = out / below.parent / f"{below.stem}-{tag}{SUFFIX}"
            taken.add(target)
            plan.append((path, target))
    return plan
