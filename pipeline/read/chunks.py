"""What a w:altChunk embeds, other than a .docx, as text paragraphs.

Word and the tools that build reports from web pages embed content in its own format
and convert it only when the document is next saved in Word. HTML (and MHT, a web page
in a MIME envelope) and plain text are read here as paragraphs: one per block element
(p, div, li, h1–h6, td …), tags stripped, white space collapsed; a heading h1–h6 gives
its outline level. Any other format (RTF, XML …) is not read: `paragraphs` returns the
one-line reason, which the reader keeps as a warning.
"""
from __future__ import annotations

import email
import email.policy
import re

from lxml import etree, html

BLOCK_TAGS = frozenset("p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table tr td th caption pre blockquote "
                       "br hr section article header footer address center title".split())
SKIP_TAGS = frozenset(("script", "style", "head", "template", "noscript"))
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""")
_SPACE = re.compile(r"\s+")


def _kind(part: str, data: bytes) -> str:
    name = part.lower()
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{\\rtf"):
        return "RTF"
    if name.endswith((".mht", ".mhtml")) or head.startswith((b"mime-version:", b"content-type:")):
        return "mht"
    if name.endswith((".htm", ".html", ".xhtml")) or b"<html" in head or b"<!doctype html" in head:
        return "html"
    if name.endswith(".txt") or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "text"
    return name.rsplit(".", 1)[-1].upper() if "." in name else "không rõ"


def decode(data: bytes, charset: str | None = None) -> str:
    """Bytes as text: by BOM, then the declared charset, then UTF-8, else Windows-1258."""
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:].decode("utf-8", "replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    m = _CHARSET.search(data[:4096])
    for enc in (charset, m and m.group(1).decode("ascii"), "utf-8"):
        if not enc:
            continue
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1258", "replace")


def html_paragraphs(markup: str) -> list[tuple[str, int | None]]:
    """(text, heading level or None) of each block of an HTML page, in order."""
    markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)       # lxml refuses a declaration in a str
    if not markup.strip():
        return []
    root = html.document_fromstring(markup)
    out: list[tuple[str, int | None]] = []
    buf: list[str] = []
    level: list[int | None] = [None]
    skipping = 0

    def flush():
        text = _SPACE.sub(" ", "".join(buf)).strip()
        buf.clear()
        if text:
            out.append((text, level[0]))

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in SKIP_TAGS:
            skipping += 1 if event == "start" else -1
        elif event == "start":
            if tag in BLOCK_TAGS:
                flush()
                level[0] = int(tag[1]) if re.fullmatch(r"h[1-6]", tag) else None
            if el.text and not skipping and tag:
                buf.append(el.text)
            continue
        elif tag in BLOCK_TAGS:
            flush()
            level[0] = None
        if event == "end" and el.tail and not skipping:
            buf.append(el.tail)
    flush()
    return out


def _mht_html(data: bytes) -> str | None:
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            return decode(payload, part.get_content_charset())
    return None


def paragraphs(part: str, data: bytes):
    """[(text, heading level or None)] of an embedded chunk, or the reason it is not read."""
    kind = _kind(part, data)
    try:
        if kind == "html":
            return html_paragraphs(decode(data))
        if kind == "mht":
            page = _mht_html(data)
            if page is not None:
                return html_paragraphs(page)
        if kind == "text":
            return [(line.strip(), None) for line in decode(data).splitlines() if line.strip()]
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        return f"phần nhúng {kind} hỏng, bỏ qua (altChunk unreadable: {exc})"
    return f"phần nhúng dạng {kind} không đọc được, nội dung bị bỏ qua (altChunk in {kind} not read)"
