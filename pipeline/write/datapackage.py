"""OUTDIR/datapackage.json: a Frictionless Data Package describing the CSV files of OUTDIR
(indicators.csv, compiled.csv, errors.csv, whichever are there): each field with its type,
the base units, kinds, qualifiers, directions (and the codes, when rules/codes.yaml exists)
as enums, and the primary key of compiled.csv. Written by hand (no frictionless needed to
write it); the tests validate it with the frictionless package."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.write.files import write_atomic

INTEGER = {"block", "start", "end"}
NUMBER = {"value", "denominator", "target", "actual", "achievement"}
ENUMS = {"kind": ["actual", "target"], "qualifier": ["=", "~", ">", ">=", "<", "<="],
         "change": ["+", "-"], "direction": ["up", "down", "none"],
         "status": ["đạt", "vượt", "không đạt"]}
ALIASES = {"target_qualifier": "qualifier", "actual_qualifier": "qualifier"}
DESCRIPTIONS = {
    "indicators.csv": "The indicator table: one row per figure (shared/spec/indicator-table.md).",
    "compiled.csv": "One row per (doc_id, code, period): target, actual, achievement and status.",
    "errors.csv": "The files that could not be read, with the reason.",
}


def _enums() -> dict[str, list[str]]:
    from pipeline import registry
    from pipeline.find import lexicon as lx
    enums = dict(ENUMS, unit=list(lx.base_units()))
    codes = [name for name, e in registry.entries("codes") if "title" in e]
    if codes:
        enums["code"] = codes
    return enums


def _header(path: Path) -> list[str]:
    import csv
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh), [])


def _field(name: str, enums: dict[str, list[str]]) -> dict:
    kind = "integer" if name in INTEGER else "number" if name in NUMBER else "string"
    f = {"name": name, "type": kind}
    enum = enums.get(ALIASES.get(name, name))
    if enum:
        f["constraints"] = {"enum": enum}
    return f


def _resource(path: Path, enums) -> dict:
    schema = {"fields": [_field(c, enums) for c in _header(path)], "missingValues": [""]}
    if path.name == "compiled.csv":
        schema["primaryKey"] = ["doc_id", "code", "period"]
    return {"name": path.stem, "path": path.name, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "description": DESCRIPTIONS[path.name], "schema": schema}


def datapackage(outdir: Path) -> dict:
    enums = _enums()
    resources = [_resource(outdir / name, enums) for name in DESCRIPTIONS if (outdir / name).is_file()]
    return {"name": "chiso", "title": "chiso: bảng chỉ tiêu", "profile": "tabular-data-package",
            "resources": resources}


def write_datapackage(outdir) -> Path:
    outdir = Path(outdir)
    target = outdir / "datapackage.json"
    write_atomic(target, json.dumps(datapackage(outdir), ensure_ascii=False, indent=2) + "\n")
    return target
