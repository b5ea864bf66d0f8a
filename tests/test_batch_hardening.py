"""Careless and hostile use of a batch: a file that never ends, a run where nothing
succeeds, an output that cannot be written, signals, colliding names, the CLI's own
messages. Every wait here is for a state the test drives to; the one clock is
`--file-timeout 2`, a bounded wait for a file that blocks for good."""
import csv
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import CORPUS
from pipeline.cli import main

ROOT = Path(__file__).parent.parent


def _copy(dst: Path, names: dict[str, str]) -> Path:
    """names: target path below dst → corpus stem."""
    for target, stem in names.items():
        (dst / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / f"{stem}.docx", dst / target)
    return dst


def _rows(out: Path):
    with (out / "indicators.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _errors(out: Path):
    with (out / "errors.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("chiso: lỗi"), err
    assert "Traceback" not in err
    return lines[0]


def _no_tmp(folder: Path) -> bool:
    return not folder.exists() or not any(p.name.endswith(".tmp") for p in folder.iterdir())


# -- item 1: a file that never ends ------------------------------------------------------

def _blocks_on_d03(path, limits=None):
    """Per-file function of the timeout test, run in forked workers: d03 never ends."""
    import pipeline.batch.engines as batch
    if Path(path).name == "d03.docx":
        while True:
            time.sleep(60)
    return batch.REAL_PROCESS_FILE(path, limits or batch.DEFAULT_LIMITS)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_past_its_time_limit_is_one_error_line_and_the_batch_goes_on(tmp_path, monkeypatch, jobs):
    import pipeline.batch.engines as batch
    src = _copy(tmp_path / "in", {"d01.docx": "d01", "d03.docx": "d03", "d04.docx": "d04"})
    out = tmp_path / "out"
    monkeypatch.setattr(batch, "REAL_PROCESS_FILE", batch.process_file, raising=False)
    monkeypatch.setattr(batch, "process_file", _blocks_on_d03)
    assert main(["extract", str(src), "-o", str(out), "-q", "--jobs", jobs, "--file-timeout", "2"]) == 1
    rows = _rows(out)
    assert {r["doc_id"] for r in rows} == {"d01", "d04"} and len(rows) == 15 + 42
    errors = _errors(out)
    assert [Path(e["file"]).name for e in errors] == ["d03.docx"]
    assert "file timeout" in errors[0]["reason"]


# -- item 2: a run in which nothing succeeded; option values -----------------------------

def test_a_run_where_no_file_succeeded_keeps_the_previous_outputs(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(CORPUS / "d01.docx"), "-o", str(out), "-q"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "errors.csv"}
    capsys.readouterr()
    assert main(["extract", str(tmp_path / "mistyped"), "-o", str(out), "-q", "--resume"]) == 1
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "errors.csv"}
    assert after == before                      # indicators.csv, the manifest, datapackage.json
    assert [Path(e["file"]).name for e in _errors(out)] == ["mistyped"]
    assert "previous outputs kept" in capsys.readouterr().err


def test_a_first_run_where_no_file_succeeded_says_no_table_was_written(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(tmp_path / "mistyped"), "-o", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert "no table written" in err and "previous outputs kept" not in err
    assert not (out / "indicators.csv").exists()


@pytest.mark.parametrize("option", [["--jobs", "-3"], ["--jobs", "0"], ["--jobs", "x"], ["--max-size", "-1"],
                                    ["--max-size", "nan"], ["--file-timeout", "0"], ["--file-timeout", "inf"]])
def test_invalid_option_values_are_refused_in_one_line(tmp_path, capsys, option):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_:
        main(["extract", str(CORPUS / "d01.docx"), "-o", str(out), *option])
    assert exit_.value.code == 2
    assert option[0] in _one_error_line(capsys.readouterr().err)
    assert not out.exists()


# -- item 5: outputs that cannot be written; signals -------------------------------------

def test_output_pointing_at_a_file_is_one_line_and_status_4(tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("keep me", encoding="utf-8")
    assert main(["extract", str(CORPUS / "d01.docx"), "-o", str(target), "-q"]) == 4
    line = _one_error_line(capsys.readouterr().err)
    assert "could not write the output" in line and "Not a directory" in line
    assert target.read_text(encoding="utf-8") == "keep me"


def test_a_read_only_output_folder_is_one_line_and_status_4(tmp_path, capsys, monkeypatch):
    import pipeline.write.stream as stream

    def refused(*_args, **_kw):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path / "out"))
    monkeypatch.setattr(stream.tempfile, "mkstemp", refused)    # as a read-only folder answers
    assert main(["extract", str(CORPUS / "d01.docx"), "-o", str(tmp_path / "out"), "-q"]) == 4
    assert "Permission denied" in _one_error_line(capsys.readouterr().err)


def test_a_full_disk_is_one_line_and_leaves_no_temporary_file(tmp_path, capsys, monkeypatch):
    from pipeline.write.stream import TableWriter
    out = tmp_path / "out"
    assert main(["extract", str(CORPUS / "d01.docx"), "-o", str(out), "-q"]) == 0
    before = (out / "indicators.csv").read_bytes()
    capsys.readouterr()
    real = TableWriter.write

    def fills_the_disk(self, rows):
        real(self, rows)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self.tmp)
    monkeypatch.setattr(TableWriter, "write", fills_the_disk)
    assert main(["extract", str(CORPUS / "d01.docx"), str(CORPUS / "d03.docx"), "-o", str(out), "-q"]) == 4
    assert "No space left on device" in _one_error_line(capsys.readouterr().err)
    assert _no_tmp(out)
    assert (out / "indicators.csv").read_bytes() == before


# A child `chiso extract` whose per-file function reads the first file and blocks for good
# on every other: the test signals it once the first file's rows are in the temporary
# output, a state it knows, with both workers busy.
_BLOCKING_EXTRACT = """
import sys, time
import pipeline.batch.engines as batch
real = batch.process_file
def blocking(path, limits=batch.DEFAULT_LIMITS):
    if not path.endswith("a00.docx"):
        while True:
            time.sleep(60)
    return real(path, limits)
batch.process_file = blocking
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _wait_for(predicate, timeout=120):
    """Poll a state the test itself drives to; the timeout only guards against a hang."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _rows_in_tmp(out: Path) -> bool:
    tmp = [p for p in out.glob(".indicators.csv.*.tmp")] if out.exists() else []
    return bool(tmp) and len(tmp[0].read_bytes().splitlines()) >= 2


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signalled_batch_ends_with_its_workers_and_leaves_nothing(tmp_path, signum):
    src = _copy(tmp_path / "in", {f"a{k:02d}.docx": "d01" for k in range(8)})
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", _BLOCKING_EXTRACT, "extract", str(src), "-o", str(out),
                             "-q", "--jobs", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    workers = []
    try:
        assert _wait_for(lambda: _rows_in_tmp(out))
        workers = _children(proc.pid)
        assert len(workers) == 2
        if signum == signal.SIGINT:
            os.killpg(proc.pid, signum)          # Ctrl-C reaches the whole process group
        else:
            proc.send_signal(signum)             # `kill PID` reaches the parent only
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    survivors = [w for w in workers if Path(f"/proc/{w}").exists()]
    _kill_survivors(survivors)
    assert proc.returncode == 128 + signum
    assert not survivors
    assert _no_tmp(out)
    assert b"Traceback" not in err


def _ended(pid: int) -> bool:
    """Gone, or a zombie waiting for whoever adopted it to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_workers_end_when_the_parent_is_killed_outright(tmp_path):
    src = _copy(tmp_path / "in", {f"a{k:02d}.docx": "d01" for k in range(4)})
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", _BLOCKING_EXTRACT, "extract", str(src), "-o", str(out),
                             "-q", "--jobs", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    workers = []
    try:
        assert _wait_for(lambda: _rows_in_tmp(out))
        workers = _children(proc.pid)
        assert len(workers) == 2
    finally:
        proc.kill()                              # SIGKILL: no clean-up runs in the parent
        proc.wait()
    try:
        assert _wait_for(lambda: all(_ended(w) for w in workers))   # the kernel ends them (PDEATHSIG)
    finally:
        _kill_survivors(workers)


def _kill_survivors(pids) -> None:
    """A failing test must not leave blocked workers behind."""
    for pid in pids:
        if not _ended(pid):
            os.kill(pid, signal.SIGKILL)


# -- item 6: identity of documents -------------------------------------------------------

def test_same_named_files_get_distinct_doc_ids(tmp_path):
    src = _copy(tmp_path / "in", {"2023/baocao.docx": "d01", "2024/baocao.docx": "d03", "d04.docx": "d04"})
    out = tmp_path / "out"
    assert main(["extract", str(src), "-o", str(out), "-q", "--jobs", "1"]) == 0
    counts = {}
    for r in _rows(out):
        counts[r["doc_id"]] = counts.get(r["doc_id"], 0) + 1
    assert counts == {"2023/baocao": 15, "2024/baocao": 12, "d04": 42}


def test_doc_ids_are_the_stem_when_unique_and_a_distinct_tail_otherwise():
    from pipeline.write.files import doc_ids
    assert doc_ids(["in/a/2023/baocao.docx", "in/b/2023/baocao.docx", "in/x.docx", "in/y.doc"]) == {
        "in/a/2023/baocao.docx": "a/2023/baocao", "in/b/2023/baocao.docx": "b/2023/baocao",
        "in/x.docx": "x", "in/y.doc": "y"}
    assert doc_ids(["in/r.doc", "in/r.docx"]) == {"in/r.doc": "r.doc", "in/r.docx": "r.docx"}


def test_the_same_file_named_several_times_is_read_once(tmp_path, monkeypatch):
    import pipeline
    src = _copy(tmp_path / "in", {"d01.docx": "d01"})
    monkeypatch.chdir(tmp_path)
    result = pipeline.extract_many([src / "d01.docx", "in/d01.docx", "in/./d01.docx", src], tmp_path / "out",
                                   jobs=1, file_timeout=None)
    assert result.files == [str(src / "d01.docx")] and result.rows == 15
    assert len(_rows(tmp_path / "out")) == 15


# -- item 9: the command line's own messages ---------------------------------------------

def test_argparse_speaks_vietnamese_in_one_line(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["extract", str(CORPUS / "d01.docx")])
    assert exit_.value.code == 2
    assert "thiếu tham số bắt buộc" in _one_error_line(capsys.readouterr().err)
    with pytest.raises(SystemExit):
        main(["extract", "x", "-o", "y", "--bogus"])
    assert "không nhận ra" in _one_error_line(capsys.readouterr().err)


def test_version_and_examples_in_help(capsys):
    from importlib.metadata import version
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"chiso {version('chiso')}"
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "ví dụ (examples)" in text and "chiso extract" in text and "mã thoát" in text
    assert "cách dùng:" in text and "usage:" not in text


def test_resume_reads_fields_of_any_size(tmp_path):
    out = tmp_path / "out"
    assert main(["extract", str(CORPUS / "d01.docx"), "-o", str(out), "-q"]) == 0
    rows = _rows(out)
    rows[0]["sentence"] = "rất dài " * 40_000                    # 320 KB in one field
    with (out / "indicators.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    old = csv.field_size_limit(131072)                          # csv's default
    try:
        assert main(["extract", str(CORPUS / "d01.docx"), "-o", str(out), "-q", "--resume"]) == 0
        assert _rows(out)[0]["sentence"] == rows[0]["sentence"]
    finally:
        csv.field_size_limit(old)


def test_errors_are_exported_from_the_package():
    import pipeline
    from pipeline.errors import ChisoError, OutputError, RuleError
    assert (pipeline.ChisoError, pipeline.RuleError, pipeline.OutputError) == (ChisoError, RuleError, OutputError)
    assert issubclass(pipeline.OutputError, pipeline.ChisoError)
