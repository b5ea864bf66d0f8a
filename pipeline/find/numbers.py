"""Vietnamese numbers: digit strings, magnitude words and numbers written in words."""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline import registry as rules

# A number as written in digits. Order matters: grouped thousands first, by "." or, as
# statistics offices print them, by a space (also no-break, narrow no-break or thin):
# "184 320"; a group after a space is exactly three digits ("12 15" is two numbers).
GROUP_SPACE = "[ \u00a0\u202f\u2009]"
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:%s\d{3})+(?!\d)(?:,\d+)?|\d+,\d+|\d+\.\d{1,2}(?![\d.])|\d+" \
    % GROUP_SPACE
# NUMBER after its first digit, alternative by alternative (\d{1,3} is \d then \d{0,2},
# \d+ is \d then \d*): "\d(?:NUMBER_REST)" matches as NUMBER does, and a pattern led by
# that lone \d lets sre pass over the text to a digit in one tight loop
NUMBER_REST = r"\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d{0,2}(?:%s\d{3})+(?!\d)(?:,\d+)?|\d*,\d+|\d*\.\d{1,2}(?![\d.])|\d*" \
    % GROUP_SPACE
NUMBER_RE = re.compile(NUMBER)
_GROUP_SPACE_RE = re.compile(GROUP_SPACE)
_DECIMAL_POINT = re.compile(r"\d+\.\d{1,2}")


@lru_cache(maxsize=1)
def _spec():
    return rules.load("numbers")


def magnitudes() -> dict[str, int]:
    return _spec()["magnitudes"]


def parse_digits(text: str) -> float:
    """'6.053.000.000' → 6053000000, '8,58' → 8.58, '12.5' → 12.5, '08' → 8."""
    if text.isdigit():
        return float(text)      # what the steps below give a plain run of digits, without them
    s = _GROUP_SPACE_RE.sub("", text.strip())
    if "," in s:
        whole, frac = s.split(",", 1)
        return float(whole.replace(".", "") + "." + frac)
    if _DECIMAL_POINT.fullmatch(s):
        return float(s)
    return float(s.replace(".", ""))


def parse_words(text: str) -> int | None:
    """'hai mươi lăm' → 25, 'một trăm linh năm' → 105, 'Ba' → 3; None if not a number."""
    spec = _spec()
    digits, mags = spec["digits"], spec["magnitudes"]
    total, group, current = 0, 0, None
    words = text.lower().split()
    if not words:
        return None
    for i, w in enumerate(words):
        if w in digits:
            if i == 0 and w in spec["not_first"]:
                return None
            if current is not None and current % 10 != 0:
                return None  # "hai ba": not one number
            current = (current or 0) + digits[w]
        elif w == spec["ten"]:
            current = (current or 0) + 10
        elif w == spec["tens"]:
            if current is None:
                return None
            current *= 10
        elif w == spec["hundred"]:
            group += (current if current is not None else 1) * 100
            current = None
        elif w in spec["zero_filler"]:
            continue
        elif w in mags:
            total += (group + (current or 0) or 1) * mags[w]
            group, current = 0, None
        else:
            return None
    return total + group + (current or 0)


def parse_number(text: str) -> float | None:
    """Digits or words, with magnitude words that add up: '2 tỷ 150 triệu' → 2.15e9."""
    mags = magnitudes()
    parts = re.findall(NUMBER + r"|[^\W\d_]+", text)
    if not parts:
        return None
    if not parts[0][0].isdigit():
        return parse_words(text)
    total, current = 0.0, None
    for p in parts:
        if p[0].isdigit():
            if current is not None:
                return None
            current = parse_digits(p)
        elif p.lower() in mags:
            if current is None:
                return None
            total += current * mags[p.lower()]
            current = None
        else:
            return None
    return total + (current or 0.0)


def format_vi(value: float, decimals: int = 0) -> str:
    """Vietnamese formatting (the inverse of parse_digits): 6053000000 → '6.053.000.000'."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
