"""Re-verify an indicator table against its sources: `chiso audit OUTDIR/indicators.csv`.

For every row: the source must still exist (found from wherever the audit runs:
pipeline/audit/sources.py), the block's text at start:end must equal raw, and value and
unit must follow again from raw in its context (the source is extracted again and the row
must be among the figures at that place). A source whose hash differs is checked row by
row all the same: a row whose text and value still hold is `ok (source re-saved)` (the
file was saved again, its figure did not change), any other gets the precise failure.

Each status is one of the contract's English codes, with its Vietnamese name beside it
(column `status_vi`) and a detail in Vietnamese.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.audit.sources import resolve_source, source_candidates
from pipeline.errors import ChisoError
from pipeline.stages import process

RESAVED = "ok (source re-saved)"
STATUS_VI = {
    "ok": "khớp",
    RESAVED: "khớp (tệp nguồn đã được lưu lại)",
    "source-changed": "tệp nguồn đã đổi, không đọc được",
    "source-missing": "không tìm thấy tệp nguồn",
    "text-mismatch": "văn bản không khớp",
    "value-mismatch": "giá trị không khớp",
}
STATUSES = list(STATUS_VI)
OK = {"ok", RESAVED}
COLUMNS = ["row", "doc_id", "source_path", "status", "status_vi", "detail"]
REQUIRED = {"source_path", "source_sha256", "block", "start", "end", "raw", "value", "unit"}


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def audit_table(table_path) -> pd.DataFrame:
    """One line per row of the table: row (1-based), doc_id, source_path, status,
    status_vi, detail; in the table's order."""
    table_path = Path(table_path)
    df = pd.read_csv(table_path, dtype=str, keep_default_na=False)
    missing = REQUIRED - set(df.columns)
    if missing:
        raise ChisoError(table_path, f"thiếu cột {', '.join(sorted(missing))} (missing columns)")
    results = []
    for source, group in df.groupby("source_path", sort=False):
        checks = _check_source(source, group, table_path.parent)
        for (idx, row), (status, detail) in zip(group.iterrows(), checks):
            results.append((idx + 1, row.get("doc_id", ""), source, status, STATUS_VI[status], detail))
    out = pd.DataFrame(results, columns=COLUMNS).sort_values("row")
    return out.reset_index(drop=True)


@dataclass
class _Source:
    """A source as it is now: its hash, its blocks, the figures found at each place."""
    digest: str
    blocks: list
    found: dict = field(default_factory=dict)          # (block, start, end) → [(value, unit)]
    _flat: list | None = None

    def flat(self) -> list[str]:
        """Each block's text with its white space collapsed (as the table's sentence has it)."""
        if self._flat is None:
            self._flat = [" ".join(b.text.split()) for b in self.blocks]
        return self._flat


def _check_source(source: str, group: pd.DataFrame, table_dir: Path) -> list[tuple[str, str]]:
    """(status, detail) of each row of one source."""
    path = resolve_source(source, table_dir)
    if path is None:
        tried = ", ".join(str(p) for p in source_candidates(source, table_dir)) if source else "—"
        return [("source-missing", f"không tìm thấy tệp nguồn {source!r} (đã tìm: {tried})")] * len(group)
    try:
        doc = process(path)
    except ChisoError as exc:
        return [("source-changed", f"không đọc được tệp nguồn {path}: {exc.reason}")] * len(group)
    now = _Source(doc.sha256, doc.blocks)
    for r in doc.rows:
        now.found.setdefault((r.block, r.start, r.end), []).append((r.value, r.unit))
    return [_recheck(row, now) for _idx, row in group.iterrows()]


def _recheck(row, now: _Source) -> tuple[str, str]:
    """The row checked against the source as it is now; when its hash differs, a row that
    still holds is `ok (source re-saved)` and a failure says the file changed."""
    status, detail = _check(row, now)
    if row["source_sha256"] == now.digest:
        return status, detail
    changed = f"tệp nguồn đã đổi (sha256 {now.digest[:12]}… ≠ {row['source_sha256'][:12]}…)"
    if status == "ok":
        return RESAVED, f"{changed}; văn bản và giá trị vẫn khớp"
    return status, f"{changed}; {detail}"


def _check(row, now: _Source) -> tuple[str, str]:
    blocks = now.blocks
    try:
        block, start, end = int(row["block"]), int(row["start"]), int(row["end"])
    except ValueError:
        return "text-mismatch", "block/start/end không phải số nguyên"
    if not 0 <= block < len(blocks):
        return "text-mismatch", f"không có khối {block}" + _moved(row, now)
    text = blocks[block].text[start:end]
    if text != row["raw"]:
        return "text-mismatch", (f"văn bản tại {block}:{start}-{end} là {text!r}, không phải {row['raw']!r}"
                                 + _moved(row, now))
    try:
        value = float(row["value"])
    except ValueError:
        return "value-mismatch", f"giá trị {row['value']!r} không phải số"
    again = now.found.get((block, start, end), [])
    if not any(_same(value, v) and row["unit"] == u for v, u in again):
        expected = ", ".join(f"{v:g} {u}" for v, u in again) or "không có số liệu"
        return "value-mismatch", f"trích lại từ nguồn: {expected}; bảng ghi {value:g} {row['unit']}"
    return "ok", ""


def _moved(row, now: _Source) -> str:
    """Where the row's sentence is now, when it is still in the source somewhere else."""
    sentence, raw = " ".join((row.get("sentence", "") or "").split()), row["raw"]
    if not sentence or not raw:
        return ""
    for b, flat in zip(now.blocks, now.flat()):
        if sentence not in flat:
            continue
        m = re.search(r"\s+".join(map(re.escape, sentence.split(" "))), b.text)
        at = b.text.find(raw, m.start(), m.end()) if m else -1
        if at >= 0:
            return f"; câu này nay ở khối {b.index}:{at}-{at + len(raw)}"
    return "; không thấy câu này ở chỗ khác trong tệp nguồn"


def _counts(statuses) -> str:
    counts = Counter(statuses)
    return ", ".join(f"{s} ({STATUS_VI[s]}): {counts[s]}" for s in STATUSES if counts[s])


def summary(results: pd.DataFrame) -> str:
    """One line: how many rows, how many of each status."""
    return f"{len(results)} dòng — " + _counts(results["status"])


def document_summary(results: pd.DataFrame) -> list[str]:
    """One line per source document: its doc_id, its path, its rows by status."""
    lines = []
    for (doc_id, source), group in results.groupby(["doc_id", "source_path"], sort=False):
        ok = group["status"].isin(OK).sum()
        lines.append(f"{doc_id} ({source}): {ok}/{len(group)} dòng khớp — {_counts(group['status'])}")
    return lines


def missing_sources(results: pd.DataFrame) -> list[str]:
    """The source paths no file was found for."""
    return list(dict.fromkeys(results.loc[results["status"] == "source-missing", "source_path"]))


__all__ = ["OK", "RESAVED", "STATUSES", "STATUS_VI", "audit_table", "document_summary", "missing_sources",
           "summary"]
