"""Build .docx fixtures in code: real Word XML for the cases the reader must handle."""
from __future__ import annotations

import json
import struct
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED = "binh-thanh-dong-2020-2025"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def body_xml(doc, xml: str):
    """Append raw body XML (paragraphs/tables written with w: prefixes) before sectPr."""
    el = parse_xml(f'<w:body {nsdecls("w", "r")} '
                   'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                   'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
                   'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
                   'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                   'xmlns:v="urn:schemas-microsoft-com:vml">' + xml + "</w:body>")
    body = doc.element.body
    sect = body.find(qn("w:sectPr"))
    for child in list(el):
        if sect is not None:
            sect.addprevious(child)
        else:
            body.append(child)


def set_numbering(doc, xml: str):
    """Replace numbering.xml's definitions with the given abstractNum/num XML."""
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    el = parse_xml(f"<w:numbering {nsdecls('w')}>{xml}</w:numbering>")
    for child in list(el):
        numbering.append(child)


def save(doc, path: Path) -> Path:
    doc.save(str(path))
    return path


def lines_of(stem: str) -> list[str]:
    return (CORPUS / f"{stem}.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")


def headings_of(stem: str) -> list[dict]:
    return [json.loads(l) for l in (CORPUS / f"{stem}.sections.jsonl").open(encoding="utf-8")]


def _add_text(paragraph, text: str, bold: bool):
    parts = text.split("\n")
    run = paragraph.add_run(parts[0])
    run.bold = bold
    for part in parts[1:]:
        run.add_break()
        run.add_text(part)
    return run


def seed_with_heading_styles(path: Path) -> Path:
    """The seed report with Heading 1-4 styles on its headings and no bold anywhere."""
    lines = lines_of(SEED)
    lines = [l.replace("[bookmark: _GoBack]", "") for l in lines]
    heads = {h["text"]: h["level"] for h in headings_of(SEED)}
    doc = Document()
    joined = "\n".join(lines)
    for h in heads:  # Phần headings span several lines of the .txt
        joined = joined.replace(h, h.replace("\n", "\x00"))
    for line in joined.split("\n"):
        line = line.replace("\x00", "\n")
        p = doc.add_paragraph(style=f"Heading {heads[line]}" if line in heads else None)
        _add_text(p, line, bold=False)
    return save(doc, path)


ROMAN_DECIMAL = """
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="0"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="0"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
"""


def _num_pr(p, num_id: int, ilvl: int):
    ppr = p._p.get_or_add_pPr()
    ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/>'
                            f'<w:numId w:val="{num_id}"/></w:numPr>'))


def seed_with_auto_numbering(path: Path) -> Path:
    """The seed report with Word list numbering instead of typed "I." and "1." on headings.

    Phần thứ hai restarts the Roman list (startOverride 1); its second "III." (the source
    skips IV) is a list that starts at 3, as a Word user would have to make it."""
    lines = [l.replace("[bookmark: _GoBack]", "") for l in lines_of(SEED)]
    heads = {h["text"]: h for h in headings_of(SEED)}
    doc = Document()
    set_numbering(doc, ROMAN_DECIMAL)
    joined = "\n".join(lines)
    for h in heads:
        joined = joined.replace(h, h.replace("\n", "\x00"))
    part, roman_seen = 0, 0
    for line in joined.split("\n"):
        line = line.replace("\x00", "\n")
        p = doc.add_paragraph()
        h = heads.get(line)
        if h is None:
            _add_text(p, line, bold=False)
            continue
        stripped = line.lstrip()
        if stripped.startswith("Phần"):
            part += 1
            roman_seen = 0
        elif h["level"] == 2:  # "I. …"
            roman_seen += 1
            num_id = 1 if part <= 2 else (2 if roman_seen < 4 else 3)
            _num_pr(p, num_id, 0)
            line = stripped.split(".", 1)[1].lstrip()
            current_num = num_id
        elif h["level"] == 3:  # "1. …"
            _num_pr(p, current_num, 1)
            line = stripped.split(".", 1)[1].lstrip()
        _add_text(p, line, bold=True)
    return save(doc, path)


def write_cfb(path: Path, stream_name: str, payload: bytes = b"") -> Path:
    """A minimal, valid OLE compound file holding one stream (legacy .doc and
    encrypted-document containers are such files)."""
    sector = 512
    data = payload.ljust(4096, b"\0")  # at the mini-stream cutoff: stored in regular sectors
    n_data = len(data) // sector
    free, end, fat_sect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat = [fat_sect, end] + [3 + i for i in range(n_data - 1)] + [end]
    fat += [free] * (sector // 4 - len(fat))

    def entry(name, typ, child, start, size):
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), typ, 1)
                + struct.pack("<III", nostream, nostream, child) + b"\0" * 36
                + struct.pack("<IQ", start, size))
    directory = entry("Root Entry", 5, 1, end, 0) + entry(stream_name, 2, nostream, 2, len(payload))
    directory = directory.ljust(sector, b"\0")
    path.write_bytes(bytes(header) + struct.pack(f"<{len(fat)}I", *fat) + directory + data)
    return path


def seed_paragraphs():
    """(text, bold) of each paragraph of the seed as its .docx holds it: a Phần heading
    and its title lines are one paragraph; the title block and headings are bold."""
    lines = [l.replace("[bookmark: _GoBack]", "") for l in lines_of(SEED)]
    heads = {h["text"] for h in headings_of(SEED)}
    joined = "\n".join(lines)
    for h in heads:
        joined = joined.replace(h, h.replace("\n", "\x00"))
    title_end = lines.index("-----")
    for i, line in enumerate(joined.split("\n")):
        line = line.replace("\x00", "\n")
        yield line, i <= title_end or line in heads


def seed_with_hostile_runs(path: Path) -> Path:
    """The seed report as Word files often store it: every digit in a run of its own,
    non-breaking spaces around numbers, and text in NFD (decomposed accents)."""
    import re
    import unicodedata
    doc = Document()
    for line, bold in seed_paragraphs():
        hostile = re.sub(r"(?<=\d) (?=\S)|(?<=\S) (?=\d)", "\u00a0", line)
        hostile = unicodedata.normalize("NFD", hostile)
        p = doc.add_paragraph()
        for piece in re.split(r"(\d)", hostile):
            if piece:
                _add_text(p, piece, bold)
    return save(doc, path)


def seed_in_legacy_font(path: Path, encoding: str) -> Path:
    """The seed report typed as in the 1990s: TCVN3 text in .VnTime (capitals with tone
    marks in .VnTimeH, as TCVN3 needs) or VNI text in VNI-Times."""
    import re
    from pipeline import registry as rules
    from pipeline.read.legacy import encode
    table = set(rules.load("encodings")[encoding].values())
    doc = Document()
    for line, bold in seed_paragraphs():
        p = doc.add_paragraph()
        # a capital the font cannot hold goes, lower-cased, into the capitals font
        for piece in re.split(r"([^\x00-\x7f])", line):
            if not piece:
                continue
            upper_only = encoding == "tcvn3" and piece.isupper() and piece not in table and not piece.isascii()
            run = _add_text(p, encode(piece.lower() if upper_only else piece, encoding), bold)
            run.font.name = (".VnTimeH" if upper_only else ".VnTime") if encoding == "tcvn3" else "VNI-Times"
    return save(doc, path)
