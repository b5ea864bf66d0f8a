"""Re-verify an indicator table against its sources: `chiso audit OUTDIR/indicators.csv`.

For every row: the source must still exist and hash the same, the block's text at
start:end must equal raw, and value and unit must follow again from raw in its context
(the source is extracted again and the row must be among the figures at that place).
"""
from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.errors import ChisoError
from pipeline.stages import process

STATUSES = ["ok", "source-changed", "source-missing", "text-mismatch", "value-mismatch"]


def _resolve(source: str, table_dir: Path) -> Path | None:
    for candidate in (Path(source), table_dir / source):
        if candidate.is_file():
            return candidate
    return None


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def audit_table(table_path) -> pd.DataFrame:
    """One line per row of the table: row (1-based), doc_id, status, detail."""
    table_path = Path(table_path)
    df = pd.read_csv(table_path, dtype=str, keep_default_na=False)
    missing = {"source_path", "source_sha256", "block", "start", "end", "raw", "value", "unit"} - set(df.columns)
    if missing:
        raise ChisoError(table_path, f"thiếu cột {', '.join(sorted(missing))} (missing columns)")
    results = []
    for source, group in df.groupby("source_path", sort=False):
        path = _resolve(source, table_path.parent)
        blocks = found = None
        status = None
        if path is None:
            status, detail = "source-missing", f"không tìm thấy tệp nguồn {source}"
        else:
            try:
                doc = process(path)
                digest, blocks, found = doc.sha256, doc.blocks, {}
                for r in doc.rows:
                    found.setdefault((r.block, r.start, r.end), []).append((r.value, r.unit))
            except ChisoError as exc:
                status, detail = "source-changed", f"không đọc được nguồn: {exc.reason}"
        for idx, row in group.iterrows():
            results.append((idx + 1, row.get("doc_id", ""), *(
                (status, detail) if status else _check(row, digest, blocks, found))))
    out = pd.DataFrame(results, columns=["row", "doc_id", "status", "detail"]).sort_values("row")
    return out.reset_index(drop=True)


def _check(row, digest, blocks, found) -> tuple[str, str]:
    if row["source_sha256"] != digest:
        return "source-changed", f"sha256 {digest[:12]}… ≠ {row['source_sha256'][:12]}…"
    try:
        block, start, end = int(row["block"]), int(row["start"]), int(row["end"])
    except ValueError:
        return "text-mismatch", "block/start/end không phải số nguyên"
    if not 0 <= block < len(blocks):
        return "text-mismatch", f"không có khối {block}"
    text = blocks[block].text[start:end]
    if text != row["raw"]:
        return "text-mismatch", f"văn bản tại {block}:{start}-{end} là {text!r}, không phải {row['raw']!r}"
    try:
        value = float(row["value"])
    except ValueError:
        return "value-mismatch", f"giá trị {row['value']!r} không phải số"
    again = found.get((block, start, end), [])
    if not any(_same(value, v) and row["unit"] == u for v, u in again):
        expected = ", ".join(f"{v:g} {u}" for v, u in again) or "không có số liệu"
        return "value-mismatch", f"trích lại từ nguồn: {expected}; bảng ghi {value:g} {row['unit']}"
    return "ok", ""


def summary(results: pd.DataFrame) -> str:
    counts = Counter(results["status"])
    parts = [f"{s}: {counts[s]}" for s in STATUSES if counts[s]]
    return f"{len(results)} dòng — " + ", ".join(parts)
