"""Audit from anywhere: a row's source_path is relative to where extract ran; the run
records that folder (OUTDIR/.chiso-run.json) and the audit resolves against it."""
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from builders import CORPUS
from pipeline.audit.sources import RUN_FILE, record_workdir, resolve_source, source_candidates
from pipeline.cli import main


@pytest.fixture
def work(tmp_path, monkeypatch):
    """`chiso extract src -o out` run inside tmp/work, with relative paths."""
    work = tmp_path / "work"
    (work / "src").mkdir(parents=True)
    shutil.copy(CORPUS / "d04.docx", work / "src" / "d04.docx")
    monkeypatch.chdir(work)
    assert main(["extract", "src", "-o", "out", "-q"]) == 0
    return work


def _audit_statuses(folder: Path) -> set:
    return set(pd.read_csv(folder / "audit.csv", keep_default_na=False).status)


def test_extract_records_its_working_folder(work):
    run = json.loads((work / "out" / RUN_FILE).read_text(encoding="utf-8"))
    assert Path(run["cwd"]).resolve() == work.resolve()
    assert Path(run["outdir"]).resolve() == (work / "out").resolve()
    table = pd.read_csv(work / "out" / "indicators.csv", keep_default_na=False)
    assert set(table.source_path) == {str(Path("src") / "d04.docx")}       # stored as given


def test_audit_from_inside_the_output_folder(work, monkeypatch, capsys):
    monkeypatch.chdir(work / "out")
    assert main(["audit", "indicators.csv"]) == 0
    assert _audit_statuses(work / "out") == {"ok"}
    assert "cảnh báo" not in capsys.readouterr().err


def test_audit_from_another_folder(work, monkeypatch, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["audit", str(work / "out")]) == 0
    assert _audit_statuses(work / "out") == {"ok"}


def test_audit_of_a_tree_moved_whole(work, monkeypatch, tmp_path):
    moved = tmp_path / "moved"
    monkeypatch.chdir(tmp_path)
    shutil.move(str(work), str(moved))             # the recorded working folder is gone
    monkeypatch.chdir(moved / "out")
    assert main(["audit", "indicators.csv"]) == 0
    assert _audit_statuses(moved / "out") == {"ok"}


def test_missing_source_warns_and_fails(work, monkeypatch, capsys):
    (work / "src" / "d04.docx").unlink()
    monkeypatch.chdir(work / "out")
    assert main(["audit", "indicators.csv"]) == 1
    out, err = capsys.readouterr()
    source = str(Path("src") / "d04.docx")
    assert f"chiso: cảnh báo: không tìm thấy tệp nguồn {source}" in err
    assert err.count("cảnh báo") == 1                          # one warning a source, not a row
    audit = pd.read_csv(work / "out" / "audit.csv", keep_default_na=False)
    assert set(audit.status) == {"source-missing"} and set(audit.status_vi) == {"không tìm thấy tệp nguồn"}
    assert str(work / "src" / "d04.docx") in audit.detail[0]       # where it looked


def test_resolve_without_a_run_record(tmp_path, monkeypatch):
    """Tables written before the record: the current folder, then the table's folder."""
    table_dir = tmp_path / "out"
    (table_dir / "src").mkdir(parents=True)
    (table_dir / "src" / "a.docx").write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    assert resolve_source("src/a.docx", table_dir) == table_dir / "src" / "a.docx"
    assert resolve_source("out/src/a.docx", table_dir) == Path("out/src/a.docx")
    assert resolve_source(str(table_dir / "src" / "a.docx"), tmp_path) == table_dir / "src" / "a.docx"
    assert resolve_source("nowhere.docx", table_dir) is None
    assert resolve_source("", table_dir) is None


def test_record_is_used_first(tmp_path, monkeypatch):
    ran_in, table_dir = tmp_path / "ran", tmp_path / "ran" / "out"
    table_dir.mkdir(parents=True)
    monkeypatch.chdir(ran_in)
    record_workdir(table_dir)
    monkeypatch.chdir(tmp_path)
    assert source_candidates("a.docx", table_dir)[0] == ran_in / "a.docx"
    (table_dir / RUN_FILE).write_text("not json", encoding="utf-8")        # a broken record is ignored
    assert source_candidates("a.docx", table_dir) == [Path("a.docx"), table_dir / "a.docx"]


def test_report_finds_sources_from_anywhere_and_warns_when_missing(tmp_path, monkeypatch, capsys):
    """`chiso report` resolves relative source paths like the audit, from any folder; a
    missing source is a warning line and exit status 1."""
    import shutil
    from builders import CORPUS
    from pipeline.cli import main
    work = tmp_path / "work"
    (work / "in").mkdir(parents=True)
    shutil.copy(CORPUS / "d01.docx", work / "in" / "d01.docx")
    shutil.copy(CORPUS / "d03.docx", work / "in" / "d03.docx")
    monkeypatch.chdir(work)
    assert main(["extract", "in", "-o", "out", "-q"]) == 0
    monkeypatch.chdir(tmp_path)                       # elsewhere: relative paths still resolve
    assert main(["report", str(work / "out")]) == 0
    (work / "in" / "d03.docx").unlink()
    capsys.readouterr()
    assert main(["report", str(work / "out")]) == 1
    err = capsys.readouterr().err
    assert "không tìm thấy tệp nguồn in/d03.docx" in err
