"""Statistical tables as statistics offices print them, each shape built in code: years
as columns, space-grouped thousands, units outside the cell (row label, caption, column
header), signed change columns, sentences inside cells, boxed paragraphs, a period in
the row label. Examples are invented in the shape of provincial/district bulletins."""
import pytest
from docx import Document

from builders import save
from pipeline.stages import extract_file
from test_tables import _doc


def _by_raw(rows):
    return {r.raw: r for r in rows}


def _cell(rows, raw):
    found = [r for r in rows if r.raw == raw]
    assert found, (raw, [r.raw for r in rows])
    return found[0]


# --- space as thousands separator ---------------------------------------------------------
@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\u2009"])
def test_space_groups_thousands(tmp_path, space):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "Năm 2024"],
                             ["Dân số trung bình", "Người", f"184{space}320"],
                             ["Tổng thu ngân sách", "Triệu đồng", f"1{space}245{space}600,5"]], [])])
    assert [(r.raw, r.value, r.unit) for r in rows] == [
        (f"184{space}320", 184320.0, "count"), (f"1{space}245{space}600,5", 1245600500000.0, "VND")]
    assert rows[0].sentence == "Dân số trung bình | Người | 184 320"      # white space collapsed


def test_space_grouping_never_joins_separate_numbers(tmp_path):
    # a group after a space is exactly three digits, the first group one to three
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "Năm 2024"],
                             ["Số trường", "Trường", "12 15"],
                             ["Số lớp", "Lớp", "1234 567"],
                             ["Số phòng học", "Phòng", "98 7654"]], [])])
    assert rows == []


def test_number_with_its_own_unit_in_the_cell(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "Năm 2023", "Năm 2024"],
                             ["Học sinh phổ thông", "97 415 học sinh", "98 020 học sinh"],
                             ["Sản lượng lúa", "45.000 tấn", "46.200 tấn"]], [])])
    got = [(r.raw, r.value, r.unit, r.counted, r.period) for r in rows]
    assert got == [("97 415", 97415.0, "count", "học sinh", "2023"), ("98 020", 98020.0, "count", "học sinh", "2024"),
                   ("45.000", 45000.0, "tonne", "", "2023"), ("46.200", 46200.0, "tonne", "", "2024")]


# --- units outside the cell ----------------------------------------------------------------
def test_unit_in_the_row_label(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "Năm 2023", "Năm 2024"],
                             ["Tỷ lệ hộ dùng nước sạch (%)", "92,5", "95"],
                             ["Số ca mắc (Ca)", "120", "98"],
                             ["Số giường bệnh (Giường)", "350", "380"],
                             ["Sản lượng lúa (nghìn tấn)", "45,2", "46"],
                             ["Sản lượng lương thực (quy thóc)", "50", "51"]], [])],
                before=["ĐVT: tấn"])
    r = _by_raw(rows)
    assert (r["92,5"].unit, r["92,5"].value, r["92,5"].indicator) == ("%", 92.5, "tỷ lệ hộ dùng nước sạch")
    assert (r["120"].unit, r["120"].counted, r["120"].indicator, r["120"].period) == ("count", "ca", "số ca mắc", "2023")
    assert (r["380"].unit, r["380"].counted) == ("count", "giường")
    assert (r["45,2"].unit, r["45,2"].value, r["45,2"].indicator) == ("tonne", 45200.0, "sản lượng lúa")
    # "(quy thóc)" is no unit: the caption's unit holds
    assert (r["50"].unit, r["50"].value, r["50"].indicator) == ("tonne", 50.0, "sản lượng lương thực (quy thóc)")


@pytest.mark.parametrize("caption, unit, value", [
    ("Đơn vị tính: học sinh", "count", 2350.0), ("ĐVT: Triệu đồng", "VND", 2350e6),
    ("(Đơn vị: tỷ đồng)", "VND", 2350e9), ("Biểu 2. Thu ngân sách (ĐVT: nghìn đồng)", "VND", 2350e3)])
def test_unit_in_a_caption_line_above_the_table(tmp_path, caption, unit, value):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "Năm 2023", "Năm 2024"], ["Toàn huyện", "2.350", "2.410"]], [])],
                before=["Một số chỉ tiêu chủ yếu:", caption])
    assert (rows[0].unit, rows[0].value) == (unit, value)
    assert rows[0].counted == ("học sinh" if unit == "count" else "")


def test_caption_in_a_title_row_across_the_table(tmp_path):
    grid = [["Biểu 3. Dân số trung bình năm 2023 (Đơn vị tính: người)", None, None],
            ["Đơn vị hành chính", "Tổng số", "Nữ"],
            ["Xã Tân An", "12 450", "6 320"]]
    rows = _doc(tmp_path, [(grid, [((0, 0), (0, 2))])], bold_header=2)
    assert [(r.raw, r.value, r.unit, r.counted, r.period) for r in rows] == [
        ("12 450", 12450.0, "count", "người", "2023"), ("6 320", 6320.0, "count", "người", "2023")]
    assert rows[0].indicator == "tổng số xã Tân An"      # rows of places: the column names the measure


def test_unit_in_a_year_column_header_and_its_change_column(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "Năm 2023 (tỷ đồng)", "Năm 2024 (tỷ đồng)", "Tăng (+), giảm (-)"],
                             ["Tổng thu ngân sách", "450", "462", "+12"],
                             ["Chi thường xuyên", "300", "295", "-5"]], [])])
    assert [(r.raw, r.value, r.unit, r.period, r.change) for r in rows] == [
        ("450", 450e9, "VND", "2023", ""), ("462", 462e9, "VND", "2024", ""), ("12", 12e9, "VND", "", "+"),
        ("300", 300e9, "VND", "2023", ""), ("295", 295e9, "VND", "2024", ""), ("5", 5e9, "VND", "", "-")]


def test_unit_precedence(tmp_path):
    """The cell's own unit, then the ĐVT column, the label's (…), the header's (…), the caption."""
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "Năm 2024 (tấn)"],
                             ["Diện tích lúa (ha)", "m2", "20.000"],
                             ["Diện tích rau (ha)", "", "120"],
                             ["Sản lượng rau", "", "3.400"],
                             ["Sản lượng thịt hơi", "", "85 tạ"]], [])],
                before=["Đơn vị tính: triệu đồng"])
    assert [(r.value, r.unit) for r in rows] == [(2.0, "ha"), (120.0, "ha"), (3400.0, "tonne"), (8.5, "tonne")]


# --- years as columns ----------------------------------------------------------------------
def test_years_as_columns(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "2015", "2016", "2017"],
                             ["Diện tích lúa", "ha", "1.200", "1.250", "1.300"],
                             ["Số hộ nghèo", "Hộ", "530", "412", "376"]], [])], bold_header=0)
    assert [(r.raw, r.period, r.kind, r.unit) for r in rows] == [
        ("1.200", "2015", "actual", "ha"), ("1.250", "2016", "actual", "ha"), ("1.300", "2017", "actual", "ha"),
        ("530", "2015", "actual", "count"), ("412", "2016", "actual", "count"), ("376", "2017", "actual", "count")]
    assert all(r.indicator in ("diện tích lúa", "số hộ nghèo") for r in rows)


def test_year_span_estimate_and_plan_columns(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "Năm 2015", "2016-2020", "Ước 2024", "KH 2025"],
                             ["Tổng vốn đầu tư", "Tỷ đồng", "850", "5.200", "1.460", "1.600"]], [])])
    assert [(r.value, r.period, r.kind) for r in rows] == [
        (850e9, "2015", "actual"), (5200e9, "2016-2020", "actual"), (1460e9, "2024", "actual"), (1600e9, "2025", "target")]


def test_year_header_row_below_a_merged_header_not_bold(tmp_path):
    grid = [["Chỉ tiêu", "ĐVT", "Thực hiện", None, "Kế hoạch"],
            [None, None, "2023", "2024", "2025"],
            ["Sản lượng thủy sản", "Tấn", "2.140", "2.305", "2.400"]]
    merges = [((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (0, 3))]
    rows = _doc(tmp_path, [(grid, merges)], bold_header=1)
    assert [(r.raw, r.period, r.kind, r.unit) for r in rows] == [
        ("2.140", "2023", "actual", "tonne"), ("2.305", "2024", "actual", "tonne"), ("2.400", "2025", "target", "tonne")]


def test_rows_labelled_by_year(tmp_path):
    rows = _doc(tmp_path, [([["Năm", "Dân số (người)", "Diện tích lúa (ha)"],
                             ["2022", "95 210", "1.840"],
                             ["2023", "96 004", "1.815"]], [])])
    assert [(r.value, r.unit, r.period, r.indicator) for r in rows] == [
        (95210.0, "count", "2022", "dân số"), (1840.0, "ha", "2022", "diện tích lúa"),
        (96004.0, "count", "2023", "dân số"), (1815.0, "ha", "2023", "diện tích lúa")]


# --- signed change columns -----------------------------------------------------------------
def test_signed_cells_under_a_two_way_header(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "Năm 2024", "Tăng, giảm so với năm trước (%)"],
                             ["Sản lượng lúa", "Tấn", "46.200", "+2,7"],
                             ["Số hộ nghèo", "Hộ", "376", "-8,7"],
                             ["Diện tích ngô", "ha", "420", "1,5"]], [])])
    r = _by_raw(rows)
    assert (r["2,7"].value, r["2,7"].unit, r["2,7"].change) == (2.7, "%", "+")
    assert (r["8,7"].value, r["8,7"].unit, r["8,7"].change) == (8.7, "%", "-")
    assert r["1,5"].change == "+"
    assert r["46.200"].change == ""


def test_one_way_header_and_a_written_sign(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "Năm 2024", "Tăng so với cùng kỳ"],
                             ["Tổng mức bán lẻ", "Tỷ đồng", "3.250", "215"],
                             ["Kim ngạch xuất khẩu", "Triệu USD", "48", "-5,2"]], [])])
    r = _by_raw(rows)
    assert (r["215"].value, r["215"].unit, r["215"].change) == (215e9, "VND", "+")
    assert (r["5,2"].value, r["5,2"].unit, r["5,2"].change) == (5.2e6, "USD", "-")


def test_a_named_rate_column_is_no_change(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "Năm 2024", "Tốc độ tăng (%)"], ["Giá trị sản xuất (tỷ đồng)", "980", "7,5"]], [])])
    assert [(r.value, r.unit, r.change) for r in rows] == [(980e9, "VND", ""), (7.5, "%", "")]


# --- sentences in cells, boxed paragraphs ----------------------------------------------------
def test_sentence_written_in_a_cell(tmp_path):
    sentence = "Tổng sản lượng lương thực đạt 45.000 tấn, tăng 5% so với năm 2023."
    rows = _doc(tmp_path, [([["Lĩnh vực", "Kết quả năm 2024"], ["Nông nghiệp", sentence],
                             ["Công nghiệp", "Giá trị sản xuất ước đạt 1.250 tỷ đồng"]], [])])
    r = _by_raw(rows)
    assert (r["45.000 tấn"].value, r["45.000 tấn"].unit, r["45.000 tấn"].period, r["45.000 tấn"].change) == \
        (45000.0, "tonne", "2024", "")
    assert (r["5%"].value, r["5%"].change, r["5%"].kind) == (5.0, "+", "actual")
    # the sentence of a prose cell is the cell's sentence, not the ` | `-joined row
    assert r["45.000 tấn"].sentence == sentence
    assert r["45.000 tấn"].indicator.startswith("tổng sản lượng lương thực")
    assert (r["1.250 tỷ đồng"].value, r["1.250 tỷ đồng"].period) == (1250e9, "2024")


def test_one_cell_boxed_paragraph(tmp_path):
    doc = Document()
    doc.add_paragraph("I. KẾT QUẢ NĂM 2024")
    box = doc.add_table(rows=1, cols=1)
    box.cell(0, 0).paragraphs[0].text = "Toàn huyện có 12.500 hộ sử dụng nước sạch, tăng 300 hộ so với năm 2023."
    box.cell(0, 0).add_paragraph("Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng giảm còn 9,8%.")
    rows = extract_file(save(doc, tmp_path / "box.docx"))
    assert [(r.raw, r.value, r.change, r.period) for r in rows] == [
        ("12.500 hộ", 12500.0, "", "2024"), ("300 hộ", 300.0, "+", "2024"), ("9,8%", 9.8, "", "2024")]
    assert rows[2].sentence == "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng giảm còn 9,8%."


def test_label_cells_with_numbers_are_no_sentences(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "Thực hiện"],
                             ["Số xã đạt 19 tiêu chí", "Xã", "7"],
                             ["Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng", "%", "9,8"]], [])])
    assert [r.raw for r in rows] == ["7", "9,8"]


# --- a period in the row label ---------------------------------------------------------------
def test_row_label_gives_the_period(tmp_path):
    # the chain's order (pipeline/link/context.py): the row's label, then the column header
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "Thực hiện", "Năm 2025"],
                             ["Tổng thu ngân sách năm 2023", "Tỷ đồng", "45", "52"],
                             ["Diện tích chuyển đổi giai đoạn 2016 - 2020", "ha", "120", ""]], [])],
                before=["BÁO CÁO KINH TẾ - XÃ HỘI NĂM 2024", "I. KẾT QUẢ"])
    assert [(r.raw, r.period, r.indicator.split(" (")[0]) for r in rows] == [
        ("45", "2023", "tổng thu ngân sách"), ("52", "2023", "tổng thu ngân sách"),
        ("120", "2016-2020", "diện tích chuyển đổi")]


# --- ranges, ratios and qualifier words in cells ---------------------------------------------
def test_range_ratio_and_qualifier_words_in_cells(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "KH 2025", "Ước TH 2024"],
                             ["Tỷ lệ lao động qua đào tạo", "%", "70 - 72", "trên 68"],
                             ["Số xã đạt chuẩn nông thôn mới", "Xã", "12/14", "khoảng 10"],
                             ["Thời gian thực hiện", "Năm", "2021-2025", "2024"]], [])])
    assert [(r.raw, r.value, r.unit, r.qualifier, r.kind, r.denominator) for r in rows] == [
        ("70 - 72", 70.0, "%", ">=", "target", None), ("70 - 72", 72.0, "%", "<=", "target", None),
        ("68", 68.0, "%", ">", "actual", None),
        ("12/14", 12.0, "count", "=", "target", 14.0), ("10", 10.0, "count", "~", "actual", None)]


def test_unit_abbreviations_of_statistics_tables(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "Năm 2024"],
                             ["Thu ngân sách", "Tr.đồng", "1.250"],
                             ["Sản lượng lương thực", "1000 tấn", "58,6"],
                             ["Dân số trung bình", "Nghìn người", "97,4"]], [])])
    assert [(r.value, r.unit, r.counted) for r in rows] == [
        (1250e6, "VND", ""), (58600.0, "tonne", ""), (97400.0, "count", "người")]


def test_lower_header_row_under_merged_cells_not_bold(tmp_path):
    grid = [["Đơn vị", "Dân số (người)", None, "Diện tích (ha)"],
            [None, "Tổng số", "Nữ", None],
            ["Xã Tân An", "12 450", "6 320", "1.830"]]
    merges = [((0, 0), (1, 0)), ((0, 1), (0, 2)), ((0, 3), (1, 3))]
    rows = _doc(tmp_path, [(grid, merges)], bold_header=1)
    assert [(r.raw, r.unit, r.indicator) for r in rows] == [
        ("12 450", "count", "dân số tổng số xã Tân An"), ("6 320", "count", "dân số nữ xã Tân An"),
        ("1.830", "ha", "diện tích xã Tân An")]


def test_index_column_names_its_base(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "Năm 2023", "Năm 2024", "Năm 2024 so với năm 2023 (%)"],
                             ["Giá trị sản xuất nông nghiệp (tỷ đồng)", "2.140", "2.265", "105,8"]], [])])
    r = _cell(rows, "105,8")
    assert (r.value, r.unit, r.change, r.period, r.indicator) == \
        (105.8, "%", "", "2024", "giá trị sản xuất nông nghiệp so với năm 2023 (%)")


def test_value_cells_of_a_few_words(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "Kế hoạch", "Kết quả"],
                             ["Tỷ lệ tham gia bảo hiểm y tế", "93%", "Đạt 94,5%"],
                             ["Số xã đạt chuẩn nông thôn mới", "12 xã", "Hoàn thành 12/12 xã"],
                             ["Thời gian", "2021-2025", "Quý IV/2024"]], [])],
                before=["I. KẾT QUẢ NĂM 2024"])
    got = [(r.raw, r.value, r.unit, r.kind, r.period, r.denominator, r.indicator) for r in rows]
    assert got == [
        ("93", 93.0, "%", "target", "2024", None, "tỷ lệ tham gia bảo hiểm y tế (kế hoạch)"),
        ("94,5%", 94.5, "%", "actual", "2024", None, "tỷ lệ tham gia bảo hiểm y tế (kết quả)"),
        ("12", 12.0, "count", "target", "2024", None, "số xã đạt chuẩn nông thôn mới (kế hoạch)"),
        ("12/12 xã", 12.0, "count", "actual", "2024", 12.0, "số xã đạt chuẩn nông thôn mới (kết quả)")]
    assert rows[1].sentence == "Tỷ lệ tham gia bảo hiểm y tế | 93% | Đạt 94,5%"


def test_one_column_table_of_paragraphs_with_space_grouped_numbers(tmp_path):
    rows = _doc(tmp_path, [([["Một số kết quả nổi bật"],
                             ["Toàn tỉnh có 97 415 học sinh tiểu học, tăng 1 250 học sinh."],
                             ["Kim ngạch xuất khẩu đạt 1 245,6 triệu USD."]], [])])
    assert [(r.raw, r.value, r.unit, r.change) for r in rows] == [
        ("97 415 học sinh", 97415.0, "count", ""), ("1 250 học sinh", 1250.0, "count", "+"),
        ("1 245,6 triệu USD", 1245.6e6, "USD", "")]
    assert rows[2].sentence == "Kim ngạch xuất khẩu đạt 1 245,6 triệu USD."


def test_rows_of_places_are_named_with_the_column(tmp_path):
    rows = _doc(tmp_path, [([["Xã, thị trấn", "Dân số (người)", "Diện tích (km2)", "Số hộ nghèo"],
                             ["Xã Tân An", "12 450", "25,3", "86"],
                             ["Thị trấn Đông Sơn", "8 230", "5,1", "12"]], [])],
                before=["Biểu 2. Dân số, diện tích và hộ nghèo năm 2023"])
    assert [(r.indicator, r.value, r.unit, r.period) for r in rows[:3]] == [
        ("dân số xã Tân An", 12450.0, "count", "2023"), ("diện tích xã Tân An", 2530.0, "ha", "2023"),
        ("số hộ nghèo xã Tân An", 86.0, "count", "2023")]
    assert rows[0].counted == "người"


def test_row_numbering_the_columns_is_no_data(tmp_path):
    rows = _doc(tmp_path, [([["STT", "Chỉ tiêu", "ĐVT", "Năm 2023", "Năm 2024", "So sánh (%)"],
                             ["A", "B", "C", "1", "2", "3=2/1"],
                             ["1", "Sản lượng thủy sản", "Tấn", "2.140", "2.305", "107,7"]], [])])
    assert [r.raw for r in rows] == ["2.140", "2.305", "107,7"]
    assert rows[0].indicator == "sản lượng thủy sản"


def test_breakdown_rows_name_their_parts(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "Năm 2024"],
                             ["Sản lượng lương thực", "Tấn", "58.640"],
                             ["Trong đó:", "", ""],
                             ["- Lúa", "Tấn", "52.100"],
                             ["Trong đó: Ngô", "Tấn", "6.540"]], [])])
    assert [(r.raw, r.indicator) for r in rows] == [
        ("58.640", "sản lượng lương thực"), ("52.100", "sản lượng lương thực lúa"),
        ("6.540", "sản lượng lương thực ngô")]
