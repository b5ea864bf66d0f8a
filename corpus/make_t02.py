"""Build t02.docx: an invented district statistics bulletin for 2024, with its tables as
statistics offices print them: a caption unit line ("Đơn vị tính: người") over a table
whose columns are years and whose numbers group thousands with a space (and a narrow
no-break space), units in the row labels ("Diện tích lúa cả năm (ha)"), a signed change
column ("Tăng (+), giảm (-)"), a plan column ("KH 2025"), a caption "(Đơn vị: triệu
đồng)" over a budget table with a row numbering its columns ("A | B | 1 | 2 | 3=2/1"),
periods in row labels ("… năm học 2024 - 2025"), a table by commune, cells written as
sentences and a boxed paragraph (a one-cell table).
`python corpus/make_t02.py` (needs python-docx)."""
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
NNBSP = "\u202f"

TITLE = ["CHI CỤC THỐNG KÊ HUYỆN ĐÔNG SƠN", "BÁO CÁO",
         "TÌNH HÌNH KINH TẾ - XÃ HỘI HUYỆN ĐÔNG SƠN NĂM 2024", "-----"]
T_POPULATION = [
    ["Chỉ tiêu", "2020", "2022", "2023", "Ước 2024"],
    ["Dân số trung bình", "93 850", "95 120", "96 340", "97 415"],
    ["- Nam", "46 410", "47 030", "47 650", "48 190"],
    ["- Nữ", "47 440", "48 090", "48 690", "49 225"],
    ["Lao động đang làm việc", f"55{NNBSP}230", f"56{NNBSP}010", f"56{NNBSP}780", f"57{NNBSP}300"],
]
T_FARMING = [
    ["Chỉ tiêu", "Năm 2023", "Năm 2024", "Tăng (+), giảm (-) so với năm trước", "KH 2025"],
    ["Diện tích lúa cả năm (ha)", "8.120", "8.035", "-85", "8.000"],
    ["Năng suất lúa (tạ/ha)", "62,4", "63,1", "+0,7", "63,5"],
    ["Sản lượng lương thực có hạt (nghìn tấn)", "57,9", "58,64", "+0,74", "59"],
    ["Tổng đàn lợn (Con)", "41 200", "43 650", "+2 450", "45 000"],
]
T_BUDGET = [
    ["STT", "Chỉ tiêu", "Dự toán năm 2024", "Thực hiện năm 2024", "So sánh (%)"],
    ["A", "B", "1", "2", "3=2/1"],
    ["1", "Tổng thu ngân sách trên địa bàn", "185 600", "201 340", "108,5"],
    ["2", "Tổng chi ngân sách địa phương", "612 450", "598 120", "97,7"],
]
T_SOCIAL = [
    ["Chỉ tiêu", "ĐVT", "Thực hiện"],
    ["Số học sinh phổ thông năm học 2024 - 2025", "Học sinh", "18 326"],
    ["Số ca mắc sốt xuất huyết năm 2024", "Ca", "126"],
    ["Số giường bệnh (Giường)", "", "310"],
]
T_COMMUNES = [
    ["Xã, thị trấn", "Dân số (người)", "Số hộ nghèo (hộ)"],
    ["Thị trấn Rừng Thông", "14 205", "38"],
    ["Xã Đông Tiến", "9 870", "61"],
]
T_PROSE = [
    ["Lĩnh vực", "Tình hình"],
    ["Giáo dục", "Toàn huyện có 42 trường đạt chuẩn quốc gia, tăng 3 trường so với năm 2023."],
    ["Y tế", "Tỷ lệ người dân tham gia bảo hiểm y tế đạt 94,2%, vượt 0,7% so với kế hoạch."],
]
T_BOX = [["Năm 2024, toàn huyện giải quyết việc làm cho 2.150 lao động, trong đó có 320 lao động đi làm "
          "việc ở nước ngoài."]]
BODY = [
    ("h", "I. DÂN SỐ VÀ LAO ĐỘNG"),
    ("p", "Dân số trung bình năm 2024 của huyện ước tính 97.415 người, tăng 1,1% so với năm 2023."),
    ("p", "Biểu 1. Dân số và lao động"),
    ("p", "Đơn vị tính: người"),
    ("table", T_POPULATION),
    ("h", "II. NÔNG NGHIỆP"),
    ("p", "Năm 2024, sản lượng lương thực có hạt đạt 58.640 tấn, tăng 740 tấn so với năm trước."),
    ("table", T_FARMING),
    ("h", "III. THU, CHI NGÂN SÁCH"),
    ("p", "(Đơn vị: triệu đồng)"),
    ("table", T_BUDGET),
    ("h", "IV. VĂN HÓA - XÃ HỘI"),
    ("table", T_SOCIAL),
    ("p", "Biểu 5. Dân số và hộ nghèo phân theo xã, thị trấn năm 2024"),
    ("table", T_COMMUNES),
    ("p", "Một số kết quả khác:"),
    ("table", T_PROSE),
    ("table", T_BOX),
]


def _table(doc, grid):
    t = doc.add_table(rows=len(grid), cols=len(grid[0]))
    t.style = "Table Grid"
    for i, row in enumerate(grid):
        for j, text in enumerate(row):
            t.cell(i, j).paragraphs[0].add_run(text).bold = i == 0 and len(grid) > 1


def build(path: Path) -> Path:
    doc = Document()
    doc.styles["Normal"].font.name, doc.styles["Normal"].font.size = "Times New Roman", Pt(13)
    for line in TITLE:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = True
    for kind, content in BODY:
        if kind == "table":
            _table(doc, content)
            doc.add_paragraph()
            continue
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.add_run(content).bold = kind == "h"
    doc.save(str(path))
    return path


if __name__ == "__main__":
    build(HERE / "t02.docx")
