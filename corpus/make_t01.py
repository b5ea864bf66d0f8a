"""Build t01.docx: a commune's 2024 socio-economic report whose indicator table (two
header rows, merged cells, group rows, sub-items, ĐVT column, comparison column) is
built from the text's own figures. `python corpus/make_t01.py` (needs python-docx)."""
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).resolve().parent

TITLE = ["ỦY BAN NHÂN DÂN XÃ TÂN PHÚ", "BÁO CÁO",
         "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2024", "VÀ KẾ HOẠCH NĂM 2025", "-----"]
BODY = [
    ("h", "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024"),
    ("h", "1. Về kinh tế"),
    ("p", "Tổng diện tích gieo trồng cả năm đạt 1.250,5 ha, bằng 101,2% kế hoạch. Sản lượng lương thực đạt "
          "7.820 tấn, tăng 320 tấn so với năm 2023; trong đó lúa 6.950 tấn, ngô 870 tấn. Năng suất lúa bình "
          "quân đạt 62,5 tạ/ha."),
    ("p", "Tổng thu ngân sách trên địa bàn ước đạt 12,6 tỷ đồng, bằng 105% dự toán huyện giao. Thu nhập bình "
          "quân đầu người đạt 58 triệu đồng/người/năm. Toàn xã có 3 hợp tác xã và 125 hộ kinh doanh cá thể."),
    ("h", "2. Về văn hóa - xã hội"),
    ("p", "Tỷ lệ hộ nghèo giảm còn 1,8% (42 hộ); tỷ lệ hộ cận nghèo còn 3,1%. Tỷ lệ người dân tham gia bảo "
          "hiểm y tế đạt 93,5%. Trong năm, giải quyết việc làm cho 210 lao động, trong đó có 35 lao động đi làm "
          "việc ở nước ngoài."),
    ("p", "Kết quả thực hiện một số chỉ tiêu chủ yếu năm 2024 như sau:"),
    ("table", None),
    ("h", "II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025"),
    ("p", "Phấn đấu năm 2025 tổng sản lượng lương thực đạt trên 8.000 tấn; thu ngân sách trên địa bàn đạt 13 tỷ "
          "đồng trở lên; giảm tỷ lệ hộ nghèo xuống dưới 1,5%; tỷ lệ tham gia bảo hiểm y tế đạt từ 94 - 95%; xây "
          "dựng mới 5 km đường giao thông nông thôn."),
]
TABLE = [
    ["STT", "Chỉ tiêu", "ĐVT", "Năm 2024", None, "So sánh (%)"],
    [None, None, None, "Kế hoạch", "Thực hiện", None],
    ["I", "Kinh tế", "", "", "", ""],
    ["1", "Tổng diện tích gieo trồng", "ha", "1.235,7", "1.250,5", "101,2"],
    ["2", "Sản lượng lương thực", "tấn", "7.600", "7.820", "102,9"],
    ["", "- Lúa", "tấn", "6.800", "6.950", "102,2"],
    ["", "- Ngô", "tấn", "800", "870", "108,8"],
    ["3", "Tổng thu ngân sách trên địa bàn", "tỷ đồng", "12", "12,6", "105"],
    ["II", "Văn hóa - xã hội", "", "", "", ""],
    ["4", "Tỷ lệ hộ nghèo", "%", "2", "1,8", ""],
    ["5", "Tỷ lệ tham gia bảo hiểm y tế", "%", "93", "93,5", "100,5"],
]
MERGES = [((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (1, 2)), ((0, 3), (0, 4)), ((0, 5), (1, 5))]


def build(path: Path) -> Path:
    doc = Document()
    doc.styles["Normal"].font.name, doc.styles["Normal"].font.size = "Times New Roman", Pt(14)
    for line in TITLE:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = True
    for kind, text in BODY:
        if kind == "table":
            t = doc.add_table(rows=len(TABLE), cols=len(TABLE[0]))
            t.style = "Table Grid"
            for a, b in MERGES:
                t.cell(*a).merge(t.cell(*b))
            for i, row in enumerate(TABLE):
                for j, cell_text in enumerate(row):
                    if cell_text is not None:
                        t.cell(i, j).paragraphs[0].add_run(cell_text).bold = i < 2 or row[0] in ("I", "II")
            continue
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.add_run(text).bold = kind == "h"
    doc.save(str(path))
    return path


if __name__ == "__main__":
    build(HERE / "t01.docx")
