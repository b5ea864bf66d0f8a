"""The period and kind chains (pipeline/link/context.py) on built .docx fixtures: each rule of
each chain gives its value and names itself in the row's `basis` column. Sentences are
invented in the style of the reports (conventions.md rules 24–28)."""
from __future__ import annotations

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from pipeline.link.context import CHAINS, KIND_CHAIN, PERIOD_CHAIN, basis_of
from pipeline.stages import extract_file
from tests.builders import _add_text, save


def _doc(path, lines, table=None, table_after=None):
    """lines: (text, style) with style "title" (bold, centred), "head" (bold) or "" (plain)."""
    doc = Document()
    for text, style in lines:
        p = doc.add_paragraph()
        _add_text(p, text, bold=style in ("title", "head"))
        if style == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if table and text == table_after:
            t = doc.add_table(rows=len(table), cols=len(table[0]))
            for r, cells in enumerate(table):
                for c, value in enumerate(cells):
                    t.cell(r, c).text = value
    return extract_file(save(doc, path))


def _pk(row):
    """The period and kind part of a row's basis (the indicator's rule follows them)."""
    return row.basis.rsplit(";indicator=", 1)[0]


def _row(rows, raw):
    found = [r for r in rows if r.raw == raw]
    assert found, (raw, [r.raw for r in rows])
    return found[0]


REPORT = [
    ("BÁO CÁO TÌNH HÌNH KINH TẾ - XÃ HỘI GIAI ĐOẠN 2016 - 2025", "title"),
    ("Năm nay Ủy ban đặt mục tiêu giữ vững ổn định. Toàn huyện có 12 xã và 2 thị trấn.", ""),
    ("I. KẾT QUẢ THỰC HIỆN GIAI ĐOẠN 2016 - 2020", "head"),
    ("Đến cuối năm 2018, 14 xã đạt tiêu chí nông thôn mới.", ""),
    ("Riêng năm 2019 có thêm 3 xã đạt chuẩn.", ""),
    ("Toàn huyện làm mới 25 km đường giao thông.", ""),
    ("Trong nhiệm kỳ vừa qua (2015 - 2020), toàn huyện trồng mới 300 ha rừng.", ""),
    ("II. PHƯƠNG HƯỚNG NHIỆM KỲ 2020 - 2025", "head"),
    ("Tỷ lệ hộ nghèo giảm còn dưới 1%.", ""),
]
TABLE = [["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện"],
         ["1", "Tổng thu ngân sách năm 2023", "tỷ đồng", "50", "52"],
         ["2", "Diện tích lúa", "ha", "700", "705"]]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return _doc(tmp_path_factory.mktemp("chain") / "report.docx", REPORT, TABLE, REPORT[-1][0])


CASES = [
    ("12 xã", "2016-2025", "actual", "period=title;kind=title"),  # a body sentence's "mục tiêu" gives no kind
    ("14 xã", "2018", "actual", "period=lead;kind=heading"),    # the sentence's year beats the heading's span
    ("3 xã", "2019", "actual", "period=clause;kind=heading"),
    ("25 km", "2016-2020", "actual", "period=heading;kind=heading"),
    ("300 ha", "2015-2020", "actual", "period=lead;kind=heading"),
    ("1%", "2020-2025", "target", "period=heading;kind=heading"),
    ("50", "2023", "target", "period=row-label;kind=column"),   # the row label beats the column header
    ("52", "2023", "actual", "period=row-label;kind=column"),
    ("700", "2024", "target", "period=column;kind=column"),
    ("705", "2020-2025", "actual", "period=heading;kind=column"),
]


@pytest.mark.parametrize("raw, period, kind, basis", CASES)
def test_each_rule_names_itself_in_basis(report, raw, period, kind, basis):
    row = _row(report, raw)
    assert (row.period, row.kind) == (period, kind)
    assert row.basis.rsplit(";indicator=", 1)[0] == basis


def test_a_plain_first_line_that_names_targets_frames_the_document(tmp_path):
    rows = _doc(tmp_path / "targets.docx", [
        ("MỤC TIÊU, NHIỆM VỤ PHÁT TRIỂN KINH TẾ - XÃ HỘI NHIỆM KỲ 2015-2020", ""),
        ("1. Lĩnh vực kinh tế", "head"),
        ("Tổng đàn gia súc đạt 3.200 con.", ""),
        ("Đến năm 2020, diện tích rừng trồng mới đạt 30 ha.", ""),
    ])
    assert (_row(rows, "3.200 con").kind, _pk(_row(rows, "3.200 con"))) == ("target", "period=title;kind=title")
    assert _row(rows, "3.200 con").period == "2015-2020"
    assert (_row(rows, "30 ha").period, _pk(_row(rows, "30 ha"))) == ("2020", "period=lead;kind=title")


def test_targets_heading_above_a_topic_heading(tmp_path):
    rows = _doc(tmp_path / "list.docx", [
        ("PHƯƠNG HƯỚNG PHÁT TRIỂN XÃ AN BÌNH", "title"),
        ("2- Những chỉ tiêu chính (giai đoạn 2021-2025)", "head"),
        ("* Lĩnh vực kinh tế", "head"),
        ("(1) Diện tích gieo trồng hằng năm đạt 3.830 ha.", ""),
    ])
    row = _row(rows, "3.830 ha")
    assert (row.kind, row.period, _pk(row)) == ("target", "2021-2025", "period=heading;kind=heading")


def test_congress_news_background_takes_no_period_from_the_congress(tmp_path):
    rows = _doc(tmp_path / "news.docx", [
        ("Xã An Bình tổ chức Đại hội Đảng bộ lần thứ I (nhiệm kỳ 2025 - 2030)", "title"),
        ("Đại hội có 150 đại biểu chính thức, thay mặt cho 1.189 đảng viên của Đảng bộ xã.", ""),
        ("I. KẾT QUẢ NHIỆM KỲ 2020 - 2025", "head"),
        ("Toàn xã làm mới 12 km đường.", ""),
    ])
    assert (_row(rows, "1.189 đảng viên").period, _pk(_row(rows, "1.189 đảng viên"))) == \
        ("", "period=none;kind=default")
    assert _row(rows, "12 km").period == "2020-2025"


def test_a_report_title_for_a_period_frames_its_figures(tmp_path):
    rows = _doc(tmp_path / "bulletin.docx", [
        ("SỐ LIỆU CHÍNH THỨC VỀ LÚA VỤ MÙA, CẢ NĂM 2019", "title"),
        ("Cả năm, diện tích lúa gieo trồng được 1.919 ha.", ""),
    ])
    assert (_row(rows, "1.919 ha").period, _pk(_row(rows, "1.919 ha"))) == ("2019", "period=title;kind=default")


def test_every_rule_of_each_chain_has_an_example():
    """Each rule's name shows in the expected basis of an example: rules/periods.yaml
    (one paragraph) or CASES above (a report with headings and a table)."""
    from pipeline import registry as rules
    bases = [ex["expect"]["basis"] for ex in rules.load("periods")["examples"] if "basis" in ex["expect"]]
    bases += [case[3] for case in CASES]
    shown = {tuple(pair.split("=")) for b in bases for pair in b.split(";")}
    for field, chain in CHAINS.items():
        for rule in chain:
            assert (field, rule.name) in shown, f"no example of the {field} rule {rule.name!r}"


def test_chains_are_ordered_and_named():
    assert [r.name for r in PERIOD_CHAIN] == ["clause", "base", "row-label", "column", "lead", "heading", "title"]
    assert [r.name for r in KIND_CHAIN] == ["clause", "column", "heading", "title"]
    assert set(CHAINS) == {"period", "kind"}
    assert all(r.doc for chain in CHAINS.values() for r in chain)
    assert basis_of([("period", "heading"), ("kind", "title"), ("indicator", "previous-sentence")]) == \
        "period=heading;kind=title;indicator=previous-sentence"


def test_number_and_date_lines_in_the_title_block_are_passed_over(tmp_path):
    rows = _doc(tmp_path / "dated.docx", [
        ("ỦY BAN NHÂN DÂN XÃ AN BÌNH", "title"),
        ("Số: 125/BC-UBND", ""),
        ("An Bình, ngày 10 tháng 12 năm 2023", ""),
        ("BÁO CÁO TÌNH HÌNH KINH TẾ - XÃ HỘI NĂM 2024", "title"),
        ("Tổng thu ngân sách trên địa bàn đạt 45 tỷ đồng.", ""),
    ])
    row = _row(rows, "45 tỷ đồng")
    assert (row.period, row.kind, _pk(row)) == ("2024", "actual", "period=title;kind=title")


def test_a_heading_that_only_names_the_congress_dates_nothing(tmp_path):
    rows = _doc(tmp_path / "congress.docx", [
        ("TIN HOẠT ĐỘNG", "title"),
        ("I. ĐẠI HỘI ĐẢNG BỘ XÃ AN BÌNH LẦN THỨ I, NHIỆM KỲ 2025 - 2030", "head"),
        ("Đại hội có 150 đại biểu chính thức tham dự.", ""),
        ("II. KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI NHIỆM KỲ 2020 - 2025", "head"),
        ("Toàn xã làm mới 12 km đường.", ""),
    ])
    assert (_row(rows, "150 đại biểu").period, _pk(_row(rows, "150 đại biểu"))) == ("", "period=none;kind=default")
    assert (_row(rows, "12 km").period, _pk(_row(rows, "12 km"))) == ("2020-2025", "period=heading;kind=heading")


def test_a_bold_part_line_the_segmenter_left_as_text_heads_what_follows(tmp_path):
    rows = _doc(tmp_path / "parts.docx", [
        ("BÁO CÁO TÌNH HÌNH KINH TẾ - XÃ HỘI NĂM 2024", "title"),
        ("Tỷ lệ hộ nghèo còn 1,2%.", ""),
        ("PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025", "head"),
        ("Tổng thu ngân sách đạt 50 tỷ đồng.", ""),
    ])
    assert (_row(rows, "1,2%").kind, _row(rows, "1,2%").period) == ("actual", "2024")
    row = _row(rows, "50 tỷ đồng")
    assert (row.kind, row.period, _pk(row)) == ("target", "2025", "period=heading;kind=heading")


def test_a_heading_named_only_by_a_weak_target_word_takes_the_kind_above(tmp_path):
    rows = _doc(tmp_path / "weak.docx", [
        ("BÁO CÁO TỔNG KẾT NHIỆM KỲ", "title"),
        ("I. KẾT QUẢ ĐẠT ĐƯỢC", "head"),
        ("1. Nhiệm vụ quốc phòng, an ninh", "head"),
        ("Toàn xã tuyển được 25 thanh niên nhập ngũ.", ""),
        ("II. NHIỆM VỤ, GIẢI PHÁP NĂM 2025", "head"),
        ("Tuyển 30 thanh niên nhập ngũ.", ""),
    ])
    assert (_row(rows, "25 thanh niên").kind, _pk(_row(rows, "25 thanh niên"))) == ("actual", "period=none;kind=heading")
    assert (_row(rows, "30 thanh niên").kind, _row(rows, "30 thanh niên").period) == ("target", "2025")


def test_basis_names_the_indicator_rule(report):
    """After period and kind, basis names the indicator rule that fired (or the row label)."""
    from pipeline.link.indicators import rule_names
    paragraph = _row(report, "14 xã").basis.split(";")[-1]
    assert paragraph.startswith("indicator=") and paragraph.split("=")[1] in rule_names()
    assert _row(report, "705").basis.endswith(";indicator=row-label")
