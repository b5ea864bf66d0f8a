"""underthesea's part-of-speech tags where a phrase rule needs them: whether the word after
an agent ("xã", "Đảng bộ xã …") is a verb ("xã đã huy động …" names the doer, not what is
measured; "Xã nông thôn mới nâng cao chiếm …" names the measured thing). Asked only for
the few clauses that open with an agent noun, and cached."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def tags(text: str) -> tuple[tuple[str, str], ...]:
    """(word, tag) pairs of text by underthesea (V verb, N noun, R adverb, …)."""
    from underthesea import pos_tag  # loaded on first use, with the word segmenter
    return tuple((w, t) for w, t in pos_tag(text)) if text.strip() else ()


def verb_at(text: str, k: int) -> bool:
    """Is the word that holds the k-th syllable of text (0-based) a verb, tagged in its
    sentence? Only the first k + 4 syllables are tagged."""
    syllables = text.split()
    count = 0
    for word, tag in tags(" ".join(syllables[:k + 4])):
        count += len(word.split())
        if count > k:
            return tag == "V"
    return False


def first_is_verb(text: str) -> bool:
    """Does text open with a verb, tagged on its own (a name glued to the verb in its
    sentence, "Quế An kết nạp", is not)? Only its first 4 syllables are tagged."""
    found = tags(" ".join(text.split()[:4]))
    return bool(found) and found[0][1] == "V"
