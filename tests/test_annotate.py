"""chiso annotate as careless and hostile input meets it: the same safe reader as extract,
one line per bad file, the batch goes on; copies never overwrite each other nor land in
an input folder; readable colours and Vietnamese comments."""
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx import Document

from builders import body_xml, save
from pipeline.audit import annotate as annotate_module
from pipeline.audit.annotate import annotate, comment_text, fill, vn_number
from pipeline.cli import main
from pipeline.errors import ChisoError
from pipeline.find import lexicon as lx
from pipeline.read.wordml import W
from pipeline.stages import extract_file, extract_text

PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


def _report(path: Path, *lines: str) -> Path:
    d = Document()
    for line in lines or ("Diện tích lúa đạt 1.200 ha, tăng 5% so với cùng kỳ.", "Sản lượng đạt 11.665 tấn."):
        d.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    return save(d, path)


def _with_big_part(path: Path, size: int = 8 * 2**20) -> Path:
    """A small .docx holding a part that inflates to size bytes (a zip bomb in little)."""
    _report(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/big.bin", bytes(size))
    return path


def _comments(path: Path) -> list[str]:
    return [c.text for c in docx.Document(str(path)).comments]


def test_bad_files_are_one_line_each_and_the_batch_goes_on(tmp_path, capsys):
    src = tmp_path / "in"
    _report(src / "a-good.docx")
    (src / "b-picture.docx").write_bytes(PNG)
    _with_big_part(src / "c-bomb.docx")
    (src / "d-empty.docx").write_bytes(b"")
    assert main(["annotate", str(src), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    errors = [l for l in err.splitlines() if l.startswith("chiso: lỗi:")]
    assert len(errors) == 3 and "Traceback" not in err
    assert "b-picture.docx: không phải tệp .docx" in err and "zip bomb" in err and "rỗng" in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a-good.annotated.docx"]


def test_big_part_is_refused_before_python_docx_inflates_it(tmp_path, monkeypatch):
    bomb = _with_big_part(tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 2**20

    def inflate(*_a, **_k):
        raise AssertionError("python-docx opened a refused file")
    monkeypatch.setattr(annotate_module.docx, "Document", inflate)
    with pytest.raises(ChisoError, match="zip bomb"):
        annotate(bomb, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def _edited(src: Path, dst: Path, edit) -> Path:
    """A copy of the package src with edit(name, bytes) applied to every part (None: left out)."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            data = edit(name, data)
            if data is not None:
                z.writestr(name, data)
    return dst


def test_what_python_docx_refuses_is_one_error(tmp_path):
    # extract does not read the settings part; python-docx parses it and refuses it
    bad = _edited(_report(tmp_path / "src.docx"), tmp_path / "bad.docx",
                  lambda n, d: b'<w:settings xmlns:w="x"><unclosed>' if n == "word/settings.xml" else d)
    assert extract_file(bad)
    with pytest.raises(ChisoError, match="không tạo được bản chú thích") as exc:
        annotate(bad, tmp_path / "out")
    assert "\n" not in str(exc.value)


MACRO_REL = (b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
             b'Target="vbaProject.bin"/>')


def _typed(name, data, main):
    if name == "[Content_Types].xml":
        return data.replace(b"document.main+xml", main).replace(
            b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    if name == "word/_rels/document.xml.rels":
        return data.replace(b"</Relationships>", MACRO_REL + b"</Relationships>")
    return data


@pytest.mark.parametrize("suffix", [".docm", ".dotx", ".dotm"])
def test_macro_enabled_files_and_templates_are_annotated_as_docx(tmp_path, suffix):
    src = _report(tmp_path / "src.docx")
    main = {".docm": b"application/vnd.ms-word.document.macroEnabled.main+xml",
            ".dotx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
            ".dotm": b"application/vnd.ms-word.template.macroEnabled.main+xml"}[suffix]
    path = _edited(src, tmp_path / f"bao-cao{suffix}",
                   lambda n, d: _typed(n, d.replace(b"application/vnd.openxmlformats-officedocument."
                                                    b"wordprocessingml.document.main+xml", main), main))
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros")
    rows = extract_file(path)
    out = annotate(path, tmp_path / "out")
    assert out.name == "bao-cao.annotated.docx"
    assert len(_comments(out)) == len(rows) == 3
    with zipfile.ZipFile(out) as z:
        names, types = z.namelist(), z.read("[Content_Types].xml")
    assert not any("vbaProject" in n for n in names)                  # the copy holds no macros
    assert b"document.main+xml" in types and b"macroEnabled" not in types and b"template" not in types


def test_max_size_refuses_a_bigger_file_like_extract(tmp_path, capsys):
    path = _report(tmp_path / "in" / "a.docx", *["Diện tích lúa đạt 1.200 ha."] * 20)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as z:
        z.writestr("word/media/photo.bin", bytes(300_000))              # 0.3 MB, stored
    assert main(["annotate", str(path), "-o", str(tmp_path / "out"), "--max-size", "0.1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"chiso: lỗi: {path}")
    assert main(["annotate", str(path), "-o", str(tmp_path / "out")]) == 0
    with pytest.raises(SystemExit) as refused:
        main(["annotate", str(path), "-o", str(tmp_path / "out2"), "--max-size", "-1"])
    assert refused.value.code == 2 and not (tmp_path / "out2").exists()


def test_strict_open_xml_is_annotated(tmp_path):
    strict_ns = {b"http://schemas.openxmlformats.org/wordprocessingml/2006/main":
                 b"http://purl.oclc.org/ooxml/wordprocessingml/main",
                 b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
                 b"http://purl.oclc.org/ooxml/officeDocument/relationships"}

    def to_strict(name, data):
        for trans, strict in strict_ns.items():
            data = data.replace(trans, strict)
        return data
    path = _edited(_report(tmp_path / "src.docx"), tmp_path / "strict.docx", to_strict)
    rows = extract_file(path)
    out = annotate(path, tmp_path / "out")
    assert len(_comments(out)) == len(rows) == 3


def test_control_character_in_the_text(tmp_path):
    d = Document()
    body_xml(d, '<w:p><w:r><w:t xml:space="preserve">Toàn xã có 40 hộ</w:t></w:r>'
                '<w:r><w:sym w:font="Symbol" w:char="0001"/></w:r><w:r><w:t>nghèo.</w:t></w:r></w:p>')
    path = save(d, tmp_path / "sym.docx")
    rows = extract_file(path)
    assert any("\x01" in r.sentence for r in rows)
    out = annotate(path, tmp_path / "out")
    comments = _comments(out)
    assert len(comments) == len(rows) >= 1
    assert all("\x01" not in c for c in comments) and any("\ufffd" in c for c in comments)


def test_same_named_files_from_two_folders(tmp_path, capsys):
    src = tmp_path / "in"
    _report(src / "2023" / "baocao.docx", "Năm 2023 sản lượng đạt 100 tấn.")
    _report(src / "2024" / "baocao.docx", "Năm 2024 sản lượng đạt 200 tấn.")
    assert main(["annotate", str(src), "-o", str(tmp_path / "tree")]) == 0
    copies = sorted((tmp_path / "tree").rglob("*.docx"))
    assert [p.relative_to(tmp_path / "tree").as_posix() for p in copies] == \
        ["2023/baocao.annotated.docx", "2024/baocao.annotated.docx"]
    assert main(["annotate", str(src / "2023"), str(src / "2024"), str(src / "2023" / "baocao.docx"),
                 "-o", str(tmp_path / "flat")]) == 0
    flat = sorted((tmp_path / "flat").iterdir(), key=lambda p: len(p.name))
    assert len(flat) == 2 and flat[0].name == "baocao.annotated.docx"      # the same file named twice: once
    assert re.fullmatch(r"baocao-[0-9a-f]{8}\.annotated\.docx", flat[1].name)
    assert {c.split("\n")[0] for p in flat for c in _comments(p)} == {"Giá trị: 100", "Giá trị: 200"}


def test_earlier_copies_in_a_folder_are_no_input(tmp_path):
    src = _report(tmp_path / "in" / "x.docx").parent
    assert main(["annotate", str(src), "-o", str(tmp_path / "out")]) == 0
    (tmp_path / "out" / "x.annotated.docx").rename(src / "x.annotated.docx")     # moved there by hand
    assert main(["annotate", str(src), "-o", str(tmp_path / "again")]) == 0
    assert [p.name for p in (tmp_path / "again").iterdir()] == ["x.annotated.docx"]


@pytest.mark.parametrize("inside", ["in", "in/sub", "in/x.docx"])
def test_output_inside_an_input_folder_is_refused(tmp_path, monkeypatch, capsys, inside):
    monkeypatch.chdir(tmp_path)
    _report(tmp_path / "in" / "x.docx")
    given = "in/x.docx" if inside == "in/x.docx" else "in"
    out = "in" if inside == "in/x.docx" else inside
    assert main(["annotate", given, "-o", out]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "-o inside an input folder" in err
    assert sorted(p.name for p in (tmp_path / "in").rglob("*")) == ["x.docx"]


def test_output_beside_the_inputs_is_fine(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _report(tmp_path / "in" / "x.docx")
    assert main(["annotate", "in/x.docx", "-o", "copies"]) == 0
    assert (tmp_path / "copies" / "x.annotated.docx").is_file()


def test_output_that_is_a_file(tmp_path, capsys):
    _report(tmp_path / "in" / "x.docx")
    (tmp_path / "taken").write_text("x")
    assert main(["annotate", str(tmp_path / "in"), "-o", str(tmp_path / "taken")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_unit_colours_are_readable_under_black_text_and_distinct():
    fills = {unit: fill(unit) for unit in lx.base_units()}
    assert len(set(fills.values())) == len(fills)
    for unit, colour in fills.items():
        contrast = (_luminance(colour) + 0.05) / 0.05          # WCAG, against black text
        assert contrast >= 7, (unit, colour, round(contrast, 1))


def test_figures_are_shaded_in_their_units_colour(tmp_path):
    out = annotate(_report(tmp_path / "r.docx"), tmp_path / "out")
    body = docx.Document(str(out)).element.body
    shaded = {}
    for r in body.iter(W + "r"):
        shd = r.find(f"{W}rPr/{W}shd")
        if shd is not None:
            shaded["".join(t.text for t in r.iter(W + "t"))] = shd.get(W + "fill")
        assert r.find(f"{W}rPr/{W}highlight") is None
    assert shaded == {"1.200 ha": fill("ha"), "5%": fill("%"), "11.665 tấn": fill("tonne")}


def test_comment_in_vietnamese():
    row = extract_text("Kế hoạch năm 2025 sản lượng lúa đạt khoảng 11.665,5 tấn.")[0]
    text = comment_text(row)
    lines = text.split("\n")
    assert lines[0] == "Giá trị: 11.665,5" and lines[1] == "Đơn vị: tấn (tonne)"
    assert any(l.startswith("Chỉ tiêu: ") for l in lines)
    assert "So sánh: khoảng (~)" in lines
    assert any(l.startswith("Loại: ") and l.endswith(f"({row.kind})") for l in lines)


@pytest.mark.parametrize("value,shown", [(448.3, "448,3"), (11665.0, "11.665"), (-2.5, "-2,5"),
                                         (90000000.0, "90.000.000"), (0.05, "0,05"), (1e-7, "0,0000001")])
def test_vietnamese_numbers(value, shown):
    assert vn_number(value) == shown
