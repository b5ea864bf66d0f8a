"""underthesea's part-of-speech tags where a phrase rule needs them: whether the word after
an agent ("xã", "Đảng bộ xã …") is a verb ("xã đã huy động …" names the doer, not what is
measured; "Xã nông thôn mới nâng cao chiếm …" names the measured thing). Asked only for
the few clauses that open with an agent noun, and cached."""
from __future__ import annotations

import re
from functools import lru_cache

# underthesea's own template syntax ("T[-1,0][1].lower"), parsed as its tagged_feature does
_SYNTAX = re.compile(
    r"T\[(?P<index1>\-?\d+)(\,(?P<index2>\-?\d+))?\](\[(?P<column>.*)\])?(\.(?P<function>.*))?")


@lru_cache(maxsize=4096)
def tags(text: str) -> tuple[tuple[str, str], ...]:
    """(word, tag) pairs of text by underthesea (V verb, N noun, R adverb, …)."""
    if not text.strip():
        return ()
    tagger = _tagger()
    if tagger is None:
        from underthesea import pos_tag  # loaded on first use, with the word segmenter
        return tuple((w, t) for w, t in pos_tag(text))
    return tagger(text)


@lru_cache(maxsize=1)
def _tagger():
    """underthesea.pos_tag with its features built from templates parsed once: its own
    code re-parses every template for every word and copies the sentence's columns each
    time, which is most of its cost. Same model, same templates, same feature functions,
    so the same tags; None when this underthesea does not have those internals."""
    try:
        from underthesea import word_tokenize
        from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor
        from underthesea.pipeline.pos_tag.tagged_feature import apply_function
        predictor = CRFPOSTagPredictor.Instance()
        model, template = predictor.model, list(predictor.transformer.template)
        compiled = [_compile(syntax) for syntax in template]
    except (ImportError, AttributeError, TypeError, ValueError):
        return None
    if None in compiled or not callable(getattr(model, "tag", None)):
        return None

    def tag(text: str) -> tuple[tuple[str, str], ...]:
        words = word_tokenize(text)
        return tuple(zip(words, model.tag(features(words, compiled, apply_function))))
    return tag


def _compile(syntax: str):
    """(prefix, column, index1, index2, function) of one template, as tagged_feature reads it."""
    matched = _SYNTAX.match(syntax)
    if matched is None:
        return None
    column = int(matched.group("column")) if matched.group("column") else 0
    index2 = matched.group("index2")
    return (f"{syntax}=", column, int(matched.group("index1")),
            int(index2) if index2 else None, matched.group("function"))


def features(words, compiled, apply) -> list[list[str]]:
    """Each word's feature strings, as underthesea's template2features builds them for the
    rows (word, "X") its predictor tags: BOS/EOS past the ends, joined spans, the named
    function applied through its own apply_function."""
    n = len(words)
    columns = (list(words), ["X"] * n)
    applied: dict[tuple[str, str], str] = {}    # a word's function, asked by several templates
    out = []
    for i in range(n):
        row = []
        for prefix, column, index1, index2, func in compiled:
            if i + index1 < 0:
                row.append(prefix + "BOS")
                continue
            if i + index1 >= n or (index2 is not None and i + index2 >= n):
                row.append(prefix + "EOS")
                continue
            cells = columns[column]
            word = (" ".join(cells[i + index1:i + index2 + 1]) if index2 is not None
                    else cells[i + index1])
            if func is not None:
                key = (func, word)
                if key not in applied:
                    applied[key] = f"{apply(func, word)}"
                word = applied[key]
            row.append(prefix + word)
        out.append(row)
    return out


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
