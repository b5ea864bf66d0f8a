"""Where a row's source is: `source_path` is stored as given on the command line, so it is
relative to the folder `chiso extract` ran in. That folder is recorded beside the table
(`OUTDIR/.chiso-run.json`), and the audit, the report and annotate resolve against it,
wherever they are run from.

    record_workdir(outdir)                 # the batch, once per run
    resolve_source(source_path, table_dir) # → the file, or None
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from pipeline.write.files import write_atomic

RUN_FILE = ".chiso-run.json"


def record_workdir(outdir) -> Path:
    """Write OUTDIR/.chiso-run.json: the working folder of this run and the output folder,
    both absolute, so that relative source paths can be found again from anywhere."""
    out = Path(outdir)
    target = out / RUN_FILE
    record = {"cwd": os.getcwd(), "outdir": str(out.resolve())}
    write_atomic(target, json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    return target


def read_run(table_dir) -> dict:
    """The record of the run that wrote the table in table_dir; {} when there is none."""
    try:
        record = json.loads((Path(table_dir) / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def source_candidates(source_path: str, table_dir) -> list[Path]:
    """The places a source may be, most likely first: the path itself when absolute; the
    extract's working folder; the same place seen from the table when the whole tree was
    moved together; the current folder; the table's folder."""
    source, table_dir = Path(source_path), Path(table_dir)
    if source.is_absolute():
        return [source]
    run = read_run(table_dir)
    places = []
    if isinstance(run.get("cwd"), str):
        places.append(Path(run["cwd"]) / source)
        if isinstance(run.get("outdir"), str):
            moved = os.path.relpath(Path(run["cwd"]) / source, run["outdir"])
            places.append(table_dir / moved)
    places += [source, table_dir / source]
    return list(dict.fromkeys(places))


def resolve_source(source_path: str, table_dir) -> Path | None:
    """The existing file a row's source_path names, or None (see source_candidates)."""
    if not source_path:
        return None
    return next((p for p in source_candidates(source_path, table_dir) if p.is_file()), None)


__all__ = ["RUN_FILE", "read_run", "record_workdir", "resolve_source", "source_candidates"]
