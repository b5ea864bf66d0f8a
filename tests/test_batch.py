"""Batches: worker processes, resume, interruption, Dask — the same rows every way."""
import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path


from builders import CORPUS
from pipeline.cli import main

STEMS = ["d01", "d02", "d03", "d04"]


def _copy(dst: Path, stems=STEMS, copies=1) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for k in range(copies):
        for stem in stems:
            shutil.copy(CORPUS / f"{stem}.docx", dst / (f"{stem}.docx" if copies == 1 else f"{stem}-{k:03d}.docx"))
    return dst


def _rows(out: Path):
    with (out / "indicators.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_jobs_give_the_rows_of_one_process(tmp_path):
    src = _copy(tmp_path / "in")
    assert main(["extract", str(src), "-o", str(tmp_path / "one"), "-q", "--jobs", "1"]) == 0
    assert main(["extract", str(src), "-o", str(tmp_path / "two"), "-q", "--jobs", "2"]) == 0
    assert _rows(tmp_path / "one") == _rows(tmp_path / "two")
    assert len(_rows(tmp_path / "one")) == 15 + 14 + 12 + 42


def test_resume_skips_unchanged_files_and_redoes_changed_ones(tmp_path, monkeypatch):
    src = _copy(tmp_path / "in")
    out = tmp_path / "out"
    assert main(["extract", str(src), "-o", str(out), "-q"]) == 0
    first = _rows(out)
    shutil.copy(CORPUS / "d05.docx", src / "d02.docx")        # d02 changes (now d05's text)
    calls = tmp_path / "calls"                 # written by the (forked) worker
    import pipeline.batch.engines as batch
    real = batch.process_file

    def recording(p, limits=None):
        with calls.open("a", encoding="utf-8") as fh:
            fh.write(p + "\n")
        return real(p, limits)
    monkeypatch.setattr(batch, "process_file", recording)
    assert main(["extract", str(src), "-o", str(out), "-q", "--resume", "--jobs", "1"]) == 0
    assert calls.read_text(encoding="utf-8").splitlines() == [str(src / "d02.docx")]
    again = _rows(out)
    assert {r["doc_id"] for r in again} == {"d01", "d02", "d03", "d04"}
    assert sum(r["doc_id"] == "d02" for r in again) == 26                  # d05's figures
    assert [r for r in again if r["doc_id"] != "d02"] == [r for r in first if r["doc_id"] != "d02"]
    assert main(["audit", str(out)]) == 0


def _wait_for(predicate, timeout=120):
    """Poll a state the test itself drives to; the timeout only guards against a hang."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return False


# A child `chiso extract` whose per-file function stops for good after two files, once it
# has said so in a flag file: the test then kills it in a state it knows (two files
# written to the temporary output, nothing renamed), instead of guessing when to kill.
_HALTING_EXTRACT = """
import sys, time
from pathlib import Path
import pipeline.batch.engines as batch
real, flag, seen = batch.process_file, Path(sys.argv[1]), []
def halting(path, limits=batch.DEFAULT_LIMITS):
    if len(seen) == 2:
        flag.write_text("halted")
        while True:
            time.sleep(60)
    seen.append(path)
    return real(path, limits)
batch.process_file = halting
from pipeline.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_killed_run_leaves_the_previous_output_intact(tmp_path):
    src = _copy(tmp_path / "in", copies=3)
    out = tmp_path / "out"
    assert main(["extract", str(CORPUS / "d01.docx"), "-o", str(out), "-q"]) == 0
    before = (out / "indicators.csv").read_bytes()
    flag = tmp_path / "halted"
    proc = subprocess.Popen([sys.executable, "-c", _HALTING_EXTRACT, str(flag),
                             "extract", str(src), "-o", str(out), "-q", "--jobs", "1"],
                            cwd=Path(__file__).parent.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(flag.exists)
        assert any(p.name.endswith(".tmp") for p in out.iterdir())    # mid-write, for sure
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert (out / "indicators.csv").read_bytes() == before       # whole, and the old one


def _die_first_time(path, limits=None):
    """Per-file function of the worker test: the worker that first takes d02-001 dies
    (SIGKILL, as the OOM killer would); the marker makes the retry succeed."""
    import pipeline.batch.engines as batch
    marker = Path(path).parent / ".killed-once"
    if Path(path).name == "d02-001.docx":
        try:
            marker.open("x").close()
        except FileExistsError:
            pass
        else:
            os.kill(os.getpid(), signal.SIGKILL)
    return batch.REAL_PROCESS_FILE(path, limits or batch.DEFAULT_LIMITS)


def test_a_killed_worker_loses_no_file(tmp_path, monkeypatch):
    import pipeline.batch.engines as batch
    src = _copy(tmp_path / "in", copies=10)
    out = tmp_path / "out"
    # Workers are forked from this process, so they run the patched function.
    monkeypatch.setattr(batch, "REAL_PROCESS_FILE", batch.process_file, raising=False)
    monkeypatch.setattr(batch, "process_file", _die_first_time)
    assert main(["extract", str(src), "-o", str(out), "-q", "--jobs", "2"]) == 0
    assert (src / ".killed-once").exists()                       # a worker did die
    rows = _rows(out)
    assert len({r["source_path"] for r in rows}) == 40
    assert len(rows) == 10 * (15 + 14 + 12 + 42)


def test_dask_engine_on_a_local_cluster(tmp_path):
    from distributed import LocalCluster
    src = _copy(tmp_path / "in")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert main(["extract", str(src), "-o", str(tmp_path / "dask"), "-q", "--engine", "dask",
                     "--scheduler", cluster.scheduler_address]) == 0
    assert main(["extract", str(src), "-o", str(tmp_path / "local"), "-q", "--jobs", "1"]) == 0
    assert _rows(tmp_path / "dask") == _rows(tmp_path / "local")


def test_extract_many_is_the_library_entry_of_a_batch(tmp_path):
    import pipeline
    src = _copy(tmp_path / "in", stems=["d01", "d03"])
    (src / "broken.docx").write_text("not a zip", encoding="utf-8")
    result = pipeline.extract_many([src], tmp_path / "out", jobs=1)
    assert result.rows == 15 + 12 and result.succeeded == 2
    assert [Path(f).name for f, _reason in result.errors] == ["broken.docx"]
    assert len(_rows(tmp_path / "out")) == 27
    again = pipeline.extract_many([src], tmp_path / "out", jobs=1, resume=True)
    assert sorted(Path(f).name for f in again.carried) == ["d01.docx", "d03.docx"]
    assert _rows(tmp_path / "out") == _rows(tmp_path / "out")
