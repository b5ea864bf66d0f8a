"""Word files as people save them (issue 12, items 3 and 7): invisible characters inside
numbers, Strict Open XML, macro-enabled and template files, content controls at every
level of a table, embedded chunks (w:altChunk), special files. Every fixture is built
here, in code."""
import csv
import os
import signal
import zipfile
from pathlib import Path

import pytest
from docx import Document

from builders import CORPUS, body_xml, save
from pipeline.cli import main
from pipeline.errors import ChisoError
from pipeline.read import read_blocks
from pipeline.read.docx import INVISIBLE, visible
from pipeline.stages import extract_file, extract_text, process
from pipeline.write.files import find_docx

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(tmp_path, xml, name="f.docx", heading=None):
    doc = Document()
    if heading:
        doc.add_heading(heading, level=1)
    body_xml(doc, xml)
    return save(doc, tmp_path / name)


def _p(text):
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _rewrite(src: Path, dst: Path, edit=lambda name, data: data, add=None) -> Path:
    """A copy of the package at src with each part passed through edit, parts added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info.filename)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


# --- item 3: invisible characters inside numbers ------------------------------------

@pytest.mark.parametrize("char", list(INVISIBLE))
def test_invisible_character_inside_a_number_is_left_out(tmp_path, char):
    path = _docx(tmp_path, _p(f"Diện tích gieo trồng đạt 1{char}234 ha.")
                 + f'<w:p><w:r><w:t>Sản lượng đạt 4</w:t></w:r><w:r><w:t>{char}500 tấn.</w:t></w:r></w:p>')
    doc = process(path)
    assert [b.text for b in doc.blocks] == ["Diện tích gieo trồng đạt 1234 ha.", "Sản lượng đạt 4500 tấn."]
    assert [(r.value, r.unit) for r in doc.rows] == [(1234, "ha"), (4500, "tonne")]
    for r in doc.rows:
        assert doc.blocks[r.block].text[r.start:r.end] == r.raw


def test_invisible_characters_elsewhere_go_too_and_nbsp_stays(tmp_path):
    assert visible("Tỷ\u00adlệ\u200b hộ nghèo\ufeff") == "Tỷlệ hộ nghèo"
    rows = extract_text("Sản lượng đạt 4\u00a0500 tấn")       # NBSP as a thousands separator
    assert [(r.raw, r.value) for r in rows] == [("4\u00a0500 tấn", 4500)]


def test_annotate_keeps_going_over_a_run_with_invisible_characters(tmp_path):
    from pipeline.audit.annotate import annotate
    path = _docx(tmp_path, _p("Diện tích đạt 1\u200b234 ha, năng suất 60 tạ/ha."))
    out = annotate(path, tmp_path / "out")
    assert [b.text for b in read_blocks(out)] == ["Diện tích đạt 1234 ha, năng suất 60 tạ/ha."]


# --- item 7: Strict Open XML ----------------------------------------------------------

STRICT = {
    W_MAIN.encode(): b"http://purl.oclc.org/ooxml/wordprocessingml/main",
    R_NS.encode(): b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
}


def _to_strict(name, data):
    """What Word's "Strict Open XML Document" writes: the same parts, Strict namespaces."""
    for trans, strict in STRICT.items():
        data = data.replace(trans, strict)
    if name == "word/document.xml":
        data = data.replace(b"<w:document ", b'<w:document w:conformance="strict" ', 1)
    return data


def test_strict_open_xml_reads_like_transitional(tmp_path):
    src = _docx(tmp_path, _p("Tổng sản lượng lương thực đạt 4.500 tấn.")
                + "<w:tbl><w:tr><w:tc>" + _p("Lúa") + "</w:tc><w:tc>" + _p("1.234") + "</w:tc></w:tr></w:tbl>",
                heading="I. KẾT QUẢ")
    strict = _rewrite(src, tmp_path / "strict.docx", _to_strict)
    with zipfile.ZipFile(strict) as z:
        assert W_MAIN.encode() not in z.read("word/document.xml")
        assert b"purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" in z.read("_rels/.rels")
    got, want = read_blocks(strict), read_blocks(src)
    assert got == want
    assert got[0].outline_level == 1 and got[0].text == "I. KẾT QUẢ"      # its style read too
    assert [(r.value, r.unit) for r in extract_file(strict)] == [(r.value, r.unit) for r in extract_file(src)]


# --- item 7: macro-enabled and template files ----------------------------------------

MAIN_TYPES = {
    ".docm": b"application/vnd.ms-word.document.macroEnabled.main+xml",
    ".dotx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    ".dotm": b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def test_folder_scan_takes_macro_enabled_and_template_files(tmp_path):
    src = _docx(tmp_path, _p("Sản lượng đạt 4.500 tấn."), name="src.docx")
    folder = tmp_path / "in"
    folder.mkdir()
    for suffix, ctype in MAIN_TYPES.items():
        _rewrite(src, folder / f"bao-cao{suffix}",
                 lambda name, data, ctype=ctype: data.replace(DOCX_MAIN, ctype)
                 if name == "[Content_Types].xml" else data)
    (folder / "~$bao-cao.docm").write_bytes(b"lock")          # Word's lock file: not a report
    (folder / "ghi-chu.txt").write_text("không phải báo cáo")
    found = sorted(p.name for p in find_docx([folder]))
    assert found == ["bao-cao.docm", "bao-cao.dotm", "bao-cao.dotx"]
    for p in find_docx([folder]):
        assert [(r.value, r.unit) for r in extract_file(p)] == [(4500, "tonne")]


# --- item 7: content controls at every level -----------------------------------------

def _sdt(inner):
    return f'<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>'


def _tc(text):
    return f"<w:tc>{_p(text)}</w:tc>"


def _cells(blocks):
    return [(b.table, b.row, b.col, b.text) for b in blocks if b.kind == "cell"]


@pytest.mark.parametrize("shape", ["row", "nested-row", "cell", "custom-xml-row"])
def test_content_controls_around_rows_and_cells_are_read(tmp_path, shape):
    head = "<w:tr>" + _tc("Chỉ tiêu") + _tc("Năm 2024") + "</w:tr>"
    row = "<w:tr>" + _tc("Sản lượng (tấn)") + _tc("4.500") + "</w:tr>"
    body = {"row": _sdt(row), "nested-row": _sdt(_sdt(row)),
            "cell": "<w:tr>" + _sdt(_tc("Sản lượng (tấn)")) + _sdt(_sdt(_tc("4.500"))) + "</w:tr>",
            "custom-xml-row": f'<w:customXml w:element="dong">{row}</w:customXml>'}[shape]
    blocks = read_blocks(_docx(tmp_path, f"<w:tbl>{head}{body}</w:tbl>"))
    assert _cells(blocks) == [(0, 0, 0, "Chỉ tiêu"), (0, 0, 1, "Năm 2024"),
                              (0, 1, 0, "Sản lượng (tấn)"), (0, 1, 1, "4.500")]


def test_content_controls_inside_a_cell_keep_paragraphs_and_nested_tables(tmp_path):
    nested = "<w:tbl><w:tr>" + _tc("Lúa") + _tc("1.234") + "</w:tr></w:tbl>"
    cell = f"<w:tc>{_sdt(_p('Diện tích 60 ha') + _sdt(_p('năng suất 5 tấn/ha')))}{_sdt(nested)}</w:tc>"
    blocks = read_blocks(_docx(tmp_path, f"<w:tbl><w:tr>{_tc('Xã A')}{cell}</w:tr></w:tbl>"))
    assert _cells(blocks) == [(0, 0, 0, "Xã A"), (0, 0, 1, "Diện tích 60 ha\nnăng suất 5 tấn/ha"),
                              (1, 0, 0, "Lúa"), (1, 0, 1, "1.234")]


def test_content_controls_around_body_paragraphs_and_tables(tmp_path):
    table = "<w:tbl><w:tr>" + _tc("Lúa") + _tc("1.234") + "</w:tr></w:tbl>"
    blocks = read_blocks(_docx(tmp_path, _sdt(_p("Trước bảng") + _sdt(table)) + _p("Sau bảng")))
    assert [(b.kind, b.text) for b in blocks if b.text] == [
        ("paragraph", "Trước bảng"), ("cell", "Lúa"), ("cell", "1.234"), ("paragraph", "Sau bảng")]


# --- item 7: embedded chunks (w:altChunk) --------------------------------------------

AF_CHUNK = R_NS + "/aFChunk"


def _with_chunk(tmp_path, data: bytes, part: str, ctype: str, name="outer.docx") -> Path:
    src = _docx(tmp_path, "<w:tbl><w:tr>" + _tc("Bảng trước") + _tc("12") + "</w:tr></w:tbl>"
                + _p("Đoạn trước.") + f'<w:altChunk xmlns:r="{R_NS}" r:id="rIdChunk"/>' + _p("Đoạn sau."),
                name="plain-" + name)
    rel = f'<Relationship Id="rIdChunk" Type="{AF_CHUNK}" Target="{part}"/>'.encode()
    override = f'<Override PartName="/word/{part}" ContentType="{ctype}"/>'.encode()

    def edit(name, data_):
        if name == "word/_rels/document.xml.rels":
            return data_.replace(b"</Relationships>", rel + b"</Relationships>")
        if name == "[Content_Types].xml":
            return data_.replace(b"</Types>", override + b"</Types>")
        return data_
    return _rewrite(src, tmp_path / name, edit, {f"word/{part}": data})


def test_alt_chunk_holding_a_docx_is_read_in_place(tmp_path):
    inner = Document()
    inner.add_paragraph("Sản lượng lúa đạt 4.500 tấn.")
    table = inner.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Ngô", "300"
    save(inner, tmp_path / "inner.docx")
    path = _with_chunk(tmp_path, (tmp_path / "inner.docx").read_bytes(), "chunk1.docx", DOCX_MAIN.decode())
    blocks = read_blocks(path)
    assert [(b.kind, b.table, b.text) for b in blocks if b.text] == [
        ("cell", 0, "Bảng trước"), ("cell", 0, "12"), ("paragraph", None, "Đoạn trước."),
        ("paragraph", None, "Sản lượng lúa đạt 4.500 tấn."), ("cell", 1, "Ngô"), ("cell", 1, "300"),
        ("paragraph", None, "Đoạn sau.")]
    assert [b.index for b in blocks] == list(range(len(blocks)))
    assert blocks.warnings == []


HTML = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>x</title><style>p{color:red}</style></head>"
        "<body><h2>Kết quả sản xuất</h2><p>Diện tích gieo trồng đạt <b>1.234</b> ha,\n năng suất "
        "60 tạ/ha.</p><div>Sản lượng 4.500 tấn<br>tăng 5%</div><!-- ghi chú --></body></html>")


def test_alt_chunk_holding_html_is_read_as_paragraphs(tmp_path):
    path = _with_chunk(tmp_path, HTML.encode(), "chunk1.htm", "application/xhtml+xml")
    doc = process(path)
    got = [(b.text, b.outline_level) for b in doc.blocks[2:-1]]
    assert got == [("Đoạn trước.", None), ("Kết quả sản xuất", 2),
                   ("Diện tích gieo trồng đạt 1.234 ha, năng suất 60 tạ/ha.", None),
                   ("Sản lượng 4.500 tấn", None), ("tăng 5%", None)]
    assert {(r.value, r.unit) for r in doc.rows} >= {(1234, "ha"), (4500, "tonne")}
    assert doc.warnings == []


def test_alt_chunk_holding_mht_is_read_as_its_page(tmp_path):
    mht = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n"
           "Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           + __import__("base64").b64encode("<html><body><p>Có 25 xã đạt chuẩn.</p></body></html>"
                                            .encode()).decode() + "\r\n--b--\r\n")
    path = _with_chunk(tmp_path, mht.encode(), "chunk1.mht", "message/rfc822")
    assert "Có 25 xã đạt chuẩn." in [b.text for b in read_blocks(path)]


@pytest.mark.parametrize("part,data,ctype", [
    ("chunk1.rtf", b"{\\rtf1\\ansi Co 25 xa}", "application/rtf"),
    ("chunk1.xml", b"<a>25</a>", "application/xml"),
])
def test_alt_chunk_in_another_format_is_a_warning(tmp_path, part, data, ctype):
    doc = process(_with_chunk(tmp_path, data, part, ctype))
    assert [b.text for b in doc.blocks if b.kind == "paragraph" and b.text] == ["Đoạn trước.", "Đoạn sau."]
    assert len(doc.warnings) == 1 and f"altChunk word/{part}" in doc.warnings[0]
    assert "\n" not in doc.warnings[0] and "not read" in doc.warnings[0]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_writes_the_warnings_of_a_file_it_read_into_errors_csv(tmp_path, capsys, jobs):
    src = _with_chunk(tmp_path, b"{\\rtf1\\ansi Co 25 xa}", "chunk1.rtf", "application/rtf")
    out = tmp_path / "out"
    assert main(["extract", str(src), "-o", str(out), "-q", "--jobs", jobs]) == 0     # read: not an error
    with (out / "errors.csv").open(encoding="utf-8", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == ["file", "reason"] and len(lines) == 2
    assert lines[1][0] == str(src) and lines[1][1].startswith("cảnh báo (warning): ")
    assert "altChunk word/chunk1.rtf" in lines[1][1] and "not read" in lines[1][1]
    assert "chiso: cảnh báo:" in capsys.readouterr().err
    assert (out / "indicators.csv").read_text(encoding="utf-8").count("\n") >= 2    # its rows are written


def test_alt_chunks_nested_too_deep_or_broken_are_warnings(tmp_path):
    data = save(Document(), tmp_path / "l0.docx").read_bytes()
    for depth in range(1, 6):                 # each level embeds the one before
        data = _with_chunk(tmp_path, data, "chunk1.docx", DOCX_MAIN.decode(), name=f"l{depth}.docx").read_bytes()
    blocks = read_blocks(tmp_path / "l5.docx")
    assert sum(b.text == "Đoạn trước." for b in blocks) == 4          # three levels read in, then warned
    assert len(blocks.warnings) == 1 and "too deep" in blocks.warnings[0]
    broken = read_blocks(_with_chunk(tmp_path, b"PK\x03\x04garbage", "chunk1.docx", DOCX_MAIN.decode()))
    assert len(broken.warnings) == 1 and "altChunk word/chunk1.docx" in broken.warnings[0]


# --- item 7: special files ------------------------------------------------------------

def _alarm(seconds):
    def fail(*_):
        raise TimeoutError("the reader opened a FIFO and waits for a writer")
    signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)


def test_fifo_is_refused_before_it_is_opened(tmp_path, capsys):
    fifo = tmp_path / "bao-cao.docx"
    os.mkfifo(fifo)
    _alarm(30)
    try:
        with pytest.raises(ChisoError) as exc:
            read_blocks(fifo)
        assert "FIFO" in exc.value.reason and "not a regular file" in exc.value.reason
        assert main(["sections", str(fifo)]) == 2
        good = CORPUS / "d01.docx"
        main(["extract", str(good), str(fifo), "-o", str(tmp_path / "out")])
    finally:
        signal.alarm(0)
    errors = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8").splitlines()
    assert len(errors) == 2 and "FIFO" in errors[1]
    assert len((tmp_path / "out" / "indicators.csv").read_text(encoding="utf-8").splitlines()) > 1


def test_device_is_refused(tmp_path):
    with pytest.raises(ChisoError) as exc:
        read_blocks("/dev/null")
    assert "not a regular file" in exc.value.reason
