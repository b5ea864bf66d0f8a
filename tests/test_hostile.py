"""Hostile and broken input: each class gives a one-line reason and a batch goes on."""
import csv
import os
import random
import stat
import zipfile

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import CORPUS, write_cfb
from pipeline.cli import main
from pipeline.errors import ChisoError
from pipeline.read.package import DEFAULT_LIMITS, Limits
from pipeline.read import read_blocks

SEED = CORPUS / "binh-thanh-dong-2020-2025.docx"
SMALL = CORPUS / "d02.docx"


def rezip(src, dst, replace=None, add=None, compression=zipfile.ZIP_DEFLATED):
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


def _reason(path, limits=DEFAULT_LIMITS):
    with pytest.raises(ChisoError) as exc:
        read_blocks(path, limits)
    assert exc.value.path == str(path) and "\n" not in str(exc.value)
    return exc.value.reason


def test_zip_bomb_by_compression_ratio(tmp_path):
    body = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
            b'2006/main"><w:body><w:p><w:r><w:t>' + b"a" * (40 * 2**20) + b"</w:t></w:r></w:p></w:body></w:document>")
    path = rezip(SMALL, tmp_path / "bomb.docx", replace={"word/document.xml": body})
    assert path.stat().st_size < 2**20
    assert "zip bomb" in _reason(path)


def test_zip_bomb_by_total_size(tmp_path):
    path = rezip(SMALL, tmp_path / "big.docx", add={"word/media/image1.bin": random.Random(1).randbytes(3 * 2**20)},
                 compression=zipfile.ZIP_STORED)
    assert "zip bomb" in _reason(path, Limits(max_uncompressed=2 * 2**20))
    assert read_blocks(path)                          # the default limits let it through


def test_xml_with_doctype_or_entities_is_refused(tmp_path):
    with zipfile.ZipFile(SMALL) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    head, rest = xml.split("?>", 1)
    evil = head + '?><!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' + rest
    path = rezip(SMALL, tmp_path / "entities.docx", replace={"word/document.xml": evil.encode("utf-8")})
    assert "DOCTYPE" in _reason(path)


def test_enormous_document_has_a_size_cap_and_a_flag(tmp_path, capsys):
    reason = _reason(SEED, Limits.scaled(0.01))
    assert "--max-size" in reason
    out = tmp_path / "out"
    assert main(["extract", str(SEED), "-o", str(out), "-q", "--max-size", "0.01"]) == 1
    assert "--max-size" in (out / "errors.csv").read_text(encoding="utf-8")
    assert main(["extract", str(SEED), "-o", str(out), "-q", "--max-size", "5"]) == 0


def test_crc_broken_zip(tmp_path):
    data = bytearray(SEED.read_bytes())
    with zipfile.ZipFile(SEED) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 200, start + 210):
        data[k] ^= 0xFF
    path = tmp_path / "crc.docx"
    path.write_bytes(bytes(data))
    reason = _reason(path)
    assert "hỏng" in reason or "corrupt" in reason


def test_legacy_doc_without_libreoffice_says_how_to_convert(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    path = write_cfb(tmp_path / "cu.doc", "WordDocument", b"\xec\xa5" + b"\0" * 64)
    assert "soffice --headless --convert-to docx" in _reason(path)


def test_legacy_doc_is_converted_through_soffice(tmp_path, monkeypatch):
    """A stand-in for LibreOffice on PATH: chiso calls it as `soffice -env:… --headless
    … --convert-to docx --outdir DIR FILE` and reads what it writes."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text("#!/bin/sh\n# args: -env:UserInstallation=URI --headless … --outdir DIR FILE\n"
                    'while [ "$1" != --outdir ]; do shift; done\n'
                    f'mkdir -p "$2"; stem=$(basename "$3" .doc)\ncp "{SMALL}" "$2/$stem.docx"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    path = write_cfb(tmp_path / "cu.doc", "WordDocument", b"\xec\xa5" + b"\0" * 64)
    blocks = read_blocks(path)
    assert any("3 – 5%/năm" in b.text for b in blocks)


def test_batch_with_good_and_bad_files(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    good = {"d01": 15, "d05": 26, "d09": 33}
    for stem in good:
        (src / "sub" / f"{stem}.docx").write_bytes((CORPUS / f"{stem}.docx").read_bytes())
    (src / "notzip.docx").write_text("not a zip", encoding="utf-8")
    (src / "cut.docx").write_bytes(SEED.read_bytes()[:5000])
    write_cfb(src / "old.doc", "WordDocument", b"\xec\xa5")
    Document().save(str(src / "empty.docx"))
    out = tmp_path / "out"
    assert main(["extract", str(src), "-o", str(out), "-q", "--jobs", "2"]) == 1
    rows = list(csv.DictReader((out / "indicators.csv").open(encoding="utf-8")))
    counts = {stem: sum(r["doc_id"] == stem for r in rows) for stem in good}
    assert counts == good
    errors = {os.path.basename(e["file"]): e["reason"]
              for e in csv.DictReader((out / "errors.csv").open(encoding="utf-8"))}
    assert set(errors) == {"notzip.docx", "cut.docx", "old.doc", "empty.docx"}
    assert all(errors.values())


def _mutate(data: bytes, ops) -> bytes:
    buf = bytearray(data)
    for kind, pos, value in ops:
        pos %= max(len(buf), 1)
        if kind == 0:
            buf[pos] = value
        elif kind == 1:
            del buf[pos:pos + value]
        else:
            buf[pos:pos] = bytes([value]) * 3
    return bytes(buf)


OPS = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10**7), st.integers(0, 255)), min_size=1, max_size=8)


def _reads_or_refuses(path):
    try:
        blocks = read_blocks(path)
        assert isinstance(blocks, list)
    except ChisoError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_fuzz_mutated_docx_bytes(tmp_path, ops):
    path = tmp_path / "fuzz.docx"
    path.write_bytes(_mutate(SMALL.read_bytes(), ops))
    _reads_or_refuses(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS, part=st.sampled_from(["word/document.xml", "word/styles.xml", "word/numbering.xml",
                                       "[Content_Types].xml", "word/_rels/document.xml.rels"]))
def test_fuzz_mutated_xml_parts(tmp_path, ops, part):
    with zipfile.ZipFile(CORPUS / "t01.docx") as z:
        names = z.namelist()
        original = z.read(part) if part in names else b""
    path = rezip(CORPUS / "t01.docx", tmp_path / "fuzz.docx", replace={part: _mutate(original, ops)}) \
        if part in names else tmp_path / "fuzz.docx"
    if part not in names:
        path.write_bytes((CORPUS / "t01.docx").read_bytes())
    _reads_or_refuses(path)


def test_an_out_of_range_number_is_excluded_with_its_reason():
    """A 500-digit number is no figure (it would be inf, and Infinity is not JSON)."""
    from pipeline.model import Block
    from pipeline.stages import process_blocks
    doc = process_blocks("x", [Block(0, "Tổng thu đạt " + "9" * 500 + " tấn, sản lượng 1.200 tấn.")])
    assert [(r.raw, r.value) for r in doc.rows] == [("1.200 tấn", 1200.0)]
    assert [x.reason for x in doc.excluded[0]] == ["số quá lớn, ngoài khoảng đọc được (out of range)"]
