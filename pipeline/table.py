"""The indicator table: rows → a pandas DataFrame in the contract's column order → files."""
from __future__ import annotations

import io
from dataclasses import asdict, fields
from pathlib import Path

import pandas as pd

from .files import write_atomic

CONTRACT_COLUMNS = ["doc_id", "section_path", "section_title", "block", "start", "end", "sentence", "raw",
                    "indicator", "value", "unit", "counted", "denominator", "qualifier", "change", "kind",
                    "period", "per"]


def to_frame(rows) -> pd.DataFrame:
    from .extractor import Row
    names = [f.name for f in fields(Row)]
    df = pd.DataFrame([asdict(r) for r in rows], columns=names)
    extra = [c for c in df.columns if c not in CONTRACT_COLUMNS]
    df = df[CONTRACT_COLUMNS + extra]
    df["denominator"] = df["denominator"].astype("float64")
    df["value"] = df["value"].astype("float64")
    for c in ("block", "start", "end"):
        df[c] = df[c].astype("int64")
    return df


def write_table(df: pd.DataFrame, path: Path, fmt: str = "csv") -> None:
    if fmt == "csv":
        write_atomic(path, df.to_csv(index=False))
    elif fmt == "jsonl":
        write_atomic(path, df.to_json(orient="records", lines=True, force_ascii=False))
    elif fmt == "parquet":
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        write_atomic(path, buf.getvalue())
    else:
        raise ValueError(f"unknown format {fmt}")
