"""Write the indicator table as it streams in, whole or not at all.

Rows go to a temporary file beside the target; commit() renames it over the target, so
an interrupted run leaves the previous output as it was. `--resume` carries over the
rows of files unchanged since the last run (a manifest of their sha256 in OUTDIR).
"""
from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from pathlib import Path

from pipeline.model import ROW_COLUMNS

COLUMNS = ROW_COLUMNS
MANIFEST = ".chiso-manifest.json"


class TableWriter:
    def __init__(self, path: Path, fmt: str):
        self.path, self.fmt = Path(path), fmt
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self.count = 0
        if fmt == "parquet":
            os.close(fd)
            import pyarrow as pa
            import pyarrow.parquet as pq
            self.schema = pa.schema([(c, pa.int64() if c in ("block", "start", "end") else
                                      pa.float64() if c in ("value", "denominator") else pa.string())
                                     for c in COLUMNS])
            self.writer = pq.ParquetWriter(self.tmp, self.schema)
        elif fmt == "xlsx":
            os.close(fd)
            from openpyxl import Workbook
            from pipeline.write.workbook import data_sheet
            self.book = Workbook(write_only=True)
            self.sheet = data_sheet(self.book, COLUMNS)
        else:
            self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
            if fmt == "csv":
                self.csv = csv.writer(self.fh)
                self.csv.writerow(COLUMNS)

    def write(self, rows: list[tuple]) -> None:
        """Rows as tuples in COLUMNS order."""
        if not rows:
            return
        self.count += len(rows)
        if self.fmt == "csv":
            self.csv.writerows(["" if v is None else v for v in r] for r in rows)
        elif self.fmt == "xlsx":
            from pipeline.write.workbook import data_row
            for r in rows:
                data_row(self.sheet, COLUMNS, r)
        elif self.fmt == "jsonl":
            for r in rows:
                self.fh.write(json.dumps(dict(zip(COLUMNS, r)), ensure_ascii=False) + "\n")
        else:
            import pyarrow as pa
            self.writer.write_table(pa.Table.from_pylist([dict(zip(COLUMNS, r)) for r in rows], self.schema))
        if self.fmt in ("csv", "jsonl"):
            self.fh.flush()                 # a full disk is found at the file that fills it

    def commit(self) -> None:
        self._close()
        os.chmod(self.tmp, 0o644)
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        """Drop the temporary file, whatever state the writer is in (a full disk fails
        the close too: the file is removed all the same)."""
        try:
            if self.fmt == "xlsx":
                self.book = None            # nothing to save
            self._close()
        except Exception:
            pass
        finally:
            try:
                os.unlink(self.tmp)
            except FileNotFoundError:
                pass

    def _close(self) -> None:
        if self.fmt == "parquet":
            self.writer.close()
        elif self.fmt == "xlsx":
            if self.book is not None:
                self.book.save(self.tmp)
                self.book = None
        elif not self.fh.closed:
            self.fh.close()


def previous_rows(path: Path, fmt: str, sources: set[str]):
    """Stream the rows of an earlier output that came from the given sources."""
    if not sources or not path.exists():
        return
    if fmt == "csv":
        _no_field_limit()
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header != COLUMNS:
                return
            src = COLUMNS.index("source_path")
            yield from _batches(tuple(_typed(c, v) for c, v in zip(COLUMNS, rec))
                                for rec in reader if rec[src] in sources)
    elif fmt == "jsonl":
        with path.open(encoding="utf-8") as fh:
            records = (json.loads(line) for line in fh)
            yield from _batches(tuple(rec.get(c) for c in COLUMNS)
                                for rec in records if rec.get("source_path") in sources)
    elif fmt == "xlsx":
        yield from _previous_xlsx(path, sources)
    else:
        import pyarrow.parquet as pq
        pf = pq.ParquetFile(path)
        for i in range(pf.num_row_groups):
            recs = [r for r in pf.read_row_group(i).to_pylist() if r["source_path"] in sources]
            if recs:
                yield [tuple(r[c] for c in COLUMNS) for r in recs]


def _batches(rows, size: int = 1000):
    """Lists of at most size rows: memory stays flat however large the earlier output."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _no_field_limit() -> None:
    """A row may carry a long sentence: read fields of any size (csv's default is 128 KB)."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


def _previous_xlsx(path: Path, sources: set[str]):
    from openpyxl import load_workbook
    from pipeline.write.workbook import DATA_SHEET
    book = load_workbook(path, read_only=True)
    try:
        rows = book[DATA_SHEET].iter_rows(values_only=True)
        if list(next(rows, ())) != COLUMNS:
            return
        src = COLUMNS.index("source_path")
        kept = [tuple(_from_cell(c, v) for c, v in zip(COLUMNS, rec)) for rec in rows if rec[src] in sources]
    finally:
        book.close()
    yield from _batches(kept)


def _from_cell(column: str, value):
    if column in ("block", "start", "end"):
        return int(value)
    if column in ("value", "denominator"):
        return None if value is None else float(value)
    return "" if value is None else value


def _typed(column: str, value: str):
    if column in ("block", "start", "end"):
        return int(value)
    if column in ("value", "denominator"):
        return float(value) if value != "" else None
    return value


def load_manifest(out_dir: Path, fmt: str) -> dict[str, str]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("files", {}) if data.get("format") == fmt else {}


def manifest_text(fmt: str, files: dict[str, str]) -> str:
    return json.dumps({"format": fmt, "files": files}, ensure_ascii=False, indent=0)
