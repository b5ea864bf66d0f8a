"""The elements of a large XML part found by a scan of its bytes, each parsed when first
asked for: a template's styles.xml holds hundreds of styles (350 kB) of which a report
uses a handful, and parsing all of it costs more than the whole body.

The scan is taken only when the part is plainly written: UTF-8, no comments, CDATA,
DOCTYPE or processing instructions, every namespace declared on the root, the
WordprocessingML namespace bound once to the prefix "w", and attribute values with no
entity or white-space character to normalize. Otherwise `split` returns None and the
caller parses the whole part. An element found to hold another of its tag when it is
parsed is taken from a parse of the whole part instead: the same element either way.
"""
from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from pipeline.read.wordml import W, WNS

_DECL = re.compile(rb"\s*<\?xml\s[^?>]*\?>\s*")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_ATTRS = rb"""((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/)?>"""
_ATTR = re.compile(rb"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_NEEDS_DECODING = re.compile(rb"[&\t\n\r]")


@lru_cache(maxsize=None)
def _tag_res(tag: bytes) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """(its start tag with the attributes, any start of it, its end tag)."""
    return (re.compile(rb"<w:" + tag + _ATTRS), re.compile(rb"<w:" + tag + rb"[\s/>]"),
            re.compile(rb"</w:" + tag + rb"\s*>"))


class _Whole:
    """The whole part, parsed once if some fragment cannot be parsed on its own."""

    def __init__(self, data: bytes, parser):
        self.data, self.parser, self.root = data, parser, None

    def get(self):
        if self.root is None:
            self.root = etree.fromstring(self.data, self.parser)
        return self.root


class Fragment:
    """One element of the part: its attributes (from its start tag), parsed when asked."""

    __slots__ = ("attrs", "_tag", "_m", "_wrap", "_whole", "_index", "_el")

    def __init__(self, attrs: dict, m: re.Match, tag: bytes, wrap, whole: _Whole, index: int | None):
        """index: the element's place among root.iter(its tag); None: root.find(its tag)."""
        self.attrs, self._m, self._tag, self._wrap, self._whole, self._index = attrs, m, tag, wrap, whole, index
        self._el = None

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def element(self):
        if self._el is None:
            data = self._whole.data
            end = self._m.end()
            if not self._m.group(2):
                _start, opener, closer = _tag_res(self._tag)
                close = closer.search(data, end)
                nested = close is None or opener.search(data, end, close.start()) is not None
                end = None if nested else close.end()
            if end is None:             # nested in itself: the whole part decides
                root, qname = self._whole.get(), W + self._tag.decode()
                self._el = root.find(qname) if self._index is None else list(root.iter(qname))[self._index]
            else:
                frag = self._wrap[0] + data[self._m.start():end] + self._wrap[1]
                self._el = etree.fromstring(frag, self._whole.parser)[0]
        return self._el


def _attrs(raw: bytes) -> dict | None:
    """{Clark name: value} of the w: attributes of a start tag; None when a value would
    need the parser's decoding (entities, white space normalized)."""
    out = {}
    unsure = b"&" in raw or b"\t" in raw or b"\n" in raw or b"\r" in raw
    for name, v1, v2 in _ATTR.findall(raw):
        value = v1 or v2
        if unsure and _NEEDS_DECODING.search(value):
            return None
        if name.startswith(b"w:"):
            out[W + name[2:].decode("ascii", "replace")] = value.decode("utf-8")
    return out


def _has(data: bytes, second: bytes, pos: int = 0) -> bool:
    """Whether "<" + second occurs from pos on (found by the rare second byte)."""
    at = data.find(second, pos)
    while at != -1:
        if at > 0 and data[at - 1:at] == b"<":
            return True
        at = data.find(second, at + 1)
    return False


def _root(data: bytes, root: bytes):
    """(start tag of the root, where it ends) when the part is plain enough; else None."""
    if _has(data, b"!"):
        return None             # comments, CDATA, DOCTYPE
    pos = 0
    decl = _DECL.match(data)
    if decl:
        enc = _ENCODING.search(decl.group())
        if enc and enc.group(1).lower() not in (b"utf-8", b"utf8"):
            return None
        pos = decl.end()
    if _has(data, b"?", pos):
        return None             # processing instructions
    m = re.compile(rb"\s*(<w:" + root + _ATTRS + rb")").match(data, pos)
    if m is None or m.group(3):
        return None
    head = m.group(1)
    ns = WNS.encode()
    if data.count(b"xmlns") != head.count(b"xmlns") or data.count(ns) != 1 or \
            not re.search(rb"""\sxmlns:w\s*=\s*(["'])""" + re.escape(ns) + rb"\1", head):
        return None
    return head, m.end()


def _all(data: bytes, pos: int, tag: bytes, wrap, whole: _Whole) -> list | None:
    """Fragments of every <w:tag> element from pos on, in document order (root.iter's);
    None when a start of one is not plainly written."""
    start, opener, _closer = _tag_res(tag)
    found = list(start.finditer(data, pos))
    if len(opener.findall(data, pos)) != len(found):
        return None
    raws = [m.group(1) for m in found]
    joined = b"".join(raws)
    if b"&" in joined or b"\t" in joined or b"\n" in joined or b"\r" in joined:
        attrs = [_attrs(raw) for raw in raws]
        if None in attrs:
            return None
    else:                            # (the common case, in one pass)
        attrs = [{W + n[2:].decode("ascii", "replace"): (v1 or v2).decode("utf-8")
                  for n, v1, v2 in _ATTR.findall(raw) if n[:2] == b"w:"} for raw in raws]
    return [Fragment(a, m, tag, wrap, whole, i) for i, (a, m) in enumerate(zip(attrs, found))]


def _first_child(data: bytes, body: int, tag: bytes, wrap, whole: _Whole):
    """The Fragment of the root's first child when it is the only <w:tag>; None when there
    is no <w:tag>; False when unsure."""
    at = data.find(b"<w:" + tag, body)
    if at == -1:
        return None
    m = _tag_res(tag)[0].match(data, at)
    if m is None or data[body:at].strip() or data.find(b"<w:" + tag, m.end()) != -1:
        return False
    attrs = _attrs(m.group(1))
    if attrs is None:
        return False
    return Fragment(attrs, m, tag, wrap, whole, None)


def split(data: bytes, parser, root: str, tag: str, first: str | None = None):
    """(the first child `first` as a Fragment or None, [Fragment of every <w:tag> element,
    in document order]); None when the part is not plain enough to scan."""
    found = _root(data, root.encode())
    if found is None:
        return None
    head, body = found
    wrap, whole = (head, b"</w:" + root.encode() + b">"), _Whole(data, parser)
    lead = None
    if first is not None:
        lead = _first_child(data, body, first.encode(), wrap, whole)
        if lead is False:
            return None
    out = _all(data, body, tag.encode(), wrap, whole)
    return None if out is None else (lead, out)
