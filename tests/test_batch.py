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
    calls = []
    import pipeline.batch as batch
    real = batch.process_file
    monkeypatch.setattr(batch, "process_file", lambda p, limits=None: calls.append(p) or real(p, limits))
    assert main(["extract", str(src), "-o", str(out), "-q", "--resume", "--jobs", "1"]) == 0
    assert calls == [str(src / "d02.docx")]
    again = _rows(out)
    assert {r["doc_id"] for r in again} == {"d01", "d02", "d03", "d04"}
    assert sum(r["doc_id"] == "d02" for r in again) == 26                  # d05's figures
    assert [r for r in again if r["doc_id"] != "d02"] == [r for r in first if r["doc_id"] != "d02"]
    assert main(["audit", str(out)]) == 0


def _wait_for(predicate, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def _start(args, cwd):
    return subprocess.Popen([sys.executable, "-m", "pipeline.cli", *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_killed_run_leaves_the_previous_output_intact(tmp_path):
    src = _copy(tmp_path / "in", copies=15)
    out = tmp_path / "out"
    assert main(["extract", str(CORPUS / "d01.docx"), "-o", str(out), "-q"]) == 0
    before = (out / "indicators.csv").read_bytes()
    proc = _start(["extract", str(src), "-o", str(out), "-q", "--jobs", "1"], Path(__file__).parent.parent)
    assert _wait_for(lambda: any(p.name.endswith(".tmp") and p.stat().st_size > 1000 for p in out.iterdir()))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (out / "indicators.csv").read_bytes() == before       # whole, and the old one


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def test_a_killed_worker_loses_no_file(tmp_path):
    src = _copy(tmp_path / "in", copies=10)
    out = tmp_path / "out"
    proc = _start(["extract", str(src), "-o", str(out), "-q", "--jobs", "2"], Path(__file__).parent.parent)
    assert _wait_for(lambda: len(_children(proc.pid)) >= 2)
    time.sleep(1.0)
    victim = _children(proc.pid)[0]
    os.kill(victim, signal.SIGKILL)
    assert proc.wait(timeout=240) == 0
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
