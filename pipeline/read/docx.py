"""Read a .docx into text blocks in reading order.

A block is a body paragraph or a table cell (text boxes give paragraphs of their own,
right after the paragraph that anchors them). Its text is what Word shows, NFC: split
runs joined, hyperlinks, simple and complex field results and tracked insertions kept,
deleted text and field codes left out, soft breaks as "\\n" and tabs as "\\t".
Characters that show nothing (zero-width space, joiners, word joiner, BOM, soft
hyphen: INVISIBLE) are left out too, so that "1\u200b234" reads as the number 1234
wherever it is read; the block text holds none of them, and offsets stay consistent.
That text is what the indicator table's start/end offsets index.

Content controls (w:sdt) and custom XML are opened at every level: around paragraphs,
tables, rows, cells and inside cells. An embedded chunk (w:altChunk) is read when it
holds a .docx, HTML, MHT or plain text (pipeline/read/chunks.py); otherwise it is one
line in the reader's warnings (`Blocks.warnings`, `Document.warnings`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from pipeline import registry as rules
from pipeline.errors import ChisoError, RuleError
from pipeline.read import chunks, lazyxml
from pipeline.read.legacy import decode, encoding_of
from pipeline.read.numbering import Numberer, parse_numbering
from pipeline.read.package import _PARSER, DEFAULT_LIMITS, Limits, open_bytes, open_package
from pipeline.model import Block, Blocks
from pipeline.read.wordml import MC, V_TEXTBOX, VAL, W, WPS_TXBX, attr, int_attr, wbool


@lru_cache(maxsize=1)
def _heading_style() -> re.Pattern:
    names = rules.load("headings")["heading_styles"]
    return re.compile(r"^(?:%s)\s*(\d)$" % "|".join(re.escape(n) for n in names), re.I)


def heading_style_level(name: str) -> int | None:
    """The outline level a style name gives (rules/headings.yaml): "Tiêu đề 2" → 2."""
    m = _heading_style().match(name)
    return int(m.group(1)) if m else None
# tags and paths of the hot loops, built once
_R, _T, _TAB, _SYM, _FLDCHAR, _NBH = W + "r", W + "t", W + "tab", W + "sym", W + "fldChar", W + "noBreakHyphen"
_BREAKS = (W + "br", W + "cr")
_NOT_TEXT = (W + "del", W + "moveFrom", W + "commentReference", W + "pPr", W + "rPr", W + "sdtPr", W + "sdtEndPr")
_OBJECTS = (W + "drawing", W + "pict", MC + "AlternateContent", W + "object")
_RPR, _B, _RSTYLE, _RFONTS = W + "rPr", W + "b", W + "rStyle", W + "rFonts"
_PSTYLE, _NUMPR, _OUTLINE, _JC = W + "pStyle", W + "numPr", W + "outlineLvl", W + "jc"
_PPR_NUMPR = f"{W}pPr/{W}numPr"
_PPR = W + "pPr"
_STYLE_ID, _TYPE, _DEFAULT = W + "styleId", W + "type", W + "default"
_STYLE_KEYS = (_STYLE_ID, _TYPE, _DEFAULT)
_P, _TBL, _TR, _TC, _ALT_CHUNK = W + "p", W + "tbl", W + "tr", W + "tc", W + "altChunk"
# containers opened wherever they stand: content controls, custom XML, tracked moves
_WRAPPERS = (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo")
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# what a child of a run is, in one dict look-up instead of a chain of tag comparisons
_FIELD, _TEXT, _TABC, _BREAK, _HYPHEN, _SYMBOL, _OBJECT = range(7)
_RUN_KINDS = {_FLDCHAR: _FIELD, _T: _TEXT, _TAB: _TABC, _NBH: _HYPHEN, _SYM: _SYMBOL,
              **dict.fromkeys(_BREAKS, _BREAK), **dict.fromkeys(_OBJECTS, _OBJECT)}
# what a child of paragraph content is: a run, skipped, alternate content, else opened up
_SKIP, _RUN, _ALTERNATE = range(3)
_CONTENT_KINDS = {_R: _RUN, MC + "AlternateContent": _ALTERNATE, **dict.fromkeys(_NOT_TEXT, _SKIP),
                  **dict.fromkeys((etree.Comment, etree.ProcessingInstruction, etree.Entity), _SKIP)}
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
_INVISIBLE = re.compile("[%s]" % INVISIBLE)
# all of them are format characters, which str.isprintable refuses: printable text (most
# paragraphs) holds none, told faster than the regex tells it
_UNPRINTABLE = not any(c.isprintable() for c in INVISIBLE)
MAX_CHUNK_DEPTH = 3                  # a .docx embedded in a .docx embedded in …


def visible(text: str) -> str:
    """Text as the reader keeps it: without INVISIBLE characters, NFC."""
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def _without_invisible(text: str, pieces: list) -> tuple[str, list]:
    """text and pieces without INVISIBLE characters; a piece that had some is no longer its
    run's text, so it names no run (annotate leaves it unmarked)."""
    if _UNPRINTABLE and text.isprintable() or not _INVISIBLE.search(text):
        return text, pieces
    pieces = [(_INVISIBLE.sub("", t), b, None, None) if _INVISIBLE.search(t) else (t, b, run, c)
              for t, b, run, c in pieces]
    return "".join(piece[0] for piece in pieces), pieces


def _flat(el):
    """The children of el, with content controls, custom XML and tracked insertions
    opened up (their properties pass through, the callers ignore them)."""
    for child in el:
        if child.tag in _WRAPPERS:
            yield from _flat(child)
        else:
            yield child


@dataclass
class _Style:
    name: str
    based_on: str | None
    bold: bool | None
    font: str | None
    num_id: str | None
    ilvl: int | None
    outline: int | None
    centered: bool | None


class _Styles:
    def __init__(self, root):
        self.by_id: dict[str, _Style] = _ById({}, _style)
        self._first: dict[tuple, object] = {}      # (style id, property) → first(…)
        self.default_para: str | None = None
        self.default_bold = False
        self.default_font: str | None = None
        if root is None:
            return
        defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}b")
        self.default_bold = defaults is not None and wbool(defaults)
        self.default_font = _font(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))
        if isinstance(root, _LazyStylesRoot):
            # (the scanned styles' three attributes read from their start tags at once, each
            # style kept as its place and made a Fragment only when asked for)
            styles = root.styles
            rows, elements = styles.values(_STYLE_KEYS), {}
            for i, (sid, typ, default) in enumerate(rows):
                elements[sid] = i
                if default is not None and typ == "paragraph" and _on(default):
                    self.default_para = sid
            self.by_id = _ById(elements, _style, lambda i: styles[i].element())
            return
        elements = {}
        for st in root.iter(W + "style"):
            sid, typ, default = st.get(_STYLE_ID), st.get(_TYPE), st.get(_DEFAULT)
            elements[sid] = st
            if typ == "paragraph" and _on(default):
                self.default_para = sid
        self.by_id = _ById(elements, _style)

    def chain(self, sid: str | None):
        seen = set()
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            yield self.by_id[sid]
            sid = self.by_id[sid].based_on

    def first(self, sid, name):
        key = (sid, name)
        if key in self._first:
            return self._first[key]
        found = None
        for st in self.chain(sid):
            val = getattr(st, name)
            if val is not None:
                found = val
                break
        self._first[key] = found
        return found

    def num_ids(self) -> dict[str, str]:
        return {sid: st.num_id for sid, st in self.by_id.items(numbered=True) if st.num_id}


class _ById(dict):
    """Styles by id, each read from its element when first asked for (a report uses a
    few of the hundreds a template defines)."""

    def __init__(self, elements: dict, build, element=None):
        """elements: style id → its element, or what `element` makes it from."""
        super().__init__()
        self._elements, self._build, self._element = elements, build, element or _element

    def __missing__(self, sid):
        st = self[sid] = self._build(self._element(self._elements[sid]))
        return st

    def __contains__(self, sid) -> bool:
        return sid in self._elements

    def get(self, sid, default=None):
        return self[sid] if sid in self._elements else default

    def items(self, numbered: bool = False):
        """(id, style) of every style, or of those only that set a numbering."""
        return [(sid, self[sid]) for sid, el in self._elements.items()
                if not numbered or self._element(el).find(_PPR_NUMPR) is not None]


def _element(el):
    """A style element, parsed now if it was only found by lazyxml's scan."""
    return el.element() if isinstance(el, lazyxml.Fragment) else el


class _LazyStylesRoot:
    """styles.xml as lazyxml.split found it: its docDefaults answered as the parsed root's,
    its styles (lazyxml.Fragments) read by _Styles."""

    def __init__(self, lead, styles):
        self.lead, self.styles = lead, styles

    def find(self, path):
        first, _, rest = path.partition("/")
        if first != W + "docDefaults" or self.lead is None:
            return None
        el = _element(self.lead)
        return el.find(rest) if rest else el


def _read_styles(pkg, part) -> "_Styles":
    """The styles of the part, each style element parsed only when the report uses it."""
    data = pkg.raw(part, required=False) if part else None
    if data is None:
        return _Styles(None)
    found = lazyxml.split(data, _PARSER, "styles", "style", first="docDefaults")
    return _Styles(pkg.parse(part, data) if found is None else _LazyStylesRoot(*found))


class _StyleNumIds:
    """styles.num_ids(), asked one style at a time: the numberer wants only the styles
    a numStyleLink names, so the others are never read."""

    def __init__(self, styles: "_Styles"):
        self.styles = styles

    def __bool__(self) -> bool:
        return True

    def __contains__(self, sid) -> bool:
        st = self.styles.by_id.get(sid)
        return bool(st is not None and st.num_id)

    def __getitem__(self, sid) -> str:
        if sid not in self:
            raise KeyError(sid)
        return self.styles.by_id[sid].num_id


def _style(st) -> _Style:
    st = _element(st)
    sid = attr(st, "styleId")
    name_el = st.find(W + "name")
    based = st.find(W + "basedOn")
    b = st.find(f"{W}rPr/{W}b")
    num = st.find(f"{W}pPr/{W}numPr")
    outline = st.find(f"{W}pPr/{W}outlineLvl")
    jc = st.find(f"{W}pPr/{W}jc")
    num_id = ilvl = None
    if num is not None:
        nid = num.find(W + "numId")
        lv = num.find(W + "ilvl")
        num_id = attr(nid, "val") if nid is not None else None
        ilvl = int_attr(lv, "val", 0, 0, 8) if lv is not None else None
    return _Style(
        name=attr(name_el, "val") if name_el is not None else sid,
        based_on=attr(based, "val") if based is not None else None,
        bold=wbool(b) if b is not None else None,
        font=_font(st.find(W + "rPr")),
        num_id=num_id, ilvl=ilvl,
        outline=int_attr(outline, "val", 0, 0, 9) + 1 if outline is not None else None,
        centered=(attr(jc, "val") == "center") if jc is not None else None,
    )


def _child(el, tag):
    """el.find(tag) for a plain tag, without ElementPath's overhead."""
    for c in el.iterchildren(tag):
        return c
    return None


def _font(rpr) -> str | None:
    fonts = _child(rpr, _RFONTS) if rpr is not None else None
    if fonts is None:
        return None
    return attr(fonts, "ascii") or attr(fonts, "hAnsi")


def _first_child(el, tag):
    """_child(el, tag), looking at the first child before searching (pPr comes first)."""
    for c in el:
        return c if c.tag == tag else _child(el, tag)
    return None


def _field_char(el, fields: list) -> None:
    """A w:fldChar: a field's code begins, its result begins, or the field ends."""
    kind = attr(el, "fldCharType")
    if kind == "begin":
        fields.append("instr")
    elif kind == "separate" and fields:
        fields[-1] = "result"
    elif kind == "end" and fields:
        fields.pop()


def _run_char(el, kind) -> str:
    """The text a tab, break, non-breaking hyphen or symbol child of a run shows."""
    if kind is _TABC:
        return "\t"
    if kind is _BREAK:
        return "" if attr(el, "type") in ("page", "column") else "\n"
    if kind is _HYPHEN:
        return "-"
    try:
        code = int(attr(el, "char") or "0", 16) % 0x110000
    except ValueError:
        code = 0x3F
    return chr(code - 0xF000 if code >= 0xF000 else code)


def _run_props(children: list) -> tuple:
    """(b, rStyle, rFonts) of a run, from the list of its children, in one pass: what
    run.find("rPr/b"), run.find("rPr/rStyle") and run.find("rPr").find("rFonts") give (the
    last from the first rPr only)."""
    b = rstyle = fonts = None
    first = True
    for rpr in children:
        if rpr.tag != _RPR:
            continue
        for c in rpr:
            tag = c.tag
            if tag == _B:
                b = c if b is None else b
            elif tag == _RSTYLE:
                rstyle = c if rstyle is None else rstyle
            elif tag == _RFONTS and first and fonts is None:
                fonts = c
        first = False
    return b, rstyle, fonts


_PPR_KEYS = {_PSTYLE: 0, _NUMPR: 1, _OUTLINE: 2, _JC: 3}


def _ppr_children(ppr) -> list:
    """[pStyle, numPr, outlineLvl, jc] children of a pPr (the first of each, or None), in
    one pass over its children."""
    found = [None, None, None, None]
    for c in ppr:
        k = _PPR_KEYS.get(c.tag)
        if k is not None and found[k] is None:
            found[k] = c
    return found


def wbool_attr(el, name) -> bool:
    return _on(el.get(W + name))


def _on(val: str | None) -> bool:
    return val is not None and val.lower() in ("1", "true", "on")


@dataclass(frozen=True)
class _ParaStyle:
    """What a paragraph style gives its paragraphs, worked out once per style."""
    name: str
    outline: int | None
    centered: bool
    num_id: str | None
    ilvl: int | None
    bold: bool                      # of a run that sets neither bold nor a character style
    font: str | None                # likewise for its font


class _Reader:
    def __init__(self, pkg, depth: int = 0, limits: Limits = DEFAULT_LIMITS):
        self.pkg, self.depth, self.limits = pkg, depth, limits
        self.warnings: list[str] = []
        doc_part = pkg.document_part
        styles_part = pkg.related(doc_part, "/styles")
        self.styles = _read_styles(pkg, styles_part)
        num_part = pkg.related(doc_part, "/numbering")
        # parsed now (a broken part fails the document as before), its lists read when used
        self._numbering_root = pkg.xml(num_part, required=False) if num_part else None
        self._numberer: Numberer | None = None
        self.blocks: list[Block] = Blocks()
        self.tables = 0
        self.track: dict[int, list] | None = None   # block → (text, run, child) pieces, for annotate
        self.last_pieces: list = []
        self._facts: dict = {}                      # paragraph style id → _ParaStyle

    @property
    def numberer(self) -> Numberer:
        """The list counters, built when the first numbered paragraph asks for them."""
        if self._numberer is None:
            self._numberer = Numberer(parse_numbering(self._numbering_root), _StyleNumIds(self.styles))
        return self._numberer

    # --- runs -------------------------------------------------------------------
    def _run_format(self, children: list, facts: _ParaStyle, text_child: bool) -> tuple:
        """(bold, legacy encoding) of a run; the encoding only when its first text is a
        w:t (legacy fonts: only text with bytes above ASCII can need converting)."""
        props = _run_props(children)
        if props[1] is None and props[2] is None:     # (most runs) no character style, no font
            b = props[0]
            return (facts.bold if b is None else wbool(b)), encoding_of(facts.font) if text_child else None
        return self._run_bold(facts, props), \
            encoding_of(self._run_font(facts, props)) if text_child else None

    def _run_bold(self, facts: _ParaStyle, props) -> bool:
        b, rstyle, _fonts = props
        if b is not None:
            return wbool(b)
        if rstyle is not None:
            val = self.styles.first(attr(rstyle, "val"), "bold")
            if val is not None:
                return val
        return facts.bold

    def _collect(self, el, facts, out, boxes, fields):
        """Append (text, bold, run, child) pieces of paragraph content `el` to out, in order."""
        for child in el:
            tag = child.tag
            # (a run told by one comparison: a fresh tag string costs a hash to look up)
            kind = _RUN if tag == _R else _CONTENT_KINDS.get(tag)
            if kind is _RUN:
                self._run(child, facts, out, boxes, fields)
            elif kind is _SKIP:
                continue
            elif kind is _ALTERNATE:
                choice = child.find(MC + "Choice")
                self._collect(choice if choice is not None else child.find(MC + "Fallback") or [], facts, out, boxes, fields)
            else:  # hyperlink, ins, moveTo, fldSimple, smartTag, sdt, sdtContent, customXml …
                self._collect(child, facts, out, boxes, fields)

    def _run_font(self, facts: _ParaStyle, props) -> str | None:
        _b, rstyle, fonts = props
        font = (attr(fonts, "ascii") or attr(fonts, "hAnsi")) if fonts is not None else None
        if font:
            return font
        if rstyle is not None:
            font = self.styles.first(attr(rstyle, "val"), "font")
        return font or facts.font

    def _run(self, run, facts, out, boxes, fields):
        bold = None
        legacy = False
        children = list(run)
        for child in children:
            tag = child.tag
            kind = _TEXT if tag == _T else _RUN_KINDS.get(tag)
            if kind is None:                # rPr, instrText, delText … give no text
                continue
            if kind is _FIELD:
                _field_char(child, fields)
                continue
            if fields and "instr" in fields:
                continue
            if kind is _OBJECT:
                self._find_boxes(child, boxes)
                continue
            text = child.text or "" if kind is _TEXT else _run_char(child, kind)
            if text:
                if bold is None:
                    bold, legacy = self._run_format(children, facts, kind is _TEXT)
                if legacy and (kind is _TEXT and not text.isascii() or legacy[1]):
                    out.append((decode(text, *legacy), bold, None, None))   # not the source text
                    continue
                out.append((text, bold, run, child))

    def _find_boxes(self, el, boxes):
        if el.tag == MC + "AlternateContent":
            choice = el.find(MC + "Choice")
            el = choice if choice is not None else el.find(MC + "Fallback")
            if el is None:
                return
        for box in el.iter(WPS_TXBX, V_TEXTBOX):
            content = box.find(W + "txbxContent")
            if content is not None:
                boxes.append(content)

    # --- paragraphs -------------------------------------------------------------
    def _paragraph(self, p):
        """(text, bold, style id, pieces of the label, outline level, centered, boxes)."""
        ppr = _first_child(p, _PPR)
        pstyle = num_id = ilvl = outline = centered = None
        if ppr is not None:
            ps, num, ol, jc = _ppr_children(ppr)
            pstyle = ps.get(VAL) if ps is not None else None
            if num is not None:
                nid, lv = num.find(W + "numId"), num.find(W + "ilvl")
                num_id = nid.get(VAL) if nid is not None else None
                ilvl = int_attr(lv, "val", 0, 0, 8) if lv is not None else None
            if ol is not None and (ol.get(VAL) or "").isdigit():
                outline = int_attr(ol, "val", 0, 0, 9) + 1
            if jc is not None:
                centered = jc.get(VAL) == "center"
        pstyle = pstyle or self.styles.default_para
        facts = self._facts.get(pstyle) or self._style_facts(pstyle)
        if num_id is None:
            num_id = facts.num_id
            if ilvl is None:
                ilvl = facts.ilvl
        if num_id is not None and ilvl is None:
            ilvl = self._level_for_style(num_id, pstyle)
        pieces, boxes = [], []
        self._collect(p, facts, pieces, boxes, [])
        text, bold = self._text_of(pieces)
        label = fmt = ""
        if num_id and num_id != "0":
            rendered = self.numberer.label(num_id, ilvl or 0)
            if rendered:
                label, fmt = rendered
        if outline is None:
            outline = facts.outline
        if centered is None:
            centered = facts.centered
        return text, bold, facts.name, label, fmt, outline if outline and outline <= 9 else None, centered, boxes

    def _text_of(self, pieces: list) -> tuple[str, bool]:
        """The paragraph's text (NFC, without INVISIBLE) and whether all its visible text is
        bold; the pieces it is made of are kept in last_pieces when annotate tracks them."""
        text, pieces = _without_invisible(pieces[0][0] if len(pieces) == 1 else "".join([piece[0] for piece in pieces]),
                                          pieces)
        if self.track is not None:
            self.last_pieces = [(t, run, child) for t, _b, run, child in pieces]
        if len(pieces) == 1:            # (most paragraphs are one run)
            bold = bool(pieces[0][1]) if text.strip() else False
        else:
            visible = [piece[1] for piece in pieces if piece[0].strip()]
            bold = bool(visible) and all(visible)
        return unicodedata.normalize("NFC", text), bold

    def _style_facts(self, pstyle) -> _ParaStyle:
        """What paragraph style pstyle gives, worked out once per style."""
        style = self.styles.by_id.get(pstyle)
        name = style.name if style else (pstyle or "")
        level = heading_style_level(name)
        outline = level if level is not None else \
            (1 if name.lower() == "title" else self.styles.first(pstyle, "outline"))
        first = self.styles.first
        bold = first(pstyle, "bold")
        got = self._facts[pstyle] = _ParaStyle(
            name, outline, bool(first(pstyle, "centered")), first(pstyle, "num_id"), first(pstyle, "ilvl"),
            self.styles.default_bold if bold is None else bold,
            first(pstyle, "font") or self.styles.default_font)
        return got

    def _level_for_style(self, num_id, pstyle) -> int:
        for ilvl in range(9):
            lvl = self.numberer.level(num_id, ilvl)
            if lvl is not None and lvl.pstyle == pstyle:
                return ilvl
        return 0

    def _add(self, **kw):
        self.blocks.append(Block(index=len(self.blocks), **kw))

    def body(self, el):
        for child in el:
            tag = child.tag
            if tag == _P:
                text, bold, style, label, fmt, outline, centered, boxes = self._paragraph(child)
                self.blocks.append(Block(len(self.blocks), text, style=style, bold=bold, label=label,
                                         label_format=fmt, outline_level=outline, centered=centered))
                if self.track is not None:
                    self.track[len(self.blocks) - 1] = self.last_pieces
                for box in boxes:
                    self.body(box)
            elif tag == _TBL:
                self.table(child)
            elif tag == _ALT_CHUNK:
                self.alt_chunk(child)
            elif tag in _WRAPPERS:      # what _flat opens up, opened here without a generator
                self.body(child)

    def table(self, tbl):
        t = self.tables
        self.tables += 1
        for r, tr in enumerate(c for c in _flat(tbl) if c.tag == _TR):
            col = 0
            before = tr.find(f"{W}trPr/{W}gridBefore")
            if before is not None:
                col = int_attr(before, "val", 0, 0, 1000)
            for tc in _cells(tr):
                tcpr = tc.find(W + "tcPr")
                span = 1
                merged = False
                if tcpr is not None:
                    gs = tcpr.find(W + "gridSpan")
                    if gs is not None:
                        span = int_attr(gs, "val", 1, 1, 1000)
                    vm = tcpr.find(W + "vMerge")
                    hm = tcpr.find(W + "hMerge")
                    merged = (vm is not None and attr(vm, "val") in (None, "continue")) or \
                             (hm is not None and attr(hm, "val") in (None, "continue"))
                if not merged:
                    self._cell(tc, t, r, col, span)
                col += span

    def _cell(self, tc, t, r, c, span=1):
        texts, bolds, style, nested = [], [], "", []
        centered = False
        pieces: list = []
        for child in _flat(tc):
            if child.tag == _P:
                text, bold, st, label, _fmt, _o, cen, boxes = self._paragraph(child)
                texts.append(f"{label} {text}" if label and _fmt != "bullet" else text)
                if self.track is not None:      # (last_pieces are kept only then)
                    if pieces:
                        pieces.append(("\n", None, None))
                    if label and _fmt != "bullet":
                        pieces.append((f"{label} ", None, None))
                    pieces.extend(self.last_pieces)
                if text.strip():
                    bolds.append(bold)
                style = style or st
                centered = centered or cen
                nested.extend(("box", b) for b in boxes)
            elif child.tag == _TBL:
                nested.append(("table", child))
            elif child.tag == _ALT_CHUNK:
                nested.append(("chunk", child))
        self._add(text="\n".join(texts), kind="cell", table=t, row=r, col=c, col_span=span, style=style,
                  bold=bool(bolds) and all(bolds), centered=centered)
        if self.track is not None:
            self.track[len(self.blocks) - 1] = pieces
        for what, el in nested:
            if what == "table":
                self.table(el)
            elif what == "chunk":
                self.alt_chunk(el)
            else:
                self.body(el)

    # --- embedded chunks (w:altChunk) ---------------------------------------------
    def alt_chunk(self, el):
        """Read what an altChunk embeds, as blocks at its place; else warn."""
        part = self.pkg.target(self.pkg.document_part, el.get(R_ID))
        data = self.pkg.read(part) if part else None
        where = f"altChunk {part or el.get(R_ID) or '?'}"
        if data is None:
            self.warnings.append(f"{where}: phần nhúng không có trong tệp, bỏ qua (altChunk part missing)")
        elif data[:2] == b"PK":
            self._docx_chunk(where, data)
        else:
            got = chunks.paragraphs(part, data)
            if isinstance(got, str):
                self.warnings.append(f"{where}: {got}")
                return
            for text, level in got:
                self._add(text=visible(text), outline_level=level, bold=level is not None)

    def _docx_chunk(self, where: str, data: bytes):
        if self.depth >= MAX_CHUNK_DEPTH:
            self.warnings.append(f"{where}: tài liệu nhúng lồng quá sâu, bỏ qua (altChunk nested too deep)")
            return
        try:
            pkg = open_bytes(f"{self.pkg.path}:{where}", data, self.limits)
        except ChisoError as exc:
            self.warnings.append(f"{where}: {exc.reason}")
            return
        try:
            body = pkg.xml(pkg.document_part).find(W + "body")
            sub = _Reader(pkg, self.depth + 1, self.limits)
            sub.blocks, sub.tables, sub.warnings = self.blocks, self.tables, self.warnings
            if body is not None:
                sub.body(body)
            self.tables = sub.tables
        except ChisoError as exc:
            self.warnings.append(f"{where}: {exc.reason}")
        finally:
            pkg.close()


def _cells(tr):
    return (c for c in _flat(tr) if c.tag == _TC)


def read_tracked(path, body, limits: Limits = DEFAULT_LIMITS) -> tuple[list[Block], dict[int, list]]:
    """Blocks of the given w:body element (e.g. python-docx's own tree, to edit it) and,
    for each block, its (text, run, child) pieces: where each piece of text lives."""
    pkg = open_package(path, limits)
    try:
        reader = _Reader(pkg)
        reader.track = {}
        reader.body(body)
    finally:
        pkg.close()
    return reader.blocks, reader.track


def read_blocks(path, limits: Limits = DEFAULT_LIMITS) -> list[Block]:
    """All text blocks of the .docx at path, in reading order. Raises ChisoError, and
    nothing else, whatever the file holds (a broken rule file is a RuleError)."""
    pkg = open_package(path, limits)
    try:
        root = pkg.xml(pkg.document_part)
        body = root.find(W + "body")
        if body is None:
            raise ChisoError(path, "tài liệu không có phần thân (no w:body)")
        reader = _Reader(pkg, limits=limits)
        reader.body(body)
    except (ChisoError, RuleError):   # a broken rule file is no property of this document
        raise
    except (RecursionError, MemoryError) as exc:
        raise ChisoError(path, f"cấu trúc tài liệu quá sâu hoặc quá lớn ({type(exc).__name__})") from None
    except Exception as exc:  # malformed content the checks above did not foresee
        raise ChisoError(path, f"nội dung tài liệu hỏng ({type(exc).__name__}: {exc})") from None
    finally:
        pkg.close()
    if not any(b.text.strip() for b in reader.blocks):
        raise ChisoError(Path(path), "tài liệu không có chữ (document has no text)")
    reader.blocks.warnings = reader.warnings
    return reader.blocks


SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")     # documents, macro-enabled, templates


def accepts(head: bytes) -> bool:
    return head[:2] == b"PK"
