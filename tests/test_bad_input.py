"""Bad input: one line naming the file and the reason, exit status 2, never a traceback."""
import io
import zipfile

import pytest
from docx import Document

from builders import CORPUS, write_cfb
from pipeline.cli import main
from pipeline.errors import ChisoError
from pipeline.read import read_blocks

SEED = CORPUS / "binh-thanh-dong-2020-2025.docx"


def _missing(tmp_path):
    return tmp_path / "khong-co.docx"


def _directory(tmp_path):
    d = tmp_path / "thu-muc.docx"
    d.mkdir()
    return d


def _not_zip(tmp_path):
    p = tmp_path / "van-ban.docx"
    p.write_text("Đây là văn bản thường, không phải .docx", encoding="utf-8")
    return p


def _zip_not_docx(tmp_path):
    p = tmp_path / "nen.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "xin chào")
    return p


def _truncated(tmp_path):
    p = tmp_path / "cut.docx"
    data = SEED.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def _password(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile
    p = tmp_path / "mat-khau.docx"
    out = io.BytesIO()
    with SEED.open("rb") as fh:
        OOXMLFile(fh).encrypt("matkhau", out)
    p.write_bytes(out.getvalue())
    return p


def _legacy_doc(tmp_path):
    return write_cfb(tmp_path / "cu.doc", "WordDocument", b"\xec\xa5" + b"\0" * 100)


def _empty_docx(tmp_path):
    p = tmp_path / "rong.docx"
    Document().save(str(p))
    return p


CASES = {
    "missing": (_missing, "không tìm thấy"),
    "directory": (_directory, "thư mục"),
    "not-zip": (_not_zip, "not a zip"),
    "zip-not-docx": (_zip_not_docx, "không phải tài liệu Word"),
    "truncated": (_truncated, "cắt cụt"),
    "password": (_password, "mật khẩu"),
    "legacy-doc": (_legacy_doc, ".doc"),
    "empty-docx": (_empty_docx, "không có chữ"),
}


@pytest.mark.parametrize("case", CASES)
def test_reader_raises_its_own_error(case, tmp_path):
    make, reason = CASES[case]
    path = make(tmp_path)
    with pytest.raises(ChisoError) as exc:
        read_blocks(path)
    assert exc.value.path == str(path)
    assert reason in exc.value.reason


@pytest.mark.parametrize("case", CASES)
def test_cli_prints_one_line_and_exits_2(case, tmp_path, capsys):
    make, reason = CASES[case]
    path = make(tmp_path)
    assert main(["sections", str(path)]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0] and reason in lines[0]
    assert "Traceback" not in err


def test_password_file_is_a_real_ole_container(tmp_path):
    import olefile
    assert olefile.isOleFile(str(_password(tmp_path)))
    assert olefile.isOleFile(str(_legacy_doc(tmp_path)))
