"""Figures in running text of reports nobody tuned for (statistics bulletins, finance,
health, education, trade): rarer units and magnitudes, rates per inhabitants, ratios with
a unit on both sides, numbers that are no figures (reporting periods, dates, ages, item
numbers, the article "một"), and levels inside changes. Invented sentences in the shape
of such reports; the rules themselves live in rules/ with their own examples."""
import pytest

from pipeline.stages import extract_text


def _rows(text):
    return [(r.raw, r.value, r.unit, r.counted, r.denominator, r.change, r.per) for r in extract_text(text)]


@pytest.mark.parametrize("text, want", [
    ("Kim ngạch xuất khẩu đạt 125,6 Tr.USD.", [("125,6 Tr.USD", 125600000, "USD", "", None, "", "")]),
    ("Giá trị nhập khẩu đạt 850 nghìn USD.", [("850 nghìn USD", 850000, "USD", "", None, "", "")]),
    ("Sản lượng lúa đạt 12,5 nghìn tấn.", [("12,5 nghìn tấn", 12500, "tonne", "", None, "", "")]),
    ("Tổng đàn lợn đạt 2,3 triệu con.", [("2,3 triệu con", 2300000, "count", "con", None, "", "")]),
    # no base unit for a volume: a count of the unit written
    ("Sản lượng nước sạch đạt 1,2 tỷ m3.", [("1,2 tỷ m3", 1.2e9, "count", "m3", None, "", "")]),
    ("Dân số đạt 1,2 vạn người.", [("1,2 vạn người", 12000, "count", "người", None, "", "")]),
])
def test_units_and_magnitudes(text, want):
    assert _rows(text) == want


@pytest.mark.parametrize("text, raw, per", [
    ("Số bác sĩ đạt 5 bác sĩ/1 vạn dân.", "5 bác sĩ/1 vạn dân", "vạn dân"),
    ("Đạt 25 giường bệnh/vạn dân.", "25 giường bệnh/vạn dân", "vạn dân"),
    ("Có 8 bác sĩ trên 10.000 dân.", "8 bác sĩ trên 10.000 dân", "10.000 dân"),
])
def test_the_unit_of_a_rate_is_its_per_not_a_figure(text, raw, per):
    rows = extract_text(text)
    assert [(r.raw, r.per) for r in rows] == [(raw, per)]


def test_a_ratio_with_a_unit_on_both_sides():
    rows = extract_text("Thu ngân sách đạt 3.412.500.000đ/2.950.000.000đ, bằng 115,7% dự toán.")
    assert (rows[0].value, rows[0].denominator, rows[0].unit) == (3412500000, 2950000000, "VND")
    assert rows[0].raw == "3.412.500.000đ/2.950.000.000đ"


@pytest.mark.parametrize("text", [
    "Trong 9 tháng đầu năm, thu ngân sách đạt 120 tỷ đồng.",
    "Trong 6 tháng, thu ngân sách đạt 120 tỷ đồng.",
    "Dự kiến 6 tháng cuối năm, thu ngân sách đạt 120 tỷ đồng.",
    "Thu ngân sách 6 tháng ước đạt 120 tỷ đồng.",
    "Quý 2/2024, thu ngân sách đạt 120 tỷ đồng.",
    "Đến 15/3, thu ngân sách đạt 120 tỷ đồng.",
    "Đến 15/3/2024, thu ngân sách đạt 120 tỷ đồng.",
    "Tính đến 15-3-2024, thu ngân sách đạt 120 tỷ đồng.",
    "Tháng 3/2024, thu ngân sách đạt 120 tỷ đồng.",
    "Hỗ trợ trẻ từ 2 đến 6 tuổi, thu ngân sách đạt 120 tỷ đồng.",
    "Người từ 60 tuổi trở lên và trẻ dưới 16 tuổi, thu ngân sách đạt 120 tỷ đồng.",
    "Sau mũi 2, thu ngân sách đạt 120 tỷ đồng.",
    "Hoàn thành tiêu chí số 9 và tiêu chí 17, thu ngân sách đạt 120 tỷ đồng.",
    "Qua Chương trình 135, thu ngân sách đạt 120 tỷ đồng.",
    "Một người dân được hỗ trợ, thu ngân sách đạt 120 tỷ đồng.",
    "Giá trị thu được trên 1ha canh tác tăng, thu ngân sách đạt 120 tỷ đồng.",
])
def test_context_numbers_are_no_figures(text):
    assert [r.raw for r in extract_text(text)] == ["120 tỷ đồng"]


@pytest.mark.parametrize("text, raw", [
    ("Xã đạt 9 tiêu chí.", "9 tiêu chí"),
    ("Đã tiêm 2 mũi vắc xin.", "2 mũi"),
    ("Đã tạo việc làm cho 1950 lao động.", "1950 lao động"),
    ("Mở lớp dạy nghề kéo dài 6 tháng.", "6 tháng"),
])
def test_counts_that_look_like_context_stay_figures(text, raw):
    assert [r.raw for r in extract_text(text)] == [raw]


def test_two_levels_of_a_rise_share_the_unit():
    rows = extract_text("Số bác sĩ tăng từ 12,4 lên 15,8 bác sĩ.")
    assert [(r.raw, r.value, r.unit, r.counted, r.change) for r in rows] == [
        ("12,4", 12.4, "count", "bác sĩ", ""), ("15,8 bác sĩ", 15.8, "count", "bác sĩ", "")]


def test_a_comparison_base_is_a_level():
    rows = extract_text("Số giường bệnh là 16,2 giường, giảm 2,3 giường so với 18,5 giường của năm 2019.")
    assert [(r.raw, r.change) for r in rows] == [("16,2 giường", ""), ("2,3 giường", "-"), ("18,5 giường", "")]


@pytest.mark.parametrize("text, raw, value", [
    ("Tăng trưởng kinh tế đạt -2,5%.", "-2,5%", -2.5),
    ("Tăng trưởng kinh tế âm 1,2%.", "1,2%", -1.2),
])
def test_a_negative_level_keeps_its_sign(text, raw, value):
    rows = extract_text(text)
    assert [(r.raw, r.value, r.change) for r in rows] == [(raw, value, "")]


def test_a_multiplier_restating_a_change():
    rows = extract_text("Có 10 doanh nghiệp, tăng thêm 04 doanh nghiệp (tương đương 0,7 lần) so với năm 2015.")
    assert [(r.raw, r.unit, r.change) for r in rows][-1] == ("0,7 lần", "times", "+")


def test_a_bare_number_of_a_counted_subject():
    rows = extract_text("Tổng số trang trại, gia trại của phường là 70, gồm 15 trang trại và 55 gia trại.")
    assert [(r.raw, r.counted) for r in rows] == [
        ("70", "trang trại, gia trại"), ("15 trang trại", "trang trại"), ("55 gia trại", "gia trại")]
