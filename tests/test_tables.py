"""Figures in tables: one row per numeric cell, each table form built in code."""
from docx import Document

from builders import save
from pipeline.stages import extract_file


def _doc(tmp_path, tables, before=(), name="t.docx", bold_header=1):
    """tables: list of (rows, merges); rows are lists of cell texts (None = merged away);
    merges: ((r0, c0), (r1, c1)) spans to merge."""
    doc = Document()
    for text in before:
        doc.add_paragraph(text)
    for rows, merges in tables:
        t = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for (r0, c0), (r1, c1) in merges:
            t.cell(r0, c0).merge(t.cell(r1, c1))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                if text is None:
                    continue
                cell = t.cell(i, j)
                cell.paragraphs[0].text = ""
                cell.paragraphs[0].add_run(text).bold = i < bold_header
    return extract_file(save(doc, tmp_path / name))


def _facts(rows):
    return [(r.raw, r.value, r.unit, r.kind, r.period, r.indicator, r.change) for r in rows]


def test_plan_result_comparison_columns(tmp_path):
    rows = _doc(tmp_path, [([["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "So sánh (%)"],
                             ["1", "Diện tích gieo trồng lúa", "ha", "701,5", "705,18", "100,5"],
                             ["2", "Năng suất lúa", "tạ/ha", "54,9", "56,14", "102,3"]], [])],
                before=["BÁO CÁO NĂM 2022", "I. KẾT QUẢ SẢN XUẤT NĂM 2022"])
    assert _facts(rows) == [
        ("701,5", 701.5, "ha", "target", "2022", "diện tích gieo trồng lúa (kế hoạch)", ""),
        ("705,18", 705.18, "ha", "actual", "2022", "diện tích gieo trồng lúa (thực hiện)", ""),
        ("100,5", 100.5, "%", "actual", "2022", "diện tích gieo trồng lúa so với kế hoạch", ""),
        ("54,9", 5.49, "tonne", "target", "2022", "năng suất lúa (kế hoạch)", ""),
        ("56,14", 5.614, "tonne", "actual", "2022", "năng suất lúa (thực hiện)", ""),
        ("102,3", 102.3, "%", "actual", "2022", "năng suất lúa so với kế hoạch", "")]
    assert all(r.per == "ha" for r in rows if r.unit == "tonne")
    assert rows[0].sentence == "1 | Diện tích gieo trồng lúa | ha | 701,5 | 705,18 | 100,5"
    assert not any(r.raw in ("1", "2") for r in rows)   # STT cells are no figures


def test_year_columns_and_signed_change(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "Đơn vị tính", "Năm 2023", "Năm 2024", "Tăng/giảm"],
                             ["Sản lượng lúa", "tấn", "3.851,5", "3.958,57", "107,07"],
                             ["Số hộ nghèo", "Hộ", "53", "16", "-37"]], [])])
    assert _facts(rows) == [
        ("3.851,5", 3851.5, "tonne", "actual", "2023", "sản lượng lúa", ""),
        ("3.958,57", 3958.57, "tonne", "actual", "2024", "sản lượng lúa", ""),
        ("107,07", 107.07, "tonne", "actual", "", "sản lượng lúa", "+"),
        ("53", 53.0, "count", "actual", "2023", "số hộ nghèo", ""),
        ("16", 16.0, "count", "actual", "2024", "số hộ nghèo", ""),
        ("37", 37.0, "count", "actual", "", "số hộ nghèo", "-")]
    assert {r.counted for r in rows if r.unit == "count"} == {"hộ"}
    assert not any(r.raw in ("2023", "2024") for r in rows)   # header years are no figures


def test_two_header_rows_with_merged_cells(tmp_path):
    grid = [["STT", "Chỉ tiêu", "ĐVT", "Năm 2024", None, "So sánh (%)"],
            [None, None, None, "KH", "Ước TH", None],
            ["1", "Tổng thu ngân sách", "triệu đồng", "8.000", "9.040", "113"],
            ["2", "Tỷ lệ hộ nghèo", "%", "1,5", "0,36", ""]]
    merges = [((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (1, 2)), ((0, 3), (0, 4)), ((0, 5), (1, 5))]
    rows = _doc(tmp_path, [(grid, merges)], bold_header=2)
    assert _facts(rows) == [
        ("8.000", 8e9, "VND", "target", "2024", "tổng thu ngân sách", ""),
        ("9.040", 9.04e9, "VND", "actual", "2024", "tổng thu ngân sách", ""),
        ("113", 113.0, "%", "actual", "", "tổng thu ngân sách so với kế hoạch", ""),
        ("1,5", 1.5, "%", "target", "2024", "tỷ lệ hộ nghèo", ""),
        ("0,36", 0.36, "%", "actual", "2024", "tỷ lệ hộ nghèo", "")]
    assert len({r.block for r in rows}) == len(rows)      # merged cells read once


def test_unit_in_the_header(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "Giá trị (tỷ đồng)", "Tỷ lệ (%)"],
                             ["Vốn đầu tư phát triển", "5.000", "12"]], [])])
    assert [(r.value, r.unit) for r in rows] == [(5e12, "VND"), (12.0, "%")]


def test_group_rows_and_sub_items(tmp_path):
    rows = _doc(tmp_path, [([["TT", "Chỉ tiêu", "ĐVT", "Thực hiện"],
                             ["I", "Kinh tế", "", ""],
                             ["1", "Sản lượng lương thực", "tấn", "25.000"],
                             ["", "- Lúa", "tấn", "20.000"],
                             ["", "- Ngô", "tấn", "5.000"],
                             ["II", "Xã hội", "", ""],
                             ["2", "Tỷ lệ hộ nghèo", "%", "≥2"]], [])])
    assert [(r.raw, r.indicator, r.qualifier) for r in rows] == [
        ("25.000", "sản lượng lương thực (thực hiện)", "="),
        ("20.000", "sản lượng lương thực lúa (thực hiện)", "="),
        ("5.000", "sản lượng lương thực ngô (thực hiện)", "="),
        ("2", "tỷ lệ hộ nghèo (thực hiện)", ">=")]
    assert not any(r.raw in ("I", "II", "1", "2") and r.raw != "2" for r in rows)


def test_nested_table_figures_come_out_once(tmp_path):
    doc = Document()
    outer = doc.add_table(rows=1, cols=1)
    inner = outer.cell(0, 0).add_table(rows=2, cols=3)
    for j, text in enumerate(["Chỉ tiêu", "ĐVT", "Kế hoạch"]):
        inner.cell(0, j).text = text
    for j, text in enumerate(["Diện tích lúa", "ha", "858"]):
        inner.cell(1, j).text = text
    rows = extract_file(save(doc, tmp_path / "nested.docx"))
    assert [(r.raw, r.unit, r.kind) for r in rows] == [("858", "ha", "target")]


def test_table_and_text_stating_the_same_figure_give_two_rows(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "Năm 2024"], ["Sản lượng lương thực", "tấn", "101.600"]], [])],
                before=["Năm 2024, sản lượng lương thực đạt 101.600 tấn."])
    assert [(r.raw, r.value, r.period) for r in rows] == [("101.600 tấn", 101600.0, "2024"),
                                                          ("101.600", 101600.0, "2024")]


def test_six_months_estimate_column(tmp_path):
    rows = _doc(tmp_path, [([["Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Ước TH 6 tháng đầu năm 2025"],
                             ["Thu ngân sách", "tỷ đồng", "45", "20,5"]], [])])
    assert [(r.value, r.kind, r.period) for r in rows] == [(45e9, "target", "2025"), (20.5e9, "actual", "2025")]
