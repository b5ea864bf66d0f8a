"""Split a block's text into sentences, keeping offsets into the block text.

A sentence ends after . ! ? … or ... (plus closing quotes or brackets) when white space
and then an upper-case letter, a digit, an opening quote or "(" follow. A paragraph's
leading list number ("1.", "(1).") is not a sentence of its own.
"""
from __future__ import annotations

import re

_LIST_MARKER = re.compile(r"^\s*(?:\(?\d{1,2}\)?|[IVXLC]+|[a-zđ])\s*[.)](?!\d)\s*(?:[.:]\s*)?")
_WS = re.compile(r"\s+")
# "(?:\.\.\.|[.!?…])[”\"')\]]*" led by its class: sre then passes over the text between
# ends in one tight loop instead of trying the pattern at every character. Only an end
# with white space after it can close a sentence: the lookahead drops the "." inside
# numbers ("1.200") in C (the closers are no space, so it holds only at the greedy end:
# the ends followed by white space are the same)
_END = re.compile(r"[.!?…](?:(?<=\.)\.\.)?[”\"')\]]*(?=\s)")
# _END with the first character after its white space in group 1, read in the same match
# (a lookahead that fails leaves no end: the ends it keeps are _END's)
_BREAK = re.compile(_END.pattern[:-len(r"(?=\s)")] + r"(?=\s+(.))")
_OPENERS = "“\"("


def split(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text, trimmed of surrounding white space."""
    spans = []
    start = 0
    marker = _LIST_MARKER.match(text)
    skip_until = marker.end() if marker else 0
    for m in _BREAK.finditer(text):
        nxt = m.group(1)            # a sentence starts upper-case, with a digit or an opener
        if m.end() <= skip_until or not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:          # trimmed of white space (str.isspace, as strip does)
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def collapse(text: str) -> str:
    """White space (NBSP, line breaks, tabs) collapsed to single spaces, trimmed: what
    _WS.sub(" ", text).strip() gives (re's \\s is str.isspace), without a replacement
    for every single space."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text   # only " " is white space and printable: nothing to collapse (the common case)
    return " ".join(text.split())


def collapse_with_map(text: str, s0: int, s1: int) -> tuple[str, list[int]]:
    """collapse(text[s0:s1]) and, for each offset s0..s1 of text, its offset in it."""
    out, offsets = [], []
    pending_space = False
    for ch in text[s0:s1]:
        if ch.isspace():
            pending_space = bool(out)
            offsets.append(len(out) + (1 if pending_space else 0))
            continue
        if pending_space:
            out.append(" ")
            pending_space = False
        offsets.append(len(out))
        out.append(ch)
    offsets.append(len(out))
    return "".join(out), offsets
