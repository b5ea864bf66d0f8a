"""Find the figures of one sentence: a number with its unit or counted noun.

Every number of the sentence ends up either as a Figure or as an Excluded span with
the reason it is not a row (date, document number, year, list number …), so that an
auditor can see why. Offsets are offsets in the block text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pipeline.model import Excluded, Figure

from pipeline.find import lexicon as lx, regions
from pipeline.find.numbers import NUMBER, parse_digits, parse_words

NUM_AT = re.compile(NUMBER)
NUMBER_TOKEN = re.compile(r"(?<![\d.,])(?:%s)(?![\d])" % NUMBER)
RATIO = re.compile(r"/(?P<den>%s)(?![\d/])" % NUMBER)
WRITTEN_RATIO = re.compile(r"\s+(?:trong|trên)\s+(?:tổng\s+)?(?:số\s+)(?P<den>%s)(?![\d])" % NUMBER, re.IGNORECASE)
RANGE = re.compile(r"\s*(?:-|–|—|đến|tới)\s*(?P<high>%s)(?![\d/])" % NUMBER, re.IGNORECASE)
LIST_MARKER = re.compile(r"^\s*\(?(?P<n>\d{1,2})\)?\s*[.)](?!\d)\s*(?:[.:]\s*)?(?=\S)")
WORD_NUMBER = re.compile(
    r"(?<![^\W_])(?:một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín|mười)"
    r"(?:\s+(?:mươi|mười|trăm|nghìn|ngàn|linh|lẻ|một|mốt|hai|ba|bốn|tư|năm|lăm|sáu|bảy|tám|chín))*(?![^\W_])",
    re.IGNORECASE)
TIME_NOUNS = {"năm", "tháng", "ngày"}
# "hằng năm hộ …", "cả năm tổng …": the word is no number after these
NOT_A_NUMBER_WORD = re.compile(r"(?<![^\W_])(?:hằng|hàng|mỗi|cả|các|những|qua|trong|từng|nhiều|vài|mấy|thứ|"
                               r"chi bộ|năm)\s+$", re.IGNORECASE)
MULTIPLIER_BEFORE = re.compile(r"(?<![^\W_])(?:gấp|tăng|giảm|bằng|hơn)\s+(?:[^\W\d_]+\s+)?$", re.IGNORECASE)


_DIGITS = re.compile(r"\d+")
# a number in digits starts at a digit with no digit, "." or "," before it: at the head of
# a run of digits, so only those heads need trying
_AT_RUN_HEADS = regions.starts_with_digit(NUMBER_TOKEN) and NUMBER_TOKEN.pattern.startswith(r"(?<![\d.,])")


def _number_tokens(text: str, s0: int, s1: int) -> list[tuple[int, int, bool]]:
    """NUMBER_TOKEN.finditer(text, s0, s1) as (start, end, False), trying only the heads
    of runs of digits."""
    if not _AT_RUN_HEADS:
        return [(m.start(), m.end(), False) for m in NUMBER_TOKEN.finditer(text, s0, s1)]
    out = []
    pos = s0
    while True:
        run = _DIGITS.search(text, pos, s1)
        if run is None:
            return out
        m = NUMBER_TOKEN.match(text, run.start(), s1)
        if m:
            out.append((m.start(), m.end(), False))
            pos = m.end()
        else:
            pos = run.end()


def _excluded_spans(text: str, s0: int, s1: int, near=None) -> list[tuple[int, int, str]]:
    """The spans the exclusion rules mark in text[s0:s1], in rule order. With near (the
    (start, end) of the sentence's numbers), only those that may overlap one of them:
    each rule is run only between the clause marks around a number (find/regions.py)."""
    spans = []
    sentence = text[s0:s1]
    if near is not None:
        near = [(a - s0, b - s0) for a, b in near]
        memo: dict = {}
    for name, reason, pattern in lx.exclusions():
        if near is None:
            found = pattern.finditer(sentence)
        else:
            found = regions.finditer_near(pattern, sentence, near, memo)
        new = [(m.start(), m.end()) for m in found if m.end() > m.start()]
        spans.extend((s0 + a, s0 + b, reason) for a, b in new)
        if near is not None and new:
            # a number an earlier rule excludes keeps that rule's reason: later rules need not look
            near = [(a, b) for a, b in near if not any(x0 < b and a < x1 for x0, x1 in new)]
            if not near:
                break
    return spans


def _unit_at(text: str, pos: int, end: int):
    """(unit rule, word, end) of a unit written at pos, else None."""
    m = lx.unit_pattern().match(text, pos, end)
    if not m:
        return None
    word = m.group("unit")
    rest = text[m.end():m.end() + 6]
    if word.lower() == "đồng" and re.match(r"\s+chí", rest, re.IGNORECASE):
        return None  # "đồng chí" is a person
    if word.lower() == "m" and re.match(r"\s*(?:ới|ặt)", rest):
        return None
    return lx.unit_by_word()[word.lower()], word, m.end()


def _per_at(text: str, pos: int, end: int):
    m = lx.per_pattern().match(text, pos, end)
    return (m.group("per").lower().replace(" ", ""), m.end()) if m else ("", pos)


def counted_noun_at(text: str, pos: int, end: int, segmenter=None):
    """(noun as written, end) of the noun a number counts, starting at pos; else None."""
    for pattern in (lx.noun_pattern(), lx.classifier_pattern()):
        m = pattern.match(text, pos, end)
        if m:
            best = m
            # a classifier joins the noun after it: "căn nhà", "tuyến đường"
            if pattern is lx.noun_pattern():
                c = lx.classifier_pattern().match(text, pos, end)
                if c and c.end() > m.end() and m.group("noun").lower() in lx.counted()["classifiers"]:
                    best = c
            noun = best.group("noun")
            if noun.split()[-1].lower() in lx.not_nouns():
                noun = noun.rsplit(None, 1)[0] if " " in noun else ""
                if not noun:
                    continue
            return noun, pos + len(text[pos:best.end()]) - len(text[pos:best.end()].lstrip()) + len(noun)
    if segmenter is None:
        return None
    m = re.match(r"\s*(%s+)" % lx.LETTER, text[pos:end])
    if not m or m.group(1).lower() in lx.not_nouns() or lx.unit_pattern().match(text, pos, end):
        return None
    word = segmenter(text[pos:end])
    if not word or word.lower() in lx.not_nouns() or not re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", word):
        return None
    if word[0].isupper() and not text[pos:end].lstrip().startswith(word):
        return None
    if word[0].isupper() and word.isupper():
        return None  # an abbreviation or a name, not a noun
    start = pos + len(text[pos:end]) - len(text[pos:end].lstrip())
    return word, start + len(word)


@lru_cache(maxsize=1)
def _digit_or_unit() -> re.Pattern:
    return re.compile(r"\s*(?:\d|%s)" % lx.alternation(lx.units_words()), re.IGNORECASE)


def _noun_list(text: str, pos: int, end: int, noun: str):
    """Extend a counted noun over nouns that share its number: "công ty, doanh nghiệp tư nhân"."""
    while True:
        m = re.match(r"\s*(?:,|và|hoặc)\s*", text[pos:end])
        if not m:
            return noun, pos
        nxt = lx.noun_pattern().match(text, pos + m.end(), end)
        if not nxt:
            return noun, pos
        after = text[nxt.end():nxt.end() + 12]
        if _digit_or_unit().match(after):
            return noun, pos
        tail = re.match(r"\s+(tư nhân|nhà nước)(?![^\W_])", text[nxt.end():end])
        new_end = nxt.end() + (tail.end() if tail else 0)
        noun = noun + text[pos:new_end]
        pos = new_end


def find_figures(text: str, s0: int, s1: int, *, block_start: bool, segmenter=None,
                 allow_bare: bool = False):
    """Figures and excluded numbers of the sentence text[s0:s1]."""
    figures: list[Figure] = []
    excluded: list[Excluded] = []
    tokens = _number_tokens(text, s0, s1)
    tokens += [(m.start(), m.end(), True) for m in regions.quick(WORD_NUMBER).finditer(text, s0, s1)]
    if not tokens:
        return figures, excluded
    tokens.sort()
    digits = [(a, b) for a, b, in_words in tokens if not in_words]
    spans = _excluded_spans(text, s0, s1, near=digits) if digits else []
    consumed_until = s0

    def excluded_by(a, b, spans=spans):
        for x0, x1, reason in spans:
            if x0 < b and a < x1:
                return reason
        return None

    marker = LIST_MARKER.match(text, s0, s1) if block_start else None
    for a, b, in_words in tokens:
        if a < consumed_until:
            continue
        if marker and a == text.index(marker.group("n"), s0) and not in_words:
            excluded.append(Excluded(a, b, "đánh số ý"))
            continue
        if in_words:
            # a number in words leaves no trace unless it reads as a figure: only then
            # do the exclusions (looked for around it alone) decide
            found = _read_figure(text, a, b, s1, in_words, segmenter, allow_bare)
            if isinstance(found, str) or excluded_by(a, b, _excluded_spans(text, s0, s1, near=[(a, b)])):
                continue
        else:
            reason = excluded_by(a, b)
            if reason:
                excluded.append(Excluded(a, b, reason))
                continue
            found = _read_figure(text, a, b, s1, in_words, segmenter, allow_bare)
            if isinstance(found, str):
                excluded.append(Excluded(a, b, found))
                continue
        figures.extend(found)
        consumed_until = max(f.end for f in found)
    return figures, excluded


def _read_figure(text, a, b, s1, in_words, segmenter, allow_bare):
    """The figure(s) whose number is text[a:b], or a reason string when it is none."""
    glued = a > 0 and text[a - 1].isalpha()
    if in_words:
        value = parse_words(text[a:b])
        if value is None or NOT_A_NUMBER_WORD.search(text[max(0, a - 12):a]):
            return "không nhận dạng được"
        segmenter = None  # a number in words counts only nouns that rules/counted.yaml knows
    else:
        value = parse_digits(text[a:b])
    pos = b
    denominator = None
    high = None
    if not in_words:
        m = RATIO.match(text, pos, s1) or WRITTEN_RATIO.match(text, pos, s1)
        if m:
            denominator = parse_digits(m.group("den"))
            pos = m.end()
        else:
            m = RANGE.match(text, pos, s1)
            if m and not text[m.end():m.end() + 1] in ("/",):
                high = parse_digits(m.group("high"))
                pos = m.end()
    scale = 1.0
    mag = lx.magnitude_pattern().match(text, pos, s1)
    if mag and not in_words:
        from pipeline.find.numbers import magnitudes
        scale = magnitudes()[mag.group("mag").lower()]
        pos = mag.end()
        # "2 tỷ 150 triệu đồng": magnitudes add up
        more = re.match(r"\s*(%s)" % NUMBER, text[pos:s1])
        if more:
            mag2 = lx.magnitude_pattern().match(text, pos + more.end(), s1)
            if mag2 and magnitudes()[mag2.group("mag").lower()] < scale:
                value = value * scale + parse_digits(more.group(1)) * magnitudes()[mag2.group("mag").lower()]
                scale = 1.0
                pos = mag2.end()
    unit = _unit_at(text, pos, s1)
    counted = ""
    if unit is not None:
        rule, _word, pos = unit
        if in_words and rule["unit"] != "times":
            return "không nhận dạng được"
        unit_name, factor = rule["unit"], float(rule["factor"])
        if unit_name == "times" and not MULTIPLIER_BEFORE.search(text[max(0, a - 20):a]):
            unit_name, counted = "count", _word   # "Mỗi năm 2 lần": a frequency, not a multiplier
        if high is None and denominator is None and not in_words:
            # "10% - 15%": a range with the unit on both ends
            m = RANGE.match(text, pos, s1)
            if m:
                u2 = _unit_at(text, m.end(), s1)
                if u2 and u2[0] is rule:
                    high = parse_digits(m.group("high"))
                    pos = u2[2]
        per, pos = _per_at(text, pos, s1)
    else:
        if glued:
            return "tên riêng có số"
        noun = counted_noun_at(text, pos, s1, segmenter)
        if noun is None and scale > 1 and mag and mag.group("mag").lower() in ("triệu", "tỷ", "tỉ"):
            unit_name, factor, per = "VND", 1.0, ""   # "30 triệu": money
            per, pos = _per_at(text, pos, s1)
        elif noun is None:
            if in_words:
                return "không nhận dạng được"
            label = _label_before(text, a)
            if label is None and not allow_bare:
                if denominator is not None and value <= 31 and denominator <= 12:
                    return "ngày tháng"
                return "không nhận dạng được"
            unit_name, factor, per = "count", 1.0, ""
            if label is not None:
                return [Figure(a, pos if denominator is not None else b, a, b, value * scale, "count",
                               _label_noun(label), denominator=denominator, label=label)]
        else:
            word, pos = noun
            if in_words and word.lower() in TIME_NOUNS:
                return "không nhận dạng được"
            counted, pos = _noun_list(text, pos, s1, word)
            unit_name, factor = "count", 1.0
            per, pos = _per_at(text, pos, s1)
    if glued and unit_name == "count":
        return "tên riêng có số"
    after = ""
    m = re.match(r"\s*(trở lên|trở xuống)(?![^\W_])", text[pos:s1], re.IGNORECASE)
    if m:
        after = ">=" if m.group(1).lower() == "trở lên" else "<="
    k = factor * scale
    value, high = round(value * k, 9), (round(high * k, 9) if high is not None else None)
    denominator = round(denominator * k, 9) if denominator is not None else None
    counted_norm = counted.lower() if unit_name == "count" else ""
    if high is not None:
        low_end = a
        hm = RANGE.match(text, b, s1)
        h0 = hm.start("high") if hm else b
        return [Figure(low_end, pos, a, b, value, unit_name, counted_norm, None, per, "low", "", after),
                Figure(low_end, pos, h0, h0 + len(hm.group("high")) if hm else b, high, unit_name,
                       counted_norm, None, per, "high", "", after)]
    return [Figure(a, pos, a, b, value, unit_name, counted_norm, denominator, per, "", "", after, in_words)]


LABEL = re.compile(r"(?P<label>[^\W\d_][^:;,()]{0,40}?)\s*:\s*$")


def _label_before(text: str, a: int):
    """'Hội viên PN' in 'Hội viên PN: 1.783' (a label, a colon, then the number)."""
    m = LABEL.search(text[max(0, a - 45):a])
    if not m:
        return None
    label = m.group("label").strip()
    return label if len(label.split()) <= 6 else None


def _label_noun(label: str) -> str:
    m = lx.noun_pattern().match(label)
    return (m.group("noun") if m else label.split()[0]).lower()
