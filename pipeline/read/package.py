"""Open a .docx as a zip package and hand out its XML parts, safely.

Every way a file can fail to be a readable Word document ends here as a ChisoError
with a reason a user can act on; nothing below this module sees a half-valid package.
"""
from __future__ import annotations

import io
import os
import posixpath
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.errors import ChisoError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "/officeDocument"

MAX_PART_FOR_RATIO_CHECK = 1024 * 1024  # tiny parts compress well legitimately
# a .docx up to this size is read into memory whole, its XML parts inflated from there; a
# larger one is mostly media the reader never inflates, left on disk for zipfile to seek in
MAX_READ_WHOLE = 8 * 2**20

# "Strict Open XML" (ISO/IEC 29500 Strict, Word's "Save as Strict Open XML Document")
# writes the same elements under other namespaces; each part's bytes get the
# transitional ones before parsing, so that the reader knows one vocabulary. The
# relationship types (…/officeDocument/relationships/styles …) map with their namespace.
STRICT_MARK = b"http://purl.oclc.org/ooxml/"
STRICT_NAMESPACES = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main",
     b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    (b"http://purl.oclc.org/ooxml/officeDocument/math",
     b"http://schemas.openxmlformats.org/officeDocument/2006/math"),
    (b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
     b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
    (b"http://purl.oclc.org/ooxml/drawingml/main", b"http://schemas.openxmlformats.org/drawingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/drawingml/picture",
     b"http://schemas.openxmlformats.org/drawingml/2006/picture"),
)


def transitional(data: bytes) -> bytes:
    """The bytes of an XML part with Strict OOXML namespaces read as the transitional ones."""
    if STRICT_MARK not in data:
        return data
    for strict, trans in STRICT_NAMESPACES:
        data = data.replace(strict, trans)
    return data


@dataclass(frozen=True)
class Limits:
    """Caps against enormous files and zip bombs, checked before inflating anything."""
    max_file_bytes: int = 50 * 2**20
    max_uncompressed: int = 500 * 2**20
    max_ratio: int = 200

    @classmethod
    def scaled(cls, max_file_mb: float) -> "Limits":
        """`--max-size MB`: the file cap, and ten times that for what it may inflate to."""
        return cls(int(max_file_mb * 2**20), int(max_file_mb * 10 * 2**20))


DEFAULT_LIMITS = Limits()

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


LEGACY_HOWTO = ("tệp Word cũ dạng .doc (legacy .doc); cài LibreOffice để chiso tự chuyển, hoặc tự chuyển: "
                "soffice --headless --convert-to docx TỆP.doc")


def is_legacy_word(data: bytes) -> bool:
    """An OLE compound file holding a Word 97-2003 document (not an encrypted .docx)."""
    return data[:8] == OLE_MAGIC and "WordDocument".encode("utf-16-le") in data and \
        "EncryptedPackage".encode("utf-16-le") not in data


def _ole_reason(data: bytes) -> str:
    """An OLE compound file is either an encrypted OOXML document or a legacy binary file."""
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return "tài liệu được bảo vệ bằng mật khẩu (password-protected document); hãy bỏ mật khẩu rồi lưu lại dạng .docx"
    if is_legacy_word(data):
        return LEGACY_HOWTO
    return "tệp OLE (compound file), không phải .docx"


@dataclass
class Package:
    """An opened .docx: the main document part and the parts it relates to."""

    path: Path
    zip: zipfile.ZipFile
    document_part: str
    _rels: dict = field(default_factory=dict, repr=False)    # part → its relationships, read once
    blob: bytes | None = field(default=None, repr=False)     # the whole file, when read into memory

    def close(self) -> None:
        self.zip.close()

    def _relationships(self, part: str) -> list:
        """(id, type, target part) of each internal relationship of part, in order (worked
        out once per part: several look-ups ask, and normpath is slow)."""
        got = self._rels.get(part)
        if got is None:
            folder, name = posixpath.split(part)
            root = self.xml(posixpath.join(folder, "_rels", name + ".rels"), required=False)
            got = self._rels[part] = [] if root is None else _internal(root, folder)
        return got

    def related(self, part: str, rel_suffix: str) -> str | None:
        """The name of the first part that `part` relates to with a type ending in rel_suffix."""
        return next((t for _id, typ, t in self._relationships(part) if typ.endswith(rel_suffix)), None)

    def target(self, part: str, rel_id: str | None) -> str | None:
        """The part that `part` names by relationship id (r:id), if it is in the package."""
        return next((t for i, _typ, t in self._relationships(part) if i == rel_id), None)

    def read(self, part: str) -> bytes | None:
        """The bytes of one part as stored (None when absent), whatever they hold."""
        if self.blob is not None and self.zip.fp is not None:
            info = self.zip.NameToInfo.get(part)
            if info is None:
                return None
            data = _inflate(self.blob, info)
            if data is not None:
                return data
        try:
            return self.zip.read(part)
        except KeyError:
            return None
        except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile, zlib.error, ValueError) as exc:
            raise ChisoError(self.path, f"tệp nén bị hỏng khi đọc {part} (corrupt zip: {exc})") from None

    def raw(self, part: str, required: bool = True) -> bytes | None:
        """The bytes of one XML part; DOCTYPE declarations are refused (entity expansion attacks)."""
        data = self.read(part)
        if data is None:
            if required:
                raise ChisoError(self.path, f"thiếu phần {part} (missing part)")
            return None
        head = data[:2048].lstrip()
        if b"<!DOCTYPE" in head or data.find(b"<!ENTITY", 0, 65536) != -1:     # (no 64 kB copy)
            raise ChisoError(self.path, f"{part} khai báo DOCTYPE/ENTITY, bị từ chối (XML with DOCTYPE refused)")
        return transitional(data)

    def xml(self, part: str, required: bool = True):
        """Parse one part (see raw)."""
        data = self.raw(part, required)
        return None if data is None else self.parse(part, data)

    def parse(self, part: str, data: bytes):
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise ChisoError(self.path, f"XML hỏng trong {part} (malformed XML: {exc})") from None


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")     # zipfile.structFileHeader
_ODD_FLAGS = 0x01 | 0x20 | 0x40                  # encrypted, compressed patch, strong encryption


def _inflate(blob: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The bytes of a stored or deflated member of the zip file held in blob, by one zlib
    call (zipfile inflates in small chunks, three times slower); the local header, size and
    CRC are checked as zipfile checks them. None when anything is unusual or wrong: then
    zipfile reads it, and raises what it raises."""
    if info.flag_bits & _ODD_FLAGS or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    at = info.header_offset
    if at < 0 or at + _LOCAL_HEADER.size > len(blob):
        return None
    head = _LOCAL_HEADER.unpack_from(blob, at)
    if head[0] != b"PK\x03\x04":
        return None
    start = at + _LOCAL_HEADER.size
    try:
        name = blob[start:start + head[10]].decode("utf-8" if head[3] & 0x800 else "cp437")
    except UnicodeDecodeError:
        return None
    start += head[10] + head[11]
    end = start + info.compress_size
    if name != info.orig_filename or end > len(blob):
        return None
    if info.compress_type == zipfile.ZIP_STORED:
        data = blob[start:end]
    else:
        inflater = zlib.decompressobj(-15)
        try:
            data = inflater.decompress(memoryview(blob)[start:end], info.file_size + 1)
        except zlib.error:
            return None
        if not inflater.eof:
            return None
    return data if len(data) == info.file_size and zlib.crc32(data) == info.CRC else None


def _internal(root, folder: str) -> list:
    """(id, type, target part) of the internal relationships of a parsed .rels part."""
    out = []
    for rel in root.iter(f"{{{RELS_NS}}}Relationship"):
        if rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(folder, target))
            out.append((rel.get("Id"), rel.get("Type", ""), target))
    return out


def refuse_special(path: Path) -> None:
    """A FIFO, socket or device would block or never end when read: refused by its
    type, before it is opened."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise ChisoError(path, f"không đọc được tệp ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        kind = "FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else \
            "thiết bị (device)" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "tệp đặc biệt"
        raise ChisoError(path, f"không phải tệp thường: {kind} (not a regular file)")


def open_package(path, limits: Limits = DEFAULT_LIMITS) -> Package:
    path = Path(path)
    if not path.exists():
        raise ChisoError(path, "không tìm thấy tệp (no such file)")
    if path.is_dir():
        raise ChisoError(path, "là thư mục không chứa tệp .docx nào (a directory, not a .docx)")
    refuse_special(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
            data = head + fh.read(4 * 1024 * 1024) if head == OLE_MAGIC else head
            if head.startswith(b"PK") and size <= min(limits.max_file_bytes, MAX_READ_WHOLE):
                data = head + fh.read(limits.max_file_bytes + 1 - len(head))
    except OSError as exc:
        raise ChisoError(path, f"không đọc được tệp ({exc.strerror})") from None
    if not head:
        raise ChisoError(path, "tệp rỗng, 0 byte (empty file)")
    if size > limits.max_file_bytes:
        raise ChisoError(path, f"tệp {size / 2**20:.0f} MiB vượt giới hạn {limits.max_file_bytes / 2**20:.0f} MiB "
                               "(too large; raise it with --max-size)")
    if head == OLE_MAGIC:
        raise ChisoError(path, _ole_reason(data))      # a legacy .doc goes to pipeline/read/doc.py
    if not head.startswith(b"PK"):
        raise ChisoError(path, "không phải tệp .docx: không phải tệp nén zip (not a zip file)")
    if len(data) == len(head):                  # (not read whole: zipfile reads the file)
        return _open_zip(path, path, limits, None)
    if len(data) > limits.max_file_bytes:       # (it grew since its size was asked)
        raise ChisoError(path, f"tệp vượt giới hạn {limits.max_file_bytes / 2**20:.0f} MiB "
                               "(too large; raise it with --max-size)")
    return _open_zip(path, io.BytesIO(data), limits, data)


def open_bytes(path, data: bytes, limits: Limits = DEFAULT_LIMITS) -> Package:
    """A .docx held in memory (a document embedded in another); path names it in errors."""
    path = Path(path)
    if len(data) > limits.max_file_bytes:
        raise ChisoError(path, f"tệp nhúng vượt giới hạn {limits.max_file_bytes / 2**20:.0f} MiB (too large)")
    if not data.startswith(b"PK"):
        raise ChisoError(path, "không phải tệp .docx: không phải tệp nén zip (not a zip file)")
    return _open_zip(path, io.BytesIO(data), limits, data)


def _open_zip(path: Path, source, limits: Limits, blob: bytes | None) -> Package:
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as exc:
        raise ChisoError(path, f"tệp .docx bị cắt cụt hoặc hỏng (truncated or corrupt zip: {exc})") from None
    try:
        _check_bomb(path, zf, limits)
        pkg = Package(path, zf, "", blob=blob)
        main = pkg.related("", OFFICE_DOCUMENT) or pkg.related("/", OFFICE_DOCUMENT)
        if main is None or main not in zf.NameToInfo:
            if "word/document.xml" in zf.NameToInfo:
                main = "word/document.xml"
            else:
                raise ChisoError(path, "tệp zip nhưng không phải tài liệu Word .docx (no word/document.xml)")
        pkg.document_part = main
        return pkg
    except BaseException:
        zf.close()
        raise


def _check_bomb(path: Path, zf: zipfile.ZipFile, limits: Limits) -> None:
    """Sizes from the central directory; zipfile also stops a part that inflates past them."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > MAX_PART_FOR_RATIO_CHECK and \
                info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ChisoError(path, f"tỷ lệ nén bất thường ở {info.filename} (suspected zip bomb)")
    if total > limits.max_uncompressed:
        raise ChisoError(path, f"dung lượng giải nén {total // 2**20} MiB vượt giới hạn "
                               f"{limits.max_uncompressed // 2**20} MiB (suspected zip bomb)")
