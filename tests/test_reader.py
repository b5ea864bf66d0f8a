"""Reader: every case of Word XML the issue names, each in a fixture built in code."""
import unicodedata

import pytest
from docx import Document

from builders import body_xml, save, set_numbering
from pipeline.read import read_blocks


def _doc_with(tmp_path, xml, name="f.docx", numbering=None):
    doc = Document()
    if numbering:
        set_numbering(doc, numbering)
    body_xml(doc, xml)
    return read_blocks(save(doc, tmp_path / name))


def texts(blocks):
    return [b.text for b in blocks]


def test_number_split_across_runs(tmp_path):
    blocks = _doc_with(tmp_path, '<w:p><w:r><w:t xml:space="preserve">tổng thu đạt 6.0</w:t></w:r>'
                       '<w:r><w:rPr><w:b/></w:rPr><w:t>53.000</w:t></w:r>'
                       '<w:r><w:t xml:space="preserve">.000 đồng</w:t></w:r></w:p>')
    assert texts(blocks) == ["tổng thu đạt 6.053.000.000 đồng"]
    assert blocks[0].bold is False  # only part of it is bold


def test_non_breaking_spaces_are_kept_in_block_text(tmp_path):
    blocks = _doc_with(tmp_path, '<w:p><w:r><w:t>Một\u00a0là,\u00a0diện tích 12\u00a0ha</w:t></w:r></w:p>')
    assert blocks[0].text == "Một\u00a0là,\u00a0diện tích 12\u00a0ha"


def test_nfd_text_becomes_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Tỷ lệ hộ nghèo giảm còn 1,96%")
    assert nfd != unicodedata.normalize("NFC", nfd)
    blocks = _doc_with(tmp_path, f"<w:p><w:r><w:t>{nfd}</w:t></w:r></w:p>")
    assert blocks[0].text == "Tỷ lệ hộ nghèo giảm còn 1,96%"


def test_soft_line_break_and_tab(tmp_path):
    blocks = _doc_with(tmp_path, '<w:p><w:r><w:t>Phần thứ nhất</w:t><w:br/><w:t>KẾT QUẢ</w:t>'
                       '<w:tab/><w:t>2024</w:t><w:br w:type="page"/></w:r></w:p>')
    assert blocks[0].text == "Phần thứ nhất\nKẾT QUẢ\t2024"


def test_hyperlink_text_is_read(tmp_path):
    blocks = _doc_with(tmp_path, '<w:p><w:r><w:t xml:space="preserve">Xem </w:t></w:r>'
                       '<w:hyperlink r:id="rId99"><w:r><w:t>báo cáo 538</w:t></w:r></w:hyperlink>'
                       '<w:r><w:t xml:space="preserve"> tại đây</w:t></w:r></w:p>')
    assert blocks[0].text == "Xem báo cáo 538 tại đây"


def test_tracked_insertion_kept_and_deletion_dropped(tmp_path):
    blocks = _doc_with(tmp_path, '<w:p><w:r><w:t xml:space="preserve">có </w:t></w:r>'
                       '<w:del w:id="1" w:author="a"><w:r><w:delText>25</w:delText></w:r></w:del>'
                       '<w:ins w:id="2" w:author="a"><w:r><w:t>28</w:t></w:r></w:ins>'
                       '<w:r><w:t xml:space="preserve"> công ty</w:t></w:r></w:p>')
    assert blocks[0].text == "có 28 công ty"


def test_simple_and_complex_fields_show_their_result(tmp_path):
    blocks = _doc_with(tmp_path, '<w:p><w:r><w:t xml:space="preserve">Trang </w:t></w:r>'
                       '<w:fldSimple w:instr=" PAGE "><w:r><w:t>3</w:t></w:r></w:fldSimple>'
                       '<w:r><w:t xml:space="preserve">, đạt </w:t></w:r>'
                       '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                       '<w:r><w:instrText xml:space="preserve"> =SUM(A1) </w:instrText></w:r>'
                       '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                       '<w:r><w:t>95</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
                       '<w:r><w:t>%</w:t></w:r></w:p>')
    assert blocks[0].text == "Trang 3, đạt 95%"


TEXT_BOX = ('<w:p><w:r><w:t>Trước hộp</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps">'
            '<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>'
            '<w:p><w:r><w:t>Trong hộp: 12 ha</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>'
            '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>'
            '<v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Trong hộp: 12 ha</w:t></w:r></w:p>'
            '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>'
            '<w:p><w:r><w:t>Sau hộp</w:t></w:r></w:p>')


def test_text_box_read_once_after_its_anchor(tmp_path):
    blocks = _doc_with(tmp_path, TEXT_BOX)
    assert texts(blocks) == ["Trước hộp", "Trong hộp: 12 ha", "Sau hộp"]


NESTED = """
<w:abstractNum w:abstractNumId="7">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/><w:isLgl/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="4"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/></w:lvl>
  <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
  <w:lvl w:ilvl="5"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%6."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
"""


def _np(num, ilvl, text):
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
            f'<w:r><w:t>{text}</w:t></w:r></w:p>')


def test_nested_auto_numbering_with_restart(tmp_path):
    xml = "".join([_np(1, 0, "a"), _np(1, 1, "b"), _np(1, 1, "c"), _np(1, 2, "d"), _np(1, 2, "e"),
                   _np(1, 3, "f"), _np(1, 4, "g"), _np(1, 5, "h"), _np(1, 0, "i"), _np(1, 1, "j"),
                   _np(2, 0, "k"), _np(2, 1, "l"), "<w:p><w:r><w:t>plain</w:t></w:r></w:p>"])
    blocks = _doc_with(tmp_path, xml, numbering=NESTED)
    assert [(b.label, b.text) for b in blocks] == [
        ("I.", "a"), ("1.1.", "b"), ("1.2.", "c"), ("a)", "d"), ("b)", "e"), ("(iv)", "f"),
        ("•", "g"), ("A.", "h"), ("II.", "i"), ("2.1.", "j"), ("I.", "k"), ("1.1.", "l"), ("", "plain")]
    assert blocks[0].label_format == "upperRoman" and blocks[6].label_format == "bullet"


def test_numbering_inherited_from_paragraph_style(tmp_path):
    doc = Document()
    set_numbering(doc, NESTED)
    styles = doc.styles.element
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    styles.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Muc"><w:name w:val="Muc La Ma"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr><w:rPr><w:b/></w:rPr></w:style>'))
    body_xml(doc, '<w:p><w:pPr><w:pStyle w:val="Muc"/></w:pPr><w:r><w:t>KINH TẾ</w:t></w:r></w:p>'
                  '<w:p><w:pPr><w:pStyle w:val="Muc"/></w:pPr><w:r><w:t>XÃ HỘI</w:t></w:r></w:p>')
    blocks = read_blocks(save(doc, tmp_path / "s.docx"))
    assert [(b.label, b.text, b.bold, b.style) for b in blocks] == [
        ("I.", "KINH TẾ", True, "Muc La Ma"), ("II.", "XÃ HỘI", True, "Muc La Ma")]


MERGED = """
<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>STT</w:t></w:r></w:p></w:tc>
      <w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>Chỉ tiêu</w:t></w:r></w:p></w:tc>
      <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Năm 2024</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>
      <w:tc><w:p><w:r><w:t>KH</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>TH</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Lúa</w:t></w:r></w:p>
      <w:p><w:r><w:t>(ha)</w:t></w:r></w:p></w:tc>
      <w:tc><w:p><w:r><w:t>701,5</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>705,18</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl>
"""


def test_table_with_merged_cells_reads_each_cell_once(tmp_path):
    blocks = _doc_with(tmp_path, "<w:p><w:r><w:t>Bảng</w:t></w:r></w:p>" + MERGED)
    cells = [(b.row, b.col, b.text) for b in blocks if b.kind == "cell"]
    assert cells == [(0, 0, "STT"), (0, 1, "Chỉ tiêu"), (0, 2, "Năm 2024"), (1, 2, "KH"), (1, 3, "TH"),
                     (2, 0, "1"), (2, 1, "Lúa\n(ha)"), (2, 2, "701,5"), (2, 3, "705,18")]
    assert [b.index for b in blocks] == list(range(len(blocks)))
    assert {b.table for b in blocks if b.kind == "cell"} == {0}


def test_nested_table_cells_are_blocks_of_their_own(tmp_path):
    inner = MERGED.replace("<w:tbl>", "<w:tbl>", 1)
    outer = (f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>ngoài</w:t></w:r></w:p>{inner}<w:p/></w:tc></w:tr></w:tbl>")
    blocks = _doc_with(tmp_path, outer)
    assert blocks[0].text == "ngoài\n" and blocks[0].table == 0
    assert [b.table for b in blocks[1:]] == [1] * 9


def test_headers_footers_and_comments_are_not_body_text(tmp_path):
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "ĐẦU TRANG 999"
    doc.sections[0].footer.paragraphs[0].text = "CHÂN TRANG 888"
    p = doc.add_paragraph()
    run = p.add_run("Diện tích 12 ha")
    doc.add_comment(run, text="ghi chú 777", author="kiểm tra")
    blocks = read_blocks(save(doc, tmp_path / "h.docx"))
    assert texts(blocks) == ["Diện tích 12 ha"]


@pytest.mark.parametrize("stem", ["binh-thanh-dong-2020-2025", "d04", "d09"])
def test_corpus_reads_as_its_text(stem):
    from builders import CORPUS
    blocks = read_blocks(CORPUS / f"{stem}.docx")
    lines, row = [], None
    for b in blocks:
        if b.kind == "cell":
            if (b.table, b.row) != row:
                lines.append([])
                row = (b.table, b.row)
            lines[-1].append(b.text)
        else:
            lines.append(b.text)
            row = None
    got = "\n".join(l if isinstance(l, str) else "| " + " | ".join(l) + " |" for l in lines)
    want = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8").rstrip("\n").replace("[bookmark: _GoBack]", "")
    assert got == want
