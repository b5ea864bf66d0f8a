"""The indicator table as a pandas DataFrame in the contract's column order (the Python
API); files are written as they stream in by pipeline/write/stream.py."""
from __future__ import annotations

from dataclasses import astuple

import pandas as pd

from pipeline.model import CONTRACT_COLUMNS, ROW_COLUMNS


def to_frame(rows) -> pd.DataFrame:
    df = pd.DataFrame([astuple(r) for r in rows], columns=ROW_COLUMNS)
    extra = [c for c in df.columns if c not in CONTRACT_COLUMNS]
    df = df[CONTRACT_COLUMNS + extra]
    df["denominator"] = df["denominator"].astype("float64")
    df["value"] = df["value"].astype("float64")
    for c in ("block", "start", "end"):
        df[c] = df[c].astype("int64")
    return df
