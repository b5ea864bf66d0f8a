"""pos.tags builds underthesea's CRF features itself (templates parsed once); its tags must
be exactly underthesea.pos_tag's, and it must fall back to pos_tag without those internals."""
import pytest
from underthesea import pos_tag

from pipeline.link import pos

SENTENCES = [
    "Xã nông thôn mới nâng cao chiếm 45,5%",
    "xã đã huy động được 12.500 triệu đồng",
    "Đảng bộ xã Tân Lập kết nạp 25 đảng viên mới",
    "Quế An kết nạp",
    "kết nạp đảng viên",
    "Tổng thu ngân sách nhà nước trên địa bàn đạt 125,6 tỷ đồng, bằng 112% dự toán",
    "THU NHẬP BÌNH QUÂN ĐẦU NGƯỜI",
    "Giai đoạn 2020 - 2025 (tăng 3,5 lần)",
    "tỷ lệ hộ nghèo giảm còn 1,2%/năm; hộ cận nghèo 2,5%",
    "Chợ thịt chó nổi tiếng ở TPHCM bị truy quét",
    "a",
    "Một",
    "  khoảng   trắng   thừa  ",
    "100%",
    "Nghị quyết số 09-NQ/TU, ngày 27/6/2012 của Ban Chấp hành",
    "iPhone và ABC-12 \"trích dẫn\" … hết",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_tags_are_underthesea_pos_tag(text):
    pos.tags.cache_clear()
    assert pos.tags(text) == tuple((w, t) for w, t in pos_tag(text))


def test_features_past_the_ends_and_spans():
    compiled = [pos._compile(s) for s in ("T[-1]", "T[0].lower", "T[0,1]", "T[-1,0][1]")]
    got = pos.features(["Xã", "nông thôn"], compiled, lambda f, w: w.lower())
    assert got == [["T[-1]=BOS", "T[0].lower=xã", "T[0,1]=Xã nông thôn", "T[-1,0][1]=BOS"],
                   ["T[-1]=Xã", "T[0].lower=nông thôn", "T[0,1]=EOS", "T[-1,0][1]=X X"]]


def test_falls_back_to_pos_tag_without_the_internals(monkeypatch):
    monkeypatch.setattr(pos, "_tagger", lambda: None)
    pos.tags.cache_clear()
    try:
        assert pos.tags("kết nạp đảng viên") == tuple(pos_tag("kết nạp đảng viên"))
    finally:
        pos.tags.cache_clear()
