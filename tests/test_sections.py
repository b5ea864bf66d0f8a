"""Section tree: the seed's and the dev reports' trees, also when Word styles or Word's
automatic numbering carry the headings."""

import pytest

from builders import CORPUS, headings_of, seed_with_auto_numbering, seed_with_heading_styles
from pipeline.model import Block
from pipeline.read import read_blocks
from pipeline.segment.headings import segment

STEMS = ["binh-thanh-dong-2020-2025", "t01", "t02"] + [f"d{i:02d}" for i in range(1, 11)]


def tree(seg):
    return [(s.section_path, s.title, s.level) for s in seg.sections]


def gold_tree(stem):
    return [(h["section_path"], h["title"], h["level"]) for h in headings_of(stem)]


@pytest.mark.parametrize("stem", STEMS)
def test_corpus_tree_equals_gold(stem):
    assert tree(segment(read_blocks(CORPUS / f"{stem}.docx"))) == gold_tree(stem)


def test_seed_heading_text_is_the_paragraph(stem="binh-thanh-dong-2020-2025"):
    blocks = read_blocks(CORPUS / f"{stem}.docx")
    seg = segment(blocks)
    assert [blocks[s.block].text for s in seg.sections] == [h["text"] for h in headings_of(stem)]


def test_seed_with_heading_styles(tmp_path):
    seg = segment(read_blocks(seed_with_heading_styles(tmp_path / "styled.docx")))
    assert tree(seg) == gold_tree("binh-thanh-dong-2020-2025")


def test_seed_with_automatic_numbering(tmp_path):
    path = seed_with_auto_numbering(tmp_path / "numbered.docx")
    blocks = read_blocks(path)
    assert not any(b.text.startswith(("I.", "II.", "1.")) and b.bold for b in blocks)  # labels not in text
    assert tree(segment(blocks)) == gold_tree("binh-thanh-dong-2020-2025")


def test_every_block_knows_its_section():
    blocks = read_blocks(CORPUS / "binh-thanh-dong-2020-2025.docx")
    seg = segment(blocks)
    by_text = {b.text.strip(): seg.section_of(b.index) for b in blocks}
    s = by_text["- Chất lượng hoạt động của lực lượng dân quân chưa cao, khả năng sẵn sàng chiến đấu còn hạn chế. "
                "Tình hình tội phạm, tệ nạn xã hội, ma túy, cờ bạc…có lúc, có nơi còn xảy ra."]
    assert (s.section_path, s.title) == ("Phần thứ nhất > II > 1", "Lĩnh vực kinh tế, văn hóa, xã hội và quốc phòng - an ninh")
    item = next(b for b in blocks if b.text.startswith("7. Tỷ lệ tham gia bảo hiểm"))
    assert seg.section_of(item.index).section_path == "Phần thứ hai > II > 2"
    assert seg.section_of(0) is None  # title block
    assert item.index not in seg.heading_blocks


def _blocks(*texts, bold=False):
    return [Block(index=i, text=t, bold=bold) for i, t in enumerate(texts)]


def test_without_bold_list_items_after_colon_heading_are_body():
    seg = segment(_blocks("I. CHỈ TIÊU", "2. Các chỉ tiêu cơ bản:", "1. Thu nhập 90 triệu đồng.",
                          "2. Thu ngân sách đạt chỉ tiêu", "II. NHIỆM VỤ", "1. Phát triển kinh tế"))
    assert tree(seg) == [("I", "CHỈ TIÊU", 1), ("I > 2", "Các chỉ tiêu cơ bản", 2), ("II", "NHIỆM VỤ", 1),
                         ("II > 1", "Phát triển kinh tế", 2)]


def test_without_bold_bullets_of_body_text_are_not_headings():
    seg = segment(_blocks("1. Quốc phòng", "- Đảm bảo quốc phòng", "Công tác quân sự đạt kết quả.",
                          "- Còn lúng túng trong sản xuất.", "- Dân quân chưa mạnh"
                          , "- Tội phạm còn xảy ra"))
    assert tree(seg) == [("1", "Quốc phòng", 1), ("1 > Đảm bảo quốc phòng", "Đảm bảo quốc phòng", 2)]


def test_bold_mode_numbered_body_paragraphs_are_items():
    blocks = [Block(0, "I. Nhóm chỉ tiêu kinh tế (gồm 11 chỉ tiêu)", bold=True),
              Block(1, "1. Tốc độ tăng giá trị sản xuất đạt 16%.", bold=False),
              Block(2, "a) Nông nghiệp", bold=True), Block(3, "- Lúa", bold=True),
              Block(4, "+ Lúa xuân", bold=True), Block(5, "b) Dịch vụ", bold=True)]
    assert tree(segment(blocks)) == [
        ("I", "Nhóm chỉ tiêu kinh tế (gồm 11 chỉ tiêu)", 1), ("I > a", "Nông nghiệp", 2),
        ("I > a > Lúa", "Lúa", 3), ("I > a > Lúa > Lúa xuân", "Lúa xuân", 4), ("I > b", "Dịch vụ", 2)]


def test_part_heading_takes_its_title_from_the_next_lines():
    blocks = [Block(0, "PHẦN THỨ NHẤT", bold=True, centered=True),
              Block(1, "KẾT QUẢ THỰC HIỆN NHIỆM VỤ", bold=True, centered=True),
              Block(2, "I. KINH TẾ", bold=True), Block(3, "Tổng thu 45 tỷ đồng.")]
    seg = segment(blocks)
    assert tree(seg) == [("PHẦN THỨ NHẤT", "KẾT QUẢ THỰC HIỆN NHIỆM VỤ", 1),
                         ("PHẦN THỨ NHẤT > I", "KINH TẾ", 2)]
    assert seg.heading_blocks == {0, 1, 2}


def test_letters_and_roman_numerals_are_told_apart():
    blocks = [Block(0, "A. KINH TẾ", bold=True), Block(1, "I. Nông nghiệp", bold=True),
              Block(2, "II. Công nghiệp", bold=True), Block(3, "B. XÃ HỘI", bold=True),
              Block(4, "C. QUỐC PHÒNG", bold=True), Block(5, "I. Quân sự", bold=True)]
    assert [s.section_path for s in segment(blocks).sections] == ["A", "A > I", "A > II", "B", "C", "C > I"]


def test_joined_heading_pattern_finds_the_first_type_that_matches():
    from pipeline.segment.headings import any_heading, heading_types
    types = heading_types()
    joined = any_heading(types)
    assert joined is not None
    for text in ["Phần thứ nhất", "II. KẾT QUẢ", "a) Nông nghiệp", "1.2. Dịch vụ", "- Tổng thu 5 tỷ", "(3) Y tế",
                 "* Ghi chú", "• mục", "+ cộng", "Thực hiện Nghị quyết", "-----", "1. 2024", ""]:
        first = next((i for i, t in enumerate(types) if t.regex.match(text)), None)
        m = joined.match(text)
        assert (int(m.lastgroup[2:]) if m else None) == first, text
