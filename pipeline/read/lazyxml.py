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

    __slots__ = ("_attrs", "_tag", "_start", "_end", "_closed", "_wrap", "_whole", "_index", "_el")

    def __init__(self, attrs: dict | bytes, start_tag: tuple, tag: bytes, wrap, whole: _Whole, index: int | None):
        """attrs: the w: attributes, or the attributes as written in canonical form (see
        _CANONICAL_TAGS), read when first asked for; start_tag: (where it starts, where it ends,
        whether it closes the element: "…/>"); index: the element's place among
        root.iter(its tag); None: root.find(its tag)."""
        self._attrs, self._tag, self._wrap, self._whole, self._index = attrs, tag, wrap, whole, index
        self._start, self._end, self._closed = start_tag
        self._el = None

    @property
    def attrs(self) -> dict:
        if isinstance(self._attrs, bytes):
            self._attrs = _canonical_attrs(self._attrs)
        return self._attrs

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def values(self, names: tuple) -> list:
        """[attrs.get(name) for name in names], without decoding the attributes not asked
        for when the start tag is canonical and ASCII (no decoding error to keep)."""
        raw = self._attrs
        if isinstance(raw, bytes) and raw.isascii():
            return _canonical_values(raw, _wanted(names), len(names))
        attrs = self.attrs
        return [attrs.get(name) for name in names]

    def element(self):
        if self._el is None:
            data = self._whole.data
            end = self._end
            if not self._closed:
                _start, opener, closer = _tag_res(self._tag)
                close = closer.search(data, end)
                nested = close is None or opener.search(data, end, close.start()) is not None
                end = None if nested else close.end()
            if end is None:             # nested in itself: the whole part decides
                root, qname = self._whole.get(), W + self._tag.decode()
                self._el = root.find(qname) if self._index is None else list(root.iter(qname))[self._index]
            else:
                frag = self._wrap[0] + data[self._start:end] + self._wrap[1]
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
    # no "xmlns" but in the root's start tag, which binds WordprocessingML to "w" only (the
    # rest of a large part counted, not searched: bytes.count scans twice as fast as find)
    if data.find(b"xmlns", 0, m.start(1)) != -1 or data.count(b"xmlns", m.end()) or head.count(ns) != 1 or \
            not re.search(rb"""\sxmlns:w\s*=\s*(["'])""" + re.escape(ns) + rb"\1", head):
        return None
    return head, m.end()


# what may follow a tag's name in a start tag: white space (re's \s), "/" or ">"
_OPENERS_END = frozenset(bytes([c]) for c in b" \t\n\r\x0b\x0c/>")


def _start_tags(data: bytes, pos: int, tag: bytes) -> list | None:
    """The start-tag matches of every <w:tag> element from pos on, found by bytes.find (a
    regex search of the whole part costs ten times more); None when one is not plainly
    written."""
    start = _tag_res(tag)[0]
    needle = b"<w:" + tag
    after = len(needle)
    found = []
    end = pos                                        # where the last start tag ended
    at = data.find(needle, pos)
    while at != -1:
        if data[at + after:at + after + 1] in _OPENERS_END:   # not a longer name (<w:styles …)
            m = start.match(data, at) if at >= end else None  # (none inside another's tag)
            if m is None:
                return None
            found.append(m)
            end = m.end()
        at = data.find(needle, at + after)
    return found


def _all(data: bytes, pos: int, tag: bytes, wrap, whole: _Whole) -> "Fragments | None":
    """Fragments of every <w:tag> element from pos on, in document order (root.iter's);
    None when a start of one is not plainly written."""
    found = _canonical_start_tags(data, pos, tag)
    if found is not None:            # (the common case: attributes read when asked for)
        spans, attrs, joined = found
    else:                            # some start tag is not canonical: read each by the regex
        matches = _start_tags(data, pos, tag)
        if matches is None:
            return None
        spans, attrs, joined = [_span(m) for m in matches], _attr_dicts([m.group(1) for m in matches]), None
        if attrs is None:
            return None
    return Fragments(attrs, spans, tag, wrap, whole, joined)


class Fragments:
    """The Fragments of every element of a tag, each made when first asked for (a template
    holds hundreds of styles, a report asks for a few)."""

    def __init__(self, attrs: list, spans: list, tag: bytes, wrap, whole: _Whole, joined: bytes | None):
        """attrs, spans: each fragment's (see Fragment); joined: the canonical start tags'
        attributes, each followed by ">" (see _canonical_start_tags), or None."""
        self._attrs, self._spans, self._tag, self._wrap, self._whole = attrs, spans, tag, wrap, whole
        self._joined = joined
        self._made: dict[int, Fragment] = {}

    def __len__(self) -> int:
        return len(self._spans)

    def __getitem__(self, i: int) -> Fragment:
        got = self._made.get(i)
        if got is None:
            if not 0 <= i < len(self._spans):
                raise IndexError(i)
            got = self._made[i] = Fragment(self._attrs[i], self._spans[i], self._tag, self._wrap, self._whole, i)
        return got

    def __iter__(self):
        return (self[i] for i in range(len(self._spans)))

    def values(self, names: tuple) -> list:
        """[fragment.values(names) for each fragment], without making the fragments when
        their start tags are canonical and ASCII (see Fragment.values)."""
        if self._joined is None or not self._joined.isascii():
            return [f.values(names) for f in self]
        wanted, count = _wanted(names), len(names)
        return [_canonical_values(raw, wanted, count) for raw in self._attrs]


def _span(m: re.Match) -> tuple:
    """(start, end, closes itself) of a start tag matched by _tag_res(…)[0]."""
    return m.start(), m.end(), bool(m.group(2))


# start tags in canonical form, one after another: each attribute as ` name="value"` (no
# white space but one space before it, a value with nothing to decode, no "<" or ">"), "/"
# if the element closes there, and ">"
# (possessive: an attribute never gives way to "/" or ">", and the scan skips the bookkeeping)
_CANONICAL_TAGS = re.compile(rb"""(?:(?: [^\s=/>"'<]+="[^"<>&\t\n\r]*")*+/?>)*+""")


def _canonical_attrs(raw: bytes) -> dict:
    """_attrs of the attributes of a start tag in canonical form, without a regex."""
    parts = raw.split(b'"')         # ' name=', value, ' name=', value, …, '' or '/'
    return {W + parts[i][3:-1].decode("ascii", "replace"): parts[i + 1].decode("utf-8")
            for i in range(0, len(parts) - 1, 2) if parts[i][:3] == b" w:"}


@lru_cache(maxsize=None)
def _wanted(names: tuple) -> dict:
    """{b' w:name=': its place in names} of the w: attributes among names."""
    return {b" w:" + n[len(W):].encode() + b"=": i for i, n in enumerate(names) if n.startswith(W)}


def _canonical_values(raw: bytes, wanted: dict, count: int) -> list:
    """The values of the wanted attributes of a canonical start tag (see _canonical_attrs),
    None for those it lacks."""
    out = [None] * count
    parts = raw.split(b'"')
    for i in range(0, len(parts) - 1, 2):
        k = wanted.get(parts[i])
        if k is not None:
            out[k] = parts[i + 1].decode("utf-8")
    return out


def _canonical_start_tags(data: bytes, pos: int, tag: bytes) -> tuple | None:
    """([(start, end, closes itself)], [its attributes as written], those joined each with a
    ">" after it) of every <w:tag> start tag from pos on, when all are in canonical form (what Word writes): what _start_tags finds,
    with the tags checked in one regex match; else None."""
    needle = b"<w:" + tag
    after = len(needle)
    spans, raws = [], []
    at = data.find(needle, pos)
    while at != -1:
        if data[at + after:at + after + 1] in _OPENERS_END:   # not a longer name (<w:styles …)
            gt = data.find(b">", at)
            if gt == -1:
                return None
            raw = data[at + after:gt]
            spans.append((at, gt + 1, raw.endswith(b"/")))
            raws.append(raw)
        at = data.find(needle, at + after)
    joined = b">".join(raws) + b">"
    if not _CANONICAL_TAGS.fullmatch(joined):
        return None
    return spans, raws, joined


def _attr_dicts(raws: list) -> list | None:
    """The w: attributes of each start tag (see _attrs); None when one needs decoding."""
    joined = b"".join(raws)
    if b"&" in joined or b"\t" in joined or b"\n" in joined or b"\r" in joined:
        attrs = [_attrs(raw) for raw in raws]
        return None if None in attrs else attrs
    return [{W + n[2:].decode("ascii", "replace"): (v1 or v2).decode("utf-8")
             for n, v1, v2 in _ATTR.findall(raw) if n[:2] == b"w:"} for raw in raws]


def _first_child(data: bytes, body: int, tag: bytes, wrap, whole: _Whole):
    """The Fragment of the root's first child when it is the only <w:tag>; None when there
    is no <w:tag>; False when unsure."""
    at = data.find(b"<w:" + tag, body)
    if at == -1:
        return None
    m = _tag_res(tag)[0].match(data, at)
    if m is None or data[body:at].strip() or data.count(b"<w:" + tag, m.end()):       # (count: see _root)
        return False
    attrs = _attrs(m.group(1))
    if attrs is None:
        return False
    return Fragment(attrs, _span(m), tag, wrap, whole, None)


def split(data: bytes, parser, root: str, tag: str, first: str | None = None):
    """(the first child `first` as a Fragment or None, Fragments of every <w:tag> element,
    in document order); None when the part is not plain enough to scan."""
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
