"""The indicator table as a pandas DataFrame in the contract's column order (the Python
API); files are written as they stream in by pipeline/output.py."""
from __future__ import annotations

from dataclasses import asdict, fields

import pandas as pd

CONTRACT_COLUMNS = ["doc_id", "section_path", "section_title", "block", "start", "end", "sentence", "raw",
                    "indicator", "value", "unit", "counted", "denominator", "qualifier", "change", "kind",
                    "period", "per"]


def to_frame(rows) -> pd.DataFrame:
    from pipeline.process import Row
    names = [f.name for f in fields(Row)]
    df = pd.DataFrame([asdict(r) for r in rows], columns=names)
    extra = [c for c in df.columns if c not in CONTRACT_COLUMNS]
    df = df[CONTRACT_COLUMNS + extra]
    df["denominator"] = df["denominator"].astype("float64")
    df["value"] = df["value"].astype("float64")
    for c in ("block", "start", "end"):
        df[c] = df[c].astype("int64")
    return df
