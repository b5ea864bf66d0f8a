"""Audit: every row traceable to its source; each failure status produced here."""
import hashlib
import re
import shutil

import docx
from docx.oxml.ns import qn
import pandas as pd
import pytest

from builders import CORPUS
from pipeline.audit.verify import RESAVED, STATUS_VI, audit_table
from pipeline.cli import main


@pytest.fixture
def extracted(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for stem in ("binh-thanh-dong-2020-2025", "d04"):
        shutil.copy(CORPUS / f"{stem}.docx", src / f"{stem}.docx")
    out = tmp_path / "out"
    assert main(["extract", str(src), "-o", str(out), "-q"]) == 0
    return src, out / "indicators.csv"


def _statuses(table):
    return audit_table(table)["status"].tolist()


def test_fresh_table_is_all_ok(extracted, capsys):
    src, table = extracted
    assert main(["audit", str(table)]) == 0
    audit = pd.read_csv(table.parent / "audit.csv", keep_default_na=False)
    assert len(audit) == 97 + 42 and set(audit.status) == {"ok"} and set(audit.status_vi) == {"khớp"}
    out, err = capsys.readouterr()
    assert "139 dòng — ok (khớp): 139" in out
    assert f"d04 ({src / 'd04.docx'}): 42/42 dòng khớp — ok (khớp): 42" in out.splitlines()
    assert f"→ {table.parent / 'audit.csv'}" in err


def test_edited_raw_is_a_text_mismatch(extracted):
    _src, table = extracted
    df = pd.read_csv(table, dtype=str, keep_default_na=False)
    df.loc[3, "raw"] = "99 hecta"
    df.to_csv(table, index=False)
    statuses = _statuses(table)
    assert statuses[3] == "text-mismatch" and statuses.count("ok") == len(df) - 1
    assert main(["audit", str(table)]) == 1


@pytest.mark.parametrize("column,new", [("value", "6.7"), ("unit", "km")])
def test_edited_value_or_unit_is_a_value_mismatch(extracted, column, new):
    _src, table = extracted
    df = pd.read_csv(table, dtype=str, keep_default_na=False)
    df.loc[5, column] = new
    df.to_csv(table, index=False)
    statuses = _statuses(table)
    assert statuses[5] == "value-mismatch" and statuses.count("ok") == len(df) - 1


def _doc_statuses(table, doc_id, keep=lambda s: s):
    audit = audit_table(table)
    return {keep(s) for s, doc in zip(audit.status, audit.doc_id) if doc == doc_id}


def test_resaved_source_is_checked_row_by_row(extracted, capsys):
    src, table = extracted
    path = src / "d04.docx"
    docx.Document(str(path)).save(str(path))              # saved again, not a word changed
    assert _doc_statuses(table, "d04") == {RESAVED}
    assert _doc_statuses(table, "binh-thanh-dong-2020-2025") == {"ok"}
    assert main(["audit", str(table)]) == 0               # a re-saved source is no failure
    audit = pd.read_csv(table.parent / "audit.csv", keep_default_na=False)
    assert set(audit.status_vi[audit.doc_id == "d04"]) == {STATUS_VI[RESAVED]}
    assert f"ok (source re-saved) ({STATUS_VI[RESAVED]}): 42" in capsys.readouterr().out


def test_changed_source_says_what_changed(extracted):
    src, table = extracted
    path = src / "d04.docx"
    df = pd.read_csv(table, dtype=str, keep_default_na=False)
    first = df[df.doc_id == "d04"].iloc[0]
    d = docx.Document(str(path))
    d.add_paragraph("Một đoạn mới thêm vào sau khi trích xuất.")
    d.save(str(path))
    assert _doc_statuses(table, "d04") == {RESAVED}       # text and values still hold
    d = docx.Document(str(path))
    d.paragraphs[0].insert_paragraph_before("Đoạn mới ở đầu văn bản.")
    d.save(str(path))
    audit = audit_table(table)
    mine = audit[audit.doc_id == "d04"]
    assert (mine.status == "text-mismatch").mean() > 0.8  # every block moved down by one
    assert mine.status.iloc[0] == "text-mismatch"
    detail = mine.detail.iloc[0]
    assert detail.startswith("tệp nguồn đã đổi (sha256")
    assert f"câu này nay ở khối {int(first.block) + 1}:{first.start}-{first.end}" in detail


def test_changed_figure_is_a_text_mismatch(extracted):
    src, table = extracted
    path = src / "d04.docx"
    df = pd.read_csv(table, dtype=str, keep_default_na=False)
    row = df[df.doc_id == "d04"].iloc[0]
    number = re.match(r"[\d.,]+", row.raw).group()
    edited = ("1" if number[0] != "1" else "2") + number[1:]
    d = docx.Document(str(path))
    t = next(t for t in d.element.body.iter(qn("w:t")) if number in (t.text or ""))
    t.text = t.text.replace(number, edited, 1)
    d.save(str(path))
    audit = audit_table(table)
    assert audit.status[row.name] == "text-mismatch"
    assert audit.detail[row.name].startswith("tệp nguồn đã đổi")
    assert repr(row.raw.replace(number, edited, 1)) in audit.detail[row.name]
    assert (audit.status[audit.doc_id == "d04"] == RESAVED).sum() == len(audit[audit.doc_id == "d04"]) - 1


def test_missing_source(extracted):
    src, table = extracted
    (src / "binh-thanh-dong-2020-2025.docx").unlink()
    df = pd.read_csv(table, dtype=str, keep_default_na=False)
    statuses = _statuses(table)
    assert {s for s, doc in zip(statuses, df.doc_id) if doc != "d04"} == {"source-missing"}


def test_annotated_copy_has_one_comment_per_row_and_leaves_the_source(tmp_path):
    from pipeline.audit.annotate import annotate
    from pipeline.stages import extract_file
    from pipeline.read.wordml import W
    seed = tmp_path / "binh-thanh-dong-2020-2025.docx"
    shutil.copy(CORPUS / seed.name, seed)
    before = hashlib.sha256(seed.read_bytes()).hexdigest()
    out = annotate(seed, tmp_path / "out")
    assert out.name == "binh-thanh-dong-2020-2025.annotated.docx"
    assert hashlib.sha256(seed.read_bytes()).hexdigest() == before
    rows = extract_file(seed)
    d = docx.Document(str(out))
    assert len(list(d.comments)) == len(rows) == 97
    highlighted = "".join(t.text or "" for r in d.element.body.iter(W + "r")
                          if r.find(f"{W}rPr/{W}shd") is not None for t in r.iter(W + "t"))
    raws = "".join(raw for _block, _start, raw in dict.fromkeys((r.block, r.start, r.raw) for r in rows))
    assert highlighted == raws
    assert [(r.raw, r.value) for r in extract_file(out)] == [(r.raw, r.value) for r in rows]


def test_source_replaced_by_something_unreadable(extracted, capsys):
    src, table = extracted
    (src / "d04.docx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    audit = audit_table(table)
    mine = audit[audit.doc_id == "d04"]
    assert set(mine.status) == {"source-changed"} and "không phải tệp .docx" in mine.detail.iloc[0]
    assert set(audit.status[audit.doc_id != "d04"]) == {"ok"}
    assert main(["audit", str(table)]) == 1
    assert "Traceback" not in capsys.readouterr().err
