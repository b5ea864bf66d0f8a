"""underthesea where it earns its place: the first word of a span (Vietnamese words are
often several syllables: "nhà màng", "ngày công"), asked only for numbers whose counted
noun is not in rules/counted.yaml, and cached."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def first_word(text: str) -> str:
    """The first word of text by underthesea's word segmentation ("" if none)."""
    from underthesea import word_tokenize  # loaded on first use: ~1 s
    words = text.split()[:6]
    if not words:
        return ""
    tokens = word_tokenize(" ".join(words))
    return tokens[0] if tokens else ""
