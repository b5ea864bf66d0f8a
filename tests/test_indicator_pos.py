"""The doer in front of a subject is dropped only when a verb follows it (underthesea's
tags, asked only for clauses that open with an agent noun)."""
import pytest

from pipeline.link import pos
from pipeline.link.indicators import without_agent


@pytest.mark.parametrize("phrase,expected", [
    ("xã đã huy động", "huy động"),                          # doer, auxiliary, verb
    ("Đảng bộ xã Tân Lập kết nạp", "kết nạp"),               # doer with a name
    ("phường lắp hệ thống đèn chiếu sáng", "lắp hệ thống đèn chiếu sáng"),
    ("Xã nông thôn mới nâng cao", "Xã nông thôn mới nâng cao"),   # no verb after "xã": the measured thing
    ("xã đạt chuẩn nông thôn mới", "xã đạt chuẩn nông thôn mới"),   # a linking verb keeps the subject
    ("lao động nông nghiệp", "lao động nông nghiệp"),        # no doer at all
])
def test_without_agent(phrase, expected):
    assert without_agent(phrase) == expected


def test_verb_at_counts_syllables_of_multi_syllable_words():
    assert pos.verb_at("xã đã huy động vốn", 2)           # "huy động" starts at the third syllable
    assert not pos.verb_at("xã đã huy động vốn", 0)       # "xã" is a noun


def test_first_is_verb():
    assert pos.first_is_verb("kết nạp đảng viên")
    assert not pos.first_is_verb("đảng viên mới")
