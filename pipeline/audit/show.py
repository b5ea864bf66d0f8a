"""A spaCy view of the sentences that hold figures, for people to look at.

Each sentence becomes a spaCy Doc built from underthesea's words (so "nhà màng" is one
token), with the figures in doc.spans["figures"] (labelled by unit), the numbers that
are not rows in doc.spans["excluded"] (labelled by reason) and the cue words of rules/
(qualifiers, changes, kind cues) found by a spaCy Matcher in doc.spans["cues"].
displaCy renders them: `chiso show FILE.docx`.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy import displacy
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from pipeline import registry as rules
from pipeline.find.sentences import collapse_with_map


@lru_cache(maxsize=1)
def _nlp():
    return spacy.blank("xx")


@lru_cache(maxsize=1)
def cue_matcher() -> Matcher:
    """Token patterns for every cue phrase, as one token (underthesea joins syllables
    of a word) or as one token per syllable."""
    q = rules.load("qualifiers")
    c = rules.load("changes")
    t = rules.load("targets")
    groups = {
        "QUALIFIER": [w for r in q["rules"] for w in r.get("before", []) + r.get("after", []) if w[0].isalpha()],
        "CHANGE": c["increase"] + c["decrease"],
        "LEVEL": c["level_after"],
        "TARGET": t["target_cues"],
    }
    matcher = Matcher(_nlp().vocab)
    for label, phrases in groups.items():
        patterns = []
        for p in set(phrases):
            patterns.append([{"LOWER": p.lower()}])
            if " " in p:
                patterns.append([{"LOWER": w} for w in p.lower().split()])
        matcher.add(label, patterns)
    return matcher


def _words(text: str) -> tuple[list[str], list[bool]]:
    """underthesea's words of text, with spaCy's `spaces` so that doc.text == text."""
    from underthesea import word_tokenize
    words, spaces = [], []
    pos = 0
    for token in word_tokenize(text):
        start = text.find(token, pos)
        if start < 0:           # underthesea normalised something: fall back to the raw syllables
            continue
        if start > pos and text[pos:start].strip():
            for piece in text[pos:start].split():
                words.append(piece)
                spaces.append(True)
        words.append(token)
        pos = start + len(token)
        spaces.append(pos < len(text) and text[pos] == " ")
        while pos < len(text) and text[pos] == " ":
            pos += 1
    rest = text[pos:].split()
    words += rest
    spaces += [True] * len(rest)
    if spaces:
        spaces[-1] = False
    return words, spaces


def sentence_doc(text: str, s0: int, s1: int, figures=(), excluded=()) -> Doc:
    """A Doc of the sentence text[s0:s1] (white space collapsed); figures and excluded
    are (start, end, label) with offsets in text."""
    sentence, where = collapse_with_map(text, s0, s1)
    words, spaces = _words(sentence)
    doc = Doc(_nlp().vocab, words=words, spaces=spaces)

    def spans(items):
        out = []
        for a, b, label in items:
            if s0 <= a < b <= s1:
                span = doc.char_span(where[a - s0], where[b - s0], label=label, alignment_mode="expand")
                if span is not None:
                    out.append(span)
        return out
    doc.spans["figures"] = spans(figures)
    doc.spans["excluded"] = spans(excluded)
    strings = _nlp().vocab.strings
    doc.spans["cues"] = [Span(doc, s, e, label=strings[i]) for i, s, e in cue_matcher()(doc)]
    return doc


def render(docs: list[Doc], key: str = "figures") -> str:
    """One HTML page (displaCy's span view) of the docs."""
    return displacy.render(docs, style="span", options={"spans_key": key}, page=True)


def document_view(document, key: str = "figures") -> str:
    """The page of every sentence of a processed document that holds a span of `key`."""
    docs = []
    for s in document.sentences:
        text = document.blocks[s.block].text
        doc = sentence_doc(text, s.start, s.end, [(f.start, f.end, f.unit) for f in s.figures],
                           [(x.start, x.end, x.reason) for x in s.excluded])
        if doc.spans[key]:
            docs.append(doc)
    return render(docs, key=key)
